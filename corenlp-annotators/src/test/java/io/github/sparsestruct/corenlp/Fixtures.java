package io.github.sparsestruct.corenlp;

import edu.stanford.nlp.pipeline.StanfordCoreNLP;
import io.github.sparsestruct.models.testing.TinyModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Tiny real model files (written once per test JVM) and pipelines over them (public for the server tests). */
public final class Fixtures {
    static final long SEED = 17;
    static final int NER_STEPS = 12;
    static final int PARSER_STEPS = 8;
    private static final Path DIR = Path.of("target", "test-models");
    private static Path ner;
    private static Path parser;
    private static Path align;

    private Fixtures() {
    }

    public static synchronized Path nerModel() {
        if (ner == null) {
            ner = write("ner.zip", true);
        }
        return ner;
    }

    public static synchronized Path parserModel() {
        if (parser == null) {
            parser = write("parser.zip", false);
        }
        return parser;
    }

    public static synchronized Path alignModel() {
        if (align == null) {
            try {
                Files.createDirectories(DIR);
                align = TinyModels.writeAlign(DIR.resolve("align.zip").toAbsolutePath(), 8, SEED);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return align;
    }

    private static Path write(String file, boolean isNer) {
        try {
            Files.createDirectories(DIR);
            Path f = DIR.resolve(file).toAbsolutePath();
            return isNer ? TinyModels.writeNer(f, NER_STEPS, SEED) : TinyModels.writeParser(f, PARSER_STEPS, SEED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** tokenize,ssplit + our NER ({@code ssner}) and parser ({@code ssparse}) on the tiny models. */
    static Properties props(String annotators) {
        Properties p = new Properties();
        p.setProperty("annotators", annotators);
        p.setProperty("customAnnotatorClass.ssner", SparseStructNerAnnotator.class.getName());
        p.setProperty("customAnnotatorClass.ssparse", SparseStructParserAnnotator.class.getName());
        p.setProperty("ssner.model", nerModel().toString());
        p.setProperty("ssparse.model", parserModel().toString());
        if (annotators.contains("ssalign")) {
            p.setProperty("customAnnotatorClass.ssalign", SparseStructAlignAnnotator.class.getName());
            p.setProperty("ssalign.model", alignModel().toString());
        }
        return p;
    }

    static StanfordCoreNLP pipeline(String annotators) {
        return new StanfordCoreNLP(props(annotators));
    }

    static StanfordCoreNLP pipeline(Properties p) {
        return new StanfordCoreNLP(p);
    }
}
