package io.github.sparsestruct.server.inception;

import static org.apache.uima.fit.factory.AnalysisEngineFactory.createEngine;

import com.fasterxml.jackson.databind.JsonNode;
import de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import io.github.sparsestruct.server.HttpError;
import io.github.sparsestruct.server.Json;
import io.github.sparsestruct.server.ServerConfig;
import io.github.sparsestruct.uima.AnnotationPipeline;
import io.github.sparsestruct.uima.SparseStructAnnotatorBase;
import io.github.sparsestruct.uima.SparseStructNamedEntityRecognizer;
import io.github.sparsestruct.uima.SparseStructParser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.uima.analysis_engine.AnalysisEngine;
import org.apache.uima.analysis_engine.AnalysisEngineProcessException;
import org.apache.uima.cas.CAS;
import org.apache.uima.cas.Feature;
import org.apache.uima.cas.FeatureStructure;
import org.apache.uima.cas.Type;
import org.apache.uima.cas.TypeSystem;
import org.apache.uima.cas.text.AnnotationFS;
import org.apache.uima.fit.util.CasUtil;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;

/**
 * An INCEpTION external recommender (protocol v1) for one task: {@code ner} suggests typed spans on a span layer with
 * a string feature (DKPro {@code NamedEntity} / {@code value}, or a custom layer), {@code depparse} suggests arcs on a
 * relation layer over {@code Token} (DKPro {@code Dependency} / {@code DependencyType}). A {@code predict} call reads
 * the document with the request's type system, analyses the existing DKPro {@code Sentence} / {@code Token}
 * annotations that overlap {@code metadata.range} with the SparseStruct engines, constrained to agree with the
 * annotations the user already has on the layer (the engines' {@code constraintType}), and answers the document with
 * one predicted annotation per suggestion (see {@link Suggestions}). Thread-safe: each worker thread keeps its own
 * engines and CASes.
 */
public final class InceptionRecommender {
    private static final String OUR_TYPES = "io.github.sparsestruct.type.";
    private static final int CACHED = 4;

    private final String task;
    private final AnnotationPipeline base;
    private final ServerConfig config;
    private final ThreadLocal<Map<String, AnalysisEngine>> engines = ThreadLocal.withInitial(() -> lru(CACHED));
    private final ThreadLocal<Map<String, RecommenderCas.Prepared>> cases = ThreadLocal.withInitial(() -> lru(CACHED));

    /**
     * @param task   {@code ner} or {@code depparse}
     * @param base   the server's pipeline (models, variant, language)
     * @param config the server's limits and the lightest suggestion weight
     */
    public InceptionRecommender(String task, AnnotationPipeline base, ServerConfig config) {
        if (!ServerConfig.TASKS.contains(task)) {
            throw new IllegalArgumentException("unknown recommender task " + task);
        }
        this.task = task;
        this.base = base;
        this.config = config;
    }

    /** Answers a {@code predict} body with {@code {"document": XMI}}; errors are {@link HttpError}s. */
    public byte[] predict(JsonNode body) throws Exception {
        PredictRequest r = PredictRequest.parse(body);
        RecommenderCas.Prepared prepared = cas(r);
        CAS cas = prepared.cas();
        try {
            RecommenderCas.read(r.xmi(), cas);
            Type layer = checkLayer(cas.getTypeSystem(), r.layer(), r.feature());
            JCas jcas = cas.getJCas();
            List<Sentence> all = new ArrayList<>(JCasUtil.select(jcas, Sentence.class));
            int end = r.end() < 0 ? cas.getDocumentText().length() : r.end();
            List<Sentence> scope = all.stream().filter(s -> s.getBegin() < end && r.begin() < s.getEnd()
                    || s.getBegin() == s.getEnd() && s.getBegin() >= r.begin() && s.getBegin() <= end).toList();
            checkTokens(jcas, all, scope);
            if (!scope.isEmpty()) {
                List<AnnotationFS> existing = new ArrayList<>(CasUtil.select(cas, layer));
                List<Suggestions.Suggestion> suggestions = analyse(jcas, layer, r.feature(), all, scope, existing);
                if ("singleToken".equals(r.anchoring())) {
                    // a layer anchored to single tokens takes no multi-token span
                    suggestions = suggestions.stream().filter(s -> s.dependent() != null
                            || JCasUtil.selectCovered(jcas, Token.class, s.begin(), s.end()).size() == 1).toList();
                }
                Suggestions.write(cas, layer, r.feature(), suggestions);
            }
            var reply = Json.MAPPER.createObjectNode();
            reply.put("document", RecommenderCas.write(cas, prepared.answer()));
            return Json.bytes(reply);
        } finally {
            cas.reset();
        }
    }

