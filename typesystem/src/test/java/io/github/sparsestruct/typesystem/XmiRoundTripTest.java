package io.github.sparsestruct.typesystem;

import static io.github.sparsestruct.typesystem.SampleCas.ALIGNMENT_LINKS;
import static io.github.sparsestruct.typesystem.SampleCas.ALIGNMENT_WEIGHTS;
import static io.github.sparsestruct.typesystem.SampleCas.DECODING;
import static io.github.sparsestruct.typesystem.SampleCas.ENTITIES;
import static io.github.sparsestruct.typesystem.SampleCas.ENTITY_WEIGHTS;
import static io.github.sparsestruct.typesystem.SampleCas.SOURCE_TEXT;
import static io.github.sparsestruct.typesystem.SampleCas.TARGET_TEXT;
import static io.github.sparsestruct.typesystem.SampleCas.TARGET_VIEW;
import static io.github.sparsestruct.typesystem.SampleCas.TREE_HEADS;
import static io.github.sparsestruct.typesystem.SampleCas.TREE_LABELS;
import static io.github.sparsestruct.typesystem.SampleCas.TREE_WEIGHTS;
import static org.apache.uima.fit.factory.AnalysisEngineFactory.createEngine;
import static org.apache.uima.fit.util.JCasUtil.select;
import static org.apache.uima.fit.util.JCasUtil.selectSingle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import de.tudarmstadt.ukp.dkpro.core.api.syntax.type.dependency.Dependency;
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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.uima.analysis_engine.AnalysisEngine;
import org.apache.uima.cas.impl.XmiCasDeserializer;
import org.apache.uima.cas.impl.XmiCasSerializer;
import org.apache.uima.cas.impl.XmiSerializationSharedData;
import org.apache.uima.fit.factory.JCasFactory;
import org.apache.uima.jcas.JCas;
import org.apache.uima.jcas.cas.DoubleArray;
import org.apache.uima.jcas.cas.StringArray;
import org.apache.uima.jcas.tcas.Annotation;
import org.assertj.core.groups.Tuple;
import org.dkpro.core.io.xmi.XmiWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

class XmiRoundTripTest {

    /** The two ways we write XMI: UIMA's serializer directly, and DKPro Core's XmiWriter (what pipelines use). */
    enum Writer {
        UIMA_XMI_CAS_SERIALIZER {
            @Override
            InputStream write(JCas jcas, Path dir) throws Exception {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                XmiCasSerializer.serialize(jcas.getCas(), out);
                return new ByteArrayInputStream(out.toByteArray());
            }
        },
        DKPRO_XMI_WRITER {
            @Override
            InputStream write(JCas jcas, Path dir) throws Exception {
                AnalysisEngine writer = createEngine(XmiWriter.class,
                        XmiWriter.PARAM_TARGET_LOCATION, dir.toString(),
                        XmiWriter.PARAM_USE_DOCUMENT_ID, true);
                writer.process(jcas);
                writer.collectionProcessComplete();
                writer.destroy();
                return Files.newInputStream(dir.resolve(SampleCas.DOCUMENT_ID + ".xmi"));
            }
        };

        abstract InputStream write(JCas jcas, Path dir) throws Exception;
    }

    @TempDir
    Path dir;

    private JCas roundTrip(JCas original, Writer writer) throws Exception {
        JCas back = JCasFactory.createJCas();
        try (InputStream in = writer.write(original, dir)) {
            XmiCasDeserializer.deserialize(in, back.getCas());
        }
        return back;
    }

