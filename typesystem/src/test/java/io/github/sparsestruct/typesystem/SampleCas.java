package io.github.sparsestruct.typesystem;

import static org.apache.uima.fit.util.JCasUtil.select;

import de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData;
import de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import de.tudarmstadt.ukp.dkpro.core.api.syntax.type.dependency.Dependency;
import de.tudarmstadt.ukp.dkpro.core.api.syntax.type.dependency.DependencyFlavor;
import de.tudarmstadt.ukp.dkpro.core.api.syntax.type.dependency.ROOT;
import io.github.sparsestruct.type.AlignmentLink;
import io.github.sparsestruct.type.AnalysisMetadata;
import io.github.sparsestruct.type.ArcCandidate;
import io.github.sparsestruct.type.EntityAnalysis;
import io.github.sparsestruct.type.EntityCandidate;
import io.github.sparsestruct.type.EntityMention;
import io.github.sparsestruct.type.LinkCandidate;
import io.github.sparsestruct.type.SentencePair;
import io.github.sparsestruct.type.TagDistribution;
import io.github.sparsestruct.type.TreeAnalysis;
import io.github.sparsestruct.type.WordAlignment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.uima.UIMAException;
import org.apache.uima.fit.factory.JCasFactory;
import org.apache.uima.jcas.JCas;
import org.apache.uima.jcas.cas.DoubleArray;
import org.apache.uima.jcas.cas.FSArray;
import org.apache.uima.jcas.cas.StringArray;

/**
 * A tiny two-view CAS holding every SparseStruct type next to the DKPro Core types they complement: one source
 * sentence with two entity analyses, two dependency trees and per-token tag distributions, and its translation in a
 * second view with two word alignments. The texts hold characters outside the Basic Multilingual Plane.
 */
final class SampleCas {

    static final String SOURCE_TEXT = "Ann saw 𝔘lm 😀";
    static final String TARGET_TEXT = "Ann sah 𝔘lm 😀";
    static final String TARGET_VIEW = "target";
    static final String DOCUMENT_ID = "sample";
    static final String DECODING = "sparsemap";

    static final double[] ENTITY_WEIGHTS = {0.7, 0.3};
    /** Per analysis: {token index, entity type}. */
    static final Object[][][] ENTITIES = {{{0, "PER"}, {2, "LOC"}}, {{0, "PER"}, {2, "ORG"}}};

    static final String TAGSET = "ner-bio";
    static final String[][] TAGS = {{"B-PER"}, {"O"}, {"B-LOC", "B-ORG"}, {"O"}};
    static final double[][] TAG_PROBABILITIES = {{1.0}, {1.0}, {0.7, 0.3}, {1.0}};

    static final double[] TREE_WEIGHTS = {0.6, 0.4};
    /** Per tree, the head index of each token; -1 for the root. */
    static final int[][] TREE_HEADS = {{1, -1, 1, 1}, {1, -1, 1, 2}};
    static final String[][] TREE_LABELS = {{"nsubj", "root", "obj", "discourse"}, {"nsubj", "root", "obj", "dep"}};

    static final double[] ALIGNMENT_WEIGHTS = {0.8, 0.2};
    /** Per alignment: {source token index, target token index}. */
    static final int[][][] ALIGNMENT_LINKS = {{{0, 0}, {1, 1}, {2, 2}, {3, 3}}, {{0, 0}, {1, 1}, {2, 3}}};

    private SampleCas() {
    }

    static JCas build() throws UIMAException {
        JCas source = JCasFactory.createJCas();
        source.setDocumentText(SOURCE_TEXT);
        source.setDocumentLanguage("en");
        DocumentMetaData.create(source).setDocumentId(DOCUMENT_ID);
        JCas target = source.createView(TARGET_VIEW);
        target.setDocumentText(TARGET_TEXT);
        target.setDocumentLanguage("de");

        Sentence sentence = segment(source);
        Sentence targetSentence = segment(target);
        List<Token> tokens = new ArrayList<>(select(source, Token.class));
        List<Token> targetTokens = new ArrayList<>(select(target, Token.class));

        addEntities(source, sentence, tokens);
        addTagDistributions(source, tokens);
        addTrees(source, sentence, tokens);
        addAlignments(source, sentence, tokens, targetSentence, targetTokens);
        metadata(source, EntityAnalysis.class.getName());
        metadata(source, TreeAnalysis.class.getName());
        metadata(source, WordAlignment.class.getName());
        return source;
    }

