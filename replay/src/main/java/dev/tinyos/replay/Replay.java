package dev.tinyos.replay;

import dev.tinyos.core.ExitReason;
import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.input.InputSource;
import dev.tinyos.core.state.StateFormatException;
import dev.tinyos.core.state.StateReader;
import dev.tinyos.core.state.StateWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;

/**
 * Replays a trace: builds the machine from the trace's own kernel and initial disk (unpacked
 * into a scratch file), feeds it a {@link Replayer}, runs the same chunks as
 * {@link Recording} and compares every DIGEST and the END with the replayed state. Invariant:
 * replay reads nothing from the host but the trace directory, and the user's files are never
 * touched. (The only host readings are thread CPU times for {@link #digestCpuNanos}, statistics.)
 *
 * <p>A digest's registers, CSRs and console are compared at its icount; its memory hash is
 * computed by a {@link PageHasher} while the machine runs on, and compared before anything
 * later is judged (the next digest, the end, a stop, a failure), so the first divergence
 * reported is still the earliest one, with the same report a synchronous comparison gives.
 */
public final class Replay implements AutoCloseable {
    private final Trace trace;
    private final TraceSummary summary;
    private final Machine machine;
    private final Replayer replayer;
    private final ConsoleTap console;
    private final Path scratchDisk;
    private final PageHasher hasher;
    /** A digest whose registers matched and whose memory hash is being computed: recorded, replayed. */
    private Digest heldRecorded;
    private Digest heldReplayed;
    private long lastDigest;
    private long compared;
    /** Machine-thread CPU time spent capturing and comparing digests (a statistic only). */
    private long digestCpuNanos;

    private Replay(Trace trace, TraceSummary summary, Machine machine, Replayer replayer, ConsoleTap console,
                   Path scratchDisk) {
        this.trace = trace;
        this.summary = summary;
        this.machine = machine;
        this.replayer = replayer;
        this.console = console;
        this.scratchDisk = scratchDisk;
        this.hasher = new PageHasher(machine.ram(), PageHasher.ASYNC_MIN_PAGES);
    }

    /** Opens and checks trace {@code dir}; console output goes to {@code out} (null: discard). */
    public static Replay open(Path dir, OutputStream out) throws TraceException {
        return open(dir, out, UnaryOperator.identity());
    }

    /**
     * As {@link #open(Path, OutputStream)}, with the machine's input source being
     * {@code tap.apply(replayer)}: an observer that must forward every call unchanged (e.g. the
     * crash explorer's record of the disk requests); the replay itself is unaffected.
     */
    public static Replay open(Path dir, OutputStream out, UnaryOperator<InputSource> inputTap) throws TraceException {
        Trace trace = Trace.open(dir);
        TraceHeader h = trace.header();
        // the whole queue is read and checked first (plain reads, fast): a damaged trace is
        // refused before any disk is unpacked or machine built
        TraceSummary summary = TraceSummary.scan(trace);
        EventStream reader = new EventPrefetcher(dir, h.formatVersion);
        Path disk = null;
        Machine m = null;
        try {
            disk = trace.unpackDisk(scratchDir());
            Replayer replayer = new Replayer(reader, h.clock().ipt());
            ConsoleTap tap = new ConsoleTap(out);
            MachineConfig.Builder b = h.machine().toBuilder().console(tap).input(inputTap.apply(replayer));
            if (disk != null) {
                b.disk(disk).diskScratch(true); // deleted after the replay
            }
            m = new Machine(b.build());
            if (m.block() != null) {
                m.block().cache().backend().keepOriginals(); // checkpoints restore the image in place
            }
            deleteQuietly(disk); // the machine holds it open: nothing is left behind, even after a SIGKILL
            return new Replay(trace, summary, m, replayer, tap, disk);
        } catch (TraceException e) {
            abandon(reader, m, disk);
            throw e;
        } catch (IOException | RuntimeException e) {
            abandon(reader, m, disk);
            throw new TraceException("trace " + dir + " cannot be replayed: " + (e instanceof IOException
                    ? IoMessages.reason((IOException) e) : e.getMessage()) + ".", e);
        }
    }

    /** Undoes a half-made {@link #open}: stops the reader, closes the machine, deletes the scratch disk. */
    private static void abandon(EventStream reader, Machine m, Path disk) {
        reader.close();
        if (m != null) {
            try {
                m.close();
            } catch (IOException | RuntimeException e) {
                // the scratch disk only; it is deleted next
            }
        }
        deleteQuietly(disk);
    }

    private static Path scratchDir() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    public Machine machine() {
        return machine;
    }

    public TraceSummary summary() {
        return summary;
    }

    public Trace trace() {
        return trace;
    }

