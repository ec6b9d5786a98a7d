# shellcheck shell=bash
# Java detection shared by the repository's scripts. Source it, do not execute it:
#
#   . "$REPO_ROOT/bin/lib/java.sh"      # exports JAVA_HOME, sets JAVA and JAVA_MAJOR_VERSION
#
# Order: $JAVA_HOME (if it holds bin/java), /usr/lib/jvm/temurin-25-jdk-amd64, `java` on PATH.
# On failure it prints a message to stderr and returns 1 (it never exits the caller's shell).

storefront_find_java() {
  local candidate=""
  if [[ -n "${JAVA_HOME:-}" && -x "${JAVA_HOME}/bin/java" ]]; then
    candidate="$JAVA_HOME"
  elif [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
    candidate=/usr/lib/jvm/temurin-25-jdk-amd64
  elif command -v java >/dev/null 2>&1; then
    local bin
    bin="$(readlink -f "$(command -v java)")"
    candidate="${bin%/bin/java}"
  else
    echo "java.sh: no Java found: set JAVA_HOME, or install a JDK (e.g. apt-get install -y openjdk-17-jdk-headless)" >&2
    return 1
  fi
  if [[ -n "${JAVA_HOME:-}" && "$candidate" != "$JAVA_HOME" ]]; then
    echo "java.sh: JAVA_HOME=$JAVA_HOME has no bin/java; using $candidate" >&2
  fi
  export JAVA_HOME="$candidate"
  JAVA="$JAVA_HOME/bin/java"

  # Major version without starting a JVM: read the JDK's release file, else ask java itself.
  local v=""
  if [[ -r "$JAVA_HOME/release" ]]; then
    v="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$JAVA_HOME/release")"
  fi
  if [[ -z "$v" ]]; then
    v="$("$JAVA" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)"
  fi
  v="${v#1.}"                        # 1.8.0_x -> 8.0_x
  JAVA_MAJOR_VERSION="${v%%[!0-9]*}"
  [[ -n "$JAVA_MAJOR_VERSION" ]] || JAVA_MAJOR_VERSION=0
  export JAVA_MAJOR_VERSION
}

storefront_find_java

# storefront_require_java MAJOR: switch to Temurin 25 if the chosen JDK is older than MAJOR, else fail.
storefront_require_java() {
  local need="$1"
  if (( JAVA_MAJOR_VERSION < need )); then
    if [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
      JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
      storefront_find_java
    else
      echo "java.sh: JDK $need or newer is needed (found $JAVA_MAJOR_VERSION at $JAVA_HOME); set JAVA_HOME" >&2
      return 1
    fi
  fi
}
