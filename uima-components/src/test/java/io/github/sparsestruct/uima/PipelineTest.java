package io.github.sparsestruct.uima;

import static org.apache.uima.fit.factory.AnalysisEngineFactory.createEngineDescription;
import static org.apache.uima.fit.factory.CollectionReaderFactory.createReaderDescription;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData;
import de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import io.github.sparsestruct.type.EntityAnalysis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.uima.analysis_engine.AnalysisEngineDescription;
import org.apache.uima.collection.CollectionReaderDescription;
import org.apache.uima.fit.pipeline.JCasIterable;
import org.apache.uima.fit.pipeline.SimplePipeline;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;
import org.dkpro.core.io.conll.Conll2003Writer;
import org.dkpro.core.io.conll.ConllUReader;
import org.dkpro.core.io.conll.ConllUWriter;
import org.dkpro.core.io.text.TextReader;
import org.dkpro.core.io.xmi.XmiReader;
import org.dkpro.core.io.xmi.XmiWriter;
import org.dkpro.core.tokit.BreakIteratorSegmenter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real pipelines: DKPro readers, segmenter, our engines, DKPro writers and ours. */
class PipelineTest {
    private static final String[] TEXTS = {
        "Alice visited Paris. Bob Smith works for Acme Corp in New York.",
        "Yesterday Carol met Dan Brown. Globex Inc opened an office in Rome.\n\nThe dog saw a cat.",
        "Initech opened an office in Lyon. Alice met Bob.",
        "Dan Brown visited New York. Carol works for Globex Inc in Paris.",
    };

    @TempDir
    Path dir;

