#!/usr/bin/env bash
# Builds every module and runs the whole test suite (unit, Spark and end-to-end tests).
set -euo pipefail
cd "$(dirname "$0")/.."
export OMP_NUM_THREADS=1 OMP_WAIT_POLICY=passive SPARK_LOCAL_IP=127.0.0.1
exec mvn -B -ntp verify "$@"
