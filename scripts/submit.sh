#!/usr/bin/env bash
# Submits a DataFlex command to Spark with the assembly jar. See usage() or docs/deploy.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

usage() {
  cat <<'EOF'
usage: scripts/submit.sh [spark-submit options] COMMAND [arguments]

Runs org.dataflex.driver.cli.DataflexCli through spark-submit with the assembly jar
(driver/target/dataflex-driver-<version>-assembly.jar, built with -Pdist when missing or older than the sources).
Options before COMMAND go to spark-submit; COMMAND and everything after it go to DataFlex.

  COMMAND   train CONFIG [key=value ...] | eval ... | tokenizer train ... | version

examples:
  scripts/submit.sh --master 'local[2]' version
  scripts/submit.sh --master spark://host:7077 --executor-memory 8g train conf/examples/static/pt.yaml
  scripts/submit.sh --master yarn --num-executors 4 train conf/odm.yaml dataset_dir=hdfs:///data/dataflex

What it adds (your own --conf/--driver-java-options are kept; Spark flags are merged in front of them):
  driver and executors: Spark's Java 17 --add-opens flags (.mvn/jvm.config), -Dai.djl.offline=true,
                        -Dai.djl.pytorch.num_threads=N
  executors:            spark.task.cpus=N, OMP_NUM_THREADS=N, OMP_WAIT_POLICY=passive, glibc malloc settings
  N = DATAFLEX_TASK_CPUS (default 1): one training task per executor JVM, N libtorch threads per task.

environment:
  SPARK_HOME           uses $SPARK_HOME/bin/spark-submit when present; otherwise the SparkSubmit class runs
                       from the Maven jars (driver/target/spark-classpath.txt) and SPARK_HOME, when set (e.g. by
                       scripts/spark-home.sh), is where local-cluster/standalone workers find their jars
  DATAFLEX_TASK_CPUS   cores (and libtorch threads) per task, default 1
  DATAFLEX_JAR         use this assembly jar instead of the one in driver/target
  DATAFLEX_REBUILD     set to rebuild the assembly before submitting
EOF
}

# spark-submit options that take no value; every other option before COMMAND consumes the next argument.
is_flag_option() {
  case "$1" in
    --verbose|-v|--supervise|--version) return 0 ;;
    *) return 1 ;;
  esac
}

submit_args=()
driver_java_opts=""
executor_java_opts=""
driver_memory=""
command_found=""
while [ $# -gt 0 ]; do
  case "$1" in
    --help|-h|help) usage; exit 0 ;;
    train|eval|tokenizer|version) command_found=yes; break ;;
    --*=*) submit_args+=("$1"); shift; continue ;;
    -*) ;;
    *) echo "submit.sh: '$1' is not a DataFlex command (train, eval, tokenizer, version); see --help" >&2; exit 2 ;;
  esac
  if is_flag_option "$1"; then submit_args+=("$1"); shift; continue; fi
  if [ $# -lt 2 ]; then echo "submit.sh: option $1 needs a value" >&2; exit 2; fi
  case "$1" in
    --driver-java-options) driver_java_opts="$2" ;;
    --driver-memory) driver_memory="$2"; submit_args+=("$1" "$2") ;;
    --conf|-c)
      case "$2" in
        spark.executor.extraJavaOptions=*) executor_java_opts="${2#spark.executor.extraJavaOptions=}" ;;
        spark.driver.extraJavaOptions=*) driver_java_opts="$driver_java_opts ${2#spark.driver.extraJavaOptions=}" ;;
        *) submit_args+=("$1" "$2") ;;
      esac ;;
    *) submit_args+=("$1" "$2") ;;
  esac
  shift 2
done
if [ -z "$command_found" ]; then
  echo "submit.sh: no DataFlex command given (train, eval, tokenizer, version)" >&2
  usage >&2
  exit 2
fi

