#!/usr/bin/env bash
# Gateway throughput and added latency: the storefront's get-product request of one shop, sent
# through the gateway and straight to the shop's cell, with wrk, alternating (direct, gateway,
# direct, gateway) so that drift hits both alike (see README.md beside this script).
#
# Needs an ALREADY RUNNING local platform (`bin/platform up`: gateway 127.0.0.1:8080, control :8090,
# cells :8101/:8102, demo shop demo-coffee with product house-blend). It starts and stops nothing.
#
#   bench/gateway/throughput.sh           2 x (direct, gateway) runs of 15 s at saturation, then the
#                                         same paced below the shop's rate limit (about 2.5 minutes);
#                                         writes bench/gateway/throughput-results.md
#   bench/gateway/throughput.sh --smoke   the same with 2 s runs: proves that everything works; its
#                                         numbers are not results. Writes
#                                         target/bench/gateway/throughput-results-smoke.md
#
# Options:
#   --duration=S       seconds per run (default 15; --smoke: 2)
#   --connections=N    open connections, each one request at a time (default 2)
#   --threads=N        wrk threads (default 2; at most --connections)
#   --rounds=N         (direct, gateway) pairs per phase (default 2)
#   --pause=S          seconds of quiet before each run (default 2; --smoke: 1)
#   --shop=HANDLE      the shop (default demo-coffee); its host is HANDLE.$PLATFORM_DOMAIN
#   --product=HANDLE   the product to get (default house-blend)
#   --paced-rate=R     requests/s of the paced phase, all connections together (default: 80% of the
#                      shop's sustained limit from the gateway's RateLimit-Policy header, else 40)
#   --no-paced         skip the paced phase
#   --out=PATH         where to write the results (default: see above)
#
# Environment: PLATFORM_GATEWAY_PORT (8080), PLATFORM_CONTROL_PORT (8090), PLATFORM_DOMAIN
# (shops.localhost), OPERATOR_TOKEN (default: the file .platform/operator-token). Installs wrk and
# jq from the Debian packages if they are missing (as root). Sends traffic to 127.0.0.1 only (it
# refuses a cell whose registered address is not on the loopback).
set -euo pipefail

SCRIPT_PATH="$(readlink -f "${BASH_SOURCE[0]}")"
REPO_ROOT="$(cd "$(dirname "$SCRIPT_PATH")/../.." && pwd)"
# shellcheck disable=SC2034 # read by common.sh
LOG_PREFIX="bench/gateway"
# shellcheck source=bin/lib/common.sh
. "$REPO_ROOT/bin/lib/common.sh"

LUA="$REPO_ROOT/bench/gateway/host.lua"
WORK_DIR="$REPO_ROOT/target/bench/gateway"
PLATFORM_DIR="$REPO_ROOT/.platform"
GATEWAY_URL="http://127.0.0.1:${PLATFORM_GATEWAY_PORT:-8080}"
CONTROL_URL="http://127.0.0.1:${PLATFORM_CONTROL_PORT:-8090}"
DOMAIN="${PLATFORM_DOMAIN:-shops.localhost}"

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$SCRIPT_PATH"; }

smoke=false paced=true
duration="" connections=2 threads=2 rounds=2 pause="" shop=demo-coffee product=house-blend paced_rate="" out=""
for arg in "$@"; do
  case "$arg" in
    --smoke) smoke=true ;;
    --no-paced) paced=false ;;
    --duration=*) duration="${arg#*=}" ;;
    --connections=*) connections="${arg#*=}" ;;
    --threads=*) threads="${arg#*=}" ;;
    --rounds=*) rounds="${arg#*=}" ;;
    --pause=*) pause="${arg#*=}" ;;
    --shop=*) shop="${arg#*=}" ;;
    --product=*) product="${arg#*=}" ;;
    --paced-rate=*) paced_rate="${arg#*=}" ;;
    --out=*) out="${arg#*=}" ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $arg" ;;
  esac
done
if $smoke; then
  : "${duration:=2}" "${pause:=1}" "${out:=$WORK_DIR/throughput-results-smoke.md}"
