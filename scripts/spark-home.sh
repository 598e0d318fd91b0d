#!/usr/bin/env bash
# scripts/spark-home.sh [--spark-only] DIR: makes DIR a minimal SPARK_HOME built from the Maven jars, so Spark's
# local-cluster mode and standalone workers can launch executor JVMs without a Spark distribution. DIR/jars/ holds
# symlinks to every jar of driver/target/classpath.txt and to the project's module jars; with --spark-only, just
# the jars a Spark distribution ships (driver/target/spark-classpath.txt of the -Pdist build), for running the
# assembly jar through scripts/submit.sh without a second copy of the project's classes. Running it again
# refreshes the links (idempotent); it refuses a DIR that is not empty and not one it made.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
marker="DataFlex minimal SPARK_HOME (scripts/spark-home.sh)"

spark_only=""
if [ "${1:-}" = "--spark-only" ]; then spark_only=1; shift; fi
if [ $# -ne 1 ] || [ "$1" = "--help" ] || [ "$1" = "-h" ]; then
  echo "usage: scripts/spark-home.sh [--spark-only] DIR    then: export SPARK_HOME=DIR" >&2
  [ $# -eq 1 ] && exit 0 || exit 2
fi
dir="$1"

if [ -e "$dir" ] && [ -n "$(ls -A "$dir")" ] && ! grep -qsF "$marker" "$dir/RELEASE"; then
  echo "spark-home.sh: $dir is not empty and was not made by this script; choose another directory" >&2
  exit 2
fi

cpfile="$root/driver/target/classpath.txt"
driver_jar="$(ls "$root"/driver/target/dataflex-driver-*.jar 2>/dev/null | grep -v -- '-assembly.jar$' | head -n 1 || true)"
if [ ! -f "$cpfile" ] || [ -z "$driver_jar" ] || [ -n "${DATAFLEX_REBUILD:-}" ]; then
  echo "[spark-home] building (mvn package -DskipTests -pl driver -am) ..." >&2
  (cd "$root" && mvn -B -q -ntp package -DskipTests -pl driver -am) >&2
  driver_jar="$(ls "$root"/driver/target/dataflex-driver-*.jar | grep -v -- '-assembly.jar$' | head -n 1)"
fi

# A module built only to target/classes is linked through its packaged jar (jars/ takes jar files only).
module_jar() {
  local classes="$1" module_target jar
  module_target="$(dirname "$classes")"
  jar="$(ls "$module_target"/*.jar 2>/dev/null | grep -v -E -- '-(assembly|sources|javadoc|tests)\.jar$' | head -n 1 || true)"
  if [ -z "$jar" ]; then
    echo "spark-home.sh: no jar in $module_target for $classes; run: mvn package -DskipTests -pl driver -am" >&2
    exit 2
  fi
  echo "$jar"
}

mkdir -p "$dir/jars" "$dir/conf"
dir="$(cd "$dir" && pwd)"
# Spark's launcher reads $SPARK_HOME/jars only when a RELEASE file marks the directory as a distribution, and it
# needs the Scala version, which bin/load-spark-env.sh exports in a real distribution: without that script the
# launcher looks for launcher/target/scala-2.12 instead (an empty directory is enough).
echo "$marker" > "$dir/RELEASE"
mkdir -p "$dir/launcher/target/scala-2.12"
find "$dir/jars" -maxdepth 1 -type l -delete

count=0
link_jar() {
  local jar="$1" name
  name="$(basename "$jar")"
  # Two artifacts with the same file name (different groups) keep both: the later one gets a numbered name.
  if [ -e "$dir/jars/$name" ] || [ -L "$dir/jars/$name" ]; then
    [ "$(readlink "$dir/jars/$name")" = "$jar" ] && return 0
    name="$count-$name"
  fi
  ln -s "$jar" "$dir/jars/$name"
  count=$((count + 1))
}

if [ -n "$spark_only" ]; then
  cpfile="$root/driver/target/spark-classpath.txt"
  if [ ! -f "$cpfile" ]; then
    echo "[spark-home] building the assembly (mvn -Pdist package -DskipTests -pl driver -am) ..." >&2
    (cd "$root" && mvn -B -q -ntp -Pdist package -DskipTests -pl driver -am) >&2
  fi
  driver_jar=""
fi

# classpath.txt is one line without a trailing newline: read reports EOF, which is expected here.
IFS=':' read -r -a entries < "$cpfile" || true
for entry in "${entries[@]}" "$driver_jar"; do
  [ -n "$entry" ] || continue
  if [ -d "$entry" ]; then entry="$(module_jar "$entry")"; fi
  [ -f "$entry" ] || { echo "spark-home.sh: classpath entry $entry does not exist; rebuild with DATAFLEX_REBUILD=1" >&2; exit 2; }
  link_jar "$entry"
done

# Executors started by workers put conf/ on their classpath: the project's quiet log4j2 settings.
ln -sfn "$root/conf/log4j2.properties" "$dir/conf/log4j2.properties"
echo "[spark-home] $dir: $count jars linked; export SPARK_HOME=$dir" >&2
