package dev.tinyos.core.cpu;

/**
 * Unwinds the executor out of an instruction that raised a synchronous exception. The cause
 * and tval travel in the hart's fields ({@code trapCause}, {@code trapTval}); this object
 * carries nothing, so one preallocated instance without a stack trace serves every hart.
 *
 * <p>Invariant: never escapes {@link Hart#run}; it is always turned into a guest trap there.
 */
final class Trap extends RuntimeException {
    private static final long serialVersionUID = 1L;

    static final Trap INSTANCE = new Trap();

    private Trap() {
        super("trap", null, false, false);
    }
}