jar="${DATAFLEX_JAR:-}"
if [ -z "$jar" ]; then
  jar="$(ls "$root"/driver/target/dataflex-driver-*-assembly.jar 2>/dev/null | head -n 1 || true)"
  # rebuild when missing, asked for, or older than any source file or pom of the project
  stale=""
  if [ -n "$jar" ] && [ -n "$(find "$root"/pom.xml "$root"/*/pom.xml "$root"/*/src/main -newer "$jar" -type f \
      -print -quit 2>/dev/null)" ]; then
    stale=1
  fi
  if [ -z "$jar" ] || [ -n "$stale" ] || [ ! -f "$root/driver/target/spark-classpath.txt" ] \
      || [ -n "${DATAFLEX_REBUILD:-}" ]; then
    echo "[submit] building the assembly (mvn -Pdist -pl driver -am package -DskipTests) ..." >&2
    (cd "$root" && mvn -B -q -ntp -Pdist -pl driver -am package -DskipTests) >&2
    jar="$(ls "$root"/driver/target/dataflex-driver-*-assembly.jar | head -n 1)"
  fi
fi
[ -f "$jar" ] || { echo "submit.sh: assembly jar $jar not found" >&2; exit 2; }

task_cpus="${DATAFLEX_TASK_CPUS:-1}"
case "$task_cpus" in ''|*[!0-9]*|0) echo "submit.sh: DATAFLEX_TASK_CPUS must be a positive integer, got '$task_cpus'" >&2; exit 2 ;; esac
spark_flags="$(cat "$root/.mvn/jvm.config")"
djl_flags="-Dai.djl.offline=true -Dai.djl.pytorch.num_threads=$task_cpus -Dai.djl.pytorch.num_interop_threads=1"
driver_java_opts="$spark_flags $djl_flags -Djava.awt.headless=true ${driver_java_opts}"
executor_java_opts="$spark_flags $djl_flags ${executor_java_opts}"

# Ours first: a later --conf with the same key (the user's) wins.
defaults=(
  --conf "spark.task.cpus=$task_cpus"
  --conf "spark.executorEnv.OMP_NUM_THREADS=$task_cpus"
  --conf "spark.executorEnv.OMP_WAIT_POLICY=passive"
  --conf "spark.executorEnv.MALLOC_ARENA_MAX=2"
  --conf "spark.executorEnv.MALLOC_TRIM_THRESHOLD_=268435456"
  --conf "spark.executorEnv.MALLOC_MMAP_THRESHOLD_=268435456"
  --conf "spark.yarn.appMasterEnv.OMP_NUM_THREADS=$task_cpus"
  --conf "spark.kubernetes.driverEnv.OMP_NUM_THREADS=$task_cpus"
  --conf "spark.executor.extraJavaOptions=$executor_java_opts"
)
# Client-mode driver (this machine) gets the same environment.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$task_cpus}" OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-passive}"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"

if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
  exec "$SPARK_HOME/bin/spark-submit" "${defaults[@]}" --driver-java-options "$driver_java_opts" \
    ${submit_args[@]+"${submit_args[@]}"} --class org.dataflex.driver.cli.DataflexCli "$jar" "$@"
fi

# No Spark distribution: run SparkSubmit in this JVM from the jars Spark would provide, so the assembly is
# exercised as on a cluster. In client mode this JVM is the driver, so driver options and memory go on its command
# line; they are passed on as well for a driver that runs elsewhere (standalone cluster mode).
cpfile="$root/driver/target/spark-classpath.txt"
[ -f "$cpfile" ] || { echo "submit.sh: $cpfile missing; run: mvn -Pdist -pl driver -am package -DskipTests" >&2; exit 2; }
heap=()
[ -n "$driver_memory" ] && heap=("-Xmx$driver_memory")
log_conf=()
[ -f "$root/conf/log4j2.properties" ] && log_conf=("-Dlog4j2.configurationFile=$root/conf/log4j2.properties")
# shellcheck disable=SC2086
exec java $driver_java_opts ${heap[@]+"${heap[@]}"} ${log_conf[@]+"${log_conf[@]}"} -cp "$(cat "$cpfile")" \
  org.apache.spark.deploy.SparkSubmit "${defaults[@]}" --driver-java-options "$driver_java_opts" \
  ${submit_args[@]+"${submit_args[@]}"} \
  --class org.dataflex.driver.cli.DataflexCli "$jar" "$@"
