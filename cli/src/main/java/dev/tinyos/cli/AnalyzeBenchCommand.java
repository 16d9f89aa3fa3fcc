package dev.tinyos.cli;

import dev.tinyos.analysis.Analysis;
import dev.tinyos.analysis.AnalysisException;
import dev.tinyos.analysis.Job;
import dev.tinyos.analysis.cache.CacheJob;
import dev.tinyos.analysis.sched.SchedJob;
import dev.tinyos.core.input.VirtualClock;
import dev.tinyos.replay.RecordSession;
import dev.tinyos.replay.Replay;
import dev.tinyos.replay.ReplayOutcome;
import dev.tinyos.replay.TraceException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tinyos analyze bench [TRACE] [--runs N]}: how fast the analysis jobs replay compared
 * with a plain replay of the same trace (best of N, each timed from opening the trace to the
 * end of the replay, files not written; one untimed warm-up replay first, then the three
 * measurements interleaved). Prints both ratios against their goals: scheduler
 * analysis >= 1/2 of plain replay speed, cache simulation >= 1/5. Without TRACE it records the
 * kernel running {@code spin} and {@code sleeper} into a temporary directory first. Invariant:
 * measures only; the trace is read, never changed.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark: replay speed of the sched and cache analyses relative to a plain replay "
                + "(goals: sched >= 0.5, cache >= 0.2). Without TRACE, records a short kernel run first."})
public final class AnalyzeBenchCommand implements Callable<Integer> {
    /** --engine interp|jit (EngineOption). */
    @Mixin
    EngineOption engine = new EngineOption();

    /** The default workload: CPU spinners (preemption) and sleepers (wakeups). */
    static final String WORKLOAD = "spin 3 30\nsleeper 4 5\npoweroff\n";
    static final double SCHED_GOAL = 0.5, CACHE_GOAL = 0.2;

    @Parameters(arity = "0..1", paramLabel = "TRACE", description = "trace directory (default: record one)")
    Path trace;

    @Option(names = "--runs", paramLabel = "N", description = "runs per measurement, best kept (default: 3)")
    int runs = 3;

    @Override
    public Integer call() throws Exception {
        if (runs < 1) {
            System.err.println("tinyos: --runs must be at least 1, not " + runs);
            return BadInputException.EXIT_CODE;
        }
        Path tmp = null;
        try {
            if (trace == null) {
                tmp = Files.createTempDirectory("tinyos-analyze-bench");
                trace = tmp.resolve("trace");
                recordDefault(trace);
            }
            long icount = icount(trace);
            plainReplay(trace);  // warm-up: JIT-compile the hart before anything is timed
            double plain = Double.MAX_VALUE, sched = Double.MAX_VALUE, cache = Double.MAX_VALUE;
            for (int i = 0; i < Math.max(1, runs); i++) {  // interleaved, so load changes hit all three
                plain = Math.min(plain, time(() -> plainReplay(trace)));
                sched = Math.min(sched, time(() -> analyse(trace, new SchedJob())));
                cache = Math.min(cache, time(() -> analyse(trace, new CacheJob())));
            }
            System.out.printf(Locale.ROOT, "trace %s: %,d instructions, best of %d%n", trace, icount, runs);
            System.out.printf(Locale.ROOT, "  plain replay     %8.3f s  %7.1f MIPS%n", plain, icount / plain / 1e6);
            boolean ok = line("sched analysis", sched, plain, icount, SCHED_GOAL);
            ok &= line("cache analysis", cache, plain, icount, CACHE_GOAL);
            return ok ? 0 : 1;
        } catch (TraceException | AnalysisException e) {
            System.err.println("tinyos: " + e.getMessage());
            return BadInputException.EXIT_CODE;
        } finally {
            if (tmp != null) {
                deleteTree(tmp);
            }
        }
    }

    private static boolean line(String what, double secs, double plain, long icount, double goal) {
        double ratio = plain / secs;
        System.out.printf(Locale.ROOT, "  %-16s %8.3f s  %7.1f MIPS  ratio %.3f of plain (goal >= %.2f: %s)%n",
                what, secs, icount / secs / 1e6, ratio, goal, ratio >= goal ? "met" : "NOT met");
        return ratio >= goal;
    }

    private interface Timed {
        void run() throws Exception;
    }

    private static double time(Timed t) throws Exception {
        long t0 = System.nanoTime();
        t.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void analyse(Path trace, Job job) throws Exception {
        Analysis.run(trace, List.of(job), false);
    }

    private static long icount(Path trace) throws TraceException {
        try (Replay r = Replay.open(trace, null)) {
            return r.summary().endIcount();
        }
    }

    private static void plainReplay(Path trace) throws TraceException, AnalysisException {
        try (Replay r = Replay.open(trace, null)) {
            ReplayOutcome o = r.run();
            if (!o.ok()) {
                throw new AnalysisException("cannot replay " + trace + ": " + o.message());
            }
        }
    }

    private static void recordDefault(Path dir) throws IOException, TraceException {
        VirtualClock clock = VirtualClock.withInput(WORKLOAD.getBytes(StandardCharsets.US_ASCII));
        RecordSession.Options o = RecordSession.Options.virtual(dir, dev.tinyos.core.MachineConfig.builder()
                .kernel(Home.guestBuild().resolve("kernel.elf")).console(new ByteArrayOutputStream()).input(clock).build(),
                clock);
        o.command = "analyze bench";
        try (RecordSession s = RecordSession.start(o)) {
            s.run(20_000_000_000L);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
