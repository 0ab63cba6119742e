/**
 * Smoothed max operators max_Ω (Mensch &amp; Blondel 2018, §2.1): negative entropy, squared ℓ2, Tsallis 1.5 and the
 * hard max, each with its gradient (a distribution) and Hessian-vector product.
 */
package io.github.sparsestruct.inference.smooth;
