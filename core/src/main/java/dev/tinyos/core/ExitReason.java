package dev.tinyos.core;

/**
 * Why {@link Machine#run} returned.
 *
 * <p>Invariant: only {@link #FINISHER_FAIL} and {@link #HTIF} carry a guest-chosen exit code;
 * the others map to fixed codes (see {@link #defaultExitCode}).
 */
public enum ExitReason {
    /** The guest stored 0x5555 to the test finisher. Exit code 0. */
    FINISHER_PASS,
    /** The guest stored {@code 0x3333 | code << 16} to the test finisher. Exit code {@code code}. */
    FINISHER_FAIL,
    /** The guest stored 0x7777 to the test finisher: it asks for a reboot. Exit code 0. */
    FINISHER_RESET,
    /** The guest wrote an odd value {@code v} to {@code tohost}: exit code {@code v >> 1}. */
    HTIF,
    /** The input source asked to stop (the user, or a scripted power cut). Exit code 0. */
    STOPPED,
    /** The instruction budget of this {@code run} call is used up. Exit code 1. */
    INSTRUCTION_LIMIT,
    /** The hart waits for an interrupt that nothing can ever raise. Exit code 1. */
    IDLE_FOREVER,
    /**
     * A breakpoint ({@code Probes.breakAt}) was reached: the run stops before its instruction.
     * Exit code 0. Only replays and debuggers set breakpoints, so no recorded run ends with it
     * (and its ordinal, after all the others, changes none of theirs in traces).
     */
    BREAKPOINT;

    /** The exit code for reasons that carry none of their own. */
    public int defaultExitCode() {
        return this == INSTRUCTION_LIMIT || this == IDLE_FOREVER ? 1 : 0;
    }
}
