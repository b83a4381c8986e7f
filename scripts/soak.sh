#!/usr/bin/env bash
# Soak: the packaged platform killed with SIGKILL at random moments 100 times (or $1) while events
# flow, restarted each time on the same data; then every acknowledged event must be in the tables and
# the speed cache exactly once (KilledManyTimesLosesNothingIT). Takes about 20 s per kill.
set -euo pipefail
cd "$(dirname "$0")/.."
kills="${1:-100}"
./mvnw -B package -DskipTests
./mvnw -B failsafe:integration-test failsafe:verify -Dit.test=KilledManyTimesLosesNothingIT -Dhybridlake.kills="$kills" \
  -Dhybridlake.kills.seed="${SEED:-$RANDOM}"
