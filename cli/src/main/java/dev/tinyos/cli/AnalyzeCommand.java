package dev.tinyos.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code tinyos analyze}: analysis jobs over the replay of a trace (scheduler statistics,
 * comparisons of two runs, cache simulation, the analysis benchmark). Invariant: only
 * dispatches; each subcommand replays the trace read-only and writes its files to -o DIR.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Analyse a recorded run by replaying it with probes on the kernel's tracepoints "
                + "(guest/TRACEPOINTS.md): CSV files and SVG plots.",
                "The recorded run is never slowed or changed; the same trace always gives the same files."},
        subcommands = {AnalyzeSchedCommand.class, AnalyzeCacheCommand.class, AnalyzeCompareCommand.class, AnalyzeBenchCommand.class,
            CommandLine.HelpCommand.class},
        commandListHeading = "%nJobs:%n")
public final class AnalyzeCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
