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
        subcommands = {AnalyzeSchedCommand.class, AnalyzeFsCommand.class, AnalyzeCacheCommand.class, AnalyzeCompareCommand.class, AnalyzeBenchCommand.class,
            CommandLine.HelpCommand.class},
        commandListHeading = "%nJobs:%n")
public final class AnalyzeCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** No job named: the usage on stderr and exit 2, as for any other incomplete command line. */
    @Override
    public Integer call() {
        System.err.println("tinyos: analyze needs a job: sched, fs, cache, compare or bench (try: tinyos analyze --help)");
        return BadInputException.EXIT_CODE;
    }
}
