# shellcheck shell=bash
# Ahead-of-time caches of JDK 25 (Project Leyden: JEP 483, 514, 515), one per node, trained by the
# node's own run on real work and used by its next start. Source it after java.sh ($JAVA):
#
#   aot_prepare DIR APP_DIR     forget the caches in DIR when APP_DIR holds another build
#   aot_opts DIR NODE           print the JVM option for NODE: -XX:AOTCache=DIR/NODE.aot when its
#                               cache exists, else -XX:AOTCacheOutput=DIR/NODE.aot (the JVM records
#                               what the node loads, links and compiles while it runs, and writes
#                               the cache when it exits); nothing when the JVM has no AOT cache
#   aot_training DIR NODE       the node's run is a training run (no cache yet)
#
# A cache belongs to one build: the JVM checks the class path (paths, sizes, times) and ignores a
# cache that does not match, with a warning; aot_prepare removes such caches before that happens.

# aot_supported: the JVM knows -XX:AOTCacheOutput (JDK 25 and newer).
aot_supported() {
  if [[ -z "${__AOT_SUPPORTED:-}" ]]; then
    if "$JAVA" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q ' AOTCacheOutput '; then
      __AOT_SUPPORTED=yes
    else
      __AOT_SUPPORTED=no
    fi
  fi
  [[ "$__AOT_SUPPORTED" == yes ]]
}

# aot_build_id APP_DIR: a fingerprint of the packaged application (launcher and build record).
aot_build_id() {
  cat "$1/quarkus-run.jar" "$1/quarkus/quarkus-application.dat" 2>/dev/null | cksum | cut -d' ' -f1
}

aot_prepare() {
  local dir="$1" app="$2" id
  aot_supported || return 0
  mkdir -p "$dir"
  id="$(aot_build_id "$app")"
  if [[ "$(cat "$dir/build-id" 2>/dev/null)" != "$id" ]]; then
    rm -f "$dir"/*.aot "$dir"/*.aot.config
    printf '%s\n' "$id" >"$dir/build-id"
  fi
}

aot_training() { aot_supported && [[ ! -s "$1/$2.aot" ]]; }

aot_opts() {
  local dir="$1" node="$2"
  aot_supported || return 0
  if [[ -s "$dir/$node.aot" ]]; then
    printf '%s\n' "-XX:AOTCache=$dir/$node.aot"
  else
    printf '%s\n' "-XX:AOTCacheOutput=$dir/$node.aot"
  fi
}
