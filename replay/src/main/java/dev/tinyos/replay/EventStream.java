package dev.tinyos.replay;

/**
 * Events of a trace in queue order, as {@link Replayer} consumes them. Invariant: {@link #next}
 * yields each event once, in the order written; a damaged event ends the stream with a
 * {@link TraceException} naming it.
 */
public interface EventStream extends AutoCloseable {
    /** Reads the next event into {@code e}; false at the end of the queue. */
    boolean next(Event e) throws TraceException;

    /** Releases the queue (and any thread reading it). Idempotent. */
    @Override
    void close();
}
