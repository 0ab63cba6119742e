package io.github.sparsestruct.models.align;

/** Names in the alignment graph: pair and null scores, lexical-feature and shape placeholders, the sequential
 * decoder's transition, start and end variables, and the loss-gradient placeholders (fed by {@link AlignTrainer}). */
final class AlignGraph {
    static final String PAIRS = "align/pairs";
    static final String NULLS = "align/nulls";
    static final String LEX = "align/lex";
    static final String TOKLEX = "align/tokLex";
    static final String SHAPE_BTD = "align/shapeBTd";
    static final String SHAPE_BTT = "align/shapeBTT";
    static final String SHAPE_2BT = "align/shape2BT";
    static final String TRANS = "align/trans";
    static final String START = "align/start";
    static final String END = "align/end";
    static final String G_PAIRS = "align/Gpairs";
    static final String G_NULLS = "align/Gnulls";
    static final String G_TRANS = "align/Gtrans";
    static final String G_START = "align/Gstart";
    static final String G_END = "align/Gend";

    private AlignGraph() {
    }
}
