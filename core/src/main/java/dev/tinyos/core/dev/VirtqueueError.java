package dev.tinyos.core.dev;

/**
 * The driver broke the virtqueue contract (a ring or buffer outside RAM, a descriptor loop,
 * a request without a status byte). The transport answers by setting DEVICE_NEEDS_RESET.
 *
 * <p>Invariant: carries a one-sentence description of what was wrong; never reaches the hart.
 */
public final class VirtqueueError extends Exception {
    private static final long serialVersionUID = 1L;

    public VirtqueueError(String message) {
        super(message, null, false, false);
    }
}
