package dev.tinyos.replay.gdb;

import dev.tinyos.core.Machine;
import dev.tinyos.core.view.MachineView;
import dev.tinyos.core.probe.AccessProbe;
import dev.tinyos.core.probe.Probes;
import dev.tinyos.replay.Replay;
import dev.tinyos.replay.ReplayOutcome;
import dev.tinyos.replay.TraceException;
import dev.tinyos.replay.checkpoint.Checkpoints;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * A recorded trace as a debug target: the replay moves forward with {@link Replay#runTo} and
 * backward by restoring the nearest earlier checkpoint ({@link Checkpoints}, taken during the
 * first replay at a fixed spacing within a memory budget) and replaying forward from it. A continue in either direction first finds the icount of the next (or
 * previous) hit by replaying with observers attached, then moves to exactly that icount, so it
 * stops where a forward run would: before the instruction at a breakpoint, at the instruction
 * that touches a watched range (see {@link #observe} for how gdb then steps over it).
 *
 * <p>Invariant: the replay's machine is always at an instruction boundary at {@link #icount()},
 * every digest up to it matched, and the guest's console output reaches {@code console} once
 * (replaying a prefix again prints nothing new).
 */
public final class ReplayTarget extends ViewTarget {
    /** Instructions replayed between checks for Ctrl-C while looking for the next hit. */
    static final long CHUNK = 4_000_000;

    private final HighWaterOutput console;
    private final TreeSet<Long> breakpoints = new TreeSet<>();
    private final List<Watch> watches = new ArrayList<>();
    private final Replay replay;
    private final Checkpoints checkpoints;
    private final long end;

    record Watch(int kind, long va, int len) {
        boolean matches(int access, long addr, int size) {
            boolean kindOk = kind == WATCH_ACCESS || (kind == WATCH_WRITE ? access == AccessProbe.STORE
                    : access == AccessProbe.LOAD);
            return kindOk && (access == AccessProbe.LOAD || access == AccessProbe.STORE)
                    && addr < va + len && va < addr + size;
        }
    }

    /** A hit found while scanning: where the target stops for it, and why. */
    private record Hit(long icount, Stop stop) {}

    public ReplayTarget(Path dir, OutputStream console) throws TraceException {
        this(dir, console, dir.resolve(dev.tinyos.replay.checkpoint.TraceIndex.DIR));
    }

    /** A target whose saved checkpoints are read from directory {@code index} (for benchmarks), not the trace's. */
    public ReplayTarget(Path dir, OutputStream console, Path index) throws TraceException {
        this.console = new HighWaterOutput(console);
        this.replay = Replay.open(dir, this.console);
        var s = replay.summary();
        this.end = s.hasEnd() ? s.endIcount() : s.lastIcount();
        long budget;
        try {
            budget = Checkpoints.budgetFromProperty();
        } catch (IllegalArgumentException e) {
            replay.close();
            throw new TraceException(e.getMessage() + ".");
        }
        this.checkpoints = new Checkpoints(replay, Checkpoints.spacingFor(end), budget, index);
    }

    /** The replay this target drives (for tests and benchmarks to observe; moving it is the target's job). */
    public Replay replay() {
        return replay;
    }

    @Override
    public String checkpointSummary() {
        return checkpoints.describe();
    }

    /** The checkpoints this target keeps (statistics for benchmarks and {@code monitor checkpoint}). */
    public Checkpoints checkpoints() {
        return checkpoints;
    }

    private Machine machine() {
        return replay.machine();
    }

    @Override
    MachineView view() {
        return replay.machine().view();
    }

    @Override public long endIcount() { return end; }
    @Override public boolean canReverse() { return true; }
    @Override public boolean canWatch() { return true; }

    @Override public void addBreakpoint(long pc) { breakpoints.add(pc); }
    @Override public void removeBreakpoint(long pc) { breakpoints.remove(pc); }
    @Override public void addWatchpoint(int kind, long va, int len) { watches.add(new Watch(kind, va, len)); }
    @Override public void removeWatchpoint(int kind, long va, int len) { watches.remove(new Watch(kind, va, len)); }

    @Override
    public Stop step() throws IOException {
        if (icount() >= end) {
            return Stop.of(Stop.Kind.LOG_END);
        }
        return moveTo(icount() + 1, Stop.of(Stop.Kind.STEP));
    }

    @Override
    public Stop reverseStep() throws IOException {
        if (icount() == 0) {
            return Stop.of(Stop.Kind.LOG_BEGIN);
        }
        return moveTo(icount() - 1, Stop.of(Stop.Kind.STEP));
    }

    @Override
    public Stop seek(long target) throws IOException {
        long to = Math.max(0, Math.min(target, end));
        return moveTo(to, Stop.of(to == end ? Stop.Kind.LOG_END : Stop.Kind.STEP));
    }

    /**
     * Forward: scans chunk by chunk with the observers on; the first hit from here is where it
     * stops. Breakpoints also stop the machine itself ({@code Probes.breakAt}), so a breakpoint
     * hit needs no second replay; a watchpoint hit, seen only as its access happens, does.
     */
    @Override
    public Stop resume(BooleanSupplier interrupted) throws IOException {
        List<Hit> hits = new ArrayList<>();
        observe(hits, icount(), false);
        breakpoints.forEach(machine().probes()::breakAt);
        try {
            while (hits.isEmpty() && icount() < end) {
                if (interrupted.getAsBoolean()) {
                    return Stop.of(Stop.Kind.INTERRUPTED);
                }
                advance(Math.min(end, icount() + CHUNK));
            }
        } finally {
            machine().probes().clear();
        }
        if (hits.isEmpty()) {
            return Stop.of(Stop.Kind.LOG_END);
        }
        Hit first = hits.get(0);
        return moveTo(first.icount(), first.stop());
    }

    /**
     * Backward: replays the stretch from the nearest earlier checkpoint to here with the
     * observers on, then the stretch before that checkpoint, and so on; the last hit of the
     * first stretch that has one is where it stops.
     */
    @Override
    public Stop reverseResume() throws IOException {
        long from = icount();
        if (from == 0) {
            return Stop.of(Stop.Kind.LOG_BEGIN);
        }
        long segmentEnd = from;
        while (segmentEnd > 0) {
            List<Hit> hits = new ArrayList<>();
            long start = restoreBefore(segmentEnd - 1);
            observe(hits, segmentEnd, true);
            try {
                advance(segmentEnd);
            } finally {
                machine().probes().clear();
            }
            if (!hits.isEmpty()) {
                Hit last = hits.get(hits.size() - 1);
                return moveTo(last.icount(), last.stop());
            }
            segmentEnd = start;
        }
        return moveTo(0, Stop.of(Stop.Kind.LOG_BEGIN));
    }

    /**
     * Attaches observers that add to {@code hits}, in order, every hit on the way from icount
     * {@code from} (forward) or up to it (backward), with the icount the target reports it at.
     * A breakpoint: the instruction at it, not yet executed, other than the one at
     * {@code from} itself. A watchpoint: RISC-V's triggers fire before the access, and gdb
     * (which treats them as such) then steps over the instruction itself in the direction of
     * travel; so going forward the stop is reported at the accessing instruction i, and gdb's
     * step shows the access done; going backward it is reported at i + 1, and gdb's reverse
     * step lands on the store with its effect undone, as rr does.
     */
    private void observe(List<Hit> hits, long from, boolean reverse) {
        Probes probes = machine().probes();
        for (long bp : breakpoints) {
            probes.atPc(bp, (h, pc) -> {
                long i = h.icount();
                if (reverse ? i < from : i > from) {
                    note(hits, i, Stop.of(Stop.Kind.BREAKPOINT));
                }
            });
        }
        if (!watches.isEmpty()) {
            MachineView view = view();
            probes.onAccess((kind, va, pa, size, priv, pc) -> {
                long i = view.icount();
                for (Watch w : watches) {
                    if (w.matches(kind, va, size) && (reverse ? i < from : i >= from)) {
                        note(hits, reverse ? i + 1 : i, new Stop(watchKind(w.kind()), w.va(), 0));
                    }
                }
            });
        }
    }

    private static void note(List<Hit> hits, long at, Stop stop) {
        if (hits.isEmpty() || hits.get(hits.size() - 1).icount() != at) {
            hits.add(new Hit(at, stop));
        }
    }

    private static Stop.Kind watchKind(int kind) {
        return kind == WATCH_WRITE ? Stop.Kind.WATCH_WRITE : kind == WATCH_READ ? Stop.Kind.WATCH_READ
                : Stop.Kind.WATCH_ACCESS;
    }

    /**
     * Replays to exactly {@code target}: on from here, or from the nearest checkpoint at or
     * before it if it lies behind or that checkpoint lies ahead of here.
     */
    private Stop moveTo(long target, Stop stop) throws IOException {
        if (target < icount() || checkpoints.nearestAtOrBefore(target) > icount()) {
            restoreBefore(target);
            long near = checkpoints.nearPoint(target);
            if (near > icount()) { // going back by small steps: keep a checkpoint close behind
                advance(near);
                if (icount() == near) {
                    checkpoints.takeNear();
                }
            }
        }
        advance(target);
        return stop;
    }

    /** Restores the nearest checkpoint at or before {@code icount}; the console prints nothing twice. */
    private long restoreBefore(long icount) {
        long at = checkpoints.restoreBefore(icount);
        console.rewindTo(replay.console().bytes());
        return at;
    }

    /** Replays forward to {@code target}, taking the checkpoints due on the way (first replay only). */
    private void advance(long target) throws IOException {
        while (target > icount()) {
            long next = Math.min(target, checkpoints.nextDue(icount()));
            ReplayOutcome o = replay.runTo(next);
            if (!o.ok()) {
                throw new IOException("the replay stopped following the trace: " + o.message());
            }
            if (icount() != next) {
                return; // a breakpoint stopped the machine on its way
            }
            checkpoints.takeIfDue();
        }
    }

    /** Moves to the entry of the kernel's panic (see {@link Replay#runToPanic}); the outcome says where. */
    public ReplayOutcome toPanic() {
        return replay.runToPanic();
    }

    @Override
    public void close() {
        replay.close();
    }
}