    /** Runs the engine over the sentences in scope and turns its candidates into suggestions; removes its output. */
    private List<Suggestions.Suggestion> analyse(JCas jcas, Type layer, String feature, List<Sentence> all,
                                                 List<Sentence> scope, List<AnnotationFS> existing) throws Exception {
        Set<Sentence> in = new HashSet<>(scope);
        List<Sentence> hidden = all.stream().filter(s -> !in.contains(s)).toList();
        Set<FeatureStructure> namedBefore = new HashSet<>(JCasUtil.select(jcas, NamedEntity.class));
        hidden.forEach(Sentence::removeFromIndexes);
        try {
            engine(layer.getName(), feature).process(jcas);
        } catch (AnalysisEngineProcessException e) {
            throw translate(e);
        } finally {
            hidden.forEach(Sentence::addToIndexes);
        }
        List<Suggestions.Suggestion> out;
        if (task.equals(AnnotationPipeline.NER)) {
            out = Suggestions.entities(jcas, existing, config.suggestionMinWeight());
        } else {
            Feature dep = layer.getFeatureByBaseName("Dependent");
            Set<Token> decided = new HashSet<>();
            for (AnnotationFS a : existing) {
                if (a.getFeatureValue(dep) instanceof Token t) {
                    decided.add(t);
                }
            }
            out = Suggestions.arcs(jcas, decided, config.suggestionMinWeight());
        }
        // the answer holds the document and the suggestions only: our types and the engines' best analysis go
        List<FeatureStructure> ours = new ArrayList<>();
        for (FeatureStructure fs : jcas.getCas().select()) {
            if (fs.getType().getName().startsWith(OUR_TYPES)
                    || fs instanceof NamedEntity && !namedBefore.contains(fs)) {
                ours.add(fs);
            }
        }
        ours.forEach(fs -> jcas.getCas().removeFsFromIndexes(fs));
        return out;
    }