    /**
     * Every feature structure reachable in any view, with all its feature values and its xmi:id, is written again
     * from the read-back CAS: the XMI is a fixed point, up to the order in which unindexed structures are listed.
     */
    @ParameterizedTest
    @EnumSource(Writer.class)
    void rewritingTheReadBackCasGivesTheSameXmi(Writer writer) throws Exception {
        byte[] written;
        try (InputStream in = writer.write(SampleCas.build(), dir)) {
            written = in.readAllBytes();
        }
        JCas back = JCasFactory.createJCas();
        XmiSerializationSharedData ids = new XmiSerializationSharedData();
        XmiCasDeserializer.deserialize(new ByteArrayInputStream(written), back.getCas(), false, ids);
        ByteArrayOutputStream rewritten = new ByteArrayOutputStream();
        XmiCasSerializer.serialize(back.getCas(), back.getTypeSystem(), rewritten, false, ids);

        List<String> elements = xmiElements(written);
        for (String type : List.of("EntityAnalysis", "EntityMention", "EntityCandidate", "TagDistribution",
                "TreeAnalysis", "ArcCandidate", "SentencePair", "WordAlignment", "AlignmentLink", "LinkCandidate",
                "AnalysisMetadata")) {
            assertThat(elements).anyMatch(e -> e.startsWith("{http:///io/github/sparsestruct/type.ecore}" + type + "["));
        }
        assertThat(xmiElements(rewritten.toByteArray())).containsExactlyInAnyOrderElementsOf(elements);
    }

    @ParameterizedTest
    @EnumSource(Writer.class)
    void textsAndCoveredTextsOutsideTheBmpSurvive(Writer writer) throws Exception {
        JCas back = roundTrip(SampleCas.build(), writer);
        JCas target = back.getView(TARGET_VIEW);

        assertThat(back.getDocumentText()).isEqualTo(SOURCE_TEXT).contains("😀", "𝔘");
        assertThat(target.getDocumentText()).isEqualTo(TARGET_TEXT);
        assertThat(select(back, Token.class)).extracting(Annotation::getCoveredText)
                .containsExactly("Ann", "saw", "𝔘lm", "😀");
        assertThat(select(target, Token.class)).extracting(Annotation::getCoveredText)
                .containsExactly("Ann", "sah", "𝔘lm", "😀");
        assertThat(select(back, NamedEntity.class)).extracting(Annotation::getCoveredText, NamedEntity::getValue)
                .containsExactly(Tuple.tuple("Ann", "PER"), Tuple.tuple("𝔘lm", "LOC"));
    }

    @ParameterizedTest
    @EnumSource(Writer.class)
    void entityAnalysesCandidatesAndTagDistributionsSurvive(Writer writer) throws Exception {
        JCas original = SampleCas.build();
        JCas back = roundTrip(original, writer);
        Sentence sentence = selectSingle(back, Sentence.class);

        List<EntityAnalysis> analyses = byRank(select(back, EntityAnalysis.class), EntityAnalysis::getRank);
        assertThat(analyses).hasSize(ENTITY_WEIGHTS.length);
        for (int a = 0; a < analyses.size(); a++) {
            EntityAnalysis analysis = analyses.get(a);
            assertThat(analysis.getWeight()).isEqualTo(ENTITY_WEIGHTS[a]);
            assertThat(analysis.getRank()).isEqualTo(a + 1);
            assertThat(analysis.getDecoding()).isEqualTo(DECODING);
            assertThat(analysis.getSentence()).isSameAs(sentence);
            assertThat(analysis.getCoveredText()).isEqualTo(SOURCE_TEXT);
            List<Tuple> expected = new ArrayList<>();
            for (Object[] entity : ENTITIES[a]) {
                String word = SOURCE_TEXT.split(" ")[(Integer) entity[0]];
                expected.add(Tuple.tuple(word, entity[1], ENTITY_WEIGHTS[a]));
            }
            assertThat(analysis.getEntities()).extracting(Annotation::getCoveredText, EntityMention::getValue,
                    EntityMention::getWeight).containsExactlyElementsOf(expected);
        }
        // mentions live inside analyses only: not indexed, yet serialized because they are referenced
        assertThat(select(back, EntityMention.class)).isEmpty();

        Function<EntityCandidate, Tuple> candidate = c -> Tuple.tuple(c.getBegin(), c.getEnd(), c.getCoveredText(),
                c.getValue(), c.getScore(), c.getInBest());
        assertThat(select(back, EntityCandidate.class)).map(candidate)
                .containsExactlyElementsOf(select(original, EntityCandidate.class).stream().map(candidate).toList())
                .extracting(t -> t.toList().get(2), t -> t.toList().get(3), t -> t.toList().get(5))
                .containsExactlyInAnyOrder(Tuple.tuple("Ann", "PER", true), Tuple.tuple("𝔘lm", "LOC", true),
                        Tuple.tuple("𝔘lm", "ORG", false));

        Function<TagDistribution, Tuple> distribution = d -> Tuple.tuple(d.getCoveredText(), d.getTagset(),
                strings(d.getTags()), doubles(d.getProbabilities()));
        assertThat(select(back, TagDistribution.class)).map(distribution)
                .containsExactlyElementsOf(select(original, TagDistribution.class).stream().map(distribution).toList())
                .element(2).isEqualTo(Tuple.tuple("𝔘lm", SampleCas.TAGSET, List.of("B-LOC", "B-ORG"),
                        List.of(0.7, 0.3)));
    }

