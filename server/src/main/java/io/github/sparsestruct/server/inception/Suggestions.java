package io.github.sparsestruct.server.inception;

import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import io.github.sparsestruct.type.ArcCandidate;
import io.github.sparsestruct.type.EntityCandidate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.uima.cas.CAS;
import org.apache.uima.cas.Feature;
import org.apache.uima.cas.Type;
import org.apache.uima.cas.text.AnnotationFS;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;

/**
 * The suggestions of a recommender answer: read from the candidates the SparseStruct engines wrote (typed spans and
 * arcs with their marginal weights), then written as annotations of the requested layer with INCEpTION's prediction
 * features: {@code inception_internal_predicted = true}, the label in the feature, the marginal weight in
 * {@code feature_score} and the competing readings in {@code feature_score_explanation}, e.g. {@code ORG 0.81 / LOC
 * 0.19}, where {@code none} is the weight of the readings with no entity on exactly that span (for an arc: with
 * another head that is not a candidate).
 */
final class Suggestions {
    private Suggestions() {
    }

    /** A suggestion to write: span, label, score, explanation; for arcs the governor and dependent tokens. */
    record Suggestion(int begin, int end, String label, double score, String explanation, Token governor,
                      Token dependent) {
    }

    /**
     * One suggestion per typed span of weight ≥ {@code minWeight} that overlaps no annotation the user already has on
     * the layer ({@code existing}: those the decode was constrained to agree with, and any others), with the other
     * types of the same span in its explanation.
     */
    static List<Suggestion> entities(JCas jcas, List<AnnotationFS> existing, double minWeight) {
        Map<List<Integer>, List<EntityCandidate>> bySpan = new LinkedHashMap<>();
        for (EntityCandidate c : JCasUtil.select(jcas, EntityCandidate.class)) {
            bySpan.computeIfAbsent(List.of(c.getBegin(), c.getEnd()), k -> new ArrayList<>()).add(c);
        }
        List<Suggestion> out = new ArrayList<>();
        for (List<EntityCandidate> same : bySpan.values()) {
            same.sort(Comparator.comparingDouble(EntityCandidate::getScore).reversed()
                    .thenComparing(EntityCandidate::getValue));
            StringBuilder why = new StringBuilder();
            double sum = 0;
            for (EntityCandidate c : same) {
                why.append(why.length() == 0 ? "" : " / ").append(c.getValue()).append(' ').append(weight(c.getScore()));
                sum += c.getScore();
            }
            appendNone(why, sum);
            for (EntityCandidate c : same) {
                if (c.getScore() >= minWeight && !overlaps(c.getBegin(), c.getEnd(), existing)) {
                    out.add(new Suggestion(c.getBegin(), c.getEnd(), c.getValue(), c.getScore(), why.toString(), null,
                            null));
                }
            }
        }
        return out;
    }

    /**
     * One suggestion per candidate arc of weight ≥ {@code minWeight} whose dependent has no arc of the user's yet
     * ({@code decided}: the dependents of existing annotations, whose heads the decode was constrained to), with the
     * other heads of the same dependent in its explanation ({@code obl from saw 0.54 / nmod from man 0.46}). A root
     * arc has governor = dependent, as DKPro's {@code ROOT}.
     */
    static List<Suggestion> arcs(JCas jcas, Set<Token> decided, double minWeight) {
        Map<Token, List<ArcCandidate>> byDependent = new LinkedHashMap<>();
        for (ArcCandidate c : JCasUtil.select(jcas, ArcCandidate.class)) {
            byDependent.computeIfAbsent(c.getDependent(), k -> new ArrayList<>()).add(c);
        }
        List<Suggestion> out = new ArrayList<>();
        for (Map.Entry<Token, List<ArcCandidate>> e : byDependent.entrySet()) {
            Token dep = e.getKey();
            if (dep == null || decided.contains(dep)) {
                continue;
            }
            List<ArcCandidate> same = e.getValue();
            same.sort(Comparator.comparingDouble(ArcCandidate::getScore).reversed()
                    .thenComparingInt(c -> c.getGovernor() == null ? -1 : c.getGovernor().getBegin()));
            StringBuilder why = new StringBuilder();
            double sum = 0;
            for (ArcCandidate c : same) {
                why.append(why.length() == 0 ? "" : " / ").append(reading(c)).append(' ').append(weight(c.getScore()));
                sum += c.getScore();
            }
            appendNone(why, sum);
            for (ArcCandidate c : same) {
                if (c.getScore() >= minWeight) {
                    Token gov = c.getGovernor() == null ? dep : c.getGovernor();
                    out.add(new Suggestion(dep.getBegin(), dep.getEnd(), c.getDependencyType(), c.getScore(),
                            why.toString(), gov, dep));
                }
            }
        }
        return out;
    }

    /** Writes the suggestions as annotations of {@code layer} (relations: with {@code Governor} / {@code Dependent}). */
    static void write(CAS cas, Type layer, String feature, List<Suggestion> suggestions) {
        Feature label = layer.getFeatureByBaseName(feature);
        Feature predicted = layer.getFeatureByBaseName(RecommenderCas.PREDICTED);
        Feature score = layer.getFeatureByBaseName(feature + RecommenderCas.SCORE);
        Feature explanation = layer.getFeatureByBaseName(feature + RecommenderCas.EXPLANATION);
        Feature governor = layer.getFeatureByBaseName("Governor");
        Feature dependent = layer.getFeatureByBaseName("Dependent");
        for (Suggestion s : suggestions) {
            AnnotationFS a = cas.createAnnotation(layer, s.begin(), s.end());
            if (s.label() != null) {
                a.setStringValue(label, s.label());
            }
            a.setBooleanValue(predicted, true);
            a.setDoubleValue(score, s.score());
            a.setStringValue(explanation, s.explanation());
            if (s.dependent() != null) {
                a.setFeatureValue(governor, s.governor());
                a.setFeatureValue(dependent, s.dependent());
            }
            cas.addFsToIndexes(a);
        }
    }

    private static String reading(ArcCandidate c) {
        String rel = c.getDependencyType() == null ? "?" : c.getDependencyType();
        return c.getGovernor() == null ? rel + " (root)" : rel + " from " + c.getGovernor().getCoveredText();
    }

    private static void appendNone(StringBuilder why, double sum) {
        double rest = 1 - sum;
        if (rest >= 0.005) {
            why.append(" / none ").append(weight(rest));
        }
    }

    private static String weight(double w) {
        return String.format(Locale.ROOT, "%.2f", w);
    }

    private static boolean overlaps(int b, int e, List<AnnotationFS> existing) {
        for (AnnotationFS a : existing) {
            if (a.getBegin() < e && b < a.getEnd()) {
                return true;
            }
        }
        return false;
    }
}
