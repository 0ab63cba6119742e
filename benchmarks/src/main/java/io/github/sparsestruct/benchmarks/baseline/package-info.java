/**
 * The inference kernels as they were before the optimisation of issue 27 (soft-DTW, Vit_Ω, SparseMAP active set
 * with its chain and tree oracles), copied once and kept unchanged so that the JMH suite can report new/old time
 * ratios on the same instances in the same run, and the tests can check the new kernels against them. Not for use
 * outside the benchmarks.
 */
package io.github.sparsestruct.benchmarks.baseline;
