package io.github.sparsestruct.corenlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import edu.stanford.nlp.pipeline.Annotation;
import edu.stanford.nlp.pipeline.AnnotationOutputter;
import edu.stanford.nlp.pipeline.JSONOutputter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;

/**
 * CoreNLP's JSON output plus the alternatives: the object {@link JSONOutputter} writes, with a top-level
 * {@code "sparsestruct"} field holding the alternatives document ({@code docs/alternatives-json.md}). Use it with
 * {@code outputFormat = custom} and {@code customOutputter = io.github.sparsestruct.corenlp.SparseStructJsonOutputter}
 * (command line, properties file, or the server's request properties). Honours {@code output.prettyPrint} (CoreNLP's
 * key, default true) and {@code encoding}.
 */
public class SparseStructJsonOutputter extends AnnotationOutputter {
    /** The top-level field holding the alternatives. */
    public static final String FIELD = "sparsestruct";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The outputter (CoreNLP creates it by reflection). */
    public SparseStructJsonOutputter() {
        super();
    }

    /** The combined JSON object of an annotated document. */
    public static ObjectNode json(Annotation doc, Options options) throws IOException {
        ByteArrayOutputStream core = new ByteArrayOutputStream();
        new JSONOutputter().print(doc, core, options);
        Charset cs = Charset.forName(options.encoding);
        JsonNode parsed = MAPPER.readTree(core.toString(cs));
        ObjectNode out = parsed instanceof ObjectNode o ? o : MAPPER.createObjectNode();
        out.set(FIELD, SparseStructCore.alternatives(doc));
        return out;
    }

    @Override
    public void print(Annotation doc, OutputStream target, Options options) throws IOException {
        ObjectNode out = json(doc, options);
        String s = options.pretty ? MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(out)
                : MAPPER.writeValueAsString(out);
        target.write(s.getBytes(Charset.forName(options.encoding)));
        target.write('\n');
        target.flush();
    }
}
