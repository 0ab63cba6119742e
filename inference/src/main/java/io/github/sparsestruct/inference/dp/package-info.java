/**
 * Differentiable dynamic programming (Mensch &amp; Blondel 2018): DP_Ω on a DAG, the specialised Vit_Ω for
 * linear-chain tagging and DTW_Ω for time-series alignment, with values, gradients (expected structures),
 * Hessian-vector products and hard decoders.
 */
package io.github.sparsestruct.inference.dp;
