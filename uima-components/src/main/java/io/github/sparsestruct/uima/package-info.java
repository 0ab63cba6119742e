/**
 * UIMA (uimaFIT) components of SparseStruct: analysis engines that write the best structure into DKPro Core's types
 * and the weighted alternatives into {@code io.github.sparsestruct.type}, the alternatives JSON writer, and consumers
 * of the alternatives.
 */
package io.github.sparsestruct.uima;
