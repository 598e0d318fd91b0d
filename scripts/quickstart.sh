#!/usr/bin/env bash
# Builds the project and trains the quick-start model (gpt-micro on the three demo pretraining domains) on
# embedded Spark. The run directory is out/quickstart (metrics.jsonl, plots/loss.png, checkpoints/, model/).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
DATAFLEX_REBUILD=1 scripts/dataflex train conf/examples/static/pt.yaml overwrite_output_dir=true "$@"
