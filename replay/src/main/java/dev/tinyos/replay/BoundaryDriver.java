package dev.tinyos.replay;

import dev.tinyos.core.ExitReason;
import dev.tinyos.core.Machine;
import dev.tinyos.core.RunResult;

import java.util.function.LongConsumer;

/**
 * The one loop that runs a machine from digest boundary to digest boundary, shared by
 * recording ({@link Recording}), replay and verify ({@link Replay}) and, through replay's
 * progress hook, analysis and crash exploration. Inputs and stop requests reach the machine
 * through its input source inside {@link Machine#run}; this loop only cuts the run at the
 * boundaries (the multiples of the digest interval) and at the caller's stop icount.
 *
 * <p>Invariant: {@link #run} calls {@code machine.run} with budgets that end exactly at each
 * boundary and at {@code stopAt}; at every boundary the machine reaches by its budget it calls
 * {@code atBoundary} (digest, compare) and then {@code progress}; it returns the result of the
 * last {@code machine.run}, after which the machine is at {@code stopAt}, stopped on its own, or
 * at a boundary where {@code atBoundary} said to stop.
 */
final class BoundaryDriver {
    private BoundaryDriver() {
    }

    /** What the caller does at a boundary. */
    @FunctionalInterface
    interface AtBoundary {
        /**
         * Called with the machine at boundary {@code icount}, which {@code r} reached; true to run
         * on, false to return {@code r} now.
         */
        boolean reached(long icount, RunResult r);
    }

    /**
     * Runs {@code machine} until icount {@code stopAt} (at most), calling {@code atBoundary} and
     * {@code progress} at each multiple of {@code interval} (a power of two) it reaches.
     */
    static RunResult run(Machine machine, long interval, long stopAt, AtBoundary atBoundary, LongConsumer progress) {
        while (true) {
            long now = machine.view().icount();
            long boundary = Recording.nextBoundary(now, interval);
            long target = Math.min(boundary, stopAt);
            RunResult r = machine.run(target - now);
            long at = machine.view().icount();
            if (r.reason() == ExitReason.INSTRUCTION_LIMIT && at == boundary && atBoundary.reached(at, r)) {
                progress.accept(at);
                continue;
            }
            return r;
        }
    }
}
