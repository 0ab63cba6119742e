package org.example.sparsestruct;

import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.StanfordCoreNLP;
import edu.stanford.nlp.semgraph.SemanticGraphCoreAnnotations;
import edu.stanford.nlp.util.CoreMap;
import io.github.sparsestruct.corenlp.SparseStructAnnotations;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * A CoreNLP pipeline built from a properties file ({@code pipeline.properties} on the class path): tokenize, ssplit
 * and SparseStruct's NER and parser. For each sentence it lists the candidate entities with their marginal weight,
 * the kept trees with their weight, and CoreNLP's own best dependency graph. Usage: {@code CoreNlpPipeline TEXT}.
 */
public final class CoreNlpPipeline {
    private CoreNlpPipeline() {
    }

    /** The pipeline of {@code pipeline.properties}. */
    public static StanfordCoreNLP pipeline() throws IOException {
        Properties props = new Properties();
        try (InputStream in = CoreNlpPipeline.class.getResourceAsStream("/pipeline.properties")) {
            props.load(in);
        }
        return new StanfordCoreNLP(props);
    }

    /** One line per candidate entity ("CANDIDATE text type weight") and per kept tree ("TREE rank weight"). */
    public static List<String> describe(Annotation doc) {
        List<String> out = new ArrayList<>();
        for (CoreMap s : doc.get(CoreAnnotations.SentencesAnnotation.class)) {
            out.add("SENTENCE " + s.get(CoreAnnotations.TextAnnotation.class));
            for (CoreMap c : s.get(SparseStructAnnotations.CandidateEntitiesAnnotation.class)) {
                out.add(String.format(Locale.ROOT, "CANDIDATE\t%s\t%s\t%.3f", c.get(CoreAnnotations.TextAnnotation.class),
                        c.get(CoreAnnotations.NamedEntityTagAnnotation.class),
                        c.get(SparseStructAnnotations.EntityWeightAnnotation.class)));
            }
            for (SparseStructAnnotations.WeightedTree t : s.get(SparseStructAnnotations.DependencyTreesAnnotation.class)) {
                out.add(String.format(Locale.ROOT, "TREE\t%d\t%.3f", t.rank(), t.weight()));
            }
            out.add("BEST " + s.get(SemanticGraphCoreAnnotations.BasicDependenciesAnnotation.class).toCompactString());
            for (CoreLabel tok : s.get(CoreAnnotations.TokensAnnotation.class)) {
                out.add("TOKEN\t" + tok.word() + "\t" + tok.ner() + "\t" + tok.tag());
            }
        }
        return out;
    }

    public static void main(String[] args) throws IOException {
        String text = args.length > 0 ? String.join(" ", args)
                : "Virginia said the University of Virginia will stay open.";
        Annotation doc = new Annotation(text);
        pipeline().annotate(doc);
        describe(doc).forEach(System.out::println);
    }
}
