package io.github.sparsestruct.uima;

import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence;
import de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token;
import de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData;
import io.github.sparsestruct.models.analysis.AlignAnalysis;
import io.github.sparsestruct.models.analysis.AlternativesJson;
import io.github.sparsestruct.models.analysis.NerAnalysis;
import io.github.sparsestruct.models.analysis.ParseAnalysis;
import io.github.sparsestruct.models.analysis.Uncertainty;
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
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.uima.cas.CASException;
import org.apache.uima.fit.util.JCasUtil;
import org.apache.uima.jcas.JCas;
import org.apache.uima.jcas.cas.FSArray;

/**
 * Reads the alternatives that the SparseStruct engines wrote into a CAS back into the {@code models} records
 * ({@link NerAnalysis}, {@link ParseAnalysis}) and the {@link AlternativesJson.Sentence}s of the shared JSON schema, so
 * that a CAS (also one read back from XMI) gives the same JSON as the analyses it was built from.
 */
public final class CasAlternatives {
    private CasAlternatives() {
    }

    /**
     * The sentences of a document with their tokens and, where the engines ran, their NER and dependency analyses.
     */
    public static List<AlternativesJson.Sentence> sentences(JCas jcas) {
        Map<Sentence, List<Token>> tokens = JCasUtil.indexCovered(jcas, Sentence.class, Token.class);
        Map<Sentence, List<EntityAnalysis>> analyses = JCasUtil.indexCovered(jcas, Sentence.class,
                EntityAnalysis.class);
        Map<Sentence, List<EntityCandidate>> candidates = JCasUtil.indexCovered(jcas, Sentence.class,
                EntityCandidate.class);
        Map<Sentence, List<TreeAnalysis>> trees = JCasUtil.indexCovered(jcas, Sentence.class, TreeAnalysis.class);
        Map<Sentence, List<ArcCandidate>> arcs = JCasUtil.indexCovered(jcas, Sentence.class, ArcCandidate.class);
        Map<Long, TagDistribution> dists = new HashMap<>();
        List<String> docLabels = null;
        for (TagDistribution d : JCasUtil.select(jcas, TagDistribution.class)) {
            if (d.getTagset() != null && d.getTagset().startsWith("ner")) {
                dists.put(key(d.getBegin(), d.getEnd()), d);
                if (docLabels == null && d.getTags() != null) {
                    docLabels = List.of(d.getTags().toArray());
                }
            }
        }
        List<AlternativesJson.Sentence> out = new ArrayList<>();
        for (Sentence s : JCasUtil.select(jcas, Sentence.class)) {
            List<Token> toks = list(tokens.get(s));
            List<AlternativesJson.Token> jt = new ArrayList<>(toks.size());
            for (Token t : toks) {
                jt.add(new AlternativesJson.Token(t.getCoveredText(), t.getBegin(), t.getEnd()));
            }
            NerAnalysis ner = ner(s, toks, list(analyses.get(s)), list(candidates.get(s)), dists,
                    docLabels == null ? List.of() : docLabels);
            ParseAnalysis parse = parse(s, toks, list(trees.get(s)), list(arcs.get(s)));
            out.add(new AlternativesJson.Sentence(s.getBegin(), s.getEnd(), jt, ner, parse));
        }
        return out;
    }

