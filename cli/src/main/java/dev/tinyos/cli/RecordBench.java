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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@code tinyos bench --record}: the cost of recording and the speed of replay. For the CPU
 * benchmark guest and for a kernel boot + kstress run (virtual clock, scripted input) it times
 * plain runs, recorded runs and replays (best of several, after a warm-up) and prints the
 * record overhead in percent and the replay/plain speed ratio; a disk-heavy run (blkbench on a
 * scratch disk) gets the same treatment and its trace bytes per MiB of disk traffic; an idle
 * kernel on the host clock for a few wall seconds gives trace bytes per guest second.
 * Invariant: every recorded run must replay with all digests matching, or the bench fails.
 */
final class RecordBench {
    private static final long LIMIT = 20_000_000_000L;
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
            RecordBench b = new RecordBench(out, scratch, rounds);
            b.compare("cpu benchmark (" + cpuElf.getFileName() + ")", cpuElf, null, new byte[0]);
            b.compare("boot + kstress", kernel, null, "kstress\npoweroff\n".getBytes(StandardCharsets.US_ASCII));
            Path disk = scratch.resolve("disk.img");
            try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
                f.setLength(1 << 20);
            }
            b.compare("boot + blkbench (disk-heavy)", kernel, disk,
                    "blkbench 256 4\npoweroff\n".getBytes(StandardCharsets.US_ASCII));
            b.idle(kernel, 3);
            out.println(b.ok ? "record bench: PASS" : "record bench: FAILED (a replay diverged)");
            return b.ok ? 0 : 1;
        } finally {
            try (Stream<Path> s = Files.walk(scratch)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void compare(String label, Path elf, Path disk, byte[] input) throws IOException {
        long plain = Long.MAX_VALUE, rec = Long.MAX_VALUE, rep = Long.MAX_VALUE;
        long icount = 0;
        Path trace = null;
        for (int i = 0; i <= rounds; i++) { // round 0 warms the JIT up
            long[] p = plain(elf, disk, input);
            trace = scratch.resolve(label.replaceAll("[^a-z]", "") + "-" + i);
            long r = record(trace, elf, disk, input);
            long q = replay(trace);
            if (i > 0) {
                plain = Math.min(plain, p[1]);
                rec = Math.min(rec, r);
                rep = Math.min(rep, q);
            }
            icount = p[0];
        }
        TraceSummary s = summary(trace);
        out.printf(Locale.ROOT, "%s: %,d instructions; plain %.3f s (%.1f MIPS), recorded %.3f s, replay %.3f s%n",
                label, icount, plain / 1e9, icount * 1e3 / plain, rec / 1e9, rep / 1e9);
        out.printf(Locale.ROOT, "  record overhead: %+.1f %%   replay speed: %.2fx plain   trace: %,d event bytes "
                + "(%,d events)%n", (rec - plain) * 100.0 / plain, (double) plain / rep, s.eventBytes(), s.events());
        if (disk != null) {
            long requests = s.count(EventKind.COMPLETE);
            double mib = requests * 4096 / (double) (1 << 20);
            out.printf(Locale.ROOT, "  disk: %,d requests (~%.1f MiB at 4 KiB each): %,.0f trace bytes per MiB of "
                    + "disk traffic%n", requests, mib, s.eventBytes() / Math.max(mib, 1e-9));
        }
    }

    private long[] plain(Path elf, Path disk, byte[] input) throws IOException {
        Path work = disk == null ? null : copy(disk);
        MachineConfig.Builder b = MachineConfig.builder().kernel(elf).console(new ByteArrayOutputStream())
                .input(VirtualClock.withInput(input));
        if (work != null) {
            b.disk(work);
        }
        try (Machine m = new Machine(b.build())) {
            long t0 = System.nanoTime();
            RunResult r = m.run(LIMIT);
            return new long[] {r.icount(), System.nanoTime() - t0};
        } finally {
            if (work != null) {
                Files.deleteIfExists(work);
            }
        }
    }

    private long record(Path trace, Path elf, Path disk, byte[] input) throws IOException {
        VirtualClock clock = VirtualClock.withInput(input);
        return record(trace, elf, disk, clock, clock::skew, clock.ipt(), "virtual");
    }

    private long record(Path trace, Path elf, Path disk, InputSource live, java.util.function.LongSupplier skew,
                        long ipt, String mode) throws IOException {
        RecordSession.Options o = new RecordSession.Options();
        o.traceDir = trace;
        o.kernel = elf;
        o.disk = disk;
        o.live = live;
        o.skew = skew;
        o.ipt = ipt;
        o.clock = mode;
        o.console = new ByteArrayOutputStream();
        try (RecordSession s = RecordSession.start(o)) {
            long t0 = System.nanoTime();
            s.run(LIMIT);
            return System.nanoTime() - t0;
        } catch (TraceException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private long replay(Path trace) throws IOException {
        try (Replay r = Replay.open(trace, new ByteArrayOutputStream())) {
            long t0 = System.nanoTime();
            ReplayOutcome o = r.run();
            long nanos = System.nanoTime() - t0;
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
                HostClock.IPT, "host");
        replay(trace);
        TraceSummary s = summary(trace);
        double guestSeconds = (s.endIcount() + s.lastSkew()) / (double) HostClock.IPT / 1e7;
        out.printf(Locale.ROOT, "idle interactive session (host clock, %d s wall): %.2f s guest time, %,d event "
                + "bytes: %,.0f trace bytes per guest second%n", seconds, guestSeconds, s.eventBytes(),
                s.eventBytes() / guestSeconds);
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