    /** One sentence over the whole text, one token per space-separated word. */
    private static Sentence segment(JCas view) {
        String text = view.getDocumentText();
        Sentence sentence = new Sentence(view, 0, text.length());
        sentence.addToIndexes();
        int begin = 0;
        for (String word : text.split(" ")) {
            new Token(view, begin, begin + word.length()).addToIndexes();
            begin += word.length() + 1;
        }
        return sentence;
    }

    // Arrays are plain uima.cas.FSArray, as uimaFIT and DKPro Core create them (XMI reading gives them the element
    // type the feature declares, e.g. Token[]). Not new FSArray<>(Token.class, jcas, n): in UIMA 3.6.1 that gives the
    // array the type Token itself.

    private static void addEntities(JCas jcas, Sentence sentence, List<Token> tokens) {
        Map<String, EntityCandidate> candidates = new LinkedHashMap<>();
        for (int a = 0; a < ENTITIES.length; a++) {
            double weight = ENTITY_WEIGHTS[a];
            FSArray<EntityMention> mentions = new FSArray<>(jcas, ENTITIES[a].length);
            for (int m = 0; m < ENTITIES[a].length; m++) {
                Token token = tokens.get((Integer) ENTITIES[a][m][0]);
                String value = (String) ENTITIES[a][m][1];
                EntityMention mention = new EntityMention(jcas, token.getBegin(), token.getEnd());
                mention.setValue(value);
                mention.setWeight(weight);
                mentions.set(m, mention);
                if (a == 0) {
                    NamedEntity best = new NamedEntity(jcas, token.getBegin(), token.getEnd());
                    best.setValue(value);
                    best.addToIndexes();
                }
                EntityCandidate candidate = candidates.computeIfAbsent(token.getBegin() + ":" + value, k -> {
                    EntityCandidate c = new EntityCandidate(jcas, token.getBegin(), token.getEnd());
                    c.setValue(value);
                    c.setInBest(false);
                    return c;
                });
                candidate.setScore(candidate.getScore() + weight);
                candidate.setInBest(candidate.getInBest() || a == 0);
            }
            EntityAnalysis analysis = new EntityAnalysis(jcas, sentence.getBegin(), sentence.getEnd());
            analysis.setWeight(weight);
            analysis.setRank(a + 1);
            analysis.setDecoding(DECODING);
            analysis.setEntities(mentions);
            analysis.setSentence(sentence);
            analysis.addToIndexes();
        }
        candidates.values().forEach(EntityCandidate::addToIndexes);
    }

