package io.github.sparsestruct.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/sparsestruct}. */
@Command(name = "sparsestruct", mixinStandardHelpOptions = true, version = "SparseStruct 0.1.0",
        description = "Ambiguity-preserving structured NLP: SparseMAP and smoothed dynamic programming.",
        subcommands = {AnnotateCommand.class, ServeCommand.class, SolveCommand.class, TrainCommand.class,
            EvaluateCommand.class, CalibrateCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit status (for tests). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            // bad input (unreadable data, a corrupt model, an unknown option value): one clear line, exit 1
            cmd.getErr().println(cmd.getCommandName() + ": " + ex.getMessage());
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