    /**
     * Writes what this replay adds to the machine's state for a checkpoint, then the machine's
     * (not RAM bytes or disk sectors, which checkpoints hold incrementally): the place in the
     * event log, the console's byte count and CRC, the digest bookkeeping. A digest whose memory
     * hash is still being computed is judged first.
     *
     * @throws IllegalStateException if that digest shows the replay diverged
     */
    public void saveState(StateWriter w) {
        ReplayOutcome earlier = settle();
        if (earlier != null) {
            throw new IllegalStateException(earlier.message());
        }
        machine.save(w);
        w.writeLongs(replayer.position());
        w.writeLong(console.bytes());
        w.writeLong(console.crc());
        w.writeLong(lastDigest);
        w.writeLong(compared);
    }

    /**
     * Restores what {@link #saveState} wrote (RAM and disk are the caller's): the machine, and
     * the event log read again from the checkpoint's place.
     *
     * @throws StateFormatException if the state is damaged
     */
    public void restoreState(StateReader r) {
        if (heldRecorded != null) {
            heldRecorded = null;
            heldReplayed = null;
            hasher.finish(); // the window of a digest the restore makes moot
        }
        machine.restore(r);
        long[] pos = r.readLongs();
        if (pos == null || pos.length != 5 || pos[0] < 1 || pos[1] < 0) {
            throw new StateFormatException("the place in the event log is damaged");
        }
        int fv = trace.header().formatVersion;
        EventStream from = pos[0] == 1 ? new EventPrefetcher(trace.dir(), fv)
                : new EventPrefetcher(trace.dir(), fv, pos[1], pos[0] - 1);
        replayer.restore(pos, from);
        long bytes = r.readLong();
        console.restore(bytes, r.readLong());
        lastDigest = r.readLong();
        compared = r.readLong();
    }

    /** The console tap (its byte count and CRC are part of every digest). */
    public ConsoleTap console() {
        return console;
    }

    /** Replays the whole trace, comparing every digest. */
    public ReplayOutcome run() {
        return runTo(Long.MAX_VALUE);
    }

    /**
     * Replays up to icount {@code until} (or the trace's end if earlier), comparing digests on
     * the way; stops at the first mismatch.
     */
    public ReplayOutcome runTo(long until) {
        return explained(replayTo(until, at -> { }));
    }

    /**
     * Replays the whole trace, comparing every digest, and calls {@code progress} with the
     * icount at each digest on the way (for progress bars; it must not touch the machine).
     */
    public ReplayOutcome run(LongConsumer progress) {
        return explained(replayTo(Long.MAX_VALUE, progress));
    }

    /**
     * A divergence of a trace recorded on an older machine revision says so: the guest may
     * have relied on behaviour the machine has changed since.
     */
    private ReplayOutcome explained(ReplayOutcome o) {
        int rev = trace.header().machineRevision();
        if (o.status() != ReplayOutcome.Status.DIVERGED || rev >= TraceHeader.MACHINE_REVISION) {
            return o;
        }
        String m = o.message().endsWith(".") ? o.message().substring(0, o.message().length() - 1) : o.message();
        return new ReplayOutcome(o.status(), o.icount(), o.digests(), o.pc(), o.differences(), m
                + " (the trace was recorded on machine revision " + rev + ", this tinyos implements revision "
                + TraceHeader.MACHINE_REVISION + ": see docs/RECORDING.md).");
    }

    private ReplayOutcome replayTo(long until, LongConsumer progress) {
        long end = summary.hasEnd() ? summary.endIcount() : summary.lastIcount();
        // a run that ended on its own (not by its budget) must be let end on its own
        boolean ownEnd = summary.hasEnd() && summary.end().reason != ExitReason.INSTRUCTION_LIMIT.ordinal();
        long stopAt = Math.min(until, ownEnd ? Long.MAX_VALUE : end);
        try {
            ReplayOutcome[] bad = {null};
            RunResult r = BoundaryDriver.run(machine, trace.header().digestInterval, stopAt, (at, reached) -> {
                if (!digestDueAt(at)) {
                    return false;
                }
                bad[0] = compareDigest(EventKind.DIGEST, reached);
                return bad[0] == null && at < stopAt;
            }, progress);
            if (bad[0] != null) {
                return bad[0];
            }
            long at = machine.view().icount();
            if (r.reason() == ExitReason.BREAKPOINT) {
                return stopped(at, "stopped at the breakpoint at 0x" + Long.toHexString(machine.view().pc())
                        + " (" + machine.view().symbolize(machine.view().pc()) + ") at icount " + at);
            }
            boolean limit = r.reason() == ExitReason.INSTRUCTION_LIMIT;
            if (limit && at == stopAt && stopAt == until && (until < end || ownEnd && until == end)) {
                return stopped(at, "stopped as asked at icount " + at);
            }
            return finish(r);
        } catch (ReplayFailure f) {
            ReplayOutcome earlier = settle();
            if (earlier != null) {
                return earlier;
            }
            return new ReplayOutcome(f.corrupt() ? ReplayOutcome.Status.CORRUPT : ReplayOutcome.Status.DIVERGED,
                    f.icount(), compared, machine.view().pc(), List.of(), f.getMessage() + ".");
        }
    }

