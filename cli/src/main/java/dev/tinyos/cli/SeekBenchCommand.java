package dev.tinyos.cli;

import dev.tinyos.replay.Replay;
import dev.tinyos.replay.ReplayOutcome;
import dev.tinyos.replay.TraceException;
import dev.tinyos.replay.checkpoint.Checkpoints;
import dev.tinyos.replay.gdb.ReplayTarget;
import dev.tinyos.replay.gdb.Stop;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tinyos seekbench TRACE}: how fast the gdb stub moves around a trace with checkpoints.
 * Replays it once plainly (the reference time), once as the debug target does (taking its
 * checkpoints), then seeks to random icounts (a fixed seed, so runs compare) and reverse-steps,
 * and prints the times, the checkpoints' count and bytes. Invariant: it only reads the trace.
 */
@Command(name = "seekbench", mixinStandardHelpOptions = true,
        description = "Benchmark checkpointed seeks and reverse-stepi on a trace (docs/checkpoints.md).")
public final class SeekBenchCommand implements Callable<Integer> {
    /** --engine interp|jit (EngineOption). */
    @Mixin
    EngineOption engine = new EngineOption();

    @Parameters(paramLabel = "TRACE", description = "trace directory")
    Path trace;

    @Option(names = "--seeks", description = "random seeks to time (default 20)")
    int seeks = 20;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        long end;
        try (Replay plain = Replay.open(trace, OutputStream.nullOutputStream())) {
            ReplayOutcome o = plain.run();
            if (!o.ok()) {
                System.err.println("tinyos: " + o.message());
                return 1;
            }
            end = o.icount();
        } catch (TraceException e) {
            System.err.println("tinyos: " + e.getMessage());
            return BadInputException.EXIT_CODE;
        }
        double plainS = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        try (ReplayTarget target = new ReplayTarget(trace, OutputStream.nullOutputStream())) {
            target.seek(end);
            double indexS = (System.nanoTime() - t0) / 1e9;
            Checkpoints c = target.checkpoints();
            System.out.printf(Locale.ROOT, "trace: %,d instructions; plain replay %.2f s; replay taking checkpoints "
                    + "%.2f s (%.2fx)%n", end, plainS, indexS, indexS / plainS);
            System.out.printf(Locale.ROOT, "checkpoints: %s; %,.0f bytes per checkpoint, %,.0f bytes per G "
                    + "instructions%n", c.describe(), (double) c.bytes() / c.count(), c.bytes() / (end / 1e9));
            Random r = new Random(16);
            double[] times = new double[seeks];
            for (int i = 0; i < seeks; i++) {
                long to = (long) (r.nextDouble() * end);
                long s = System.nanoTime();
                target.seek(to);
                times[i] = (System.nanoTime() - s) / 1e9;
            }
            Arrays.sort(times);
            System.out.printf(Locale.ROOT, "seek to %d random icounts: median %.3f s, worst %.3f s%n", seeks,
                    times[seeks / 2], times[seeks - 1]);
            double[] steps = new double[5];
            target.seek(end / 2 + 12345);
            for (int i = 0; i < steps.length; i++) {
                long s = System.nanoTime();
                target.reverseStep();
                steps[i] = (System.nanoTime() - s) / 1e9;
            }
            Arrays.sort(steps);
            System.out.printf(Locale.ROOT, "reverse-stepi: median %.3f s, worst %.3f s%n", steps[2], steps[4]);
            long span = Math.min(end, 1_000_000_000L);
            target.seek(span);
            target.addBreakpoint(0); // never executed: the scan goes all the way back to icount 0
            long s = System.nanoTime();
            Stop stop = target.reverseResume();
            System.out.printf(Locale.ROOT, "reverse-continue across %,d instructions (no hit, %s): %.2f s%n", span,
                    stop.kind(), (System.nanoTime() - s) / 1e9);
        } catch (TraceException | IOException e) {
            System.err.println("tinyos: " + e.getMessage());
            return BadInputException.EXIT_CODE;
        }
        return 0;
    }
}