    private Path texts() throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        for (int i = 0; i < TEXTS.length; i++) {
            Files.writeString(in.resolve("doc" + i + ".txt"), TEXTS[i]);
        }
        return in;
    }

    private static CollectionReaderDescription textReader(Path in) throws Exception {
        return createReaderDescription(TextReader.class, TextReader.PARAM_SOURCE_LOCATION, in.toString(),
                TextReader.PARAM_PATTERNS, "*.txt", TextReader.PARAM_LANGUAGE, "en");
    }

    private static AnalysisEngineDescription engines() throws Exception {
        return engines(TestModels.ner());
    }

    private static AnalysisEngineDescription engines(String nerModel) throws Exception {
        return createEngineDescription(
                createEngineDescription(BreakIteratorSegmenter.class),
                createEngineDescription(SparseStructNamedEntityRecognizer.class,
                        SparseStructAnnotatorBase.PARAM_MODEL_LOCATION, nerModel),
                createEngineDescription(SparseStructParser.class,
                        SparseStructAnnotatorBase.PARAM_MODEL_LOCATION, TestModels.parser()));
    }

    private static Map<String, String> read(Path folder, String ext) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path p : s.filter(p -> p.toString().endsWith(ext)).toList()) {
                out.put(folder.relativize(p).toString(), Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Test
    void textReaderSegmenterEnginesAndDkproWritersWork() throws Exception {
        Path in = texts();
        Path out = dir.resolve("out");
        SimplePipeline.runPipeline(textReader(in), engines(TestModels.nerTrained()),
                createEngineDescription(XmiWriter.class, XmiWriter.PARAM_TARGET_LOCATION,
                        out.resolve("xmi").toString()),
                createEngineDescription(ConllUWriter.class, ConllUWriter.PARAM_TARGET_LOCATION,
                        out.resolve("conllu").toString()),
                createEngineDescription(Conll2003Writer.class, Conll2003Writer.PARAM_TARGET_LOCATION,
                        out.resolve("conll2003").toString()),
                createEngineDescription(AlternativesJsonWriter.class, AlternativesJsonWriter.PARAM_TARGET_LOCATION,
                        out.resolve("json").toString()));

        Map<String, String> json = read(out.resolve("json"), ".json");
        assertThat(json).hasSize(TEXTS.length);
        ObjectMapper mapper = new ObjectMapper();
        for (String j : json.values()) {
            JsonNode doc = mapper.readTree(j);
            assertThat(doc.get("schema").asText()).isEqualTo("sparsestruct-alternatives");
            assertThat(doc.get("sentences").size()).isGreaterThan(0);
            for (JsonNode s : doc.get("sentences")) {
                double sum = 0;
                for (JsonNode a : s.get("ner").get("analyses")) {
                    sum += a.get("weight").asDouble();
                }
                assertThat(sum).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
                assertThat(s.get("depparse").get("trees").size()).isGreaterThan(0);
            }
        }

        // CoNLL-U: one line per token, a head and a relation for every word, the UPOS column filled
        Map<String, String> conllu = read(out.resolve("conllu"), ".conllu");
        assertThat(conllu).hasSize(TEXTS.length);
        for (String c : conllu.values()) {
            List<String[]> rows = c.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(l -> l.split("\t")).toList();
            assertThat(rows).isNotEmpty().allSatisfy(r -> {
                assertThat(r).hasSize(10);
                assertThat(r[3]).isNotEqualTo("_");
                assertThat(r[6]).matches("\\d+");
                assertThat(r[7]).isNotEqualTo("_");
            });
            assertThat(rows.stream().filter(r -> r[6].equals("0")).count()).isGreaterThan(0);
        }

        // CoNLL 2003: the named-entity column holds the recognizer's best entities
        Map<String, String> conll03 = read(out.resolve("conll2003"), ".conll");
        assertThat(conll03).hasSize(TEXTS.length);
        long entityTokens = conll03.values().stream().flatMap(String::lines).filter(l -> l.matches(".*[BI]-\\w+$"))
                .count();
        Map<String, String> xmi = read(out.resolve("xmi"), ".xmi");
        assertThat(xmi).hasSize(TEXTS.length);

        // XMI written and read back gives the same alternatives and weights
        Map<String, String> again = new TreeMap<>();
        long namedEntities = 0;
        for (JCas jcas : new JCasIterable(createReaderDescription(XmiReader.class,
                XmiReader.PARAM_SOURCE_LOCATION, out.resolve("xmi").toString(), XmiReader.PARAM_PATTERNS, "*.xmi"))) {
            again.put(DocumentMetaData.get(jcas).getDocumentId() + ".json", AlternativesJsonWriter.toJson(jcas) + "\n");
            namedEntities += JCasUtil.select(jcas, NamedEntity.class).stream()
                    .mapToLong(ne -> JCasUtil.selectCovered(Token.class, ne).size()).sum();
            assertThat(JCasUtil.select(jcas, EntityAnalysis.class)).isNotEmpty();
        }
        assertThat(again).isEqualTo(json);
        assertThat(entityTokens).isEqualTo(namedEntities).isGreaterThan(0);
    }

    @Test
    void conllUReaderEnginesAndConllUWriterWork() throws Exception {
        Path in = Files.createDirectories(dir.resolve("conllu-in"));
        Files.writeString(in.resolve("a.conllu"), """
                # text = Alice visited Paris .
                1\tAlice\t_\tPROPN\t_\t_\t2\tnsubj\t_\t_
                2\tvisited\t_\tVERB\t_\t_\t0\troot\t_\t_
                3\tParis\t_\tPROPN\t_\t_\t2\tobj\t_\t_
                4\t.\t_\tPUNCT\t_\t_\t2\tpunct\t_\t_

                # text = the dog saw a cat .
                1\tthe\t_\tDET\t_\t_\t2\tdet\t_\t_
                2\tdog\t_\tNOUN\t_\t_\t3\tnsubj\t_\t_
                3\tsaw\t_\tVERB\t_\t_\t0\troot\t_\t_
                4\ta\t_\tDET\t_\t_\t5\tdet\t_\t_
                5\tcat\t_\tNOUN\t_\t_\t3\tobj\t_\t_
                6\t.\t_\tPUNCT\t_\t_\t3\tpunct\t_\t_

                """);
        Path out = dir.resolve("conllu-out");
        SimplePipeline.runPipeline(
                createReaderDescription(ConllUReader.class, ConllUReader.PARAM_SOURCE_LOCATION, in.toString(),
                        ConllUReader.PARAM_PATTERNS, "*.conllu", ConllUReader.PARAM_LANGUAGE, "en",
                        ConllUReader.PARAM_READ_DEPENDENCY, false, ConllUReader.PARAM_READ_POS, false,
                        ConllUReader.PARAM_READ_CPOS, false),
                createEngineDescription(SparseStructNamedEntityRecognizer.class,
                        SparseStructAnnotatorBase.PARAM_MODEL_LOCATION, TestModels.ner()),
                createEngineDescription(SparseStructParser.class,
                        SparseStructAnnotatorBase.PARAM_MODEL_LOCATION, TestModels.parser()),
                createEngineDescription(ConllUWriter.class, ConllUWriter.PARAM_TARGET_LOCATION, out.toString(),
                        ConllUWriter.PARAM_STRIP_EXTENSION, true),
                createEngineDescription(AlternativesJsonWriter.class,
                        AlternativesJsonWriter.PARAM_TARGET_LOCATION, out.toString(),
                        AlternativesJsonWriter.PARAM_STRIP_EXTENSION, true));
        String written = Files.readString(out.resolve("a.conllu"));
        List<String[]> rows = written.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> l.split("\t")).toList();
        assertThat(rows).hasSize(10);
        assertThat(rows.stream().map(r -> r[1]).toList())
                .containsExactly("Alice", "visited", "Paris", ".", "the", "dog", "saw", "a", "cat", ".");
        JsonNode doc = new ObjectMapper().readTree(out.resolve("a.json").toFile());
        assertThat(doc.get("sentences")).hasSize(2);
        // the written heads are those of the rank-1 tree
        int row = 0;
        for (JsonNode s : doc.get("sentences")) {
            JsonNode heads = s.get("depparse").get("trees").get(0).get("heads");
            for (JsonNode h : heads) {
                assertThat(rows.get(row++)[6]).isEqualTo(h.asText());
            }
        }
    }

    @Test
    void severalThreadsSharingTheModelsGiveExactlyTheOutputOfOneThread() throws Exception {
        Path in = texts();
        Path one = dir.resolve("one");
        SimplePipeline.runPipeline(textReader(in), engines(), createEngineDescription(AlternativesJsonWriter.class,
                AlternativesJsonWriter.PARAM_TARGET_LOCATION, one.toString()));
        Map<String, String> expected = read(one, ".json");

        int threads = 3;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Map<String, String>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Path target = dir.resolve("thread" + t);
                results.add(pool.submit(() -> {
                    SimplePipeline.runPipeline(textReader(in), engines(),
                            createEngineDescription(AlternativesJsonWriter.class,
                                    AlternativesJsonWriter.PARAM_TARGET_LOCATION, target.toString()));
                    return read(target, ".json");
                }));
            }
            for (Future<Map<String, String>> f : results) {
                assertThat(f.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdown();
        }
    }
}