else
  : "${duration:=15}" "${pause:=2}" "${out:=$REPO_ROOT/bench/gateway/throughput-results.md}"
fi
for v in duration connections threads rounds; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "--$v=${!v}: want a whole number from 1"
done
[[ "$pause" =~ ^[0-9]+$ ]] || die "--pause=$pause: want a whole number of seconds"
(( duration <= 600 )) || die "--duration=$duration: at most 600 s per run"
(( threads <= connections )) || die "--threads=$threads: wrk needs at least as many connections ($connections)"
[[ -z "$paced_rate" || "$paced_rate" =~ ^[1-9][0-9]*$ ]] || die "--paced-rate=$paced_rate: want a whole number from 1"
[[ "$shop" =~ ^[a-z0-9][a-z0-9-]*$ ]] || die "--shop=$shop: not a shop handle"
[[ "$product" =~ ^[a-z0-9][a-z0-9-]*$ ]] || die "--product=$product: not a product handle"

command -v curl >/dev/null 2>&1 || apt_install curl
command -v jq >/dev/null 2>&1 || apt_install jq
command -v wrk >/dev/null 2>&1 || apt_install wrk
[[ -f "$LUA" ]] || die "missing $LUA"

host="$shop.$DOMAIN"
path="/api/storefront/products/$product"
mkdir -p "$WORK_DIR"

# ------------------------------------------------------------------------------------------------
# the shop, its cell, and a first request each way

token="${OPERATOR_TOKEN:-}"
if [[ -z "$token" ]]; then
  [[ -r "$PLATFORM_DIR/operator-token" ]] \
    || die "no operator token: is the platform running (bin/platform up)? Or set OPERATOR_TOKEN"
  token="$(cat "$PLATFORM_DIR/operator-token")"
fi

# operator_get PATH: the control plane's answer (JSON) to GET PATH, or die.
operator_get() {
  local answer code
  answer="$(curl -sS --max-time 10 -w '\n%{http_code}' -H "Authorization: Bearer $token" "$CONTROL_URL$1")" \
    || die "the control node at $CONTROL_URL does not answer (is the platform running? bin/platform status)"
  code="${answer##*$'\n'}"
  [[ "$code" == 200 ]] || die "GET $CONTROL_URL$1 answered HTTP $code: $(head -c 300 <<<"${answer%$'\n'*}")"
  printf '%s' "${answer%$'\n'*}"
}

tenant="" after=""
for _ in $(seq 1 100); do
  page="$(operator_get "/api/controlplane/tenants?limit=500${after:+&after=$after}")"
  tenant="$(jq -c --arg h "$shop" '.items[] | select(.handle == $h)' <<<"$page")"
  after="$(jq -r '.next // empty' <<<"$page")"
  [[ -z "$tenant" && -n "$after" ]] || break
