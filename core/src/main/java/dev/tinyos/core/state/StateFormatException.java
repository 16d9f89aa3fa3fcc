package dev.tinyos.core.state;

/**
 * Saved state that cannot be restored (damaged, truncated, or of another machine
 * configuration); the message is one sentence fragment naming what is wrong.
 */
public final class StateFormatException extends RuntimeException {
    public StateFormatException(String message) {
        super(message);
    }
}
