#!/usr/bin/env bash
# Host-lookup benchmark of the gateway: JMH micro-benchmarks of RouteTable.route with a
# production-sized table, then the heap retained per route (see README.md beside this script).
#
#   bench/gateway/lookup.sh            full run: 2,000,000 routes, JMH -f 1 -wi 3 -i 5 -w 2s -r 3s for
#                                      each of 8 benchmarks (about 5 minutes on 2 cores), then the
#                                      memory measurement; writes bench/gateway/lookup-results.md
#   bench/gateway/lookup.sh --smoke    20,000 routes, JMH -f 1 -wi 1 -i 1 -w 1s -r 1s (under a minute
#                                      after compiling): proves that everything runs; its numbers are
#                                      not results. Writes target/bench/gateway/lookup-results-smoke.md
#
# Options:
#   --routes=N       routes in the table (default 2000000; --smoke: 20000)
#   --only=REGEX     run only the benchmarks whose method name matches (e.g. 'presentHost|baselineHashMap')
#   --out=PATH       where to write the results (default: see above)
#   --no-compile     skip the Maven build (test classes and target/bench/gateway/classpath.txt exist)
#   --no-memory      skip the memory-per-route measurement
#   --settings=ARGS  JMH's fork, warm-up and measurement options instead of the defaults above
#                    (e.g. --settings='-f 1 -wi 1 -i 3 -w 2s -r 2s'; bench/run uses it)
#   -- ARGS...       further JMH options, after the script's own (e.g. -- -f 2 -prof gc; a later JMH
#                    option overrides an earlier one; a benchmark name here adds to the run: use --only)
#
# Run it on a quiet machine: the JMH fork runs one benchmark thread, and any other load on the two
# cores shows up as noise (the results record the load average before and after).
set -euo pipefail

SCRIPT_PATH="$(readlink -f "${BASH_SOURCE[0]}")"
REPO_ROOT="$(cd "$(dirname "$SCRIPT_PATH")/../.." && pwd)"
# shellcheck disable=SC2034 # read by common.sh
LOG_PREFIX="bench/gateway"
# shellcheck source=bin/lib/common.sh
. "$REPO_ROOT/bin/lib/common.sh"
# shellcheck source=bin/lib/java.sh
. "$REPO_ROOT/bin/lib/java.sh"
storefront_require_java 21

BENCHMARK=gateway.internal.HostLookupBenchmark
WORK_DIR="$REPO_ROOT/target/bench/gateway"
CLASSPATH_FILE="$WORK_DIR/classpath.txt"
HEAP_OPTS=(-Xmx4g -Xms4g)

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$SCRIPT_PATH"; }

smoke=false compile=true memory=true routes="" out="" only="" settings=""
jmh_extra=()
while (( $# > 0 )); do
  case "$1" in
    --smoke) smoke=true ;;
    --no-compile) compile=false ;;
    --no-memory) memory=false ;;
    --routes=*) routes="${1#--routes=}" ;;
    --out=*) out="${1#--out=}" ;;
    --only=*) only="${1#--only=}" ;;
    --settings=*) settings="${1#--settings=}" ;;
    -h|--help) usage; exit 0 ;;
    --) shift; jmh_extra=("$@"); break ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
  shift
done

if $smoke; then
  : "${routes:=20000}"
  : "${out:=$WORK_DIR/lookup-results-smoke.md}"
  jmh_settings=(-f 1 -wi 1 -i 1 -w 1s -r 1s)
else
  : "${routes:=2000000}"
  : "${out:=$REPO_ROOT/bench/gateway/lookup-results.md}"
  jmh_settings=(-f 1 -wi 3 -i 5 -w 2s -r 3s)
fi
if [[ -n "$settings" ]]; then read -r -a jmh_settings <<<"$settings"; fi
if ! [[ "$routes" =~ ^[1-9][0-9]*$ ]] || (( routes < 1000 || routes > 50000000 )); then
  die "--routes=$routes: want a whole number from 1000 to 50000000"
fi

cd "$REPO_ROOT"
mkdir -p "$WORK_DIR"
if $compile; then
  log "compiling the application and its tests with $JAVA_HOME"
  ./mvnw -B -q --no-transfer-progress test-compile -DskipTests
  log "resolving the test class path"
  ./mvnw -B -q --no-transfer-progress dependency:build-classpath \
    -Dmdep.outputFile="$CLASSPATH_FILE" -Dmdep.includeScope=test
fi
[[ -f target/test-classes/META-INF/BenchmarkList ]] \
  || die "target/test-classes has no JMH BenchmarkList: run without --no-compile"
