#!/usr/bin/env bash
# Alternating whole-pipeline `annotate` runs (NER + parser, sparsemap, one pinned core) of the bundled models and of
# the same pipeline with another NER or parser model file, on the EWT dev documents: the A/B check that a new model
# keeps the pipeline's speed. "new" is the bundled model, "old" the file given.
# Usage (from the repository root, after mvn -q -DskipTests package):
#   benchmarks/scripts/model-ab.sh ner|depparse OTHER.zip
# (ORDER="old new" RUNS="4 5 6" to run the other order).
set -euo pipefail
cd "$(dirname "$0")/../.."
task="${1:?usage: model-ab.sh ner|depparse OTHER_MODEL.zip}"
other="${2:?usage: model-ab.sh ner|depparse OTHER_MODEL.zip}"
case "$task" in
  ner) flag=--ner-model ;;
  depparse) flag=--parser-model ;;
  *) echo "model-ab.sh: the task is ner or depparse, not $task" >&2; exit 2 ;;
esac
work="${TMPDIR:-/tmp}/sparsestruct-ab"; rm -rf $work; mkdir -p $work
python3 benchmarks/scripts/ewt-dev-documents.py ../shared/data/ud-english-ewt/en_ewt-ud-dev.conllu $work/docs >/dev/null
for r in ${RUNS:-1 2 3}; do
  for m in ${ORDER:-new old}; do
    if [[ $m == old ]]; then opt="$flag $other"; else opt=""; fi
    OMP_NUM_THREADS=1 taskset -c 0 bin/sparsestruct annotate $work/docs -o $work/out-$m-$r --format json --decode sparsemap --threads 1 --no-progress $opt 2>&1 | grep -E "^annotated" | sed "s/^/$m $r: /"
  done
done