done
[[ -n "$tenant" ]] || die "the control plane has no shop '$shop' (bin/platform up creates demo-coffee)"
status="$(jq -r '.status' <<<"$tenant")"
cell="$(jq -r '.cellId // empty' <<<"$tenant")"
plan="$(jq -r '.plan // "?"' <<<"$tenant")"
[[ "$status" == active ]] || die "shop $shop is $status, not active"
[[ -n "$cell" ]] || die "shop $shop has no cell"
cell_url="$(operator_get /api/controlplane/cells | jq -r --arg c "$cell" '.[] | select(.id == $c) | .baseUrl')"
cell_url="${cell_url%/}"
[[ -n "$cell_url" ]] || die "the control plane lists no cell '$cell'"
[[ "$cell_url" =~ ^http://(127\.[0-9]+\.[0-9]+\.[0-9]+|localhost|\[::1\])(:[0-9]+)?$ ]] \
  || die "cell $cell is registered at $cell_url, not on the loopback: this script sends load only to this machine"
log "shop $shop (plan $plan) on $cell at $cell_url; host $host; gateway $GATEWAY_URL"

# probe NAME URL: one GET with the shop's Host; sets PROBE_CODE, PROBE_BODY file, PROBE_HEADERS file.
probe() {
  PROBE_BODY="$WORK_DIR/probe-$1.body"
  PROBE_HEADERS="$WORK_DIR/probe-$1.headers"
  PROBE_CODE="$(curl -sS --max-time 10 -o "$PROBE_BODY" -D "$PROBE_HEADERS" -w '%{http_code}' \
    -H "Host: $host" "$2$path" 2>/dev/null || echo 000)"
}
probe direct "$cell_url"
[[ "$PROBE_CODE" == 200 ]] || die "GET $cell_url$path (Host: $host) answered HTTP $PROBE_CODE, not 200: $(head -c 300 "$PROBE_BODY" 2>/dev/null)"
direct_body="$PROBE_BODY"
for attempt in 1 2 3 4 5; do
  probe gateway "$GATEWAY_URL"
  [[ "$PROBE_CODE" == 429 && $attempt -lt 5 ]] || break
  # the shop's rate-limit bucket is empty (an earlier run?): wait as told, at most 5 s
  retry="$(sed -n 's/^[Rr]etry-[Aa]fter:[[:space:]]*\([0-9][0-9]*\).*/\1/p' "$PROBE_HEADERS" | head -n1)"
  retry="${retry:-2}"; (( retry <= 5 )) || retry=5
  log "the gateway answered 429 (shop over its rate limit): retrying in ${retry}s"
  sleep "$retry"
done
[[ "$PROBE_CODE" == 200 ]] || die "GET $GATEWAY_URL$path (Host: $host) answered HTTP $PROBE_CODE, not 200: $(head -c 300 "$PROBE_BODY" 2>/dev/null)"
cmp -s "$direct_body" "$PROBE_BODY" || warn "the gateway's answer differs from the cell's (compare $direct_body and $PROBE_BODY)"
body_bytes="$(wc -c <"$PROBE_BODY" | tr -d ' ')"
policy="$(sed -n 's/^[Rr]ate[Ll]imit-[Pp]olicy:[[:space:]]*\([^[:space:]]*\).*/\1/p' "$PROBE_HEADERS" | head -n1)"
limit_rps="$(sed -n 's/^\([0-9][0-9]*\);.*/\1/p' <<<"$policy")"
if [[ -z "$paced_rate" ]]; then
  if [[ -n "$limit_rps" ]]; then paced_rate=$(( limit_rps * 8 / 10 )); else paced_rate=40; fi
  (( paced_rate >= 1 )) || paced_rate=1
  (( paced_rate <= 200 )) || paced_rate=200
fi
# each connection waits this long after a response: connections * 1000 / rate, rounded up
paced_delay_ms=$(( (connections * 1000 + paced_rate - 1) / paced_rate ))

# ------------------------------------------------------------------------------------------------
# runs

# cpu_ticks: "busy total" jiffies of all CPUs so far
cpu_ticks() { awk '/^cpu / { idle = $5 + $6; total = 0; for (i = 2; i <= NF; i++) total += $i; print total - idle, total; exit }' /proc/stat; }

# latency_ms VALUE: a wrk latency (e.g. 812.00us, 1.20ms, 1.01s, 1.00m) in milliseconds
latency_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; else if (v ~ /m$/) n *= 60000
    printf "%.3f", n
  }'
}

declare -A RPS=() REQS=() NON2XX=() ERRS=() P50=() P90=() P99=() MAXL=() CPU=()
RUN_ORDER=()

