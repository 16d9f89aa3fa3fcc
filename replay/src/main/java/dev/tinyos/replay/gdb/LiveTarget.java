package dev.tinyos.replay.gdb;

import dev.tinyos.core.ExitReason;
import dev.tinyos.core.Machine;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.cpu.Hart;
import java.io.IOException;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * A machine running live (not from a trace) as a debug target: forward only. A breakpoint is
 * a pc probe that ends the hart's slice before the instruction and stops the run there.
 * Watchpoints are left to gdb's software watchpoints (it single-steps and compares), since a
 * live run cannot stop before an access it has only seen happen.
 *
 * <p>Invariant: between operations the machine is at an instruction boundary; once it has
 * ended (power off, test finisher) every motion reports the exit.
 */
public final class LiveTarget implements DebugTarget {
    /** Instructions run between checks for Ctrl-C. */
    static final long CHUNK = 4_000_000;

    private final Machine machine;
    private final TreeSet<Long> breakpoints = new TreeSet<>();
    private RunResult ended;

    public LiveTarget(Machine machine) {
        this.machine = machine;
    }

    private Hart hart() {
        return machine.hart();
    }

    @Override public long icount() { return hart().icount(); }
    @Override public long pc() { return hart().pc; }
    @Override public long x(int n) { return n == 0 ? 0 : hart().x[n]; }
    @Override public int priv() { return hart().priv; }
    @Override public Long csr(int csr) { return hart().readCsr(csr); }
    @Override public long endIcount() { return -1; }
    @Override public boolean canReverse() { return false; }
    @Override public boolean canWatch() { return false; }
    @Override public void addBreakpoint(long pc) { breakpoints.add(pc); }
    @Override public void removeBreakpoint(long pc) { breakpoints.remove(pc); }
    @Override public void addWatchpoint(int kind, long va, int len) { throw new UnsupportedOperationException(); }
    @Override public void removeWatchpoint(int kind, long va, int len) { throw new UnsupportedOperationException(); }

    @Override
    public byte[] readVirtual(long va, int len) {
        return DebugMemory.virtual(hart(), machine.ram(), va, len);
    }

    @Override
    public byte[] readPhysical(long pa, int len) {
        return DebugMemory.physical(machine.ram(), pa, len);
    }

    @Override
    public String symbolize(long pc) {
        return machine.elf() == null ? String.format("0x%x", pc) : machine.elf().symbolize(pc);
    }

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
        long from = icount();
        boolean[] hit = {false};
        for (long bp : breakpoints) {
            machine.probes().atPc(bp, (h, pc) -> {
                if (h.icount() != from) {
                    hit[0] = true;
                    h.requestSliceEnd();
                    machine.requestStop();
                }
            });
        }
        try {
            while (true) {
                RunResult r = machine.run(CHUNK);
                if (finished(r)) {
                    return exited();
                }
                if (hit[0]) {
                    return Stop.of(Stop.Kind.BREAKPOINT);
                }
                if (interrupted.getAsBoolean()) {
                    return Stop.of(Stop.Kind.INTERRUPTED);
                }
            }
        } finally {
            machine.probes().clear();
        }
    }

    /** True if {@code r} ended the machine (anything but a budget or a debugger's stop). */
    private boolean finished(RunResult r) {
        if (r.reason() == ExitReason.INSTRUCTION_LIMIT || r.reason() == ExitReason.STOPPED) {
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