    /**
     * The word alignments the aligner wrote into this view, in the order of their {@link SentencePair}s; an empty list
     * when an aligner ran on the view but found no sentences to align, null when none ran (so that the JSON of a
     * document without alignments is unchanged). The target document is null for a target sentence in this view, else
     * the target view's {@link DocumentMetaData} id or, without one, the view's name.
     */
    public static List<AlternativesJson.SentenceAlignment> alignments(JCas jcas) {
        if (JCasUtil.select(jcas, WordAlignment.class).isEmpty()) {
            // an aligner that ran on a document without sentences leaves its metadata: an empty list, not none
            boolean ran = JCasUtil.select(jcas, AnalysisMetadata.class).stream()
                    .anyMatch(m -> WordAlignment.class.getName().equals(m.getAnalysisType()));
            return ran ? List.of() : null;
        }
        Map<SentencePair, List<WordAlignment>> byPair = new LinkedHashMap<>();
        for (SentencePair p : JCasUtil.select(jcas, SentencePair.class)) {
            byPair.put(p, new ArrayList<>());
        }
        for (WordAlignment w : JCasUtil.select(jcas, WordAlignment.class)) {
            List<WordAlignment> l = w.getPair() == null ? null : byPair.get(w.getPair());
            if (l != null) {
                l.add(w);
            }
        }
        Map<SentencePair, List<LinkCandidate>> cands = new IdentityHashMap<>();
        for (LinkCandidate c : JCasUtil.select(jcas, LinkCandidate.class)) {
            if (c.getPair() != null) {
                cands.computeIfAbsent(c.getPair(), k -> new ArrayList<>()).add(c);
            }
        }
        Map<JCas, ViewIndex> views = new IdentityHashMap<>();
        List<AlternativesJson.SentenceAlignment> out = new ArrayList<>();
        for (Map.Entry<SentencePair, List<WordAlignment>> e : byPair.entrySet()) {
            SentencePair p = e.getKey();
            List<WordAlignment> alts = e.getValue();
            if (alts.isEmpty() || p.getSource() == null || p.getTarget() == null) {
                continue;
            }
            alts.sort(Comparator.comparingInt(WordAlignment::getRank));
            ViewIndex sv = views.computeIfAbsent(view(p.getSource()), ViewIndex::new);
            JCas tjcas = view(p.getTarget());
            ViewIndex tv = views.computeIfAbsent(tjcas, ViewIndex::new);
            List<Token> st = sv.tokens(p.getSource());
            List<Token> tt = tv.tokens(p.getTarget());
            Map<Token, Integer> si = positions(st);
            Map<Token, Integer> ti = positions(tt);
            List<AlignAnalysis.Alignment> alignments = new ArrayList<>();
            for (WordAlignment w : alts) {
                List<AlignAnalysis.Link> links = new ArrayList<>();
                FSArray<?> ls = w.getLinks();
                for (int k = 0; ls != null && k < ls.size(); k++) {
                    AlignmentLink l = (AlignmentLink) ls.get(k);
                    Integer i = si.get(l.getSource());
                    Integer j = ti.get(l.getTarget());
                    if (i != null && j != null) {
                        links.add(new AlignAnalysis.Link(i, j, w.getWeight()));
                    }
                }
                links.sort(Comparator.comparingInt(AlignAnalysis.Link::source)
                        .thenComparingInt(AlignAnalysis.Link::target));
                alignments.add(new AlignAnalysis.Alignment(w.getRank(), w.getWeight(), List.copyOf(links)));
            }
            List<AlignAnalysis.Link> best = new ArrayList<>();
            for (AlignAnalysis.Link l : alignments.get(0).links()) {
                best.add(new AlignAnalysis.Link(l.source(), l.target(), 1.0));
            }
            List<AlignAnalysis.Link> weights = new ArrayList<>();
            for (LinkCandidate c : cands.getOrDefault(p, List.of())) {
                Integer i = si.get(c.getSource());
                Integer j = ti.get(c.getTarget());
                if (i != null && j != null) {
                    weights.add(new AlignAnalysis.Link(i, j, c.getScore()));
                }
            }
            // the order of the models API: heaviest first, then row-major
            weights.sort(Comparator.comparingDouble(AlignAnalysis.Link::weight).reversed()
                    .thenComparingInt(AlignAnalysis.Link::source).thenComparingInt(AlignAnalysis.Link::target));
            WordAlignment first = alts.get(0);
            AlignAnalysis a = new AlignAnalysis(st.size(), tt.size(), List.copyOf(best), List.copyOf(alignments),
                    List.copyOf(weights), first.getDecoder(), first.getDecoding(), first.getLongPair());
            String targetDoc = tjcas == jcas ? null : documentId(tjcas);
            out.add(new AlternativesJson.SentenceAlignment(sv.index(p.getSource()), targetDoc,
                    tv.index(p.getTarget()), p.getWeight(), a));
        }
        return out;
    }