    /**
     * Replays to the first entry of the kernel's {@code panic} (or {@code panic_trap}) function,
     * with breakpoints on both (the run stops before their first instruction; everything before
     * runs at full speed). Stops at the end of the trace if it never panicked.
     */
    public ReplayOutcome runToPanic() {
        OptionalLong p1 = machine.view().symbol("panic");
        OptionalLong p2 = machine.view().symbol("panic_trap");
        if (p1.isEmpty() && p2.isEmpty()) {
            return new ReplayOutcome(ReplayOutcome.Status.DIVERGED, 0, 0, 0, List.of(),
                    "the kernel in this trace has no panic or panic_trap symbol.");
        }
        p1.ifPresent(machine.probes()::breakAt);
        p2.ifPresent(machine.probes()::breakAt);
        try {
            ReplayOutcome o = run();
            if (o.status() == ReplayOutcome.Status.STOPPED_AS_ASKED) {
                long pc = machine.view().pc();
                if (pc == p1.orElse(-1) || pc == p2.orElse(-1)) {
                    return stopped(machine.view().icount(), "stopped at the entry of "
                            + machine.view().symbolize(pc) + " at icount " + machine.view().icount());
                }
                return o;
            }
            if (o.status() == ReplayOutcome.Status.MATCHED || o.status() == ReplayOutcome.Status.TRUNCATED_MATCHED) {
                return noPanic();
            }
            return o;
        } finally {
            machine.probes().clearBreakpoints();
        }
    }

    private ReplayOutcome noPanic() {
        ReplayOutcome earlier = settle();
        if (earlier != null) {
            return earlier;
        }
        return new ReplayOutcome(ReplayOutcome.Status.NO_PANIC, machine.view().icount(), compared, machine.view().pc(),
                List.of(), "no panic was reached: the recorded run never entered panic or panic_trap (replayed to "
                + "its end at icount " + String.format(Locale.ROOT, "%,d", machine.view().icount()) + ", "
                + compared + " digests matched).");
    }

    /** True if the trace's kernel has a {@code panic} or {@code panic_trap} symbol for {@link #runToPanic}. */
    public boolean hasPanicSymbol() {
        return machine.view().symbol("panic").isPresent() || machine.view().symbol("panic_trap").isPresent();
    }

    /** True if the trace's next mark is a DIGEST at {@code icount}. */
    private boolean digestDueAt(long icount) {
        Event m = replayer.peekMark();
        return m != null && m.kind == EventKind.DIGEST && m.icount == icount;
    }

    private ReplayOutcome stopped(long at, String message) {
        ReplayOutcome earlier = settle();
        if (earlier != null) {
            return earlier;
        }
        return new ReplayOutcome(ReplayOutcome.Status.STOPPED_AS_ASKED, at, compared, machine.view().pc(),
                List.of(), message + "; " + compared + " digests matched on the way.");
    }

    /**
     * Machine-thread CPU time, in nanoseconds, this replay spent capturing and comparing
     * digests so far (including the pages it hashed itself): the work replay adds to the
     * machine thread of a plain run. A statistic for benchmarks; it never affects the replay.
     */
    public long digestCpuNanos() {
        return digestCpuNanos;
    }

    /** CPU time, in nanoseconds, the page hasher's worker thread spent hashing (a statistic). */
    public long hasherCpuNanos() {
        return hasher.workerCpuNanos();
    }

    private ReplayOutcome compareDigest(byte expectedKind, RunResult r) {
        long t0 = ThreadCpu.nanos();
        try {
            return compareDigestNow(expectedKind, r);
        } finally {
            digestCpuNanos += ThreadCpu.nanos() - t0;
        }
    }

