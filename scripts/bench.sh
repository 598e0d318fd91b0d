#!/usr/bin/env bash
# Training throughput: the bare training step (executors' StepBenchmark, no Spark) against the same model trained
# through the Spark round path (scripts/dataflex train), side by side in one invocation, per preset.
#   PRESETS="gpt-micro gpt-medium" STEPS=10 BATCH=8 SEQ=256 scripts/bench.sh
# Prints a markdown table and writes it to docs/bench/latest.md.
#   MODE=cluster PRESETS=gpt-micro STEPS=10 BATCH=8 GAS="2 8" scripts/bench.sh
# runs the same training on Spark's local-cluster mode (2 executor JVMs, assembly jar through scripts/submit.sh)
# with 1 replica, 2 allreduce replicas and 2 local_sgd replicas (syncing every SYNC_EVERY steps, default STEPS),
# plus one loss-selection scoring job, and reports tokens/s, the share of each round's wall time spent outside the
# training tasks (job scheduling, data and gradient/parameter transfer), and scoring time per 1k samples.
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
if [ "${MODE:-embedded}" = cluster ]; then
  home="$root/driver/target/bench-spark-home"
  rm -rf "$home"
  scripts/spark-home.sh --spark-only "$home" 2>/dev/null
  record() {  # the steady round's line: the second log record
    sed -n '2p' "$1/metrics.jsonl"
  }
  field() { sed -n "s/.*\"$2\":\([0-9.Ee+-]*\).*/\1/p" <<<"$1"; }
  logged() {  # logged LOG COMMAND...: runs it into LOG; on failure shows the log's end before the work dir goes
    local log="$1"; shift
    if ! "$@" >"$log" 2>&1; then echo "bench: failed: $*" >&2; tail -40 "$log" >&2; exit 1; fi
  }
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  table="| preset | run (local-cluster, 2 executors x 1 core) | tokens/s (steady round) | Spark share of the round |
|---|---|---|---|"
  for preset in $PRESETS; do
   for ga in ${GAS:-2}; do
    for run in "1 none" "2 allreduce" "2 local_sgd"; do
      read -r replicas sync <<<"$run"
      extra=()
      [ "$sync" = local_sgd ] && extra=(sync_every="${SYNC_EVERY:-$STEPS}")
      logged "$work/$preset-$sync.log" env SPARK_HOME="$home" \
        scripts/submit.sh --master 'local-cluster[2,1,4096]' --driver-memory 4g train \
        conf/examples/static/pt.yaml output_dir="$work/$preset-$sync" overwrite_output_dir=true \
        model_name_or_path="preset:$preset" train_step=$((3 * STEPS)) logging_steps="$STEPS" \
        save_steps=$((100 * STEPS)) per_device_train_batch_size="$BATCH" gradient_accumulation_steps="$ga" \
        cutoff_len="$SEQ" eval_strategy=no plot_loss=false sync_mode="$sync" num_replicas="$replicas" \
        "${extra[@]}"
      line=$(record "$work/$preset-$sync")
      table+=$'\n'"$(printf '| %s | %s replica(s), %s, %s x %s x GA %s | %.0f | %.1f%% |' "$preset" "$replicas" \
        "$sync" "$BATCH" "$SEQ" "$ga" "$(field "$line" train_tokens_per_second)" \
        "$(awk -v x="$(field "$line" spark_overhead_share)" 'BEGIN { print 100 * x }')")"
    done
   done
    # one loss selection over the whole pool: a scoring job on both executors
    logged "$work/$preset-score.log" env SPARK_HOME="$home" \
      scripts/submit.sh --master 'local-cluster[2,1,4096]' --driver-memory 4g train \
      conf/examples/select/loss.yaml output_dir="$work/$preset-score" model_name_or_path="preset:$preset" \
      train_step=$((STEPS + 1)) warmup_step="$STEPS" update_step=1 update_times=1 num_train_epochs=1 \
      per_device_train_batch_size="$BATCH" cutoff_len="$SEQ" eval_strategy=no plot_loss=false
    scoring=$(sed -n 's/.*scoring \([0-9.]*\) s (\([0-9.]*\) s per 1k samples).*/\2/p' "$work/$preset-score.log" | head -1)
    table+=$'\n'"| $preset | scoring job, loss of every training block, 2 executors | $scoring s per 1k samples | |"
  done
  echo "$table"
  mkdir -p docs/bench
  { echo "# Latest cluster bench run ($(date -u +%F), $(nproc --all) cores, STEPS=$STEPS)"; echo; echo "$table"; } \
    > docs/bench/latest-cluster.md
  exit 0
fi
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
{ echo "# Latest bench run ($(date -u +%F), $(nproc --all) cores, STEPS=$STEPS)"; echo; echo "$table"; } > docs/bench/latest.md
