package io.github.sparsestruct.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparsestruct.cli.html.ReliabilityReport;
import io.github.sparsestruct.models.align.AlignDecoder;
import io.github.sparsestruct.models.align.AlignModel;
import io.github.sparsestruct.models.align.AlignPrediction;
import io.github.sparsestruct.models.align.TokenPair;
import io.github.sparsestruct.models.calibrate.CalibrationFigures;
import io.github.sparsestruct.models.calibrate.CalibrationSet;
import io.github.sparsestruct.models.data.AlignPair;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.eval.ReliabilityBins;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes {@code evaluate --report DIR}: {@code report.html} (the table and reliability diagrams of the part weights
 * and, for NER and parsing, of the best structure's probability) and {@code report.json} (the evaluation's JSON with
 * the reliability bins).
 */
final class ReportWriter {
    private ReportWriter() {
    }

    /** The report of a NER model or a parser, from its calibration set decoded with {@code mode}. */
    static void structured(Path dir, String title, String table, ObjectNode json, CalibrationSet set, Decoding mode)
            throws IOException {
        CalibrationFigures f = CalibrationFigures.of(set, mode);
        ObjectNode r = json.putObject("reliability");
        r.set("parts", f.parts().toJson());
        r.set("structures", f.structures().toJson());
        List<ReliabilityReport.Diagram> d = new ArrayList<>();
        d.add(new ReliabilityReport.Diagram(set.partName() + " weights (" + mode.id() + ")", f.parts()));
        if (f.structures().size() > 0 && !Double.isNaN(f.structures().meanConfidence())) {
            d.add(new ReliabilityReport.Diagram("best structure probability (" + mode.id() + ")", f.structures()));
        }
        write(dir, title, table, json, d);
    }

    /** The report of an aligner: link weights against the gold sure links. */
    static void alignment(Path dir, String title, String table, ObjectNode json, AlignModel model,
                          List<AlignPair> data, AlignDecoder decoder, Decoding mode) throws IOException {
        List<TokenPair> pairs = data.stream().map(p -> new TokenPair(p.source(), p.target())).toList();
        List<AlignPrediction> preds = model.predict(pairs, decoder, mode);
        ReliabilityBins links = new ReliabilityBins();
        for (int k = 0; k < preds.size(); k++) {
            AlignPrediction p = preds.get(k);
            Set<Long> sure = new HashSet<>();
            for (int[] l : data.get(k).sure()) {
                sure.add((long) l[0] * p.n() + l[1]);
            }
            for (int i = 0; i < p.m(); i++) {
                for (int j = 0; j < p.n(); j++) {
                    double w = p.marginals()[i * p.n() + j];
                    if (w >= CalibrationFigures.MIN_PART_WEIGHT) {
                        links.add(w, sure.contains((long) i * p.n() + j));
                    }
                }
            }
        }
        json.putObject("reliability").set("links", links.toJson());
        write(dir, title, table, json, List.of(new ReliabilityReport.Diagram("link weights (" + mode.id()
                + ", against sure links)", links)));
    }

    private static void write(Path dir, String title, String table, ObjectNode json,
                              List<ReliabilityReport.Diagram> diagrams) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.html"), ReliabilityReport.page(title, table, diagrams),
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("report.json"), InstanceSolver.MAPPER.writeValueAsString(json) + "\n",
                StandardCharsets.UTF_8);
    }
}
