package dev.tinyos.core.cpu;

/**
 * The hart's hook for pc probes ({@link Hart#setProbes}): called before an instruction at a
 * probed page offset executes, with the hart's pc and icount synced. The probe package adapts
 * it to its {@code PcProbe}, which sees a read-only view instead of the hart.
 *
 * <p>Invariant: a listener observes only; the one thing it may do to the hart is
 * {@link Hart#requestSliceEnd()} (a breakpoint: run() returns before the instruction and does
 * not call the listener for that step again).
 */
@FunctionalInterface
public interface PcListener {
    void atPc(Hart hart, long pc);
}