# run PHASE ROUND TARGET URL DELAY_MS: one wrk run; parses its output into the arrays above
run() {
  local phase="$1" round="$2" target="$3" url="$4" delay="$5" key file before after
  key="$phase,$target,$round"
  file="$WORK_DIR/wrk-$phase-$round-$target.txt"
  (( pause == 0 )) || sleep "$pause"
  log "$phase run $round/$rounds: $target ($url$path, ${duration}s, $connections connections${delay:+, ${delay} ms between requests})"
  before="$(cpu_ticks)"
  WRK_HOST="$host" WRK_DELAY_MS="$delay" wrk -t"$threads" -c"$connections" -d"${duration}s" --latency --timeout 5s \
    -s "$LUA" "$url$path" >"$file" 2>&1 || { cat "$file" >&2; die "wrk failed ($file)"; }
  after="$(cpu_ticks)"
  RUN_ORDER+=("$key")
  RPS[$key]="$(awk '/^Requests\/sec:/ { print $2 }' "$file")"
  REQS[$key]="$(awk '/ requests in / { print $1 }' "$file")"
  NON2XX[$key]="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$file")"
  NON2XX[$key]="${NON2XX[$key]:-0}"
  ERRS[$key]="$(awk '/Socket errors:/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' "$file")"
  ERRS[$key]="${ERRS[$key]:-0}"
  P50[$key]="$(latency_ms "$(awk '$1 == "50%" { print $2 }' "$file")")"
  P90[$key]="$(latency_ms "$(awk '$1 == "90%" { print $2 }' "$file")")"
  P99[$key]="$(latency_ms "$(awk '$1 == "99%" { print $2 }' "$file")")"
  MAXL[$key]="$(latency_ms "$(awk '$1 == "Latency" && NF >= 4 { print $4; exit }' "$file")")"
  CPU[$key]="$(awk -v b="$before" -v a="$after" 'BEGIN { split(b, x, " "); split(a, y, " ");
    t = y[2] - x[2]; if (t > 0) printf "%.0f", 100 * (y[1] - x[1]) / t; else print "?" }')"
  [[ -n "${RPS[$key]}" && -n "${REQS[$key]}" ]] || { cat "$file" >&2; die "could not read wrk's output ($file)"; }
  log "  ${RPS[$key]} req/s, ${REQS[$key]} requests, ${NON2XX[$key]} not 2xx/3xx, ${ERRS[$key]} socket errors," \
    "p50 ${P50[$key]} ms, p99 ${P99[$key]} ms, CPU ${CPU[$key]}% busy"
}

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
started_at="$(date -u '+%Y-%m-%d %H:%M UTC')"
phases=(saturation)
$paced && phases+=(paced)
for phase in "${phases[@]}"; do
  delay=""
  [[ "$phase" == paced ]] && delay="$paced_delay_ms"
  for round in $(seq 1 "$rounds"); do
    run "$phase" "$round" direct "$cell_url" "$delay"
    run "$phase" "$round" gateway "$GATEWAY_URL" "$delay"
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

# ------------------------------------------------------------------------------------------------
# results

# mean ARRAY PHASE TARGET: the mean over the rounds
mean() {
  local -n values="$1"
  local r sum="0"
  for r in $(seq 1 "$rounds"); do sum="$sum + ${values[$2,$3,$r]}"; done
  awk "BEGIN { printf \"%.3f\", ($sum) / $rounds }"
}
# sum_of ARRAY PHASE TARGET
sum_of() {
  local -n values="$1"
  local r sum=0
  for r in $(seq 1 "$rounds"); do sum=$(( sum + ${values[$2,$3,$r]} )); done
  echo "$sum"
}
fmt() { awk -v v="$1" -v d="${2:-1}" 'BEGIN { printf "%.*f", d, v }'; }

# node_java NODE: "java version (JVM flags)" of a running node of bin/platform, or "unknown"
node_java() {
  local pid exe flags version
  pid="$(cat "$PLATFORM_DIR/$1.pid" 2>/dev/null || true)"
  if ! pid_alive "$pid"; then echo unknown; return; fi
  exe="$(readlink -f "/proc/$pid/exe" 2>/dev/null || true)"
  version="$("$exe" -XshowSettings:properties -version 2>&1 \
    | awk -F' = ' '/java.vm.name/ { n = $2 } /java.runtime.version/ { v = $2 } END { print n " " v }' | sed 's/^ *//')"
  flags="$(tr '\0' '\n' <"/proc/$pid/cmdline" | grep -E '^-X' | tr '\n' ' ' | sed 's/ *$//')"
  echo "${version:-unknown}${flags:+ ($flags)}"
}