    /** A problem the engines found with the document (constraints that allow no analysis): 422 with its message. */
    private static RuntimeException translate(AnalysisEngineProcessException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IllegalArgumentException || t instanceof IllegalStateException) {
                return HttpError.unprocessable(t.getMessage());
            }
        }
        return new IllegalStateException("the engine failed", e);
    }

    /** The layer as this task can fill it, or a 400 saying why it cannot. */
    private Type checkLayer(TypeSystem ts, String name, String feature) {
        Type layer = ts.getType(name);
        Type annotation = ts.getType(CAS.TYPE_NAME_ANNOTATION);
        if (layer == null || !ts.subsumes(annotation, layer)) {
            throw HttpError.badRequest("layer " + name + " is not an annotation type of the request's typeSystem");
        }
        Feature f = layer.getFeatureByBaseName(feature);
        if (f == null || !f.getRange().getName().equals(CAS.TYPE_NAME_STRING)) {
            throw HttpError.badRequest("layer " + name + " has no string feature '" + feature + "' to put labels in");
        }
        Type token = ts.getType(Token.class.getName());
        Feature gov = layer.getFeatureByBaseName("Governor");
        Feature dep = layer.getFeatureByBaseName("Dependent");
        boolean relation = gov != null && dep != null;
        if (task.equals(AnnotationPipeline.NER) && relation) {
            throw HttpError.badRequest("layer " + name + " is a relation layer; this recommender suggests spans "
                    + "(NamedEntity / value); use /inception/depparse/ for dependencies");
        }
        if (task.equals(AnnotationPipeline.DEPPARSE) && (!relation || !ts.subsumes(token, gov.getRange())
                || !ts.subsumes(token, dep.getRange()))) {
            throw HttpError.badRequest("layer " + name + " is not a relation layer over Token (features Governor and "
                    + "Dependent of type Token, as DKPro's Dependency); this recommender suggests dependency arcs; use"
                    + " /inception/ner/ for spans");
        }
        return layer;
    }

    /** 422 when the document or a sentence in scope has no tokens; 413 when a sentence or the scope is too long. */
    private void checkTokens(JCas jcas, List<Sentence> all, List<Sentence> scope) {
        String text = jcas.getDocumentText();
        if (all.isEmpty()) {
            if (text.isBlank()) {
                return;
            }
            throw HttpError.unprocessable("the document has text but no " + Sentence.class.getName()
                    + " annotations; the recommender analyses the sentences and tokens INCEpTION sends");
        }
        Map<Sentence, List<Token>> tokens = JCasUtil.indexCovered(jcas, Sentence.class, Token.class);
        long count = 0;
        for (Sentence s : scope) {
            Collection<Token> t = tokens.get(s);
            if ((t == null || t.isEmpty()) && !s.getCoveredText().isBlank()) {
                throw HttpError.unprocessable("the sentence at characters " + s.getBegin() + "-" + s.getEnd()
                        + " has no " + Token.class.getName() + " annotations");
            }
            int n = t == null ? 0 : t.size();
            if (n > config.maxSentenceTokens()) {
                throw HttpError.tooLarge("the sentence at characters " + s.getBegin() + "-" + s.getEnd() + " has " + n
                        + " tokens; this server accepts sentences of at most " + config.maxSentenceTokens()
                        + " tokens (--max-sentence-tokens)");
            }
            count += n;
        }
        if (count > config.maxTokens()) {
            throw HttpError.tooLarge("the range holds " + count + " tokens; this server analyses at most "
                    + config.maxTokens() + " per request (--max-tokens)");
        }
    }

    /** This thread's CAS for the request's type system and layer (merged and created once, then reused). */
    private RecommenderCas.Prepared cas(PredictRequest r) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(r.typeSystem().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update((r.layer() + "\u0000" + r.feature()).getBytes(StandardCharsets.UTF_8));
        String key = HexFormat.of().formatHex(sha.digest());
        Map<String, RecommenderCas.Prepared> cache = cases.get();
        RecommenderCas.Prepared p = cache.get(key);
        if (p == null) {
            p = RecommenderCas.prepare(r.typeSystem(), r.layer(), r.feature());
            cache.put(key, p);
        }
        p.cas().reset();
        return p;
    }

    /** This thread's engine for the layer: NER or the parser, constrained by the layer's annotations. */
    private AnalysisEngine engine(String layer, String feature) throws Exception {
        String key = layer + "\u0000" + feature;
        Map<String, AnalysisEngine> cache = engines.get();
        AnalysisEngine e = cache.get(key);
        if (e == null) {
            boolean ner = task.equals(AnnotationPipeline.NER);
            Map<Object, Object> p = new LinkedHashMap<>();
            Object[] common = base.parameters(ner ? base.nerModel() : base.parserModel());
            for (int i = 0; i + 1 < common.length; i += 2) {
                p.put(common[i], common[i + 1]);
            }
            // every kept alternative feeds the suggestions and their explanations; no sentence is chunked (the
            // size limit is checked first); the user's document has its tokens: never segment it anew
            p.put(SparseStructAnnotatorBase.PARAM_MAX_ALTERNATIVES, config.maxAlternatives());
            p.put(SparseStructAnnotatorBase.PARAM_MAX_SENTENCE_LENGTH, config.maxSentenceTokens());
            p.put(SparseStructAnnotatorBase.PARAM_SEGMENT_IF_MISSING, false);
            p.put(SparseStructAnnotatorBase.PARAM_LANGUAGE, base.language());
            if (ner) {
                p.put(SparseStructNamedEntityRecognizer.PARAM_CONSTRAINT_TYPE, layer);
                p.put(SparseStructNamedEntityRecognizer.PARAM_CONSTRAINT_FEATURE, feature);
            } else {
                p.put(SparseStructParser.PARAM_CONSTRAINT_TYPE, layer);
                // tokens stay as INCEpTION sent them (a suggestion's ends must equal the user's tokens)
                p.put(SparseStructParser.PARAM_WRITE_POS, false);
                p.put(SparseStructParser.PARAM_WRITE_DEPENDENCY, false);
            }
            List<Object> flat = new ArrayList<>();
            p.forEach((k, v) -> {
                flat.add(k);
                flat.add(v);
            });
            e = createEngine(ner ? SparseStructNamedEntityRecognizer.class : SparseStructParser.class,
                    flat.toArray());
            cache.put(key, e);
        }
        return e;
    }

    /** Builds this thread's engine for DKPro's layer of the task (so that the first request does not wait). */
    public void warmUp() throws Exception {
        if (task.equals(AnnotationPipeline.NER)) {
            engine(NamedEntity.class.getName(), "value");
        } else {
            engine("de.tudarmstadt.ukp.dkpro.core.api.syntax.type.dependency.Dependency", "DependencyType");
        }
    }

    private static <V> Map<String, V> lru(int n) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > n;
            }
        };
    }
}
