package dev.tinyos.replay;

/**
 * Thrown out of {@code Machine.run} by the {@link Replayer} when the replay cannot go on: the
 * guest asked for something the recording did not do at this icount (it diverged), or the
 * queue turned out corrupt. Invariant: the message is one sentence naming the icount.
 */
public final class ReplayFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long icount;
    private final boolean corrupt;

    public ReplayFailure(String sentence, long icount, boolean corrupt) {
        super(sentence);
        this.icount = icount;
        this.corrupt = corrupt;
    }

    /** Where the replay stopped. */
    public long icount() {
        return icount;
    }

    /** True if the trace is corrupt rather than the replay diverged. */
    public boolean corrupt() {
        return corrupt;
    }
}
