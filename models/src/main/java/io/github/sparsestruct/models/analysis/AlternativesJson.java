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

    /**
     * A word alignment between a sentence of this document and a sentence of this or another document.
     *
     * @param sourceSentence index of the source sentence in this document
     * @param targetDocument id of the target sentence's document, or null for this document
     * @param targetSentence index of the target sentence in its document
     * @param sentenceWeight weight of the sentence pair (1 for a given pair; the DTW_Ω weight from a document
     *                       alignment)
     * @param alignment      the word alignment
     */
    public record SentenceAlignment(int sourceSentence, String targetDocument, int targetSentence,
                                    double sentenceWeight, AlignAnalysis alignment) {
    }

    /** The JSON object of a document (no {@code alignments} member). */
    public static ObjectNode document(String id, List<Sentence> sentences) {
        return document(id, sentences, null);
    }

    /** The document as one line of JSON, with an {@code alignments} array when {@code alignments} is not null. */
    public static String toJson(String id, List<Sentence> sentences, List<SentenceAlignment> alignments) {
        return toJson(document(id, sentences, alignments));
    }

    /** A document object of {@link #document} as one line of JSON. */
    public static String toJson(ObjectNode document) {
        try {
            return MAPPER.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON object of a document, with an {@code alignments} array when {@code alignments} is not null. */
    public static ObjectNode document(String id, List<Sentence> sentences, List<SentenceAlignment> alignments) {
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
        List<Uncertainty> ner = sentences.stream().map(x -> x.ner() == null ? null : x.ner().uncertainty()).toList();
        List<Uncertainty> dep = sentences.stream().map(x -> x.parse() == null ? null : x.parse().uncertainty())
                .toList();
        boolean anyNer = ner.stream().anyMatch(java.util.Objects::nonNull);
        boolean anyDep = dep.stream().anyMatch(java.util.Objects::nonNull);
        if (anyNer || anyDep) {
            ObjectNode u = doc.putObject("uncertainty");
            if (anyNer) {
                u.set("ner", uncertaintyJson(Uncertainty.document(ner)));
            }
            if (anyDep) {
                u.set("depparse", uncertaintyJson(Uncertainty.document(dep)));
            }
        }
        if (alignments != null) {
            ArrayNode al = doc.putArray("alignments");
            for (SentenceAlignment a : alignments) {
                al.add(alignment(a));
            }
        }
        return doc;
    }

    /** An uncertainty as {@code {"bestWrong": x, "expectedWrongParts": y, "support": k}}, NaN figures as null. */
    public static ObjectNode uncertaintyJson(Uncertainty u) {
        ObjectNode o = F.objectNode();
        number(o, "bestWrong", u.bestWrong());
        number(o, "expectedWrongParts", u.expectedWrongParts());
        o.put("support", u.support());
        return o;
    }

    private static void number(ObjectNode o, String key, double v) {
        if (Double.isNaN(v)) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }

    private static ObjectNode alignment(SentenceAlignment sa) {
        AlignAnalysis a = sa.alignment();
        ObjectNode o = F.objectNode();
        o.put("sourceSentence", sa.sourceSentence());
        if (sa.targetDocument() == null) {
            o.putNull("targetDocument");
        } else {
            o.put("targetDocument", sa.targetDocument());
        }
        o.put("targetSentence", sa.targetSentence());
        o.put("sentenceWeight", sa.sentenceWeight());
        o.put("decoder", a.decoder());
        o.put("decode", a.decode());
        o.put("longPair", a.longPair());
        o.put("sourceLength", a.sourceLength());
        o.put("targetLength", a.targetLength());
        ArrayNode links = o.putArray("links");
        for (AlignAnalysis.Link l : a.links()) {
            links.addArray().add(l.source()).add(l.target());
        }
        ArrayNode alts = o.putArray("alignments");
        for (AlignAnalysis.Alignment x : a.alignments()) {
            ObjectNode y = alts.addObject();
            y.put("rank", x.rank());
            y.put("weight", x.weight());
            ArrayNode ls = y.putArray("links");
            for (AlignAnalysis.Link l : x.links()) {
                ls.addArray().add(l.source()).add(l.target());
            }
        }
        ArrayNode lw = o.putArray("linkWeights");
        for (AlignAnalysis.Link l : a.linkWeights()) {
            lw.addObject().put("source", l.source()).put("target", l.target()).put("weight", l.weight());
        }
        return o;
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
        if (a.uncertainty() != null) {
            o.set("uncertainty", uncertaintyJson(a.uncertainty()));
        }
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
        if (a.uncertainty() != null) {
            o.set("uncertainty", uncertaintyJson(a.uncertainty()));
        }
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
