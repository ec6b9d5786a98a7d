# shellcheck shell=bash
# Small helpers shared by the repository's bash scripts. Source it:
#   . "$REPO_ROOT/bin/lib/common.sh"

# Prefix for messages; scripts may override before sourcing.
: "${LOG_PREFIX:=$(basename "$0")}"

log()  { printf '%s: %s\n' "$LOG_PREFIX" "$*" >&2; }
warn() { printf '%s: WARNING: %s\n' "$LOG_PREFIX" "$*" >&2; }
die()  { printf '%s: ERROR: %s\n' "$LOG_PREFIX" "$*" >&2; exit 1; }

# Milliseconds since the epoch (for timings).
now_ms() { date +%s%3N; }

# wait_until TIMEOUT_SECONDS COMMAND [ARGS...]
# Polls COMMAND every 0.1 s until it succeeds (returns 0) or the timeout passes (returns 1).
wait_until() {
  local timeout_s="$1"; shift
  local deadline=$(( $(now_ms) + timeout_s * 1000 ))
  while true; do
    if "$@"; then return 0; fi
    (( $(now_ms) < deadline )) || return 1
    sleep 0.1
  done
}

# pid_alive PID: the process exists (and is not a zombie).
pid_alive() {
  local pid="$1"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  local state
  state="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)"
  [[ "$state" != "Z" ]]
}

# pid_cmdline PID: the process's command line, arguments separated by spaces.
pid_cmdline() {
  tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true
}

# tcp_open HOST PORT: something accepts TCP connections there.
tcp_open() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# port_owner PORT: "pid=N cmd..." of the process listening on PORT (any address), or "" if unknown.
port_owner() {
  local port="$1" line pid
  command -v ss >/dev/null 2>&1 || return 0
  line="$(ss -Hltnp "sport = :$port" 2>/dev/null | head -n1 || true)"
  [[ -n "$line" ]] || return 0
  pid="$(sed -n 's/.*pid=\([0-9]*\).*/\1/p' <<<"$line" | head -n1)"
  if [[ -n "$pid" ]]; then
    printf 'pid=%s (%s)' "$pid" "$(pid_cmdline "$pid" | cut -c1-160 | sed 's/ *$//')"
  else
    printf '%s' "$line"
  fi
}

# port_in_use PORT: something listens on PORT (on any local address).
port_in_use() {
  local port="$1"
  if command -v ss >/dev/null 2>&1; then
    [[ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]]
  else
    tcp_open 127.0.0.1 "$port"
  fi
}

# Runs apt-get update at most once per script run, then installs the given packages.
__APT_UPDATED=0
apt_install() {
  (( EUID == 0 )) || die "need to install: $* (run as root, or install them yourself: apt-get install -y $*)"
  command -v apt-get >/dev/null 2>&1 || die "need to install: $* but apt-get is not available"
  if (( __APT_UPDATED == 0 )); then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || die "apt-get update failed"
    __APT_UPDATED=1
  fi
  log "apt-get install -y $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2 \
    || die "apt-get install $* failed"
}
