package io.github.sparsestruct.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of {@code sparsestruct train} for {@code --task ner} only: encoder start, gazetteer, vectors, head. */
final class NerTrainOptions {
    @Option(names = "--encoder-from", paramLabel = "PARSER",
            description = "ner: start the encoder from this dependency parser model's trained encoder (its "
                    + "vocabularies and sizes; the tag head starts from the seed)")
    Path encoderFrom;

    @Option(names = "--gazetteer", paramLabel = "FILE",
            description = "ner: name lists (lines TYPE<TAB>phrase) whose match features add to the tag scores; "
                    + "the list is stored in the model")
    Path gazetteerFile;

    @Option(names = "--word-vectors", paramLabel = "FILE",
            description = "ner: pretrained word vectors (GloVe text format: a word and its values per line) whose "
                    + "window features (previous, current, next word) add to the tag scores; stored in the model")
    Path vectorsFile;

    @Option(names = "--expand-vocabulary", defaultValue = "0", paramLabel = "N",
            description = "ner, with --encoder-from and --word-vectors: add up to N words of the vector file that the "
                    + "parser never saw to the word vocabulary, their embeddings mapped from their vectors by a ridge "
                    + "regression fitted on the words it knows (default 0: none)")
    int expandWords;

    @Option(names = "--head-hidden", defaultValue = "0", paramLabel = "N",
            description = "ner: a tanh hidden layer of N units between the encoder (and the gazetteer features) and "
                    + "the tag scores, so gazetteer matches are weighed in context (default 0: a linear tag layer)")
    int headHidden;
}
