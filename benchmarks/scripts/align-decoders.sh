#!/usr/bin/env bash
# The four decodings of a word aligner on MultiMWA-Wiki dev (matching / sequential × map / sparsemap), one evaluate
# run each: all sure links, the non-identical ones, the identical-token LCS baseline and, for a model over a
# pretrained encoder, the ArgMax baseline. Usage (from the repository root, after mvn -q -DskipTests package):
#   benchmarks/scripts/align-decoders.sh [--model FILE | --variant accurate] [PRECISION]
# PRECISION (fp32 or int8) sets -Dsparsestruct.pretrained.precision for a model over a pretrained encoder.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${ALIGN_DEV:-$here/../shared/data/alignment-multimwa-wiki/wiki-dev.tsv}"
which=("${1:---variant}" "${2:-fast}")
prec="${3:-}"
opts="-Xmx4g"
if [[ -n "$prec" ]]; then opts="$opts -Dsparsestruct.pretrained.precision=$prec"; fi
for d in "matching map" "matching sparsemap" "sequential map" "sequential sparsemap"; do
  set -- $d
  echo "=== decoder $1, decode $2"
  OMP_NUM_THREADS=1 SPARSESTRUCT_JAVA_OPTS="$opts" "$here/bin/sparsestruct" evaluate --task align "${which[@]}" \
    --data "$data" --decoder "$1" --decode "$2"
done
