package dev.tinyos.replay.gdb;

import java.io.IOException;
import java.util.function.BooleanSupplier;

/**
 * What the gdb stub drives: one hart's state at an instruction boundary, and the runs between
 * boundaries. Breakpoints are virtual pcs; watchpoints are ranges of virtual addresses of
 * loads and stores. A stop at a breakpoint lies before the instruction at it (it has not
 * executed); where a watchpoint stop lies is the target's to document (gdb steps over the
 * accessing instruction after it, in the direction of travel).
 *
 * <p>Invariant: every operation leaves the target at an instruction boundary; reading never
 * changes what the run does next.
 */
public interface DebugTarget extends AutoCloseable {
    /** Watchpoint kinds, the Z packet's numbering. */
    int WATCH_WRITE = 2, WATCH_READ = 3, WATCH_ACCESS = 4;

    long icount();

    long pc();

    /** x{@code n}, 0..31. */
    long x(int n);

    /** The current privilege level (0 U, 1 S, 3 M). */
    int priv();

    /** CSR {@code csr} as the hart reads it, or null if the hart has none of that number. */
    Long csr(int csr);

    /** {@code len} bytes at virtual address {@code va} through the current translation; null if any is unmapped or not RAM. */
    byte[] readVirtual(long va, int len);

    /** {@code len} bytes of RAM at physical address {@code pa}; null outside RAM. */
    byte[] readPhysical(long pa, int len);

    void addBreakpoint(long pc);

    void removeBreakpoint(long pc);

    void addWatchpoint(int kind, long va, int len);

    void removeWatchpoint(int kind, long va, int len);

    /** One instruction forward. */
    Stop step() throws IOException;

    /** Forward to the next breakpoint or watchpoint hit, the end, or until {@code interrupted} says so. */
    Stop resume(BooleanSupplier interrupted) throws IOException;

    /** One instruction back; {@link Stop.Kind#LOG_BEGIN} at icount 0. Unsupported targets throw. */
    Stop reverseStep() throws IOException;

    /** Back to the previous breakpoint or watchpoint hit, or to the start. */
    Stop reverseResume() throws IOException;

    /** True if hardware watchpoints work (Z2-Z4); otherwise gdb falls back to software ones. */
    boolean canWatch();

    /** True if reverse execution works (a replay). */
    boolean canReverse();

    /** Moves to instruction count {@code icount} (forward or back). */
    Stop seek(long icount) throws IOException;

    /** The icount at which the target's run ends, or -1 if unknown (a live run). */
    long endIcount();

    /** The name of the symbol containing {@code pc}, with offset, or the hex address. */
    String symbolize(long pc);

    @Override
    void close();

    /** One line about the checkpoints this target keeps ({@code monitor checkpoint}), or null if none. */
    default String checkpointSummary() {
        return null;
    }
}
