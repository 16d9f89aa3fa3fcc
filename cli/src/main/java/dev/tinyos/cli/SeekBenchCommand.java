package dev.tinyos.cli;

import dev.tinyos.replay.Replay;
import dev.tinyos.replay.ReplayOutcome;
import dev.tinyos.replay.TraceException;
import dev.tinyos.replay.checkpoint.Checkpoints;
import dev.tinyos.replay.checkpoint.TraceIndex;
import dev.tinyos.replay.gdb.ReplayTarget;
import dev.tinyos.replay.gdb.Stop;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tinyos seekbench TRACE}: how fast the gdb stub moves around a trace with checkpoints,
 * every figure of issue 16's benchmark in one run. In this order, in one JVM: a warm-up replay
 * of the trace's first stretch; a plain replay (the reference); {@code tinyos index} into a
 * scratch directory; the gdb target's first pass (taking its checkpoints in memory); a second
 * plain replay (so each way of replaying has a plain one on either side, and the ratios use
 * their mean); then random seeks (a fixed seed, so runs compare), reverse-stepi at three places,
 * reverse-continue across 1 G instructions, and seeks in a new session from the index alone.
 * Invariant: it only reads the trace; the scratch index is deleted at the end.
 */
@Command(name = "seekbench", mixinStandardHelpOptions = true,
        description = "Benchmark checkpoints on a trace: plain replay vs indexing, seeks, reverse-stepi, "
                + "reverse-continue, checkpoint bytes (docs/checkpoints.md).",
        footer = {"Prints the figures of issue 16's benchmark; scripts/seekbench-10g.sh records the 11 G-instruction "
                + "stress trace they are documented for and runs this on it. Memory budget of the checkpoints: "
                + "TINYOS_JAVA_OPTS=-Dtinyos.checkpoint.budgetMiB=N."})
public final class SeekBenchCommand implements Callable<Integer> {
    /** --engine interp|jit (EngineOption). */
    @Mixin
    EngineOption engine = new EngineOption();

    @Parameters(paramLabel = "TRACE", description = "trace directory")
    Path trace;

    @Option(names = "--seeks", paramLabel = "N", description = "random seeks to time (default 20)")
    int seeks = 20;

    @Option(names = "--warmup", paramLabel = "N", description = "instructions of the warm-up replay before the "
            + "timed ones (default: a 10th of the trace, at most 1,000,000,000)")
    Long warmup;