    private ReplayOutcome compareDigestNow(byte expectedKind, RunResult r) {
        ReplayOutcome earlier = settle();
        if (earlier != null) {
            return earlier;
        }
        Event mark = replayer.nextMark();
        long at = machine.view().icount();
        if (mark == null || mark.kind != expectedKind || mark.icount != at) {
            String what = mark == null ? "nothing" : EventKind.name(mark.kind) + " at icount " + mark.icount;
            return new ReplayOutcome(ReplayOutcome.Status.DIVERGED, at, compared, machine.view().pc(), List.of(),
                    String.format(Locale.ROOT, "replay diverged at icount %d (pc 0x%x): the replay reached a "
                            + "%s point (%s) but the trace has %s there.", at, machine.view().pc(),
                            EventKind.name(expectedKind), r, what));
        }
        Digest mine = captureDeferred();
        if (expectedKind == EventKind.DIGEST && mark.digest.differencesBesidesMemory(mine).isEmpty()) {
            heldRecorded = mark.digest; // the memory hash is judged later, before anything else
            heldReplayed = mine;
            return null;
        }
        mine.memory = hasher.finish();
        return judge(mark.digest, mine);
    }

    /** Judges the held digest's memory hash, if one is held; null if it matched (or none was held). */
    private ReplayOutcome settle() {
        if (heldRecorded == null) {
            return null;
        }
        Digest recorded = heldRecorded;
        Digest mine = heldReplayed;
        heldRecorded = null;
        heldReplayed = null;
        mine.memory = hasher.finish(); // timed by compareDigest when a digest point settles it
        return judge(recorded, mine);
    }

    private ReplayOutcome judge(Digest recorded, Digest mine) {
        List<String> diff = recorded.differences(mine);
        if (diff.isEmpty()) {
            compared++;
            return null;
        }
        return new ReplayOutcome(ReplayOutcome.Status.DIVERGED, mine.icount, compared, recorded.pc, diff,
                String.format(Locale.ROOT, "replay diverged at icount %d (recorded pc 0x%x %s): %s.", mine.icount,
                        recorded.pc, machine.view().symbolize(recorded.pc), String.join("; ", diff)));
    }

    private ReplayOutcome finish(RunResult r) {
        long at = machine.view().icount();
        if (!summary.hasEnd()) {
            ReplayOutcome earlier = settle();
            if (earlier != null) {
                return earlier;
            }
            if (at == summary.lastIcount()) {
                return new ReplayOutcome(ReplayOutcome.Status.TRUNCATED_MATCHED, at, compared, machine.view().pc(),
                        List.of(), "trace ends without an end record (the recording stopped early: killed, or its host disk filled up): replayed "
                        + String.format(Locale.ROOT, "%,d", at) + " instructions, all " + compared
                        + " digests matched.");
            }
            return new ReplayOutcome(ReplayOutcome.Status.DIVERGED, at, compared, machine.view().pc(), List.of(),
                    "replay diverged: it ended (" + r + ") before the trace's last event at icount "
                    + summary.lastIcount() + ".");
        }
        ReplayOutcome bad = compareDigest(EventKind.END, r);
        if (bad != null) {
            return bad;
        }
        Event end = summary.end();
        if (end.reason != r.reason().ordinal() || end.exitCode != r.exitCode()) {
            return new ReplayOutcome(ReplayOutcome.Status.DIVERGED, at, compared, machine.view().pc(), List.of(),
                    "replay diverged at its end: recorded " + reasonName(end.reason) + " exit " + end.exitCode
                    + ", replayed " + reasonName(r.reason().ordinal()) + " exit " + r.exitCode() + ".");
        }
        return new ReplayOutcome(ReplayOutcome.Status.MATCHED, at, compared, machine.view().pc(), List.of(),
                "replay matched: " + reasonName(r.reason().ordinal()) + " exit " + r.exitCode() + " at icount "
                + String.format(Locale.ROOT, "%,d", at) + ", " + compared + " digests, console "
                + console.bytes() + " bytes.");
    }

    /**
     * The name {@code tinyos run} printed for an end reason: a STOPPED run (Ctrl-A x,
     * --stop-at-icount, a signal, a full host disk) is a power cut there, so it is here too.
     */
    public static String reasonName(int ordinal) {
        ExitReason[] all = ExitReason.values();
        if (ordinal == ExitReason.STOPPED.ordinal()) {
            return "POWER_CUT";
        }
        return ordinal >= 0 && ordinal < all.length ? all[ordinal].name() : "reason " + ordinal;
    }

    private Digest captureDeferred() {
        try {
            console.flush();
        } catch (IOException e) {
            // the replay console went away; the digest counts bytes regardless
        }
        Digest d = Digest.captureDeferred(machine, console, lastDigest, hasher);
        lastDigest = d.icount;
        return d;
    }

    @Override
    public void close() {
        hasher.close();
        try {
            machine.close();
        } catch (IOException e) {
            // scratch disk only
        }
        deleteQuietly(scratchDisk);
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a temp file; deleteOnExit is the fallback
            }
        }
    }
}