commit="$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$REPO_ROOT" status --porcelain 2>/dev/null)" ]]; then commit+=" (with uncommitted changes)"; fi
cpu_model="$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n1)"
mem_gib="$(awk '/^MemTotal:/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)"
wrk_version="$( { wrk -v 2>&1 || true; } | head -n1 | awk '{ print $1, $2 }')"  # wrk -v exits 1
quarkus_version="$(sed -n 's:.*<quarkus.platform.version>\(.*\)</quarkus.platform.version>.*:\1:p' "$REPO_ROOT/pom.xml" | head -n1)"

{
  if $smoke; then
    echo "# Gateway throughput: SMOKE RUN (not a result)"
    echo
    echo "Produced by \`bench/gateway/throughput.sh --smoke\` with ${duration} s runs, to prove that the script works."
    echo "Do not quote these numbers. What is measured: bench/gateway/README.md."
  else
    echo "# Gateway throughput: results"
    echo
    echo "Produced by \`bench/gateway/throughput.sh\` (see [README.md](README.md) for what is measured and how to read it)."
  fi
  echo
  echo "Machine: ${cpu_model:-unknown CPU}, $(nproc) cores, ${mem_gib} GiB memory, $(uname -sm); wrk, the gateway, the cells,"
  echo "PostgreSQL, Redis and Kafka all share these cores  "
  echo "Versions: ${wrk_version}; Quarkus ${quarkus_version:-?}; gateway JVM $(node_java gateway); $cell JVM $(node_java "$cell")  "
  echo "Date: ${started_at}; commit ${commit}  "
  echo "Load average (1/5/15 min) before: ${load_before}; after: ${load_after}  "
  echo "Request: \`GET $path\` with \`Host: $host\` (shop $shop, plan $plan, on $cell; answer $body_bytes bytes)  "
  echo "Direct: $cell_url; gateway: $GATEWAY_URL; gateway rate limit of the shop: ${policy:-unknown} (RateLimit-Policy: requests/s;w=1;burst)  "
  echo "wrk: $threads threads, $connections connections, ${duration} s per run, ${pause} s pause before each, --timeout 5s; order per phase: (direct, gateway) × $rounds"
  for phase in "${phases[@]}"; do
    echo
    if [[ "$phase" == saturation ]]; then
      echo "## Saturation: as fast as $connections connections go (closed loop)"
      echo
      echo "Each connection sends its next request as soon as the previous answer arrives, so req/s is the"
      echo "throughput at concurrency $connections and latency includes queueing. wrk is closed-loop: it slows down"
      echo "when the server does (coordinated omission), so its percentiles understate what open traffic would see."
    else
      echo "## Paced: ${paced_rate} req/s in all, below the shop's limit (latency without saturation)"
      echo
      echo "Each connection waits ${paced_delay_ms} ms after an answer before its next request (wrk's delay(), not part"
      echo "of the measured latency), so the servers are mostly idle and the difference is the gateway's own"
      echo "work: host lookup, rate-limit round trip to Redis, forwarding hop. Still closed-loop, not a constant rate."
    fi
    echo
    echo "CPU busy: both cores over the run, every process on the machine (not only the platform's)."
    echo
    echo "| run | target | requests | req/s | not 2xx/3xx | socket errors | p50 ms | p90 ms | p99 ms | max ms | CPU busy |"
    echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    n=0
    for key in "${RUN_ORDER[@]}"; do
      [[ "$key" == "$phase,"* ]] || continue
      n=$(( n + 1 ))
      IFS=, read -r _ target round <<<"$key"
      printf '| %d | %s (round %s) | %s | %s | %s | %s | %s | %s | %s | %s | %s%% |\n' "$n" "$target" "$round" \
        "${REQS[$key]}" "$(fmt "${RPS[$key]}")" "${NON2XX[$key]}" "${ERRS[$key]}" \
        "$(fmt "${P50[$key]}" 3)" "$(fmt "${P90[$key]}" 3)" "$(fmt "${P99[$key]}" 3)" "$(fmt "${MAXL[$key]}" 1)" "${CPU[$key]}"
    done
    d_rps="$(mean RPS "$phase" direct)"; g_rps="$(mean RPS "$phase" gateway)"
    d_p50="$(mean P50 "$phase" direct)"; g_p50="$(mean P50 "$phase" gateway)"
    d_p99="$(mean P99 "$phase" direct)"; g_p99="$(mean P99 "$phase" gateway)"
    g_reqs="$(sum_of REQS "$phase" gateway)"; g_bad="$(sum_of NON2XX "$phase" gateway)"
    d_reqs="$(sum_of REQS "$phase" direct)"; d_bad="$(sum_of NON2XX "$phase" direct)"
    g_errs="$(sum_of ERRS "$phase" gateway)"; d_errs="$(sum_of ERRS "$phase" direct)"
    echo
    echo "| | direct | gateway | gateway vs direct |"
    echo "|---|---:|---:|---:|"
    printf '| req/s (mean of %d run(s)) | %s | %s | ratio gateway/direct %s |\n' "$rounds" "$(fmt "$d_rps")" "$(fmt "$g_rps")" \
      "$(awk -v g="$g_rps" -v d="$d_rps" 'BEGIN { if (d > 0) printf "%.3f", g / d; else print "–" }')"
    printf '| p50 latency, ms (mean over runs) | %s | %s | added %s |\n' "$(fmt "$d_p50" 3)" "$(fmt "$g_p50" 3)" \
      "$(awk -v g="$g_p50" -v d="$d_p50" 'BEGIN { printf "%+.3f ms", g - d }')"
    printf '| p99 latency, ms (mean over runs) | %s | %s | added %s |\n' "$(fmt "$d_p99" 3)" "$(fmt "$g_p99" 3)" \
      "$(awk -v g="$g_p99" -v d="$d_p99" 'BEGIN { printf "%+.3f ms", g - d }')"
    printf '| answers not 2xx/3xx, socket errors | %s of %s, %s | %s of %s, %s | |\n' \
      "$d_bad" "$d_reqs" "$d_errs" "$g_bad" "$g_reqs" "$g_errs"
    echo
    # a run is only a measurement of the request if (nearly) every answer was the product
    if awk -v b="$g_bad" -v n="$g_reqs" -v e="$g_errs" 'BEGIN { exit !(n == 0 || (b + e) > 0.001 * n) }'; then
      echo "**Not valid: $g_bad of $g_reqs answers through the gateway were not 2xx/3xx and $g_errs requests failed.**"
      if [[ "$phase" == saturation ]]; then
        echo "Most likely 429: the gateway limits shop $shop to ${policy:-the plan limit} (plan $plan), so at saturation"
        echo "this measures the rate limiter's refusals, not forwarding: the req/s ratio and latencies above are"
        echo "not the gateway's cost. Read the paced phase, or use a shop whose limit is above the direct req/s"
        echo "(\`--shop=...\`; on the local platform every shared plan is limited: basic 50/s, pro 200/s, and"
        echo "enterprise needs a dedicated cell)."
      else
        echo "Most likely 429: even paced, the shop went over its limit (${policy:-unknown}); lower \`--paced-rate\`"
        echo "or lengthen \`--pause\` so that the bucket refills after the saturation runs."
      fi
    elif awk -v b="$d_bad" -v n="$d_reqs" -v e="$d_errs" 'BEGIN { exit !(n == 0 || (b + e) > 0.001 * n) }'; then
      echo "**Not valid: $d_bad of $d_reqs direct answers were not 2xx/3xx and $d_errs requests failed** (see the wrk"
      echo "outputs in target/bench/gateway/)."
    else
      echo "Valid: at least 99.9% of the answers each way were 2xx/3xx without socket errors."
    fi
  done
  echo
  echo "Raw wrk outputs: target/bench/gateway/wrk-<phase>-<round>-<target>.txt (not kept in git)."
} >"$out.tmp"
mv -f "$out.tmp" "$out"
log "wrote ${out#"$REPO_ROOT"/}"
cat "$out"
