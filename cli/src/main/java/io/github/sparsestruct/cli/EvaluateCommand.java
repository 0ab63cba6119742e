package io.github.sparsestruct.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparsestruct.models.BundledModels;
import io.github.sparsestruct.models.ModelCatalog;
import io.github.sparsestruct.models.align.AlignDecoder;
import io.github.sparsestruct.models.align.AlignEvaluation;
import io.github.sparsestruct.models.align.AlignModel;
import io.github.sparsestruct.models.data.AlignPair;
import io.github.sparsestruct.models.data.AlignmentReader;
import io.github.sparsestruct.models.data.ConlluReader;
import io.github.sparsestruct.models.data.DepSentence;
import io.github.sparsestruct.models.data.Iob2Reader;
import io.github.sparsestruct.models.data.NerSentence;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.depparse.ParserCalibration;
import io.github.sparsestruct.models.depparse.ParserEvaluation;
import io.github.sparsestruct.models.depparse.ParserModel;
import io.github.sparsestruct.models.ner.NerCalibration;
import io.github.sparsestruct.models.ner.NerEvaluation;
import io.github.sparsestruct.models.ner.NerModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparsestruct evaluate}: scores a model on gold data; the last line printed is one JSON object. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate a NER model (IOB2 gold data), a parser (CoNLL-U gold data) or a word aligner",
            "(MultiMWA TSV gold data: sure-link P/R/F1, support size, non-zero pairs, pairs/s).",
            "Prints tables (entity P/R/F1 per type; UAS/LAS/UPOS with and without punctuation;",
            "the ambiguity figures of the alternatives) and, as the last line, one JSON object."})
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--task", required = true, paramLabel = "TASK", description = "ner, depparse or align")
    String task;

    @Option(names = "--model", paramLabel = "MODEL", description = "model file (default: the bundled model)")
    Path model;

    @Option(names = "--language", defaultValue = ModelCatalog.DEFAULT_LANGUAGE, paramLabel = "LANG",
            description = "language of the bundled model (default en)")
    String language;

    @Option(names = "--variant", defaultValue = ModelCatalog.DEFAULT_VARIANT, paramLabel = "V",
            description = "variant of the bundled model: fast (the default) or accurate (the BERT encoder, with the "
                    + "sparsestruct-encoder-bert module); ignored with --model")
    String variant;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "gold data")
    Path data;

    @Option(names = "--decode", defaultValue = "map", paramLabel = "MODE",
            description = "ner: map, marginals, sparsemap, dp_l2; depparse: map, sparsemap, marginals; "
                    + "align: map, sparsemap, marginals (default map)")
    String decode;

    @Option(names = "--decoder", paramLabel = "DECODER",
            description = "align: matching or sequential (default: the decoder the model was trained with; "
                    + "matching for models trained with both)")
    String decoder;

    @Option(names = "--threshold", defaultValue = "0.5", paramLabel = "P",
            description = "align: a link is predicted when its marginal is at least P (sparsemap, marginals; "
                    + "default 0.5)")
    double threshold;

    @Option(names = "--batch", defaultValue = "64", paramLabel = "N", description = "sentences per batch")
    int batch;

    @Option(names = "--report", paramLabel = "DIR", description = "also write DIR/report.html (the figures and "
            + "reliability diagrams of the part weights and of the best structure's probability) and DIR/report.json")
    Path report;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        ObjectNode json;
        switch (task) {
            case BundledModels.NER -> {
                Decoding mode = Decoding.Task.NER.parse(decode);
                NerModel m = model == null ? BundledModels.ner(language, variant) : BundledModels.ner(model);
                List<NerSentence> gold = Iob2Reader.read(data);
                NerEvaluation ev = NerEvaluation.run(m, gold, mode, batch);
                out.print(ev.table());
                json = ev.toJson();
                if (report != null) {
                    ReportWriter.structured(report, "NER on " + data.getFileName(), ev.table(), json.deepCopy(),
                            NerCalibration.of(m, gold), mode);
                }
            }
            case BundledModels.DEPPARSE -> {
                Decoding mode = Decoding.Task.PARSE.parse(decode);
                ParserModel m = model == null ? BundledModels.parser(language, variant) : BundledModels.parser(model);
                List<DepSentence> gold = ConlluReader.read(data);
                ParserEvaluation ev = ParserEvaluation.run(m, gold, mode, batch);
                out.print(ev.table());
                json = ev.toJson();
                if (report != null) {
                    ReportWriter.structured(report, "Parsing on " + data.getFileName(), ev.table(), json.deepCopy(),
                            ParserCalibration.of(m, gold), mode);
                }
            }
            case BundledModels.ALIGN -> {
                Decoding mode = Decoding.Task.ALIGN.parse(decode);
                AlignModel m = model == null ? BundledModels.align(language, variant) : BundledModels.align(model);
                AlignDecoder dec = decoder == null ? m.config().decoder() : TrainCommand.parse(AlignDecoder.class,
                        decoder);
                if (dec == AlignDecoder.BOTH) {
                    dec = AlignDecoder.MATCHING;
                }
                List<AlignPair> gold = AlignmentReader.read(data);
                AlignEvaluation ev = AlignEvaluation.run(m, gold, dec, mode, threshold, batch);
                out.print(ev.table());
                json = ev.toJson();
                if (report != null) {
                    ReportWriter.alignment(report, "Alignment on " + data.getFileName(), ev.table(),
                            json.deepCopy(), m, gold, dec, mode);
                }
            }
            default -> {
                spec.commandLine().getErr().println("evaluate: unknown task '" + task
                        + "'; expected ner, depparse or align");
                return 2;
            }
        }
        json.put("model", model == null ? (ModelCatalog.DEFAULT_VARIANT.equals(variant) ? "bundled"
                : "bundled " + variant) : model.toString());
        json.put("data", data.toString());
        out.println(InstanceSolver.MAPPER.writeValueAsString(json));
        out.flush();
        return 0;
    }
}
