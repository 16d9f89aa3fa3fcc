package dev.tinyos.replay;

import java.util.List;

/**
 * How a replay ended. Invariant: {@link #ok} is true only if every digest met on the way
 * matched and the end (when the trace has one and the replay went that far) matched too.
 *
 * @param status       what happened
 * @param icount       the icount the replay stopped at
 * @param digests      digests compared (END included)
 * @param pc           pc at the first mismatch (recorded), or where it stopped
 * @param differences  what differs at the first mismatch (empty otherwise)
 * @param message      one sentence for the user
 */
public record ReplayOutcome(Status status, long icount, long digests, long pc, List<String> differences,
                            String message) {

    /** The kinds of ending. */
    public enum Status {
        /** Reached the END record; everything matched. */
        MATCHED,
        /** The trace has no END record (recorder killed); all digests up to its last event matched. */
        TRUNCATED_MATCHED,
        /** Stopped where asked (--until, --until-panic); all digests on the way matched. */
        STOPPED_AS_ASKED,
        /** --until-panic: the replay matched to the end, but the recorded run never entered panic. */
        NO_PANIC,
        /** A digest or the end differs, or the guest did something the recording did not. */
        DIVERGED,
        /** The event queue is corrupt. */
        CORRUPT
    }

    public boolean ok() {
        return status != Status.DIVERGED && status != Status.CORRUPT && status != Status.NO_PANIC;
    }
}
