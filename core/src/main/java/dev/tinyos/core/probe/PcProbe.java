package dev.tinyos.core.probe;

import dev.tinyos.core.view.MachineView;

/**
 * An observer of one instruction address: called each time the instruction at a probed
 * virtual pc is about to execute, in any privilege mode, however it was reached (fall-through,
 * jump, branch, trap vector, xRET).
 *
 * <p>Invariant: called before the instruction executes, with the machine as it is before it
 * ({@code view.pc() == pc}, exact {@code view.icount()}, so at a function's entry a0..a5, read
 * with {@code view.x(10)}.., hold its arguments). A probe sees the machine only through the
 * read-only {@link MachineView}, so it cannot change the run. An instruction that traps and is
 * executed again later (after a page fault, say) is reported again; one whose fetch faults is
 * not reported.
 */
@FunctionalInterface
public interface PcProbe {
    void hit(MachineView view, long pc);
}