    private static void addTagDistributions(JCas jcas, List<Token> tokens) {
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            TagDistribution distribution = new TagDistribution(jcas, token.getBegin(), token.getEnd());
            distribution.setTagset(TAGSET);
            StringArray tags = new StringArray(jcas, TAGS[i].length);
            tags.copyFromArray(TAGS[i], 0, 0, TAGS[i].length);
            distribution.setTags(tags);
            DoubleArray probabilities = new DoubleArray(jcas, TAG_PROBABILITIES[i].length);
            probabilities.copyFromArray(TAG_PROBABILITIES[i], 0, 0, TAG_PROBABILITIES[i].length);
            distribution.setProbabilities(probabilities);
            distribution.addToIndexes();
        }
    }

    private static void addTrees(JCas jcas, Sentence sentence, List<Token> tokens) {
        Map<String, ArcCandidate> candidates = new LinkedHashMap<>();
        for (int t = 0; t < TREE_HEADS.length; t++) {
            double weight = TREE_WEIGHTS[t];
            FSArray<Token> heads = new FSArray<>(jcas, tokens.size());
            StringArray labels = new StringArray(jcas, tokens.size());
            for (int i = 0; i < tokens.size(); i++) {
                int h = TREE_HEADS[t][i];
                Token dependent = tokens.get(i);
                Token governor = h < 0 ? null : tokens.get(h);
                String label = TREE_LABELS[t][i];
                heads.set(i, governor);
                labels.set(i, label);
                if (t == 0) {
                    // DKPro Core marks the root with a ROOT arc whose governor is the dependent itself
                    Dependency best = h < 0
                            ? new ROOT(jcas, dependent.getBegin(), dependent.getEnd())
                            : new Dependency(jcas, dependent.getBegin(), dependent.getEnd());
                    best.setGovernor(governor == null ? dependent : governor);
                    best.setDependent(dependent);
                    best.setDependencyType(label);
                    best.setFlavor(DependencyFlavor.BASIC);
                    best.addToIndexes();
                }
                boolean inBest = t == 0;
                ArcCandidate candidate = candidates.computeIfAbsent(h + ">" + i + ":" + label, k -> {
                    ArcCandidate c = new ArcCandidate(jcas, dependent.getBegin(), dependent.getEnd());
                    c.setGovernor(governor);
                    c.setDependent(dependent);
                    c.setDependencyType(label);
                    c.setInBest(false);
                    return c;
                });
                candidate.setScore(candidate.getScore() + weight);
                candidate.setInBest(candidate.getInBest() || inBest);
            }
            TreeAnalysis tree = new TreeAnalysis(jcas, sentence.getBegin(), sentence.getEnd());
            tree.setWeight(weight);
            tree.setRank(t + 1);
            tree.setDecoding(DECODING);
            tree.setHeads(heads);
            tree.setLabels(labels);
            tree.setSentence(sentence);
            tree.addToIndexes();
        }
        candidates.values().forEach(ArcCandidate::addToIndexes);
    }

    private static void addAlignments(JCas jcas, Sentence sentence, List<Token> tokens, Sentence targetSentence,
            List<Token> targetTokens) {
        SentencePair pair = new SentencePair(jcas, sentence.getBegin(), sentence.getEnd());
        pair.setSource(sentence);
        pair.setTarget(targetSentence);
        pair.setLabel("translation");
        pair.addToIndexes();
        Map<String, LinkCandidate> candidates = new LinkedHashMap<>();
        for (int a = 0; a < ALIGNMENT_LINKS.length; a++) {
            double weight = ALIGNMENT_WEIGHTS[a];
            FSArray<AlignmentLink> links = new FSArray<>(jcas, ALIGNMENT_LINKS[a].length);
            for (int l = 0; l < ALIGNMENT_LINKS[a].length; l++) {
                Token from = tokens.get(ALIGNMENT_LINKS[a][l][0]);
                Token to = targetTokens.get(ALIGNMENT_LINKS[a][l][1]);
                AlignmentLink link = new AlignmentLink(jcas, from.getBegin(), from.getEnd());
                link.setSource(from);
                link.setTarget(to);
                link.setWeight(weight);
                links.set(l, link);
                boolean inBest = a == 0;
                LinkCandidate candidate = candidates.computeIfAbsent(
                        ALIGNMENT_LINKS[a][l][0] + "-" + ALIGNMENT_LINKS[a][l][1], k -> {
                            LinkCandidate c = new LinkCandidate(jcas, from.getBegin(), from.getEnd());
                            c.setSource(from);
                            c.setTarget(to);
                            c.setInBest(false);
                            return c;
                        });
                candidate.setScore(candidate.getScore() + weight);
                candidate.setInBest(candidate.getInBest() || inBest);
            }
            WordAlignment alignment = new WordAlignment(jcas, sentence.getBegin(), sentence.getEnd());
            alignment.setPair(pair);
            alignment.setWeight(weight);
            alignment.setRank(a + 1);
            alignment.setDecoding(DECODING);
            alignment.setLinks(links);
            alignment.setSourceSentence(sentence);
            alignment.setTargetSentence(targetSentence);
            alignment.addToIndexes();
        }
        candidates.values().forEach(LinkCandidate::addToIndexes);
    }

    private static void metadata(JCas jcas, String analysisType) {
        AnalysisMetadata metadata = new AnalysisMetadata(jcas, 0, jcas.getDocumentText().length());
        metadata.setComponent("io.github.sparsestruct.typesystem.SampleCas");
        metadata.setModel("sample-model 1");
        metadata.setAnalysisType(analysisType);
        metadata.setDecoding(DECODING);
        metadata.setMaxAlternatives(8);
        metadata.setMinWeight(0.01);
        metadata.addToIndexes();
    }
}