    @ParameterizedTest
    @EnumSource(Writer.class)
    void treeAnalysesPointToTheRightHeadTokens(Writer writer) throws Exception {
        JCas original = SampleCas.build();
        JCas back = roundTrip(original, writer);
        Sentence sentence = selectSingle(back, Sentence.class);
        List<Token> tokens = new ArrayList<>(select(back, Token.class));

        List<TreeAnalysis> trees = byRank(select(back, TreeAnalysis.class), TreeAnalysis::getRank);
        assertThat(trees).hasSize(TREE_WEIGHTS.length);
        for (int t = 0; t < trees.size(); t++) {
            TreeAnalysis tree = trees.get(t);
            assertThat(tree.getWeight()).isEqualTo(TREE_WEIGHTS[t]);
            assertThat(tree.getRank()).isEqualTo(t + 1);
            assertThat(tree.getDecoding()).isEqualTo(DECODING);
            assertThat(tree.getSentence()).isSameAs(sentence);
            assertThat(tree.getHeads()).hasSize(tokens.size());
            for (int i = 0; i < tokens.size(); i++) {
                int h = TREE_HEADS[t][i];
                if (h < 0) {
                    assertThat(tree.getHeads(i)).as("tree %d token %d", t, i).isNull();
                } else {
                    assertThat(tree.getHeads(i)).as("tree %d token %d", t, i).isSameAs(tokens.get(h));
                }
            }
            assertThat(strings(tree.getLabels())).containsExactly(TREE_LABELS[t]);
        }

        assertThat(select(back, Dependency.class)).extracting(d -> d.getGovernor().getCoveredText(),
                d -> d.getDependent().getCoveredText(), Dependency::getDependencyType, Dependency::getFlavor)
                .containsExactly(Tuple.tuple("saw", "Ann", "nsubj", "basic"),
                        Tuple.tuple("saw", "saw", "root", "basic"), Tuple.tuple("saw", "𝔘lm", "obj", "basic"),
                        Tuple.tuple("saw", "😀", "discourse", "basic"));

        Function<ArcCandidate, Tuple> arc = a -> Tuple.tuple(a.getGovernor() == null ? -1 : tokens(a).indexOf(
                a.getGovernor()), tokens(a).indexOf(a.getDependent()), a.getDependencyType(), a.getScore(),
                a.getInBest());
        assertThat(select(back, ArcCandidate.class)).map(arc)
                .containsExactlyElementsOf(select(original, ArcCandidate.class).stream().map(arc).toList())
                .contains(Tuple.tuple(-1, 1, "root", 1.0, true), Tuple.tuple(1, 3, "discourse", 0.6, true),
                        Tuple.tuple(2, 3, "dep", 0.4, false));
    }

