package dev.tinyos.cli;

import dev.tinyos.replay.TraceException;
import dev.tinyos.replay.checkpoint.TraceIndex;
import dev.tinyos.replay.Replay;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tinyos index TRACE}: saves checkpoints into the trace ({@code TRACE/checkpoints/}) so
 * that {@code replay TRACE --seek N} starts from the nearest one; on a trace with an index it adds
 * only the missing ones ({@link TraceIndex}). Invariant: the trace stays valid without them,
 * every file is written whole or not at all; exit 0 only if the replay that took them matched.
 */
@Command(name = "index", mixinStandardHelpOptions = true,
        description = "Save checkpoints into a trace so that replay --seek starts near its target (docs/checkpoints.md).",
        footer = {"On a trace that has an index already, the checkpoints there that fit the trace are kept "
                + "(whatever their spacing) and only the missing multiples of N are added, replaying from the "
                + "newest one kept before them; files there that are refused (another trace or version, damaged) "
                + "are deleted. Each file is written to a temporary name, forced to disk and renamed, so an "
                + "index that is killed leaves only whole checkpoints: run it again to finish."})
public final class IndexCommand implements Callable<Integer> {
    /** --engine interp|jit (EngineOption). */
    @Mixin
    EngineOption engine = new EngineOption();

    @Parameters(paramLabel = "TRACE", description = "trace directory")
    Path trace;

    @Option(names = "--every", paramLabel = "N", description = "instructions between checkpoints (default: a 16th "
            + "of the trace, at least 2^22)")
    Long every;

    @Override
    public Integer call() {
        try {
            long spacing = every != null ? every : defaultSpacing();
            if (spacing < 1) {
                System.err.println("tinyos: --every must be positive, not " + spacing);
                return BadInputException.EXIT_CODE;
            }
            long t0 = System.nanoTime();
            TraceIndex.Written w = TraceIndex.write(trace, spacing);
            double s = (System.nanoTime() - t0) / 1e9;
            System.err.printf(Locale.ROOT, "tinyos: %d checkpoints every %,d instructions saved in %s/%s (%d kept, "
                    + "%d refused or partial files deleted), %,d bytes in all, in %.1f s; %s%n", w.count(), spacing, trace,
                    TraceIndex.DIR, w.kept(), w.deleted(), w.bytes(), s,
                    w.outcome() == null ? "nothing was missing, nothing replayed" : w.outcome().message());
            return w.ok() ? 0 : 1;
        } catch (TraceException e) {
            System.err.println("tinyos: " + e.getMessage());
            return BadInputException.EXIT_CODE;
        } catch (IOException e) {
            System.err.println("tinyos: cannot save checkpoints into " + trace + ": " + e.getMessage());
            return BadInputException.EXIT_CODE;
        }
    }

    private long defaultSpacing() throws TraceException {
        try (Replay r = Replay.open(trace, null)) {
            long end = r.summary().hasEnd() ? r.summary().endIcount() : r.summary().lastIcount();
            return TraceIndex.defaultSpacing(end);
        }
    }
}