    @Override
    public Integer call() {
        if (seeks < 1 || (warmup != null && warmup < 0)) {
            System.err.println("tinyos: --seeks must be at least 1 and --warmup at least 0");
            return BadInputException.EXIT_CODE;
        }
        Path scratch = null;
        try {
            long end;
            try (Replay r = Replay.open(trace, null)) {
                end = r.summary().hasEnd() ? r.summary().endIcount() : r.summary().lastIcount();
            }
            long warm = warmup != null ? Math.min(warmup, end) : Math.min(end / 10, 1_000_000_000L);
            System.out.printf(Locale.ROOT, "trace %s: %,d instructions; %d cores, max heap %,d MiB%n", trace, end,
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
            double warmS = plain(warm)[0];
            System.out.printf(Locale.ROOT, "warm-up: plain replay of the first %,d instructions %.2f s%n", warm, warmS);
            double[] p1 = plain(Long.MAX_VALUE);
            double plain1 = p1[0];
            System.out.printf(Locale.ROOT, "plain replay (1st): %.2f s (CPU %.2f s), %.1f MIPS%n", plain1, p1[1],
                    end / plain1 / 1e6);

            scratch = Files.createTempDirectory("tinyos-seekbench-index-");
            Path made = scratch;
            Thread cleanup = new Thread(() -> deleteQuietly(made)); // also when stopped by SIGINT/SIGTERM
            Runtime.getRuntime().addShutdownHook(cleanup);
            long every = TraceIndex.defaultSpacing(end);
            long t0 = System.nanoTime();
            double c0 = cpuSeconds();
            TraceIndex.Written w = TraceIndex.write(trace, every, scratch);
            double indexS = (System.nanoTime() - t0) / 1e9;
            double indexCpu = cpuSeconds() - c0;
            if (!w.ok()) {
                System.err.println("tinyos: " + w.outcome().message());
                return 1;
            }

            t0 = System.nanoTime();
            c0 = cpuSeconds();
            try (ReplayTarget target = new ReplayTarget(trace, OutputStream.nullOutputStream(), scratch.resolve("none"))) {
                target.seek(end);
                double firstPassS = (System.nanoTime() - t0) / 1e9;
                double firstPassCpu = cpuSeconds() - c0;
                double[] p2 = plain(Long.MAX_VALUE);
                double plain2 = p2[0];
                double plainMean = (plain1 + plain2) / 2;
                double cpuMean = (p1[1] + p2[1]) / 2;
                System.out.printf(Locale.ROOT, "plain replay (2nd): %.2f s (CPU %.2f s), %.1f MIPS; mean of the two %.2f s "
                        + "(CPU %.2f s)%n", plain2, p2[1], end / plain2 / 1e6, plainMean, cpuMean);
                System.out.printf(Locale.ROOT, "tinyos index (%d files every %,d instructions): %.2f s = %.2fx the "
                        + "plain replay (%.2fx the 1st, %.2fx the 2nd; goal <= 1.2x); CPU %.2f s = %.2fx%n", w.count(),
                        every, indexS, indexS / plainMean, indexS / plain1, indexS / plain2, indexCpu, indexCpu / cpuMean);
                System.out.printf(Locale.ROOT, "gdb target's first pass, taking checkpoints in memory: %.2f s = %.2fx "
                        + "the plain replay (%.2fx the 1st, %.2fx the 2nd); CPU %.2f s = %.2fx%n", firstPassS,
                        firstPassS / plainMean, firstPassS / plain1, firstPassS / plain2, firstPassCpu,
                        firstPassCpu / cpuMean);
                Checkpoints c = target.checkpoints();
                System.out.printf(Locale.ROOT, "checkpoints in memory: %s; %,.0f bytes per checkpoint, %,.0f bytes per "
                        + "G instructions%n", c.describe(), (double) c.bytes() / c.count(), c.bytes() / (end / 1e9));
                System.out.printf(Locale.ROOT, "checkpoint files (index): %d, %,.0f bytes per file, %,.0f bytes per G "
                        + "instructions%n", w.count(), (double) w.bytes() / Math.max(1, w.count()), w.bytes() / (end / 1e9));

                Random r = new Random(16);
                double[] times = new double[seeks];
                for (int i = 0; i < seeks; i++) {
                    long to = (long) (r.nextDouble() * end);
                    long s = System.nanoTime();
                    target.seek(to);
                    times[i] = (System.nanoTime() - s) / 1e9;
                }
                System.out.printf(Locale.ROOT, "seek to %d random icounts: median %.3f s, worst %.3f s (goal < 1 s)%n",
                        seeks, median(times), max(times));

                double[] steps = new double[15];
                long[] places = {end / 10 + 12345, end / 2 + 12345, end - 12345};
                for (int p = 0; p < places.length; p++) {
                    target.seek(places[p]);
                    for (int i = 0; i < 5; i++) {
                        long s = System.nanoTime();
                        target.reverseStep();
                        steps[p * 5 + i] = (System.nanoTime() - s) / 1e9;
                    }
                }
                System.out.printf(Locale.ROOT, "reverse-stepi (5 each after seeks to 10%%, 50%%, the end): median %.3f s, "
                        + "worst %.3f s (goal < 0.1 s)%n", median(steps), max(steps));

                long span = Math.min(end, 1_000_000_000L);
                target.seek(span);
                target.addBreakpoint(0); // never executed: the scan goes all the way back to icount 0
                long s = System.nanoTime();
                Stop stop = target.reverseResume();
                System.out.printf(Locale.ROOT, "reverse-continue across %,d instructions (a breakpoint that never hits, "
                        + "to %s): %.2f s%n", span, stop.kind(), (System.nanoTime() - s) / 1e9);
                target.removeBreakpoint(0);
            }

            int cold = Math.min(seeks, 5);
            double[] fresh = new double[cold];
            Random r = new Random(17);
            for (int i = 0; i < cold; i++) {
                long to = (long) (r.nextDouble() * end);
                long s = System.nanoTime();
                try (ReplayTarget target = new ReplayTarget(trace, OutputStream.nullOutputStream(), scratch)) {
                    target.seek(to);
                }
                fresh[i] = (System.nanoTime() - s) / 1e9;
            }
            System.out.printf(Locale.ROOT, "seek in a new session from the index alone (%d random icounts, %,d "
                    + "instructions apart at most): median %.2f s, worst %.2f s%n", cold, every, median(fresh), max(fresh));
            return 0;
        } catch (TraceException e) {
            System.err.println("tinyos: " + e.getMessage());
            return BadInputException.EXIT_CODE;
        } catch (IOException e) {
            System.err.println("tinyos: seekbench: " + e.getMessage());
            return 1;
        } finally {
            deleteQuietly(scratch);
        }
    }

    /**
     * CPU time of this whole process so far (every thread: the replay, a writer, GC, JIT), in
     * seconds; it moves much less than wall time when other processes share the cores.
     */
    private static double cpuSeconds() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean b ? b.getProcessCpuTime() / 1e9 : Double.NaN;
    }

    /** A plain replay to {@code until} (or the end), silent; its wall and CPU time in seconds. */
    private double[] plain(long until) throws TraceException, IOException {
        long t0 = System.nanoTime();
        double c0 = cpuSeconds();
        try (Replay plain = Replay.open(trace, OutputStream.nullOutputStream())) {
            ReplayOutcome o = until == Long.MAX_VALUE ? plain.run() : plain.runTo(until);
            if (!o.ok()) {
                throw new IOException("the plain replay did not match the trace: " + o.message());
            }
        }
        return new double[] {(System.nanoTime() - t0) / 1e9, cpuSeconds() - c0};
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(0);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return; // never made, or deleted already (the shutdown hook runs after the normal end too)
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("tinyos: could not delete the scratch index " + dir + ": " + e.getMessage());
        }
    }
}
