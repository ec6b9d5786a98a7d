#!/usr/bin/env bash
# Placement simulation: compiles the project and its tests, then places Zipf-loaded tenants on fleets of
# cells with PlacementService, round-robin and random placement (see README.md beside this script).
#
#   bench/placement/run.sh            full run: 2,000,000 tenants on 40..200 cells (about 1.5 minutes on
#                                     2 cores); writes bench/placement/results.md
#   bench/placement/run.sh --smoke    20,000 tenants on 4 cells, a few seconds after compiling; checks
#                                     its own results (exit 1 on a failed check), writes no file (for CI)
#   bench/placement/run.sh --no-compile ...   skip the Maven build (classes already in target/)
#
# Other arguments go to the simulation: --tenants=N --cells=A,B --cap-tenants=N --cap-load=N
# --top-share=F --seed=N --needed-seeds=A,B --out=PATH --no-out (see PlacementSimulation's javadoc).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
# shellcheck disable=SC2034 # read by common.sh
LOG_PREFIX="bench/placement"
# shellcheck source=bin/lib/common.sh
. "$REPO_ROOT/bin/lib/common.sh"
# shellcheck source=bin/lib/java.sh
. "$REPO_ROOT/bin/lib/java.sh"
storefront_require_java 21

compile=true
args=()
for arg in "$@"; do
  if [[ "$arg" == "--no-compile" ]]; then compile=false; else args+=("$arg"); fi
done

cd "$REPO_ROOT"
if $compile; then
  log "compiling with $JAVA_HOME"
  ./mvnw -B -q --no-transfer-progress test-compile -DskipTests
fi
[[ -f target/test-classes/controlplane/internal/placement/PlacementSimulation.class ]] \
  || die "target/test-classes has no PlacementSimulation: run without --no-compile"

exec "$JAVA" -Xmx4g -cp "target/classes:target/test-classes" controlplane.internal.placement.PlacementSimulation \
  ${args[@]+"${args[@]}"}
