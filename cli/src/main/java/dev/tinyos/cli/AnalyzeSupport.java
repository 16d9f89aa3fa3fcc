package dev.tinyos.cli;

import dev.tinyos.analysis.Analysis;
import dev.tinyos.analysis.AnalysisException;
import dev.tinyos.analysis.Job;
import dev.tinyos.replay.TraceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What every {@code analyze} job command does: replay the trace with the jobs attached
 * (progress on a terminal), then write their files into the output directory and list them.
 * Invariant: a trace or analysis problem is one line on stderr and exit status 2.
 */
final class AnalyzeSupport {
    private AnalyzeSupport() {}

    /** The output directory: {@code out}, or TRACE/analysis by default; created if needed. */
    static Path outputDir(Path trace, Path out) throws IOException {
        Path dir = out != null ? out : trace.resolve("analysis");
        Files.createDirectories(dir);
        return dir;
    }

    /** Replays {@code trace} with {@code jobs} and writes their files; returns the exit status. */
    static int runAndWrite(Path trace, Path out, List<? extends Job> jobs) throws IOException {
        try {
            Analysis.run(trace, jobs, System.console() != null);
        } catch (TraceException | AnalysisException e) {
            System.err.println("tinyos: " + e.getMessage());
            return BadInputException.EXIT_CODE;
        }
        Path dir = outputDir(trace, out);
        for (Job j : jobs) {
            for (Path f : j.write(dir)) {
                System.out.println(f);
            }
        }
        return 0;
    }
}
