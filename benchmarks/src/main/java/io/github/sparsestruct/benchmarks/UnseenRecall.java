package io.github.sparsestruct.benchmarks;

import io.github.sparsestruct.models.BundledModels;
import io.github.sparsestruct.models.data.Iob2Reader;
import io.github.sparsestruct.models.data.NerSentence;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.ner.Gazetteer;
import io.github.sparsestruct.models.ner.NerModel;
import io.github.sparsestruct.models.ner.NerPrediction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Entity recall on dev mentions seen / never seen as an entity of their type in train (lower-cased span), per type,
 * and how many of them the model's gazetteer lists under their type (ORG mentions also under BRAND), for each NER
 * model given (MAP decoding):
 * <pre>
 * OMP_NUM_THREADS=1 bin/sparsestruct-bench UnseenRecall TRAIN.iob2 DEV.iob2 MODEL.zip...
 * </pre>
 * (formerly {@code bench/UnseenRecall.java}).
 */
public final class UnseenRecall {
    private UnseenRecall() {
    }

    record Span(int start, int end, String type) {
    }

    static List<Span> spans(String[] tags) {
        List<Span> out = new ArrayList<>();
        for (int i = 0; i < tags.length; i++) {
            if (tags[i].startsWith("B-")) {
                String t = tags[i].substring(2);
                int j = i + 1;
                while (j < tags.length && tags[j].equals("I-" + t)) {
                    j++;
                }
                out.add(new Span(i, j, t));
            }
        }
        return out;
    }

    static String key(String[] forms, Span s) {
        return String.join(" ", Arrays.copyOfRange(forms, s.start(), s.end())).toLowerCase(Locale.ROOT) + "\t"
                + s.type();
    }

    /** {@code TRAIN DEV MODEL...}. */
    public static void main(String[] a) throws Exception {
        if (a.length < 3) {
            System.err.println("usage: UnseenRecall TRAIN.iob2 DEV.iob2 MODEL.zip...");
            System.exit(2);
        }
        Set<String> seen = new HashSet<>();
        for (NerSentence s : Iob2Reader.read(Path.of(a[0]))) {
            for (Span sp : spans(s.tags())) {
                seen.add(key(s.forms(), sp));
            }
        }
        List<NerSentence> dev = Iob2Reader.read(Path.of(a[1]));
        for (int m = 2; m < a.length; m++) {
            NerModel model = BundledModels.ner(Path.of(a[m]));
            Gazetteer g = model.gazetteer();
            List<NerPrediction> preds = model.predict(dev.stream().map(NerSentence::forms).toList(), Decoding.MAP);
            Map<String, int[]> c = new TreeMap<>(); // type/seen -> gold, found, listed, listed&found
            for (int i = 0; i < dev.size(); i++) {
                String[] forms = dev.get(i).forms();
                Set<Span> predicted = new HashSet<>(spans(preds.get(i).tags()));
                for (Span sp : spans(dev.get(i).tags())) {
                    int[] x = c.computeIfAbsent(sp.type() + (seen.contains(key(forms, sp)) ? " seen" : " unseen"),
                            k -> new int[4]);
                    boolean found = predicted.contains(sp);
                    // listed under its own type, or for an ORG mention under BRAND (brand names of companies and
                    // products)
                    int types = g == null ? 0
                            : g.typesOf(String.join(" ", Arrays.copyOfRange(forms, sp.start(), sp.end())));
                    boolean listed = g != null && ((g.types().contains(sp.type())
                            && (types & (1 << g.types().indexOf(sp.type()))) != 0)
                            || (sp.type().equals("ORG") && g.types().contains("BRAND")
                            && (types & (1 << g.types().indexOf("BRAND"))) != 0));
                    x[0]++;
                    x[1] += found ? 1 : 0;
                    x[2] += listed ? 1 : 0;
                    x[3] += listed && found ? 1 : 0;
                }
            }
            System.out.println(a[m]);
            System.out.println("mentions        gold  recall%  listed  recall% of listed");
            c.forEach((k, x) -> System.out.printf(Locale.ROOT, "%-14s %5d  %6.1f  %6d  %6s%n", k, x[0],
                    100.0 * x[1] / x[0], x[2], x[2] == 0 ? "-" : String.format(Locale.ROOT, "%.1f",
                            100.0 * x[3] / x[2])));
        }
    }
}
