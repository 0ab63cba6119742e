#!/usr/bin/env bash
# End-to-end `annotate` throughput on EWT dev text (NER + parsing, JSON output) per decoding mode and thread count,
# with the peak resident memory of each run. Usage: benchmarks/scripts/annotate-throughput.sh [DECODES] [THREADS]
# (build first: mvn -q -DskipTests package). Results go into BENCHMARKS.md by hand, with the machine.
# VARIANT=accurate runs the BERT variant (default fast).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${EWT_DEV:-$here/../shared/data/ud-english-ewt/en_ewt-ud-dev.conllu}"
work="${TMPDIR:-/tmp}/sparsestruct-bench"
rm -rf "$work" && mkdir -p "$work"
python3 "$here/benchmarks/scripts/ewt-dev-documents.py" "$data" "$work/docs"
# REPEAT=3 annotates three copies of the documents (steady state: JIT warm-up amortised)
for ((r = 2; r <= ${REPEAT:-1}; r++)); do
  for f in "$work"/docs/*.txt; do [[ "$(basename "$f")" == copy* ]] || cp "$f" "$work/docs/copy$r-$(basename "$f")"; done
done
for decode in ${1:-map marginals sparsemap}; do
  for threads in ${2:-1 2}; do
    echo "== decode=$decode threads=$threads"
    # one thread runs on one core (taskset), so that nothing, not even the common fork-join pool, uses a second
    pin=""
    if [[ "$threads" == 1 ]] && command -v taskset >/dev/null; then pin="taskset -c 0"; fi
    OMP_NUM_THREADS=1 /usr/bin/time -f "peak RSS %M KB, wall %e s" $pin "$here/bin/sparsestruct" annotate "$work/docs" \
      -o "$work/out-$decode-$threads" --format json --decode "$decode" --threads "$threads" --variant "${VARIANT:-fast}" --no-progress
  done
done
