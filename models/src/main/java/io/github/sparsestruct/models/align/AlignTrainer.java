package io.github.sparsestruct.models.align;

import io.github.sparsestruct.inference.dp.ViterbiOmega;
import io.github.sparsestruct.inference.map.LinearAssignment;
import io.github.sparsestruct.inference.smooth.SmoothedMax;
import io.github.sparsestruct.inference.sparsemap.ActiveSetSolver;
import io.github.sparsestruct.inference.sparsemap.SparseMapResult;
import io.github.sparsestruct.inference.sparsemap.Structure;
import io.github.sparsestruct.inference.sparsemap.StructuredPolytope;
import io.github.sparsestruct.models.align.AlignModel.ChainScores;
import io.github.sparsestruct.models.align.AlignModel.PairScores;
import io.github.sparsestruct.models.data.AlignPair;
import io.github.sparsestruct.models.nn.Adam;
import io.github.sparsestruct.models.nn.Network;
import io.github.sparsestruct.models.nn.TokenFeaturizer;
import io.github.sparsestruct.models.train.GraphTrainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training of an {@link AlignModel}: new models from training pairs, the training targets of a gold pair, and the
 * training step with the configured decoders' Fenchel-Young losses ({@link AlignConfig#loss()},
 * {@link AlignConfig#decoder()}; see {@link AlignModel} for the targets and losses). Not thread-safe.
 */
public final class AlignTrainer extends GraphTrainer<AlignPair> {
    private static final Logger LOG = LoggerFactory.getLogger(AlignModel.class);
    private final AlignModel model;
    private final ActiveSetSolver solver = new ActiveSetSolver();
    private final Map<AlignPair, Targets> targetCache = new IdentityHashMap<>();
    private final Map<Integer, ViterbiOmega> vitL2 = new HashMap<>();

    AlignTrainer(AlignModel model, Adam adam) {
        super(model.network(), adam);
        this.model = model;
    }

    /**
     * A new model with vocabularies from the training pairs (both sides).
     *
     * @throws IllegalArgumentException if there is no training pair
     */
    public static AlignModel create(AlignConfig config, List<AlignPair> train, long seed) {
        if (train.isEmpty()) {
            throw new IllegalArgumentException("cannot build an alignment model from an empty training set");
        }
        List<String[]> forms = new ArrayList<>();
        for (AlignPair p : train) {
            forms.add(p.source());
            forms.add(p.target());
        }
        TokenFeaturizer f = TokenFeaturizer.build(forms, config.encoder().minWordCount(),
                config.encoder().maxChars());
        AlignModel m = new AlignModel(config, f, seed);
        LOG.info("alignment model: {} words, {} characters, {} parameters, loss {}, decoder {}", f.words().size(),
                f.chars().size(), m.parameterCount(), config.loss(), config.decoder());
        return m;
    }

    @Override
    protected Pass pass(List<AlignPair> batch, Random rng, boolean wantGrads) {
        AlignConfig config = model.config();
        Network net = model.network();
        List<TokenPair> pairs = new ArrayList<>(batch.size());
        int tokens = 0;
        for (AlignPair p : batch) {
            pairs.add(new TokenPair(p.source(), p.target()));
            tokens += p.source().length;
        }
        AlignModel.Forward fw = model.forward(pairs, rng);
        int b = fw.b();
        int t = fw.t();
        ChainScores chain = model.chainScores();
        double[] gPairs = new double[b * t * t];
        double[] gNulls = new double[2 * b * t];
        double[] gTrans = new double[SequentialChain.TRANS];
        double[] gStart = new double[SequentialChain.START];
        double[] gEnd = new double[SequentialChain.END];
        double total = 0;
        for (int i = 0; i < b; i++) {
            AlignPair pair = batch.get(i);
            int m = pair.source().length;
            int n = pair.target().length;
            PairScores s = fw.scores(i, m, n);
            Targets tg = targetCache.computeIfAbsent(pair, q -> targets(q, config.possibleTargets()));
            double[] gp = new double[m * n];
            double[] gns = new double[m];
            double[] gnt = new double[n];
            try {
                if (config.decoder() != AlignDecoder.SEQUENTIAL) {
                    total += matchingLoss(s, tg, gp, gns, gnt);
                }
                if (config.decoder() != AlignDecoder.MATCHING) {
                    total += sequentialLoss(s, chain, tg, config, gp, gns, gTrans, gStart, gEnd);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("alignment loss failed on pair '" + pair.id() + "': "
                        + e.getMessage(), e);
            }
            for (int a = 0; a < m; a++) {
                for (int c = 0; c < n; c++) {
                    gPairs[(i * t + a) * t + c] = gp[a * n + c] / tokens;
                }
                gNulls[i * t + a] = gns[a] / tokens;
            }
            for (int c = 0; c < n; c++) {
                gNulls[(b + i) * t + c] = gnt[c] / tokens;
            }
        }
        for (double[] g : new double[][] {gTrans, gStart, gEnd}) {
            for (int q = 0; q < g.length; q++) {
                g[q] /= tokens;
            }
        }
        Map<String, INDArray> grads = null;
        if (wantGrads) {
            DataType dt = net.type();
            Map<String, INDArray> ph = fw.ph();
            ph.put(AlignGraph.G_PAIRS, Nd4j.create(gPairs, new long[] {b, t, t}, 'c').castTo(dt));
            ph.put(AlignGraph.G_NULLS, Nd4j.create(gNulls, new long[] {2L * b, t}, 'c').castTo(dt));
            ph.put(AlignGraph.G_TRANS, Nd4j.create(gTrans, new long[] {gTrans.length}, 'c').castTo(dt));
            ph.put(AlignGraph.G_START, Nd4j.create(gStart, new long[] {gStart.length}, 'c').castTo(dt));
            ph.put(AlignGraph.G_END, Nd4j.create(gEnd, new long[] {gEnd.length}, 'c').castTo(dt));
            grads = net.gradients(ph, fw.encoded(), List.of(), new HashMap<>());
        }
        return new Pass(total, tokens, grads);
    }

    /** Training targets of a pair: one or two matchings and one or two sequences (each source word's target). */
    record Targets(List<int[]> matchings, List<int[]> sequences) {
    }

    /** The training targets of a gold pair towards its sure links (see the class comment). */
    static Targets targets(AlignPair p) {
        return targets(p, false);
    }

    /**
     * The training targets of a gold pair; with {@code possible}, its possible links are gold too, at a lower score
     * than the sure ones (0.3 against 1), so that sure links are kept first.
     */
    static Targets targets(AlignPair p, boolean possible) {
        int m = p.source().length;
        int n = p.target().length;
        boolean[] sure = p.sureMatrix();
        boolean[] gold = sure.clone();
        if (possible) {
            for (int[] l : p.possible()) {
                gold[l[0] * n + l[1]] = true;
            }
        }
        double[] s = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double diag = 0.01 * (1 - Math.abs((i + 0.5) / m - (j + 0.5) / n));
                s[i * n + j] = sure[i * n + j] ? 1 + diag : gold[i * n + j] ? 0.3 + diag : 0;
            }
        }
        int[] a = subMatching(m, n, s, gold);
        for (int i = 0; i < m; i++) {
            if (a[i] >= 0) {
                s[i * n + a[i]] -= 0.5;
            }
        }
        int[] bm = subMatching(m, n, s, gold);
        List<int[]> matchings = Arrays.equals(a, bm) ? List.of(a) : List.of(a, bm);
        List<int[]> seqs = new ArrayList<>();
        for (int[] mt : matchings) {
            int[] seq = mt.clone();
            for (int i = 0; i < m; i++) {
                if (seq[i] < 0) {
                    double best = -1;
                    for (int j = 0; j < n; j++) {
                        if (gold[i * n + j] && s[i * n + j] > best) {
                            best = s[i * n + j];
                            seq[i] = j;
                        }
                    }
                }
            }
            if (seqs.isEmpty() || !Arrays.equals(seqs.get(0), seq)) {
                seqs.add(seq);
            }
        }
        return new Targets(matchings, seqs);
    }

    private static int[] subMatching(int m, int n, double[] scores, boolean[] gold) {
        int[] r = new int[m];
        LinearAssignment.solve(m, n, scores, r);
        for (int i = 0; i < m; i++) {
            if (r[i] >= 0 && !gold[i * n + r[i]]) {
                r[i] = -1;
            }
        }
        return r;
    }

    private double matchingLoss(PairScores s, Targets tg, double[] gp, double[] gns, double[] gnt) {
        int m = s.m();
        int n = s.n();
        NullMatchingPolytope poly = new NullMatchingPolytope(m, n);
        double[] eta = poly.pack(s.pairs(), s.nullSource(), s.nullTarget());
        List<Structure> target = new ArrayList<>();
        for (int[] c : tg.matchings) {
            target.add(poly.structure(c));
        }
        double[] gu = new double[eta.length];
        double loss = sparseMapLoss(poly, eta, null, target, gu, null);
        for (int k = 0; k < m * n; k++) {
            gp[k] += gu[k];
        }
        for (int i = 0; i < m; i++) {
            gns[i] += gu[m * n + i];
        }
        for (int j = 0; j < n; j++) {
            gnt[j] += gu[m * n + m + j];
        }
        return loss;
    }

    private double sequentialLoss(PairScores s, ChainScores cs, Targets tg, AlignConfig config, double[] gp,
                                  double[] gns, double[] gTrans, double[] gStart, double[] gEnd) {
        SequentialChain chain = new SequentialChain(s.m(), s.n());
        double[] etaU = chain.unary(s.pairs(), s.nullSource());
        double[] etaV = chain.extra(cs.trans(), cs.start(), cs.end());
        List<Structure> target = new ArrayList<>();
        for (int[] seq : tg.sequences) {
            target.add(chain.structure(seq));
        }
        double[] gu = new double[etaU.length];
        double[] gv = new double[etaV.length];
        double loss;
        if (config.loss() == AlignLoss.DP_L2) {
            ViterbiOmega vit = viterbi(vitL2, s.n() + 1, SmoothedMax.squaredL2(1.0));
            double[] theta = chain.polytope().viterbiPotentials(etaU, etaV);
            double[] grad = new double[theta.length];
            double value = vit.gradient(theta, 0, s.m(), grad, 0);
            chain.polytope().fromViterbiGradient(grad, gu, gv);
            double w = 1.0 / target.size();
            loss = value;
            for (Structure y : target) {
                loss -= w * y.score(etaU, etaV);
                for (int q : y.unary()) {
                    gu[q] -= w;
                }
                for (int q : y.extra()) {
                    gv[q] -= w;
                }
            }
        } else {
            loss = sparseMapLoss(chain.polytope(), etaU, etaV, target, gu, gv);
        }
        chain.foldGradients(gu, gv, gp, gns, gTrans, gStart, gEnd);
        return loss;
    }

    /**
     * The SparseMAP loss with a uniform mixture target: ℓ = f(μ*) − f(ȳ) with f(μ) = ⟨η, μ⟩ − ½‖μ_u‖²; gradients
     * μ* − ȳ into gu (and gv when there is an additional part).
     */
    private double sparseMapLoss(StructuredPolytope poly, double[] etaU, double[] etaV, List<Structure> target,
                                 double[] gu, double[] gv) {
        SparseMapResult r = solver.solve(poly, etaU, etaV);
        double[] yu = new double[etaU.length];
        double[] yv = etaV == null ? null : new double[etaV.length];
        double w = 1.0 / target.size();
        for (Structure y : target) {
            for (int q : y.unary()) {
                yu[q] += w;
            }
            if (yv != null) {
                for (int q : y.extra()) {
                    yv[q] += w;
                }
            }
        }
        double fMu = 0;
        double fY = 0;
        for (int q = 0; q < etaU.length; q++) {
            double mu = r.u()[q];
            fMu += etaU[q] * mu - 0.5 * mu * mu;
            fY += etaU[q] * yu[q] - 0.5 * yu[q] * yu[q];
            gu[q] = mu - yu[q];
        }
        if (yv != null) {
            for (int q = 0; q < etaV.length; q++) {
                double mu = r.v()[q];
                if (mu != 0) {
                    fMu += etaV[q] * mu;
                }
                if (yv[q] != 0) {
                    fY += etaV[q] * yv[q];
                }
                gv[q] = mu - yv[q];
            }
        }
        return Math.max(0, fMu - fY);
    }

    private static ViterbiOmega viterbi(Map<Integer, ViterbiOmega> cache, int tags, SmoothedMax op) {
        return cache.computeIfAbsent(tags, s -> new ViterbiOmega(op, s, 64));
    }
}
