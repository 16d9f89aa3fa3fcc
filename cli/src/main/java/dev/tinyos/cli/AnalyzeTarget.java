package dev.tinyos.cli;

import dev.tinyos.analysis.Job;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What every {@code tinyos analyze} subcommand that writes files takes (a picocli mixin): the
 * trace it replays, {@code TRACE}, and where its files go, {@code -o DIR}. Invariant: pure
 * option holder; a missing DIR means TRACE/analysis ({@link AnalyzeSupport}).
 */
final class AnalyzeTarget {
    @Parameters(paramLabel = "TRACE", description = "trace directory")
    Path trace;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "output directory (default: TRACE/analysis)")
    Path out;

    /** Replays the trace with {@code jobs} and writes their files into DIR; returns the exit status. */
    int runAndWrite(List<? extends Job> jobs) {
        return AnalyzeSupport.runAndWrite(trace, out, jobs);
    }
}
