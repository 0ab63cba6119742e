package io.github.sparsestruct.inference.loss;

import io.github.sparsestruct.inference.dp.ViterbiOmega;
import io.github.sparsestruct.inference.polytope.SequencePolytope;
import io.github.sparsestruct.inference.smooth.SmoothedMax;
import io.github.sparsestruct.inference.sparsemap.Structure;

/**
 * Linear-chain CRF loss ℓ_{0,−γH}: γ·log Σ_y exp(⟨η, y⟩/γ) − ⟨η, y_true⟩, computed by Vit_Ω with Ω = −γH
 * (DP paper §4.1), in the layouts of {@link SequencePolytope}. Gradient: the Gibbs marginals (unary, transition,
 * start, end) minus the target's indicators. Against a soft target μ ({@link #softLoss}) the value is
 * γ·log Z − ⟨η, μ⟩, which for μ the expected statistics of a distribution q over sequences (a teacher CRF's marginals)
 * is the cross-entropy E_q[−log p_η(y)] at γ = 1: the KL divergence from q up to q's entropy.
 */
public final class CrfChainLoss implements StructuredLoss {
    private final SequencePolytope chain;
    private final ViterbiOmega vit;
    private final double[] grad;

    /** CRF loss over chains of the given shape with temperature γ (1 for the usual CRF). */
    public CrfChainLoss(SequencePolytope chain, double gamma) {
        this.chain = chain;
        this.vit = new ViterbiOmega(SmoothedMax.negEntropy(gamma), chain.tags(), chain.length());
        this.grad = new double[chain.length() * chain.tags() * chain.tags()];
    }

    @Override
    public double loss(double[] etaU, double[] etaV, Structure target, double[] gradU, double[] gradV) {
        Losses.checkNaN(etaU, "unary");
        Losses.checkNaN(etaV, "additional");
        double[] theta = chain.viterbiPotentials(etaU, etaV);
        double logZ = vit.gradient(theta, 0, chain.length(), grad, 0);
        if (logZ == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("no feasible sequence: every sequence scores -Infinity");
        }
        chain.fromViterbiGradient(grad, gradU, gradV);
        double t = Losses.subtractTarget(target, etaU, etaV, gradU, gradV);
        return Math.max(0.0, logZ - t);
    }

    @Override
    public double softLoss(double[] etaU, double[] etaV, double[] targetU, double[] targetV, double[] gradU,
                           double[] gradV) {
        Losses.checkNaN(etaU, "unary");
        Losses.checkNaN(etaV, "additional");
        double[] theta = chain.viterbiPotentials(etaU, etaV);
        double logZ = vit.gradient(theta, 0, chain.length(), grad, 0);
        if (logZ == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("no feasible sequence: every sequence scores -Infinity");
        }
        chain.fromViterbiGradient(grad, gradU, gradV);
        return logZ - Losses.subtractSoftTarget(targetU, targetV, etaU, etaV, gradU, gradV);
    }
}