[[ -s "$CLASSPATH_FILE" ]] || die "no $CLASSPATH_FILE: run without --no-compile"
CP="target/test-classes:target/classes:$(cat "$CLASSPATH_FILE")"

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
started_at="$(date -u '+%Y-%m-%d %H:%M UTC')"
csv="$WORK_DIR/lookup-jmh.csv"
jmh_log="$WORK_DIR/lookup-jmh.log"
memory_log="$WORK_DIR/lookup-memory.log"
rm -f "$csv" "$memory_log"

log "JMH: $BENCHMARK with $routes routes (${jmh_settings[*]}${jmh_extra[*]+ ${jmh_extra[*]}}); log: ${jmh_log#"$REPO_ROOT"/}"
# -foe: a failing @Setup (e.g. a probe not found) fails the run instead of leaving a gap in the table
include="${BENCHMARK//./\\.}"
if [[ -n "$only" ]]; then include+="\\.($only)\$"; fi
"$JAVA" "${HEAP_OPTS[@]}" -cp "$CP" org.openjdk.jmh.Main "$include" \
  "${jmh_settings[@]}" -bm avgt -tu ns -foe true -jvmArgs "${HEAP_OPTS[*]}" \
  -p routes="$routes" -rf csv -rff "$csv" ${jmh_extra[@]+"${jmh_extra[@]}"} 2>&1 | tee "$jmh_log"
[[ -s "$csv" ]] || die "JMH wrote no results ($csv); see $jmh_log"

if $memory; then
  log "memory per route: $routes routes, heap used after settled full GCs, before and after filling"
  "$JAVA" "${HEAP_OPTS[@]}" -cp "$CP" "$BENCHMARK" --routes="$routes" 2>&1 | tee "$memory_log"
  grep -q '^MEMORY variant=interned ' "$memory_log" || die "the memory measurement printed no result; see $memory_log"
fi
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

# ------------------------------------------------------------------------------------------------
# results

# CSV of JMH: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit","Param: routes"
# -> one line "name score error samples" per benchmark (name without the class)
scores="$(awk -F, 'NR > 1 { gsub(/"/, ""); n = $1; sub(/.*\./, "", n); print n, $5, $6, $4 }' "$csv")"
score_of() { awk -v b="$1" '$1 == b { print $2 }' <<<"$scores"; }

commit="$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$REPO_ROOT" status --porcelain 2>/dev/null)" ]]; then commit+=" (with uncommitted changes)"; fi
cpu="$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n1)"
mem_gib="$(awk '/^MemTotal:/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)"
java_version="$("$JAVA" -XshowSettings:properties -version 2>&1 \
  | awk -F' = ' '/java.vm.name/ { n = $2 } /java.runtime.version/ { v = $2 } END { print n " " v }' | sed 's/^ *//')"

base="$(score_of baselineHashMap)"
base_fresh="$(score_of baselineHashMapFreshString)"
fresh_only="$(score_of freshStringOnly)"

describe() {
  case "$1" in
    presentHost) echo "known host, probe's hash cached: CHM get + full equals" ;;
    absentHost) echo "unknown host: the miss path" ;;
    presentHostFreshString) echo "known host in a new String per lookup: hashing + get + equals (+ building the String)" ;;
    freshStringOnly) echo "only building that new String (subtract it)" ;;
    normaliseAndRoute) echo "the per-request path: HostNames.normalise(raw Host header) + lookup" ;;
    normaliseOnly) echo "only HostNames.normalise" ;;
    baselineHashMap) echo "baseline: HashMap<String,String>.get, same keys and probes" ;;
    baselineHashMapFreshString) echo "baseline with a new String per lookup" ;;
    *) echo "" ;;
  esac
}

# ratio NAME SCORE: the score relative to the matching HashMap baseline
ratio() {
  local name="$1" score="$2" ref=""
  case "$name" in
    baselineHashMap|baselineHashMapFreshString|freshStringOnly|normaliseOnly) echo "–"; return ;;
    presentHostFreshString) ref="$base_fresh" ;;
    *) ref="$base" ;;
  esac
  [[ -n "$ref" ]] || { echo "–"; return; }
  awk -v s="$score" -v r="$ref" 'BEGIN { if (r > 0) printf "%.2f×", s / r; else print "–" }'
}

