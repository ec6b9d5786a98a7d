#!/usr/bin/env bash
# Provisioning latency on the local platform: create shops through the control plane and time each
# until its storefront answers 200 through the gateway. Starts the platform if it is not running.
#
#   bench/provisioning/run.sh [shops=200] [concurrency=4]
#   bench/provisioning/run.sh --smoke          (5 shops)
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
. "$REPO_ROOT/bin/lib/java.sh"
storefront_require_java 21
cd "$REPO_ROOT"

shops="${1:-200}"
concurrency="${2:-4}"
if [[ "$shops" == "--smoke" ]]; then shops=5; concurrency=2; fi

bin/platform status >/dev/null 2>&1 || bin/platform up
./mvnw -B -q test-compile -DskipTests
"$JAVA_HOME/bin/java" -Djdk.httpclient.allowRestrictedHeaders=host -cp target/test-classes bench.ProvisioningLatency \
  "http://127.0.0.1:${PLATFORM_CONTROL_PORT:-8090}" "http://127.0.0.1:${PLATFORM_GATEWAY_PORT:-8080}" \
  "$(cat .platform/operator-token)" "$shops" "$concurrency" bench/provisioning/results.md
