package io.github.sparsestruct.typesystem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.apache.uima.cas.Feature;
import org.apache.uima.cas.Type;
import org.apache.uima.cas.TypeSystem;
import org.apache.uima.fit.factory.JCasFactory;
import org.apache.uima.fit.factory.TypeSystemDescriptionFactory;
import org.apache.uima.resource.metadata.FeatureDescription;
import org.apache.uima.resource.metadata.TypeDescription;
import org.apache.uima.resource.metadata.TypeSystemDescription;
import org.junit.jupiter.api.Test;

class TypeSystemDiscoveryTest {

    private static final String PACKAGE = "io.github.sparsestruct.type.";
    private static final List<String> OUR_TYPES = List.of("EntityAnalysis", "EntityMention", "EntityCandidate",
            "TagDistribution", "TreeAnalysis", "ArcCandidate", "SentencePair", "WordAlignment", "AlignmentLink",
            "LinkCandidate", "AnalysisMetadata");
    private static final List<String> DKPRO_TYPES = List.of(
            "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence",
            "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token",
            "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity",
            "de.tudarmstadt.ukp.dkpro.core.api.syntax.type.dependency.Dependency",
            "de.tudarmstadt.ukp.dkpro.core.api.lexmorph.type.pos.POS",
            "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData");

    @Test
    void uimaFitDiscoversOurTypesAndDkproTypesThroughTypesTxt() throws Exception {
        TypeSystemDescription description = TypeSystemDescriptionFactory.createTypeSystemDescription();
        description.resolveImports();

        List<String> names = Arrays.stream(description.getTypes()).map(TypeDescription::getName).toList();
        assertThat(names).containsAll(OUR_TYPES.stream().map(PACKAGE::concat).toList()).containsAll(DKPRO_TYPES);
    }

    @Test
    void everyTypeAndFeatureIsDocumentedAndExtendsAnnotationDirectly() throws Exception {
        TypeSystemDescription description = TypeSystemDescriptionFactory.createTypeSystemDescription();
        description.resolveImports();

        List<TypeDescription> ours = Arrays.stream(description.getTypes())
                .filter(t -> t.getName().startsWith(PACKAGE)).toList();
        assertThat(ours).extracting(TypeDescription::getName)
                .containsExactlyInAnyOrderElementsOf(OUR_TYPES.stream().map(PACKAGE::concat).toList());
        for (TypeDescription type : ours) {
            // INCEpTION custom layers must extend uima.tcas.Annotation directly
            assertThat(type.getSupertypeName()).as(type.getName()).isEqualTo("uima.tcas.Annotation");
            assertThat(type.getDescription()).as(type.getName()).isNotBlank();
            assertThat(type.getFeatures()).as(type.getName()).isNotEmpty();
            for (FeatureDescription feature : type.getFeatures()) {
                assertThat(feature.getDescription()).as(type.getName() + ":" + feature.getName()).isNotBlank();
            }
        }
    }

    @Test
    void jcasTypeSystemHasTheDesignedFeatureRanges() throws Exception {
        TypeSystem ts = JCasFactory.createJCas().getTypeSystem();
        String token = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token";
        String sentence = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence";

        assertRange(ts, "EntityAnalysis", "weight", "uima.cas.Double");
        assertRange(ts, "EntityAnalysis", "rank", "uima.cas.Integer");
        assertRange(ts, "EntityAnalysis", "decoding", "uima.cas.String");
        assertRange(ts, "EntityAnalysis", "entities", PACKAGE + "EntityMention[]");
        assertRange(ts, "EntityAnalysis", "sentence", sentence);
        assertRange(ts, "EntityCandidate", "score", "uima.cas.Double");
        assertRange(ts, "EntityCandidate", "inBest", "uima.cas.Boolean");
        assertRange(ts, "TagDistribution", "tags", "uima.cas.StringArray");
        assertRange(ts, "TagDistribution", "probabilities", "uima.cas.DoubleArray");
        assertRange(ts, "TreeAnalysis", "heads", token + "[]");
        assertRange(ts, "TreeAnalysis", "labels", "uima.cas.StringArray");
        assertRange(ts, "ArcCandidate", "governor", token);
        assertRange(ts, "ArcCandidate", "score", "uima.cas.Double");
        assertRange(ts, "SentencePair", "target", sentence);
        assertRange(ts, "WordAlignment", "pair", PACKAGE + "SentencePair");
        assertRange(ts, "WordAlignment", "links", PACKAGE + "AlignmentLink[]");
        assertRange(ts, "AlignmentLink", "target", token);
        assertRange(ts, "LinkCandidate", "score", "uima.cas.Double");
        assertRange(ts, "AnalysisMetadata", "maxAlternatives", "uima.cas.Integer");
        assertRange(ts, "AnalysisMetadata", "minWeight", "uima.cas.Double");
    }

    private static void assertRange(TypeSystem ts, String type, String feature, String range) {
        Type t = ts.getType(PACKAGE + type);
        assertThat(t).as(type).isNotNull();
        Feature f = t.getFeatureByBaseName(feature);
        assertThat(f).as(type + ":" + feature).isNotNull();
        assertThat(f.getRange().getName()).as(type + ":" + feature).isEqualTo(range);
    }
}
