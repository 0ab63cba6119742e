package io.github.sparsestruct.uima;

import de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import de.tudarmstadt.ukp.dkpro.core.api.syntax.type.dependency.Dependency;
import io.github.sparsestruct.type.AnalysisMetadata;
import io.github.sparsestruct.type.ArcCandidate;
import io.github.sparsestruct.type.EntityAnalysis;
import io.github.sparsestruct.type.EntityCandidate;
import io.github.sparsestruct.type.EntityMention;
import io.github.sparsestruct.type.TagDistribution;
import io.github.sparsestruct.type.TreeAnalysis;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;
import org.apache.uima.jcas.cas.TOP;

/**
 * Removes what an earlier SparseStruct run wrote into a CAS, so that annotating an annotated document (an XMI written
 * by {@code annotate}, say) replaces its alternatives instead of adding a second set beside them. For each task it
 * removes our types of that task, the {@link AnalysisMetadata} of that task, and the DKPro annotations of the best
 * analysis that our run wrote: the {@link NamedEntity}s that equal an entity of a rank-1 {@link EntityAnalysis}, and
 * the {@link Dependency}s that equal an arc of a rank-1 {@link TreeAnalysis}. DKPro annotations from elsewhere (gold
 * entities or trees that match no analysis of ours) are left alone.
 */
final class PreviousOutput {
    private PreviousOutput() {
    }

    /** Removes earlier entity analyses; returns how many {@link EntityAnalysis} there were. */
    static int removeEntities(JCas jcas) {
        List<EntityAnalysis> analyses = new ArrayList<>(JCasUtil.select(jcas, EntityAnalysis.class));
        Set<List<Object>> best = new HashSet<>();
        for (EntityAnalysis a : analyses) {
            if (a.getRank() == 1 && a.getEntities() != null) {
                for (EntityMention m : a.getEntities()) {
                    if (m != null) {
                        best.add(List.of(m.getBegin(), m.getEnd(), String.valueOf(m.getValue())));
                    }
                }
            }
        }
        if (!analyses.isEmpty()) {
            for (NamedEntity ne : new ArrayList<>(JCasUtil.select(jcas, NamedEntity.class))) {
                if (best.remove(List.of(ne.getBegin(), ne.getEnd(), String.valueOf(ne.getValue())))) {
                    ne.removeFromIndexes();
                }
            }
        }
        removeAll(jcas, EntityAnalysis.class);
        removeAll(jcas, EntityCandidate.class);
        removeAll(jcas, TagDistribution.class);
        removeMetadata(jcas, EntityAnalysis.class);
        return analyses.size();
    }

    /** Removes earlier tree analyses; returns how many {@link TreeAnalysis} there were. */
    static int removeTrees(JCas jcas) {
        List<TreeAnalysis> analyses = new ArrayList<>(JCasUtil.select(jcas, TreeAnalysis.class));
        if (!analyses.isEmpty()) {
            Map<Token, List<Dependency>> byDependent = new HashMap<>();
            for (Dependency d : JCasUtil.select(jcas, Dependency.class)) {
                byDependent.computeIfAbsent(d.getDependent(), k -> new ArrayList<>()).add(d);
            }
            for (TreeAnalysis t : analyses) {
                if (t.getRank() != 1 || t.getHeads() == null) {
                    continue;
                }
                List<Token> toks = t.getSentence() != null
                        ? JCasUtil.selectCovered(Token.class, t.getSentence())
                        : JCasUtil.selectCovered(Token.class, t);
                for (int i = 0; i < toks.size() && i < t.getHeads().size(); i++) {
                    Token dep = toks.get(i);
                    Token head = t.getHeads().get(i);
                    Token governor = head == null ? dep : head;
                    String label = t.getLabels() == null || i >= t.getLabels().size() ? null : t.getLabels().get(i);
                    List<Dependency> ds = byDependent.getOrDefault(dep, List.of());
                    for (Dependency d : ds) {
                        if (d.getGovernor() == governor && Objects.equals(d.getDependencyType(), label)) {
                            d.removeFromIndexes();
                            ds.remove(d);
                            break;
                        }
                    }
                }
            }
        }
        removeAll(jcas, TreeAnalysis.class);
        removeAll(jcas, ArcCandidate.class);
        removeMetadata(jcas, TreeAnalysis.class);
        return analyses.size();
    }

    private static <T extends TOP> void removeAll(JCas jcas, Class<T> type) {
        for (T t : new ArrayList<>(JCasUtil.select(jcas, type))) {
            t.removeFromIndexes();
        }
    }

    private static void removeMetadata(JCas jcas, Class<?> analysisType) {
        for (AnalysisMetadata m : new ArrayList<>(JCasUtil.select(jcas, AnalysisMetadata.class))) {
            if (analysisType.getName().equals(m.getAnalysisType())) {
                m.removeFromIndexes();
            }
        }
    }
}
