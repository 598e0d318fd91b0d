#!/usr/bin/env bash
# Training throughput: the bare training step (executors' StepBenchmark, no Spark) against the same model trained
# through the Spark round path (scripts/dataflex train), side by side in one invocation, per preset.
#   PRESETS="gpt-micro gpt-medium" STEPS=10 BATCH=8 SEQ=256 scripts/bench.sh
# Prints a markdown table and writes it to docs/bench/latest.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
PRESETS="${PRESETS:-gpt-micro}"
STEPS="${STEPS:-10}"
BATCH="${BATCH:-8}"
SEQ="${SEQ:-256}"
export OMP_NUM_THREADS=1 OMP_WAIT_POLICY=passive
export MALLOC_ARENA_MAX=2 MALLOC_TRIM_THRESHOLD_=268435456 MALLOC_MMAP_THRESHOLD_=268435456
scripts/dataflex version >/dev/null   # builds when needed
cp="$root/driver/target/classes:$(cat "$root/driver/target/classpath.txt")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
table="| preset | parameters | batch x seq | bare tokens/s | Spark tokens/s (steady round) | Spark / bare |
|---|---|---|---|---|---|"
for preset in $PRESETS; do
  bare_line=$(java $(cat .mvn/jvm.config) -Xmx8g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 \
    -Dai.djl.pytorch.num_interop_threads=1 -Dlog4j2.configurationFile="$root/conf/log4j2.properties" \
    -cp "$cp" org.dataflex.executors.bench.StepBenchmark "$preset" "$BATCH" "$SEQ" "$STEPS")
  bare=$(sed -n 's/.*tokens_per_s=\([0-9.]*\).*/\1/p' <<<"$bare_line")
  params=$(sed -n 's/.*params=\([0-9]*\).*/\1/p' <<<"$bare_line")
  # three rounds of STEPS steps: the first warms up, the last pulls the state back; the middle one is steady
  scripts/dataflex train conf/examples/static/pt.yaml output_dir="$work/$preset" overwrite_output_dir=true \
    model_name_or_path="preset:$preset" train_step=$((3 * STEPS)) logging_steps="$STEPS" save_steps=$((100 * STEPS)) \
    per_device_train_batch_size="$BATCH" cutoff_len="$SEQ" eval_strategy=no plot_loss=false >/dev/null 2>&1
  spark=$(sed -n '2p' "$work/$preset/metrics.jsonl" | sed -n 's/.*"train_tokens_per_second":\([0-9.Ee+-]*\).*/\1/p')
  ratio=$(awk -v s="$spark" -v b="$bare" 'BEGIN { printf "%.2f", s / b }')
  table+=$'\n'"$(printf '| %s | %s | %s x %s | %.0f | %.0f | %s |' "$preset" "$params" "$BATCH" "$SEQ" "$bare" "$spark" "$ratio")"
done
echo "$table"
mkdir -p docs/bench
{ echo "# Latest bench run ($(date -u +%F), $(nproc) cores, STEPS=$STEPS)"; echo; echo "$table"; } > docs/bench/latest.md
