package dev.tinyos.replay;

/**
 * A trace cannot be used: missing, of another format version, not matching its kernel or disk,
 * truncated or corrupt. Invariant: the message is one complete sentence a user can act on, so
 * commands print it as it is, never a stack trace.
 */
public final class TraceException extends Exception {
    private static final long serialVersionUID = 1L;

    public TraceException(String sentence) {
        super(sentence);
    }

    public TraceException(String sentence, Throwable cause) {
        super(sentence, cause);
    }
}