    /** The view's {@link DocumentMetaData} document id, or else the view's name. */
    static String documentId(JCas view) {
        if (!JCasUtil.select(view, DocumentMetaData.class).isEmpty()) {
            String id = DocumentMetaData.get(view).getDocumentId();
            if (id != null) {
                return id;
            }
        }
        return view.getViewName();
    }

    private static JCas view(Sentence s) {
        try {
            return s.getCAS().getJCas();
        } catch (CASException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<Token, Integer> positions(List<Token> tokens) {
        Map<Token, Integer> m = new IdentityHashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            m.put(tokens.get(i), i);
        }
        return m;
    }

    /** The sentences of a view in order, with their tokens. */
    private static final class ViewIndex {
        private final Map<Sentence, Integer> index = new IdentityHashMap<>();
        private final Map<Sentence, List<Token>> tokens;

        ViewIndex(JCas view) {
            int k = 0;
            for (Sentence s : JCasUtil.select(view, Sentence.class)) {
                index.put(s, k++);
            }
            tokens = JCasUtil.indexCovered(view, Sentence.class, Token.class);
        }

        int index(Sentence s) {
            return index.getOrDefault(s, -1);
        }

        List<Token> tokens(Sentence s) {
            return list(tokens.get(s));
        }
    }

    /**
     * The NER analysis of a sentence as the engine wrote it, or null when none was written.
     *
     * @param sentence the sentence
     * @param tokens   its tokens in order
     * @param all      the EntityAnalysis annotations over it
     * @param cands    the EntityCandidate annotations over it
     * @param dists    the NER tag distributions by {@link #key token span}
     * @param labels   the tag names to use when the sentence has no token
     */
    private static NerAnalysis ner(Sentence sentence, List<Token> tokens, List<EntityAnalysis> all,
                                   List<EntityCandidate> cands, Map<Long, TagDistribution> dists,
                                   List<String> labels) {
        List<EntityAnalysis> mine = new ArrayList<>();
        for (EntityAnalysis a : all) {
            if (a.getSentence() == null || a.getSentence() == sentence) {
                mine.add(a);
            }
        }
        if (mine.isEmpty()) {
            return null;
        }
        mine.sort(Comparator.comparingInt(EntityAnalysis::getRank));
        Map<Integer, Integer> startOf = new HashMap<>();
        Map<Integer, Integer> endOf = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            startOf.putIfAbsent(tokens.get(i).getBegin(), i);
            endOf.put(tokens.get(i).getEnd(), i + 1);
        }
        List<NerAnalysis.Analysis> analyses = new ArrayList<>();
        for (EntityAnalysis a : mine) {
            List<NerAnalysis.Entity> ents = new ArrayList<>();
            FSArray<?> ms = a.getEntities();
            if (ms != null) {
                for (int k = 0; k < ms.size(); k++) {
                    EntityMention m = (EntityMention) ms.get(k);
                    ents.add(new NerAnalysis.Entity(startOf.get(m.getBegin()), endOf.get(m.getEnd()), m.getValue(),
                            a.getWeight()));
                }
            }
            String[] tags = a.getTags() == null ? iob2(tokens.size(), ents) : a.getTags().toArray();
            analyses.add(new NerAnalysis.Analysis(a.getRank(), a.getWeight(), tags, List.copyOf(ents)));
        }
        List<NerAnalysis.Entity> candidates = new ArrayList<>();
        for (EntityCandidate c : cands) {
            Integer st = startOf.get(c.getBegin());
            Integer en = endOf.get(c.getEnd());
            if (st != null && en != null) {
                candidates.add(new NerAnalysis.Entity(st, en, c.getValue(), c.getScore()));
            }
        }
        // the order of the models API: heaviest first, then by start, end and type
        candidates.sort(Comparator.comparingDouble(NerAnalysis.Entity::weight).reversed()
                .thenComparingInt(NerAnalysis.Entity::start).thenComparingInt(NerAnalysis.Entity::end)
                .thenComparing(NerAnalysis.Entity::type));
        List<String> names = labels;
        double[][] probs = new double[tokens.size()][];
        for (int i = 0; i < tokens.size(); i++) {
            TagDistribution d = dists.get(key(tokens.get(i).getBegin(), tokens.get(i).getEnd()));
            if (d == null) {
                probs = new double[0][];
                break;
            }
            if (i == 0) {
                names = List.of(d.getTags().toArray());
            }
            probs[i] = d.getProbabilities().toArray();
        }
        EntityAnalysis first = mine.get(0);
        return new NerAnalysis(analyses.get(0).tags(), List.copyOf(analyses), List.copyOf(candidates), names, probs,
                first.getDecoding(), first.getChunked(), uncertainty(first.getSupport(), first.getBestWrong(),
                first.getExpectedWrongParts()));
    }

