package dev.tinyos.cli;

/**
 * A mistake in what the user asked for (a missing file, a file that is not a RISC-V ELF, a size
 * out of range). Invariant: the message is one complete sentence fit to print on its own line;
 * commands turn it into {@code tinyos: <message>} on stderr and exit status
 * {@link #EXIT_CODE}, never a stack trace.
 */
public final class BadInputException extends Exception {
    /** The exit status for bad input, as picocli uses for usage errors. */
    public static final int EXIT_CODE = 2;

    private static final long serialVersionUID = 1L;

    /** @param message one line, no trailing period needed */
    public BadInputException(String message) {
        super(message, null, false, false);
    }
}
