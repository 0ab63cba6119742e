package io.github.sparsestruct.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of {@code sparsestruct train} that distil a model from a teacher or go on from a trained one. */
final class DistillOptions {
    @Option(names = "--teacher", paramLabel = "MODEL",
            description = "ner, depparse: distil from this model of the task (a file, or 'accurate' for the bundled "
                    + "accurate variant): its CRF marginals (ner) or arc marginals (depparse) are the soft targets "
                    + "of the loss (docs/training.md, \"Distillation\")")
    String teacher;

    @Option(names = "--teacher-weight", defaultValue = "0.5", paramLabel = "W",
            description = "with --teacher: the weight of the gold tags (tree) in the target where a sentence has them "
                    + "(W*gold + (1-W)*teacher; default 0.5)")
    double teacherWeight;

    @Option(names = "--teacher-text", split = ",", paramLabel = "FILE",
            description = "ner, depparse, with --teacher: more training sentences, labelled by the teacher alone "
                    + "(their own labels are not read; for depparse its arc marginals, and its best tree's relations "
                    + "and UPOS tags): .conllu, .iob2, .txt (plain text, segmented as annotate does), or one "
                    + "token per line with blank lines between sentences (the first column; CoNLL-2003 style); a "
                    + "folder stands for its files")
    java.util.List<Path> teacherText;

    @Option(names = "--teacher-cache", paramLabel = "FILE",
            description = "with --teacher: where the teacher's targets are cached (default OUT.teacher)")
    Path teacherCache;

    @Option(names = "--init-from", paramLabel = "MODEL",
            description = "ner, depparse: start from this model of the task (its parameters, vocabularies, sizes, "
                    + "gazetteer and calibration; the size options are not used) and train it further, e.g. with "
                    + "--teacher at a lower learning rate")
    Path initFrom;
}
