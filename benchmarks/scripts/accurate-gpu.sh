#!/usr/bin/env bash
# The accurate variant on a GPU: whole `annotate` throughput (NER + parser, sparsemap) on EWT dev text with BERT run
# by ONNX Runtime's CUDA execution provider, against the same run on the CPU, plus AccurateStages' split with the GPU.
# Prepare on a machine that reaches Maven Central (the device machine reaches nothing):
#   mvn -q -Pcuda -DskipTests package            # onnxruntime_gpu instead of onnxruntime
#   bin/sparsestruct evaluate --task ner --variant accurate --data ../shared/data/uner-english-ewt/en_ewt-ud-dev.iob2
#     (converts the weights into the cache once; carry the cache with SPARSESTRUCT_CACHE)
# then run this script where a GPU is lent: benchmarks/scripts/accurate-gpu.sh [DEVICE (default cuda:0)]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
device="${1:-cuda:0}"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
for d in "$device" cpu; do
  echo "== sparsestruct.bert.device=$d"
  SPARSESTRUCT_JAVA_OPTS="-Xmx4g -XX:TieredStopAtLevel=1 -Dsparsestruct.bert.device=$d -Dsparsestruct.bert.threads=4" \
    VARIANT=accurate "$here/benchmarks/scripts/annotate-throughput.sh" sparsemap 1
done
JAVA_TOOL_OPTIONS="-Dsparsestruct.bert.device=$device" "$here/bin/sparsestruct-bench" AccurateStages --sentences 2000