    /** The uncertainty recorded on an analysis, or null where none was (support 0: a CAS of an older build). */
    private static Uncertainty uncertainty(int support, double bestWrong, double expectedWrongParts) {
        return support == 0 ? null : new Uncertainty(bestWrong, expectedWrongParts, support);
    }

    private static ParseAnalysis parse(Sentence sentence, List<Token> tokens, List<TreeAnalysis> all,
                                       List<ArcCandidate> arcCandidates) {
        List<TreeAnalysis> mine = new ArrayList<>();
        for (TreeAnalysis t : all) {
            if (t.getSentence() == null || t.getSentence() == sentence) {
                mine.add(t);
            }
        }
        if (mine.isEmpty()) {
            return null;
        }
        mine.sort(Comparator.comparingInt(TreeAnalysis::getRank));
        Map<Token, Integer> index = new IdentityHashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            index.put(tokens.get(i), i + 1);
        }
        int n = tokens.size();
        List<ParseAnalysis.Tree> trees = new ArrayList<>();
        for (TreeAnalysis t : mine) {
            int[] heads = new int[n];
            FSArray<?> hs = t.getHeads();
            for (int i = 0; i < n && hs != null && i < hs.size(); i++) {
                Object h = hs.get(i);
                heads[i] = h == null ? 0 : index.getOrDefault(h, 0);
            }
            String[] rels = t.getLabels() == null ? new String[n] : t.getLabels().toArray();
            trees.add(new ParseAnalysis.Tree(t.getRank(), t.getWeight(), heads, rels));
        }
        List<ParseAnalysis.Arc> arcs = new ArrayList<>();
        for (ArcCandidate c : arcCandidates) {
            Integer dep = index.get(c.getDependent());
            if (dep == null) {
                continue;
            }
            int head = c.getGovernor() == null ? 0 : index.getOrDefault(c.getGovernor(), -1);
            if (head >= 0) {
                arcs.add(new ParseAnalysis.Arc(head, dep, c.getDependencyType(), c.getScore()));
            }
        }
        // the order of the models API: by dependent, then heaviest first, then by head
        arcs.sort(Comparator.comparingInt(ParseAnalysis.Arc::dependent)
                .thenComparing(Comparator.comparingDouble(ParseAnalysis.Arc::weight).reversed())
                .thenComparingInt(ParseAnalysis.Arc::head));
        TreeAnalysis first = mine.get(0);
        String[] upos = first.getUpos() == null ? new String[0] : first.getUpos().toArray();
        return new ParseAnalysis(trees.get(0).heads(), trees.get(0).deprels(), upos, List.copyOf(trees),
                List.copyOf(arcs), first.getDecoding(), first.getChunked(), uncertainty(first.getSupport(),
                first.getBestWrong(), first.getExpectedWrongParts()));
    }

    private static String[] iob2(int n, List<NerAnalysis.Entity> ents) {
        String[] tags = new String[n];
        java.util.Arrays.fill(tags, "O");
        for (NerAnalysis.Entity e : ents) {
            for (int i = e.start(); i < e.end(); i++) {
                tags[i] = (i == e.start() ? "B-" : "I-") + e.type();
            }
        }
        return tags;
    }

    private static long key(int begin, int end) {
        return ((long) begin << 32) | (end & 0xffffffffL);
    }

    private static <T> List<T> list(Collection<T> c) {
        return c == null ? List.of() : new ArrayList<>(c);
    }
}
