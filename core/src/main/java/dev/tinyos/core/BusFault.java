package dev.tinyos.core;

/**
 * Thrown by the {@link Bus} or a {@link Device} when a physical access hits no device or is
 * refused. The hart turns it into the matching access-fault exception. A single preallocated
 * instance without a stack trace is used, so throwing it costs no allocation.
 *
 * <p>Invariant: never escapes the hart; it is always converted to a guest trap.
 */
public final class BusFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The one instance; carries no state. */
    public static final BusFault INSTANCE = new BusFault();

    private BusFault() {
        super("bus fault", null, false, false);
    }
}
