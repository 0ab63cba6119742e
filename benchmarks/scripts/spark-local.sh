#!/usr/bin/env bash
# Documents/s of the Spark runner in local mode, local[1] vs local[2]:
#   benchmarks/scripts/spark-local.sh [INPUT (default examples/documents)] [MASTERS (default "local[1] local[2]")] [SparkAnnotate options...]
# (for instance `--group 1` to run the documents one at a time instead of batching 32 through the models)
# Builds the module's classpath (Spark included) with Maven, then runs SparkAnnotate for each master.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$here"
mvn -q -o -pl spark-runner -am -DskipTests install -Dmaven.install.skip=false >/dev/null 2>&1 || mvn -q -pl spark-runner -am -DskipTests package
mvn -q -o -pl spark-runner dependency:build-classpath -Dmdep.outputFile=/tmp/sparsestruct-spark.cp -Dmdep.includeScope=test
# the launchers' OpenBLAS core type (docs/performance.md), unless set
if [[ -z "${OPENBLAS_CORETYPE:-}" ]]; then
  core="$(bin/openblas-coretype 2>/dev/null || true)"
  if [[ -n "$core" ]]; then export OPENBLAS_CORETYPE="$core"; fi
fi
opens=$(sed -n 's:.*<spark.opens>\(.*\)</spark.opens>.*:\1:p' spark-runner/pom.xml)
for master in ${2:-local[1] local[2]}; do
  out="${TMPDIR:-/tmp}/sparsestruct-spark-out-${master//[^a-z0-9]/_}"
  rm -rf "$out"
  OMP_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE java $opens -Xmx4g \
    -cp "spark-runner/target/classes:$(cat /tmp/sparsestruct-spark.cp)" io.github.sparsestruct.spark.SparkAnnotate \
    --master "$master" --input "${1:-examples/documents}" --output "$out" "${@:3}" 2> /dev/null
done
