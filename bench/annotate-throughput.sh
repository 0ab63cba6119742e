#!/usr/bin/env bash
# End-to-end `annotate` throughput on EWT dev text (NER + parsing, JSON output) per decoding mode and thread count,
# with the peak resident memory of each run. Usage: bench/annotate-throughput.sh [DECODES] [THREADS]
# (build first: mvn -q -DskipTests package). Results go into BENCHMARKS.md by hand, with the machine.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${EWT_DEV:-$here/../shared/data/ud-english-ewt/en_ewt-ud-dev.conllu}"
work="${TMPDIR:-/tmp}/sparsestruct-bench"
rm -rf "$work" && mkdir -p "$work"
python3 "$here/bench/ewt-dev-documents.py" "$data" "$work/docs"
for decode in ${1:-map marginals sparsemap}; do
  for threads in ${2:-1 2}; do
    echo "== decode=$decode threads=$threads"
    OMP_NUM_THREADS=1 /usr/bin/time -f "peak RSS %M KB, wall %e s" "$here/bin/sparsestruct" annotate "$work/docs" \
      -o "$work/out-$decode-$threads" --format json --decode "$decode" --threads "$threads" --no-progress
  done
done
