package dev.tinyos.cli;

/**
 * The console's escape key, as in QEMU's {@code -nographic}: Ctrl-A followed by a command key.
 * {@code Ctrl-A x} quits, {@code Ctrl-A h} prints help, {@code Ctrl-A Ctrl-A} sends one literal
 * Ctrl-A to the guest; any other key after Ctrl-A is swallowed together with the Ctrl-A.
 *
 * <p>Invariant: a byte is either passed to the guest unchanged ({@link #feed} returns it),
 * consumed as part of an escape sequence ({@link #NONE}), or turned into a command
 * ({@link #QUIT} or {@link #HELP}); the decoder remembers only whether the last byte was an
 * unpaired Ctrl-A. Not thread-safe: one reader thread feeds it.
 */
public final class EscapeDecoder {
    /** The escape byte, Ctrl-A. */
    public static final int CTRL_A = 0x01;
    /** {@link #feed} result: nothing for the guest. */
    public static final int NONE = -1;
    /** {@link #feed} result: the user asked to quit. */
    public static final int QUIT = -2;
    /** {@link #feed} result: the user asked for help. */
    public static final int HELP = -3;

    /** Shown for {@code Ctrl-A h}; lines end in CR LF because the terminal is in raw mode. */
    public static final String HELP_TEXT = "\r\nC-a h    print this help\r\n"
            + "C-a x    exit the emulator\r\n"
            + "C-a C-a  send C-a to the guest\r\n";

    private boolean escaped;

    /** Decodes one input byte (0..255): the byte for the guest, or NONE, QUIT or HELP. */
    public int feed(int b) {
        if (!escaped) {
            if (b == CTRL_A) {
                escaped = true;
                return NONE;
            }
            return b;
        }
        escaped = false;
        switch (b) {
            case CTRL_A:
                return CTRL_A;
            case 'x':
            case 'X':
                return QUIT;
            case 'h':
            case 'H':
            case '?':
                return HELP;
            default:
                return NONE;
        }
    }
}
