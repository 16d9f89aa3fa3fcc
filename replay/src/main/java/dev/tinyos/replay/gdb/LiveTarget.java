package dev.tinyos.replay.gdb;

import dev.tinyos.core.ExitReason;
import dev.tinyos.core.Machine;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.view.MachineView;
import java.io.IOException;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * A machine running live (not from a trace) as a debug target: forward only. A breakpoint is
 * the machine's own ({@code Probes.breakAt}): the run returns {@code BREAKPOINT} before the
 * instruction.
 * Watchpoints are left to gdb's software watchpoints (it single-steps and compares), since a
 * live run cannot stop before an access it has only seen happen.
 *
 * <p>Invariant: between operations the machine is at an instruction boundary; once it has
 * ended (power off, test finisher) every motion reports the exit.
 */
public final class LiveTarget extends ViewTarget {
    /** Instructions run between checks for Ctrl-C. */
    static final long CHUNK = 4_000_000;

    private final Machine machine;
    private final TreeSet<Long> breakpoints = new TreeSet<>();
    private RunResult ended;

    public LiveTarget(Machine machine) {
        this.machine = machine;
    }

    @Override
    MachineView view() {
        return machine.view();
    }

    @Override public long endIcount() { return -1; }
    @Override public boolean canReverse() { return false; }
    @Override public boolean canWatch() { return false; }
    @Override public void addBreakpoint(long pc) { breakpoints.add(pc); }
    @Override public void removeBreakpoint(long pc) { breakpoints.remove(pc); }
    @Override public void addWatchpoint(int kind, long va, int len) { throw new UnsupportedOperationException(); }
    @Override public void removeWatchpoint(int kind, long va, int len) { throw new UnsupportedOperationException(); }

    @Override
    public Stop step() {
        if (ended != null) {
            return exited();
        }
        RunResult r = machine.run(1);
        return finished(r) ? exited() : Stop.of(Stop.Kind.STEP);
    }

    @Override
    public Stop resume(BooleanSupplier interrupted) {
        if (ended != null) {
            return exited();
        }
        breakpoints.forEach(machine.probes()::breakAt);
        try {
            while (true) {
                RunResult r = machine.run(CHUNK);
                if (r.reason() == ExitReason.BREAKPOINT) {
                    return Stop.of(Stop.Kind.BREAKPOINT);
                }
                if (finished(r)) {
                    return exited();
                }
                if (interrupted.getAsBoolean()) {
                    return Stop.of(Stop.Kind.INTERRUPTED);
                }
            }
        } finally {
            machine.probes().clearBreakpoints();
        }
    }

    /** True if {@code r} ended the machine (anything but a budget or a debugger's stop). */
    private boolean finished(RunResult r) {
        if (r.reason() == ExitReason.INSTRUCTION_LIMIT || r.reason() == ExitReason.STOPPED
                || r.reason() == ExitReason.BREAKPOINT) {
            return false;
        }
        ended = r;
        return true;
    }

    private Stop exited() {
        return new Stop(Stop.Kind.EXITED, 0, ended.exitCode());
    }

    @Override
    public Stop reverseStep() throws IOException {
        throw new IOException("a live run goes forward only: record it, then debug the replay");
    }

    @Override
    public Stop reverseResume() throws IOException {
        return reverseStep();
    }

    @Override
    public Stop seek(long icount) throws IOException {
        if (icount < icount()) {
            return reverseStep();
        }
        while (ended == null && icount() < icount) {
            finished(machine.run(icount - icount()));
        }
        return ended != null ? exited() : Stop.of(Stop.Kind.STEP);
    }

    @Override
    public void close() {
        try {
            machine.close();
        } catch (IOException e) {
            // the disk image is closed as far as it can be
        }
    }
}
