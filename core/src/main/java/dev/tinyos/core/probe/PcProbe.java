package dev.tinyos.core.probe;

import dev.tinyos.core.cpu.Hart;

/**
 * An observer of one instruction address: called each time the instruction at a probed
 * virtual pc is about to execute, in any privilege mode, however it was reached (fall-through,
 * jump, branch, trap vector, xRET).
 *
 * <p>Invariant: called before the instruction executes, with the hart's architectural state as
 * it is before it ({@code hart.pc == pc}, exact {@code hart.icount()}, so at a function's entry
 * a0..a5 hold its arguments). A probe must not modify the machine; it observes only. An
 * instruction that traps and is executed again later (after a page fault, say) is reported
 * again; one whose fetch faults is not reported. The one thing a probe may do to the hart is
 * {@link Hart#requestSliceEnd()} (a breakpoint): run() then returns before the instruction,
 * and the probe is not called for it again when the run goes on.
 */
@FunctionalInterface
public interface PcProbe {
    void hit(Hart hart, long pc);
}
