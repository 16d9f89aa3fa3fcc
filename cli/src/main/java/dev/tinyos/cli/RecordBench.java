package dev.tinyos.cli;

import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.input.InputSink;
import dev.tinyos.core.input.InputSource;
import dev.tinyos.core.input.VirtualClock;
import dev.tinyos.replay.EventKind;
import dev.tinyos.replay.RecordSession;
import dev.tinyos.replay.Replay;
import dev.tinyos.replay.ReplayOutcome;
import dev.tinyos.replay.Trace;
import dev.tinyos.replay.TraceException;
import dev.tinyos.replay.TraceSummary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@code tinyos bench --record}: the cost of recording and the speed of replay, in the steady
 * state. Three workloads of one to three seconds each — the CPU benchmark guest, a kernel boot
 * + kstress/forkstorm run, and a disk-heavy kernel run (blkbench four times over a 4 MiB
 * scratch disk), all on the virtual clock with scripted input — are run plain, recorded and
 * replayed, interleaved (each round rotates the order, so no mode always follows the same one;
 * a replay replays the round's or the previous round's trace, which are identical), after one
 * warm-up round; the figures are medians, and also medians of the per-round paired ratios
 * (robust against the host's load drifting between rounds). Replay reports the CPU time of its
 * digests, the bulk of what it does on top of a plain run (reading the event queue is the rest).
 * Time is the machine thread's CPU time (the other agents of a shared host steal wall time, not
 * CPU time), with the wall-clock medians printed alongside; recording and replay hash the
 * digests' memory pages partly on a second thread, whose CPU time is printed separately. An idle
 * kernel on the host clock for a few wall seconds gives trace bytes per guest second; the
 * disk-heavy trace gives trace bytes per MiB of disk traffic.
 * Invariant: every recorded run must replay with all digests matching, or the bench fails.
 */
final class RecordBench {
    private static final long LIMIT = 20_000_000_000L;
    /** About 295 M instructions of kernel stress: threads, locks, fork and exit. */
    static final String STRESS = "kstress 4 40000\nforkstorm\nkstress 8 8000\npoweroff\n";
    /** About 270 M instructions, ~16,000 block requests on a 4 MiB disk. */
    static final String DISK_HEAVY = "blkbench 1024 4\nblkbench 1024 4\nblkbench 1024 4\nblkbench 1024 4\npoweroff\n";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final PrintStream out;
    private final Path scratch;
    private final int rounds;
    private boolean ok = true;

    private RecordBench(PrintStream out, Path scratch, int rounds) {
        this.out = out;
        this.scratch = scratch;
        this.rounds = rounds;
    }

