package dev.tinyos.replay.checkpoint;

/** A checkpoint that cannot be used (not one, of another version or trace, damaged); the message is one sentence. */
public final class CheckpointException extends Exception {
    public CheckpointException(String message) {
        super(message);
    }
}
