package dev.tinyos.core;

/**
 * The outcome of {@link Machine#run}: why it stopped, the process-style exit code
 * (0 = pass; the finisher's or HTIF's code on failure) and the hart's icount at that moment.
 *
 * <p>Invariant: immutable; {@code exitCode == reason.defaultExitCode()} unless the reason is
 * {@link ExitReason#FINISHER_FAIL} or {@link ExitReason#HTIF}.
 */
public record RunResult(ExitReason reason, int exitCode, long icount) {

    /** True if the guest reported success (finisher pass, or HTIF with code 0). */
    public boolean passed() {
        return (reason == ExitReason.FINISHER_PASS || reason == ExitReason.HTIF) && exitCode == 0;
    }

    @Override
    public String toString() {
        return reason + " (exit code " + exitCode + ") at icount " + icount;
    }
}