    /** Runs the whole bench; exit status 0 if every replay matched. */
    static int run(Path cpuElf, Path kernel, int rounds, PrintStream out) throws IOException {
        Path scratch = Files.createTempDirectory("tinyos-bench-record");
        try {
            RecordBench b = new RecordBench(out, scratch, Math.max(1, rounds));
            out.printf(Locale.ROOT, "record bench: medians of %d interleaved rounds after a warm-up; time = machine "
                    + "thread CPU time (wall-clock medians in brackets)%n", b.rounds);
            b.compare("cpu benchmark (" + cpuElf.getFileName() + ")", cpuElf, null, new byte[0]);
            b.compare("boot + kstress + forkstorm", kernel, null, ascii(STRESS));
            Path disk = scratch.resolve("disk.img");
            try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
                f.setLength(4 << 20);
            }
            b.compare("boot + blkbench x4 (disk-heavy)", kernel, disk, ascii(DISK_HEAVY));
            b.idle(kernel, 3);
            out.println(b.ok ? "record bench: PASS" : "record bench: FAILED (a replay diverged)");
            return b.ok ? 0 : 1;
        } finally {
            deleteTree(scratch);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** The three ways of running a workload; a round runs them in a rotated order. */
    private static final String[] MODES = {"plain", "recorded", "replay"};

    private void compare(String label, Path elf, Path disk, byte[] input) throws IOException {
        long[][] plain = new long[2][rounds], rec = new long[2][rounds], rep = new long[2][rounds];
        long[] digests = new long[rounds], hasherRec = new long[rounds], hasherRep = new long[rounds];
        long[] recDigests = new long[rounds];
        double[] replaySpeed = new double[rounds], recordCost = new double[rounds];
        long icount = 0;
        Path trace = null;
        for (int i = 0; i <= rounds; i++) { // round 0 warms the JIT up
            long[] p = null, r = null, q = null;
            for (int k = 0; k < MODES.length; k++) {
                // rotate the order so that no mode always runs right after another one; round 0
                // must record before it can replay, later rounds replay the latest trace
                switch (MODES[(k + i) % MODES.length]) {
                    case "plain":
                        p = plain(elf, disk, input);
                        break;
                    case "recorded":
                        Path fresh = scratch.resolve(label.replaceAll("[^a-z]", "") + "-" + i);
                        r = record(fresh, elf, disk, input);
                        if (trace != null) {
                            deleteTree(trace); // replayed already if this round replays before recording
                        }
                        trace = fresh;
                        break;
                    default:
                        q = replay(trace); // round 0 records first, so there is always one
                        break;
                }
            }
            if (i > 0) {
                for (int k = 0; k < 2; k++) {
                    plain[k][i - 1] = p[k + 1];
                    rec[k][i - 1] = r[k];
                    rep[k][i - 1] = q[k];
                }
                digests[i - 1] = q[2];
                hasherRec[i - 1] = r[2];
                recDigests[i - 1] = r[3];
                hasherRep[i - 1] = q[3];
                replaySpeed[i - 1] = (double) p[1] / q[0];
                recordCost[i - 1] = (r[0] - p[1]) * 100.0 / p[1];
            }
            icount = p[0];
        }
        long pc = median(plain[0]), rc = median(rec[0]), qc = median(rep[0]);
        long pw = median(plain[1]), rw = median(rec[1]), qw = median(rep[1]);
        long dc = median(digests);
        TraceSummary s = summary(trace);
        out.printf(Locale.ROOT, "%s: %,d instructions; plain %.3f s (%.1f MIPS), recorded %.3f s, replay %.3f s "
                        + "[wall %.3f / %.3f / %.3f s]%n", label, icount, pc / 1e9, icount * 1e3 / pc, rc / 1e9, qc / 1e9,
                pw / 1e9, rw / 1e9, qw / 1e9);
        out.printf(Locale.ROOT, "  record overhead: %+.1f %% [wall %+.1f %%]   replay speed: %.2fx plain [wall %.2fx]   "
                        + "trace: %,d event bytes (%,d events)%n", (rc - pc) * 100.0 / pc, (rw - pw) * 100.0 / pw,
                (double) pc / qc, (double) pw / qw, s.eventBytes(), s.events());
        out.printf(Locale.ROOT, "  paired by round (median, min..max): record overhead %+.1f %% (%+.1f..%+.1f), replay "
                        + "speed %.3fx (%.3f..%.3f)%n", medianOf(recordCost), min(recordCost), max(recordCost),
                medianOf(replaySpeed), min(replaySpeed), max(replaySpeed));
        out.printf(Locale.ROOT, "  recording's own work: %d digests captured in %.1f ms CPU (%.2f %% of plain)%n",
                s.count(EventKind.DIGEST) + 1, median(recDigests) / 1e6, median(recDigests) * 100.0 / pc);
        out.printf(Locale.ROOT, "  replay's own work: %d digests captured and compared in %.1f ms CPU (%.2f %% of plain); "
                        + "replay less its digests %.3fx plain%n", s.count(EventKind.DIGEST) + 1, dc / 1e6,
                dc * 100.0 / pc, (double) pc / (qc - dc));
        out.printf(Locale.ROOT, "  page-hashing thread (second core): recording %.1f ms CPU, replay %.1f ms CPU; "
                        + "counting it too: record overhead %+.1f %%, replay speed %.2fx plain%n",
                median(hasherRec) / 1e6, median(hasherRep) / 1e6,
                (rc + median(hasherRec) - pc) * 100.0 / pc, (double) pc / (qc + median(hasherRep)));
        out.printf(Locale.ROOT, "  spread over the rounds (max/min - 1, CPU time): plain %.1f %%, recorded %.1f %%, "
                + "replay %.1f %%%n", spread(plain[0]), spread(rec[0]), spread(rep[0]));
        if (disk != null) {
            long requests = s.count(EventKind.COMPLETE);
            double mib = requests * 4096 / (double) (1 << 20);
            out.printf(Locale.ROOT, "  disk: %,d requests (~%.1f MiB at 4 KiB each): %,.0f trace bytes per MiB of "
                    + "disk traffic%n", requests, mib, s.eventBytes() / Math.max(mib, 1e-9));
        }
        deleteTree(trace);
    }

    private static double medianOf(double[] v) {
        double[] c = v.clone();
        java.util.Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return java.util.Arrays.stream(v).min().orElse(0);
    }

    private static double max(double[] v) {
        return java.util.Arrays.stream(v).max().orElse(0);
    }

    private static double spread(long[] v) {
        long min = Long.MAX_VALUE, max = 0;
        for (long x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        return (max - min) * 100.0 / min;
    }

    private static long median(long[] v) {
        long[] c = v.clone();
        java.util.Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** CPU time of the calling thread (the machine thread), in nanoseconds. */
    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    private long[] plain(Path elf, Path disk, byte[] input) throws IOException {
        Path work = disk == null ? null : copy(disk);
        MachineConfig.Builder b = MachineConfig.builder().kernel(elf).console(new ByteArrayOutputStream())
                .input(VirtualClock.withInput(input));
        if (work != null) {
            b.disk(work);
        }
        try (Machine m = new Machine(b.build())) {
            System.gc(); // the previous run's 128 MiB of RAM must not be collected while timing
            long c0 = cpu(), t0 = System.nanoTime();
            RunResult r = m.run(LIMIT);
            return new long[] {r.icount(), cpu() - c0, System.nanoTime() - t0};
        } finally {
            if (work != null) {
                Files.deleteIfExists(work);
            }
        }
    }

    /**
     * {CPU nanoseconds, wall nanoseconds, CPU nanoseconds of the page-hashing thread, machine-thread
     * CPU nanoseconds of its digests} of the recorded run (trace creation not included).
     */
    private long[] record(Path trace, Path elf, Path disk, byte[] input) throws IOException {
        VirtualClock clock = VirtualClock.withInput(input);
        return record(trace, elf, disk, clock, clock::skew, clock.timeBase());
    }

    private long[] record(Path trace, Path elf, Path disk, InputSource live, java.util.function.LongSupplier skew,
                        dev.tinyos.core.input.TimeBase base) throws IOException {
        RecordSession.Options o = new RecordSession.Options();
        o.traceDir = trace;
        o.machine = dev.tinyos.core.MachineConfig.builder().kernel(elf).disk(disk).console(new ByteArrayOutputStream())
                .input(live).build();
        o.skew = skew;
        o.clock = base;
        try (RecordSession s = RecordSession.start(o)) {
            System.gc(); // the previous run's 128 MiB of RAM must not be collected while timing
            long c0 = cpu(), t0 = System.nanoTime();
            s.run(LIMIT);
            return new long[] {cpu() - c0, System.nanoTime() - t0, s.hasherCpuNanos(), s.digestCpuNanos()};
        } catch (TraceException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * {CPU nanoseconds, wall nanoseconds, CPU nanoseconds of its digests, CPU nanoseconds of the
     * page-hashing thread} of the replay (opening the trace not included).
     */
    private long[] replay(Path trace) throws IOException {
        try (Replay r = Replay.open(trace, new ByteArrayOutputStream())) {
            System.gc(); // the previous run's 128 MiB of RAM must not be collected while timing
            long c0 = cpu(), t0 = System.nanoTime();
            ReplayOutcome o = r.run();
            long[] nanos = {cpu() - c0, System.nanoTime() - t0, r.digestCpuNanos(), r.hasherCpuNanos()};
            if (!o.ok()) {
                out.println("  replay FAILED: " + o.message());
                ok = false;
            }
            return nanos;
        } catch (TraceException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The kernel idling at its prompt on the host clock for {@code seconds} of wall time. */
    private void idle(Path kernel, int seconds) throws IOException {
        Path trace = scratch.resolve("idle");
        HostClock clock = new HostClock();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        record(trace, kernel, null, new StopAt(clock, () -> System.nanoTime() >= deadline), clock::skew,
                clock.timeBase());
        long[] replayed = replay(trace);
        TraceSummary s = summary(trace);
        double guestSeconds = (s.endIcount() + s.lastSkew()) / (double) HostClock.IPT / 1e7;
        out.printf(Locale.ROOT, "idle interactive session (host clock, %d s wall): %.2f s guest time, %,d event "
                + "bytes: %,.0f trace bytes per guest second; replayed in %.3f s wall (the waiting is not "
                + "replayed)%n", seconds, guestSeconds, s.eventBytes(), s.eventBytes() / guestSeconds,
                replayed[1] / 1e9);
    }

    private TraceSummary summary(Path trace) throws IOException {
        try {
            return TraceSummary.scan(Trace.open(trace));
        } catch (TraceException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private Path copy(Path disk) throws IOException {
        Path p = Files.createTempFile(scratch, "work", ".img");
        Files.copy(disk, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return p;
    }

    /** A live source that asks the machine to stop once {@code due} says so (checked when it is consulted). */
    private static final class StopAt implements InputSource {
        private final InputSource inner;
        private final Supplier<Boolean> due;
        private boolean stopped;

        StopAt(InputSource inner, Supplier<Boolean> due) {
            this.inner = inner;
            this.due = due;
        }

        @Override public long mtime(long icount) { return inner.mtime(icount); }
        @Override public long icountForMtime(long icount, long target) { return inner.icountForMtime(icount, target); }
        @Override public long nextInputAt(long icount) {
            return !stopped && due.get() ? icount : Math.min(inner.nextInputAt(icount), icount + 1_000_000);
        }
        @Override public void deliver(long icount, InputSink sink) {
            inner.deliver(icount, sink);
            if (!stopped && due.get()) {
                stopped = true;
                sink.stop();
            }
        }
        @Override public void idle(long icount, long wakeMtime) { inner.idle(icount, wakeMtime); }
        @Override public boolean exhausted() { return inner.exhausted() && stopped; }
        @Override public void requestStarted(int device, long tag, long icount) {
            inner.requestStarted(device, tag, icount);
        }
        @Override public void close() { inner.close(); }
    }
}
