package dev.tinyos.analysis;

/**
 * An analysis that cannot be done, explained in one or two sentences for the user (a kernel
 * without the tracepoints a job needs, a replay that diverged). Invariant: the message is
 * complete and ends with a full stop; callers print it as it is.
 */
public final class AnalysisException extends Exception {
    public AnalysisException(String message) {
        super(message);
    }
}