    @ParameterizedTest
    @EnumSource(Writer.class)
    void wordAlignmentsResolveTokensInTheTargetView(Writer writer) throws Exception {
        JCas original = SampleCas.build();
        JCas back = roundTrip(original, writer);
        JCas target = back.getView(TARGET_VIEW);
        Sentence sentence = selectSingle(back, Sentence.class);
        Sentence targetSentence = selectSingle(target, Sentence.class);
        List<Token> tokens = new ArrayList<>(select(back, Token.class));
        List<Token> targetTokens = new ArrayList<>(select(target, Token.class));

        SentencePair pair = selectSingle(back, SentencePair.class);
        assertThat(pair.getSource()).isSameAs(sentence);
        assertThat(pair.getTarget()).isSameAs(targetSentence);
        assertThat(pair.getTarget().getView().getViewName()).isEqualTo(TARGET_VIEW);
        assertThat(pair.getTarget().getCoveredText()).isEqualTo(TARGET_TEXT);
        assertThat(pair.getLabel()).isEqualTo("translation");

        List<WordAlignment> alignments = byRank(select(back, WordAlignment.class), WordAlignment::getRank);
        assertThat(alignments).hasSize(ALIGNMENT_WEIGHTS.length);
        for (int a = 0; a < alignments.size(); a++) {
            WordAlignment alignment = alignments.get(a);
            assertThat(alignment.getPair()).isSameAs(pair);
            assertThat(alignment.getWeight()).isEqualTo(ALIGNMENT_WEIGHTS[a]);
            assertThat(alignment.getRank()).isEqualTo(a + 1);
            assertThat(alignment.getDecoding()).isEqualTo(DECODING);
            assertThat(alignment.getSourceSentence()).isSameAs(sentence);
            assertThat(alignment.getTargetSentence()).isSameAs(targetSentence);
            assertThat(alignment.getLinks()).hasSize(ALIGNMENT_LINKS[a].length);
            for (int l = 0; l < ALIGNMENT_LINKS[a].length; l++) {
                AlignmentLink link = alignment.getLinks(l);
                assertThat(link.getSource()).isSameAs(tokens.get(ALIGNMENT_LINKS[a][l][0]));
                assertThat(link.getTarget()).isSameAs(targetTokens.get(ALIGNMENT_LINKS[a][l][1]));
                assertThat(link.getTarget().getCoveredText())
                        .isEqualTo(TARGET_TEXT.split(" ")[ALIGNMENT_LINKS[a][l][1]]);
                assertThat(link.getWeight()).isEqualTo(ALIGNMENT_WEIGHTS[a]);
            }
        }

        Function<LinkCandidate, Tuple> candidate = c -> Tuple.tuple(c.getSource().getCoveredText(),
                c.getTarget().getView().getViewName(), c.getTarget().getCoveredText(), c.getScore(), c.getInBest());
        assertThat(select(back, LinkCandidate.class)).map(candidate)
                .containsExactlyElementsOf(select(original, LinkCandidate.class).stream().map(candidate).toList())
                .contains(Tuple.tuple("𝔘lm", TARGET_VIEW, "𝔘lm", 0.8, true),
                        Tuple.tuple("𝔘lm", TARGET_VIEW, "😀", 0.2, false));
        assertThat(select(target, LinkCandidate.class)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Writer.class)
    void analysisMetadataSurvives(Writer writer) throws Exception {
        JCas original = SampleCas.build();
        JCas back = roundTrip(original, writer);

        Function<AnalysisMetadata, Tuple> metadata = m -> Tuple.tuple(m.getCoveredText(), m.getComponent(),
                m.getModel(), m.getAnalysisType(), m.getDecoding(), m.getMaxAlternatives(), m.getMinWeight());
        assertThat(select(back, AnalysisMetadata.class)).map(metadata)
                .containsExactlyElementsOf(select(original, AnalysisMetadata.class).stream().map(metadata).toList())
                .extracting(t -> t.toList().get(3))
                .containsExactlyInAnyOrder(EntityAnalysis.class.getName(), TreeAnalysis.class.getName(),
                        WordAlignment.class.getName());
    }

    @Test
    void weightsOfEachSentencesAlternativesSumToOneAsBuiltAndAfterReading() throws Exception {
        JCas original = SampleCas.build();
        JCas back = roundTrip(original, Writer.UIMA_XMI_CAS_SERIALIZER);

        for (JCas jcas : List.of(original, back)) {
            Sentence sentence = selectSingle(jcas, Sentence.class);
            assertThat(sum(select(jcas, EntityAnalysis.class), a -> a.getSentence() == sentence,
                    EntityAnalysis::getWeight)).isCloseTo(1.0, within(1e-12));
            assertThat(sum(select(jcas, TreeAnalysis.class), a -> a.getSentence() == sentence,
                    TreeAnalysis::getWeight)).isCloseTo(1.0, within(1e-12));
            assertThat(sum(select(jcas, WordAlignment.class), a -> a.getSourceSentence() == sentence,
                    WordAlignment::getWeight)).isCloseTo(1.0, within(1e-12));
        }
        assertThat(weights(back, EntityAnalysis.class, EntityAnalysis::getWeight))
                .isEqualTo(weights(original, EntityAnalysis.class, EntityAnalysis::getWeight));
        assertThat(weights(back, TreeAnalysis.class, TreeAnalysis::getWeight))
                .isEqualTo(weights(original, TreeAnalysis.class, TreeAnalysis::getWeight));
        assertThat(weights(back, WordAlignment.class, WordAlignment::getWeight))
                .isEqualTo(weights(original, WordAlignment.class, WordAlignment::getWeight));
    }

    @Test
    void candidateScoresAreTheWeightsOfTheAnalysesContainingThem() throws Exception {
        JCas back = roundTrip(SampleCas.build(), Writer.UIMA_XMI_CAS_SERIALIZER);

        for (EntityCandidate candidate : select(back, EntityCandidate.class)) {
            double expected = sum(select(back, EntityAnalysis.class), a -> a.getEntities().stream().anyMatch(
                    m -> m.getBegin() == candidate.getBegin() && m.getEnd() == candidate.getEnd()
                            && m.getValue().equals(candidate.getValue())), EntityAnalysis::getWeight);
            assertThat(candidate.getScore()).as(candidate.getCoveredText()).isCloseTo(expected, within(1e-12));
        }
        for (ArcCandidate candidate : select(back, ArcCandidate.class)) {
            int dependent = tokens(candidate).indexOf(candidate.getDependent());
            double expected = sum(select(back, TreeAnalysis.class), t -> t.getHeads(dependent) == candidate
                    .getGovernor() && t.getLabels(dependent).equals(candidate.getDependencyType()),
                    TreeAnalysis::getWeight);
            assertThat(candidate.getScore()).as(candidate.getCoveredText()).isCloseTo(expected, within(1e-12));
        }
    }

    private static <T> List<T> byRank(Collection<T> alternatives, ToIntFunction<T> rank) {
        return alternatives.stream().sorted(Comparator.comparingInt(rank)).toList();
    }

    private static <T> double sum(Collection<T> items, Predicate<T> filter,
            ToDoubleFunction<T> weight) {
        return items.stream().filter(filter).mapToDouble(weight).sum();
    }

    private static <T extends Annotation> List<Double> weights(JCas jcas, Class<T> type, ToDoubleFunction<T> weight) {
        return select(jcas, type).stream().mapToDouble(weight).boxed().toList();
    }

    /** The top-level elements of an XMI document, each as a canonical string; whitespace between elements ignored. */
    private static List<String> xmiElements(byte[] xmi) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Element root = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xmi)).getDocumentElement();
        List<String> elements = new ArrayList<>();
        for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element) {
                elements.add(canonical(element));
            }
        }
        return elements;
    }

    private static String canonical(Element element) {
        StringBuilder out = new StringBuilder("{" + element.getNamespaceURI() + "}" + element.getLocalName());
        NamedNodeMap attributes = element.getAttributes();
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < attributes.getLength(); i++) {
            Node a = attributes.item(i);
            pairs.add("{" + a.getNamespaceURI() + "}" + a.getLocalName() + "=" + a.getNodeValue());
        }
        out.append(pairs.stream().sorted().toList());
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e) {
                out.append('(').append(canonical(e)).append(')');
            } else if (!child.getTextContent().isBlank()) {
                out.append('"').append(child.getTextContent()).append('"');
            }
        }
        return out.toString();
    }

    private static List<Token> tokens(Annotation annotation) {
        return new ArrayList<>(select(annotation.getJCas(), Token.class));
    }

    private static List<String> strings(StringArray array) {
        return array == null ? null : Arrays.asList(array.toArray());
    }

    private static List<Double> doubles(DoubleArray array) {
        return array == null ? null : Arrays.stream(array.toArray()).boxed().toList();
    }
}
