package io.github.sparsestruct.models.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The JSON schema of alternatives ({@code sparsestruct-alternatives}, version 1; documented in
 * {@code docs/alternatives-json.md}) written by the UIMA JSON writer, the CoreNLP outputter and the CLI alike: one
 * object per document with, per sentence, its tokens (text and UTF-16 character offsets), the weighted NER analyses,
 * candidate entities and tag distribution, and the weighted trees and arc weights. Adapters build
 * {@link Sentence}s from their own annotations and call {@link #document}, so the same tokens and analyses give the
 * same bytes from every adapter.
 */
public final class AlternativesJson {
    /** Schema name. */
    public static final String SCHEMA = "sparsestruct-alternatives";
    /** Schema version. */
    public static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private AlternativesJson() {
    }

    /**
     * A token.
     *
     * @param text  covered text
     * @param begin first UTF-16 offset in the document text
     * @param end   one past the last
     */
    public record Token(String text, int begin, int end) {
    }

    /**
     * A sentence with its analyses (either may be null when the task did not run).
     *
     * @param begin  first character offset
     * @param end    one past the last
     * @param tokens its tokens
     * @param ner    its NER analysis, or null
     * @param parse  its dependency analysis, or null
     */
    public record Sentence(int begin, int end, List<Token> tokens, NerAnalysis ner, ParseAnalysis parse) {
    }

    /** The JSON object of a document. */
    public static ObjectNode document(String id, List<Sentence> sentences) {
        ObjectNode doc = F.objectNode();
        doc.put("schema", SCHEMA);
        doc.put("version", VERSION);
        doc.put("id", id);
        ArrayNode ss = doc.putArray("sentences");
        int index = 0;
        for (Sentence s : sentences) {
            ObjectNode o = ss.addObject();
            o.put("index", index++);
            o.put("begin", s.begin());
            o.put("end", s.end());
            ArrayNode toks = o.putArray("tokens");
            for (Token t : s.tokens()) {
                toks.addObject().put("text", t.text()).put("begin", t.begin()).put("end", t.end());
            }
            if (s.ner() != null) {
                o.set("ner", ner(s.ner(), s.tokens()));
            }
            if (s.parse() != null) {
                o.set("depparse", parse(s.parse()));
            }
        }
        return doc;
    }

    /** The document as one line of JSON. */
    public static String toJson(String id, List<Sentence> sentences) {
        try {
            return MAPPER.writeValueAsString(document(id, sentences));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode ner(NerAnalysis a, List<Token> tokens) {
        ObjectNode o = F.objectNode();
        o.put("decode", a.decode());
        o.put("chunked", a.chunked());
        ArrayNode analyses = o.putArray("analyses");
        for (NerAnalysis.Analysis an : a.analyses()) {
            ObjectNode x = analyses.addObject();
            x.put("rank", an.rank());
            x.put("weight", an.weight());
            ArrayNode tags = x.putArray("tags");
            for (String t : an.tags()) {
                tags.add(t);
            }
            ArrayNode ents = x.putArray("entities");
            for (NerAnalysis.Entity e : an.entities()) {
                ents.add(entity(e, tokens, false));
            }
        }
        ArrayNode cands = o.putArray("candidates");
        for (NerAnalysis.Entity e : a.candidates()) {
            cands.add(entity(e, tokens, true));
        }
        ArrayNode labels = o.putArray("labels");
        a.labels().forEach(labels::add);
        ArrayNode probs = o.putArray("tagProbabilities");
        for (double[] row : a.tagProbabilities()) {
            ArrayNode r = probs.addArray();
            for (double p : row) {
                r.add(p);
            }
        }
        return o;
    }

    private static ObjectNode entity(NerAnalysis.Entity e, List<Token> tokens, boolean weight) {
        ObjectNode x = F.objectNode();
        x.put("start", e.start());
        x.put("end", e.end());
        x.put("type", e.type());
        if (e.end() <= tokens.size()) {
            x.put("begin", tokens.get(e.start()).begin());
            x.put("endChar", tokens.get(e.end() - 1).end());
        }
        if (weight) {
            x.put("weight", e.weight());
        }
        return x;
    }

    private static ObjectNode parse(ParseAnalysis a) {
        ObjectNode o = F.objectNode();
        o.put("decode", a.decode());
        o.put("chunked", a.chunked());
        ArrayNode upos = o.putArray("upos");
        for (String u : a.upos()) {
            upos.add(u);
        }
        ArrayNode trees = o.putArray("trees");
        for (ParseAnalysis.Tree t : a.trees()) {
            ObjectNode x = trees.addObject();
            x.put("rank", t.rank());
            x.put("weight", t.weight());
            ArrayNode h = x.putArray("heads");
            for (int v : t.heads()) {
                h.add(v);
            }
            ArrayNode r = x.putArray("deprels");
            for (String v : t.deprels()) {
                r.add(v);
            }
        }
        ArrayNode arcs = o.putArray("arcs");
        for (ParseAnalysis.Arc arc : a.arcs()) {
            ObjectNode x = arcs.addObject();
            x.put("head", arc.head());
            x.put("dependent", arc.dependent());
            if (arc.deprel() == null) {
                x.putNull("deprel");
            } else {
                x.put("deprel", arc.deprel());
            }
            x.put("weight", arc.weight());
        }
        return o;
    }
}
