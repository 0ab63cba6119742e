#!/usr/bin/env bash
# CoreNLP's own NER + depparse pipeline and our `annotate` on the same text (the EWT dev documents), alternately, each
# in its own JVM pinned to one core, ROUNDS times; prints each run's tokens/s and the ratios ours / CoreNLP with their
# medians, so that a published figure is a ratio measured in one run on one machine (BENCHMARKS.md, "Side by side").
#   benchmarks/scripts/corenlp-side-by-side.sh [ROUNDS (3)] [DECODES ("sparsemap map")]
# Needs CoreNLP's models jar (about 480 MB, GPL): the benchmarks-only profile corenlp-models of benchmarks/corenlp
# fetches it; build first with mvn -q -DskipTests package. CORENLP_ANNOTATORS overrides the CoreNLP pipeline
# (default tokenize,ssplit,pos,lemma,ner,depparse: what its NER and its parser need). CORENLP_OPTS replaces the
# default options, which keep CoreNLP's NER to its statistical CRF taggers, as ours is (no fine-grained TokensRegex
# rules, SUTime or numeric classifiers: with them its NER takes about 12 times as long here); CORENLP_OPTS=" " runs
# CoreNLP's stock settings.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$here"
rounds="${1:-3}"
decodes="${2:-sparsemap map}"
data="${EWT_DEV:-$here/../shared/data/ud-english-ewt/en_ewt-ud-dev.conllu}"
work="${TMPDIR:-/tmp}/sparsestruct-side-by-side"
rm -rf "$work" && mkdir -p "$work"
python3 benchmarks/scripts/ewt-dev-documents.py "$data" "$work/docs" >/dev/null
find "$work/docs" -name '*.txt' | sort > "$work/filelist"
mvn -q -ntp -f benchmarks/corenlp/pom.xml -Pcorenlp-models dependency:build-classpath \
  -Dmdep.outputFile="$work/corenlp.cp" -Dmdep.includeScope=runtime >/dev/null
pin=""
if command -v taskset >/dev/null; then pin="taskset -c 0"; fi
if [[ -z "${OPENBLAS_CORETYPE:-}" ]]; then
  core="$(bin/openblas-coretype 2>/dev/null || true)"
  if [[ -n "$core" ]]; then export OPENBLAS_CORETYPE="$core"; fi
fi
annotators="${CORENLP_ANNOTATORS:-tokenize,ssplit,pos,lemma,ner,depparse}"
echo "CoreNLP: $annotators ${CORENLP_OPTS:--ner.applyFineGrained false -ner.useSUTime false -ner.applyNumericClassifiers false}"
echo "machine: $(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1), $(nproc) CPUs; OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}"
corenlp() {
  rm -rf "$work/corenlp-out"
  # CoreNLP's own timing line: "TOTAL: 12.3 sec. for 25120 tokens at 2042.3 tokens/sec." (after model loading)
  $pin java -Xmx6g -cp "$(cat "$work/corenlp.cp")" edu.stanford.nlp.pipeline.StanfordCoreNLP \
    -annotators "$annotators" -threads 1 ${CORENLP_OPTS:--ner.applyFineGrained false -ner.useSUTime false -ner.applyNumericClassifiers false} -filelist "$work/filelist" -outputFormat json \
    -outputDirectory "$work/corenlp-out" 2>&1 | sed -n 's/.*TOTAL: .* at \([0-9.]*\) tokens\/sec.*/\1/p' | tail -1
}
ours() {
  rm -rf "$work/out"
  # annotate's summary: "annotated ... in 7.6 s (3461 tokens/s, 1 thread)" (after model loading)
  OMP_NUM_THREADS=1 $pin bin/sparsestruct annotate "$work/docs" -o "$work/out" --format json --decode "$1" \
    --threads 1 --no-progress 2>/dev/null | sed -n 's/.*(\([0-9]*\) tokens\/s.*/\1/p'
}
declare -A ratios
for ((r = 1; r <= rounds; r++)); do
  c="$(corenlp)"
  line="round $r: CoreNLP $c tokens/s"
  for d in $decodes; do
    o="$(ours "$d")"
    ratio="$(python3 -c "print(f'{$o / $c:.2f}')")"
    ratios[$d]="${ratios[$d]:-} $ratio"
    line="$line; ours $d $o tokens/s = ${ratio}x"
  done
  echo "$line"
done
for d in $decodes; do
  m="$(python3 -c 'import statistics, sys; print("%.2f" % statistics.median(float(x) for x in sys.argv[1:]))' ${ratios[$d]})"
  echo "median ratio ours ($d) / CoreNLP over $rounds rounds: ${m}x (rounds:${ratios[$d]})"
done
