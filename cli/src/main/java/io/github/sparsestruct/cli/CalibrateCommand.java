package io.github.sparsestruct.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparsestruct.models.BundledModels;
import io.github.sparsestruct.models.ModelCatalog;
import io.github.sparsestruct.models.calibrate.CalibrationSet;
import io.github.sparsestruct.models.calibrate.CoverageCurve;
import io.github.sparsestruct.models.calibrate.TemperatureFit;
import io.github.sparsestruct.models.data.ConlluReader;
import io.github.sparsestruct.models.data.Iob2Reader;
import io.github.sparsestruct.models.depparse.ParserCalibration;
import io.github.sparsestruct.models.depparse.ParserModel;
import io.github.sparsestruct.models.depparse.ParserModelCodec;
import io.github.sparsestruct.models.format.ParameterFiles;
import io.github.sparsestruct.models.ner.NerCalibration;
import io.github.sparsestruct.models.ner.NerModel;
import io.github.sparsestruct.models.ner.NerModelCodec;
import io.github.sparsestruct.models.nn.ParameterStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sparsestruct calibrate}: fits the temperature of each decoding of a NER model or a parser on gold dev data
 * and writes the model with it (docs/models.md, "Calibration").
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Fit the calibration of a NER model (IOB2 dev data) or a parser (CoNLL-U dev data): per",
            "decoding, the temperature that minimises the Brier score of the part weights (spans, arcs).",
            "Prints each fit (Brier score, part and whole-structure ECE, mean support, before -> after)",
            "and, as the last line, one JSON object; writes the calibrated model to --out (default: --model)."})
public final class CalibrateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--task", required = true, paramLabel = "TASK", description = "ner or depparse")
    String task;

    @Option(names = "--model", paramLabel = "MODEL", description = "model file (default: the bundled model; then "
            + "--out is required)")
    Path model;

    @Option(names = "--language", defaultValue = ModelCatalog.DEFAULT_LANGUAGE, paramLabel = "LANG",
            description = "language of the bundled model (default en)")
    String language;

    @Option(names = "--variant", defaultValue = ModelCatalog.DEFAULT_VARIANT, paramLabel = "V",
            description = "variant of the bundled model: fast (the default) or accurate; ignored with --model")
    String variant;

    @Option(names = "--dev", required = true, paramLabel = "FILE", description = "gold dev data")
    Path dev;

    @Option(names = "--out", paramLabel = "FILE", description = "where to write the calibrated model (default: "
            + "replace --model)")
    Path out;

    @Option(names = "--coverage", split = ",", paramLabel = "T", description = "after the fit, sweep the SparseMAP "
            + "temperature over these values and print the coverage curve (support, oracle, gold in support) beside "
            + "k-best lists of the same sizes; the model keeps its fitted temperature")
    double[] coverage;

    @Option(names = "--listed", defaultValue = "3", paramLabel = "K", description = "the curve's third column: the "
            + "support cut to its K heaviest structures (default 3)")
    int listed;

    @Option(names = "--pretrained-precision", paramLabel = "P", description = "fp32 or int8: for a model over a "
            + "pretrained encoder, run the encoder at this precision for the fit and write the model asking for it "
            + "(default: the model's own)")
    String precision;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        Path target = out != null ? out : model;
        if (target == null) {
            spec.commandLine().getErr().println("calibrate: give --out to calibrate a bundled model");
            return 2;
        }
        if (!task.equals(BundledModels.NER) && !task.equals(BundledModels.DEPPARSE)) {
            spec.commandLine().getErr().println("calibrate: unknown task '" + task + "'; expected ner or depparse");
            return 2;
        }
        ParameterStore store = model == null ? BundledModels.store(task, language, variant)
                : BundledModels.store(task, model);
        if (precision != null) {
            try {
                if (task.equals(BundledModels.NER)) {
                    NerModelCodec.setPretrainedPrecision(store, precision);
                } else {
                    ParserModelCodec.setPretrainedPrecision(store, precision);
                }
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("calibrate: --pretrained-precision: " + e.getMessage());
                return 2;
            }
        }
        CalibrationSet set = set(task, store, dev);
        List<TemperatureFit.Fit> fits = fit(task, store, set);
        fits.forEach(f -> o.print(f.line()));
        List<CoverageCurve.Point> curve = coverage == null ? List.of() : CoverageCurve.sweep(set, coverage, listed);
        curve.forEach(p -> o.print(p.line()));
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("task", task);
        json.put("model", model == null ? "bundled " + variant : model.toString());
        json.put("dev", dev.toString());
        json.put("out", target.toString());
        json.set("fits", fitsJson(fits));
        if (!curve.isEmpty()) {
            json.set("coverage", CoverageCurve.toJson(curve));
        }
        ObjectNode about = about(store);
        about.set("calibration", calibrationAbout(dev, fits));
        ParameterFiles.resave(target, task, store, about);
        o.println(InstanceSolver.MAPPER.writeValueAsString(json));
        o.flush();
        return 0;
    }

    /** The model held in {@code store}, scored on the gold sentences of {@code dev}. */
    static CalibrationSet set(String task, ParameterStore store, Path dev) throws IOException {
        return task.equals(BundledModels.NER) ? NerCalibration.of(NerModel.load(store), Iob2Reader.read(dev))
                : ParserCalibration.of(ParserModel.load(store), ConlluReader.read(dev));
    }

    /** Fits every decoding of the set and writes the calibration into the store. */
    static List<TemperatureFit.Fit> fit(String task, ParameterStore store, CalibrationSet set) {
        List<TemperatureFit.Fit> fits = set.decodings().stream().map(d -> TemperatureFit.fit(set, d)).toList();
        if (task.equals(BundledModels.NER)) {
            NerModelCodec.recalibrate(store, set.calibration());
        } else {
            ParserModelCodec.recalibrate(store, set.calibration());
        }
        return fits;
    }

    /** The fits as a JSON list. */
    static ArrayNode fitsJson(List<TemperatureFit.Fit> fits) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        fits.forEach(f -> a.add(f.toJson()));
        return a;
    }

    /** What the model file's {@code about} records of a calibration: the data and, per decoding, T and the ECEs. */
    static ObjectNode calibrationAbout(Path dev, List<TemperatureFit.Fit> fits) {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.put("devData", dev.toString());
        c.put("objective", "Brier score of the part weights");
        ObjectNode per = c.putObject("decodings");
        for (TemperatureFit.Fit f : fits) {
            ObjectNode d = per.putObject(f.calibrated().mode().id());
            d.put("temperature", f.temperature());
            number(d, "structureExponent", f.exponent());
            number(d, "partEceBefore", f.uncalibrated().parts().ece());
            number(d, "partEceAfter", f.calibrated().parts().ece());
            number(d, "structureEceBefore", f.uncalibrated().structures().ece());
            number(d, "structureEceAfter", f.calibrated().structures().ece());
            number(d, "meanSupportAfter", f.calibrated().ambiguity().meanSupport());
        }
        return c;
    }

    private static void number(ObjectNode o, String key, double v) {
        if (Double.isNaN(v)) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }

    private static ObjectNode about(ParameterStore store) throws IOException {
        String a = store.getMetadata(ParameterFiles.ABOUT);
        JsonNode n = a == null ? null : InstanceSolver.MAPPER.readTree(a);
        return n instanceof ObjectNode on ? on : JsonNodeFactory.instance.objectNode();
    }
}