{
  if $smoke; then
    echo "# Gateway host lookup: SMOKE RUN (not a result)"
    echo
    echo "Produced by \`bench/gateway/lookup.sh --smoke\`: $routes routes and one short iteration per benchmark,"
    echo "to prove that the benchmark runs. Do not quote these numbers. What is measured: bench/gateway/README.md."
  else
    echo "# Gateway host lookup: results"
    echo
    echo "Produced by \`bench/gateway/lookup.sh\` (see [README.md](README.md) for what is measured and how to read it)."
  fi
  echo
  echo "Machine: ${cpu:-unknown CPU}, $(nproc) cores, ${mem_gib} GiB memory, $(uname -sm)  "
  echo "Java: ${java_version}; JVM options ${HEAP_OPTS[*]} (JMH fork and memory run), default GC  "
  echo "Date: ${started_at}; commit ${commit}  "
  echo "Load average (1/5/15 min) before: ${load_before}; after: ${load_after} (anything above ~0 means other work shared the cores)  "
  echo "JMH 1.37: ${jmh_settings[*]}${jmh_extra[*]+ ${jmh_extra[*]}}, mode avgt, 1 thread; routes: ${routes}"
  echo
  echo "## Lookup time"
  echo
  echo "Error: JMH's 99.9% confidence half-width over the measurement iterations (NaN with one iteration)."
  echo "Relative: ns/op divided by the plain-HashMap baseline's ns/op in the same run (FreshString rows: by"
  echo "baselineHashMapFreshString)."
  echo
  echo "| benchmark | measures | ns/op | ± error | samples | relative to HashMap |"
  echo "|---|---|---:|---:|---:|---:|"
  # in reading order, then anything else JMH ran (e.g. a benchmark added later)
  ordered=(presentHost absentHost normaliseAndRoute normaliseOnly presentHostFreshString freshStringOnly
           baselineHashMap baselineHashMapFreshString)
  {
    for name in "${ordered[@]}"; do awk -v b="$name" '$1 == b' <<<"$scores"; done
    awk -v known=" ${ordered[*]} " 'index(known, " " $1 " ") == 0' <<<"$scores"
  } | while read -r name score error samples; do
    [[ -n "$name" ]] || continue
    printf '| %s | %s | %s | %s | %s | %s |\n' "$name" "$(describe "$name")" \
      "$(awk -v s="$score" 'BEGIN { printf "%.1f", s }')" \
      "$(awk -v e="$error" 'BEGIN { if (e == "NaN" || e == "") print "NaN"; else printf "%.1f", e }')" \
      "$samples" "$(ratio "$name" "$score")"
  done
  fresh="$(score_of presentHostFreshString)"
  if [[ -n "$fresh" && -n "$fresh_only" && -n "$base_fresh" ]]; then
    echo
    awk -v f="$fresh" -v o="$fresh_only" -v b="$base_fresh" 'BEGIN {
      printf "Lookup with hashing, String construction subtracted: RouteTable %.1f ns, HashMap %.1f ns", f - o, b - o
      if (b - o > 0) printf " (%.2f×)", (f - o) / (b - o)
      print "."
    }'
  fi
  echo
  echo "## Memory per route"
  echo
  if $memory; then
    echo "Heap used after settled full GCs (System.gc() until two readings differ by < 64 KiB), with the"
    echo "filled RouteTable reachable, minus the same before filling; divided by the number of routes. It"
    echo "covers everything the table alone keeps: map nodes and table array, TenantRoute records, UUIDs,"
    echo "host and handle strings (and, without interning, each route's cell id, URL and status copies)."
    echo
    echo "| variant | routes | retained heap | bytes per route |"
    echo "|---|---:|---:|---:|"
    sed -n 's/^MEMORY variant=\([a-z]*\) routes=\([0-9]*\) bytes=\(-\{0,1\}[0-9]*\) perRoute=\(.*\)$/\1 \2 \3 \4/p' "$memory_log" \
      | while read -r variant n bytes per; do
          case "$variant" in
            interned) label="cell id, cell URL, status shared per cell (interned)" ;;
            copies) label="every string its own copy (what RouteFeed's Jackson decoding produces today)" ;;
            *) label="$variant" ;;
          esac
          printf '| %s | %s | %s MiB | %s |\n' "$label" "$(printf "%'d" "$n")" \
            "$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')" "$per"
        done
    echo
    echo "JVM of the memory run: $(grep -m1 '^JVM:' "$memory_log" | sed 's/^JVM: //')"
  else
    echo "Not measured (--no-memory)."
  fi
} >"$out.tmp"
mv -f "$out.tmp" "$out"
log "wrote ${out#"$REPO_ROOT"/}"
cat "$out"
