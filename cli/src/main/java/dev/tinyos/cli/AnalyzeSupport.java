package dev.tinyos.cli;

import dev.tinyos.analysis.Analysis;
import dev.tinyos.analysis.AnalysisException;
import dev.tinyos.analysis.Job;
import dev.tinyos.replay.IoMessages;
import dev.tinyos.replay.Trace;
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

    /**
     * The output directory, {@code out} or TRACE/analysis by default, created and checked to be
     * writable before any replay starts, so that a bad {@code -o} costs nothing. The default lies
     * inside the trace, so the trace is checked first: nothing is created in a directory that is
     * not a trace.
     *
     * @throws BadInputException naming the directory and what is wrong with it
     */
    static Path prepareOutput(Path trace, Path out) throws BadInputException {
        if (out == null) {
            try {
                Trace.open(trace);
            } catch (TraceException e) {
                throw new BadInputException(e.getMessage());
            }
        }
        Path dir = out != null ? out : trace.resolve("analysis");
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new BadInputException("cannot write the analysis into " + dir + ": it exists and is not a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BadInputException("cannot create the output directory " + dir + ": " + IoMessages.reason(e));
        }
        if (!Files.isWritable(dir)) {
            throw new BadInputException("cannot write the analysis into " + dir + ": permission denied");
        }
        return dir;
    }

    /** Replays {@code trace} with {@code jobs} and writes their files; returns the exit status. */
    static int runAndWrite(Path trace, Path out, List<? extends Job> jobs) {
        Path dir;
        try {
            dir = prepareOutput(trace, out);
            Analysis.run(trace, jobs, System.console() != null);
        } catch (BadInputException | TraceException | AnalysisException e) {
            System.err.println("tinyos: " + e.getMessage());
            return BadInputException.EXIT_CODE;
        }
        for (Job j : jobs) {
            try {
                for (Path f : j.write(dir)) {
                    System.out.println(f);
                }
            } catch (IOException e) {
                System.err.println("tinyos: cannot write the analysis into " + dir + ": " + IoMessages.reason(e));
                return BadInputException.EXIT_CODE;
            }
        }
        return 0;
    }
}
