package io.github.sparsestruct.models.ner;

/** Names in the NER graph: the tag scores, the transition, start and end variables, the loss-gradient placeholders
 * G (fed by {@link NerTrainer}), the extra features and their weights, and the optional hidden layer of the head. */
final class NerGraph {
    static final String SCORES = "ner/scores";
    static final String TRANS = "ner/trans";
    static final String START = "ner/start";
    static final String END = "ner/end";
    static final String G = "ner/G";
    static final String G_TRANS = "ner/Gtrans";
    static final String G_START = "ner/Gstart";
    static final String G_END = "ner/Gend";
    static final String GAZ = "ner/gaz";
    static final String GAZ_W = "ner/gaz/W";
    static final String HID = "ner/hid";

    private NerGraph() {
    }
}
