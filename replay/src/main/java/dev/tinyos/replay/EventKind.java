package dev.tinyos.replay;

/**
 * The kinds of event in a trace's queue and their raw layout (little-endian, written with
 * Chronicle's {@code writingDocument()}): every document is {@code byte kind, long icount}
 * followed by a kind-specific payload.
 *
 * <pre>
 *   UART     int byte                          a typed byte reaches the UART receiver
 *   COMPLETE int device, long tag              a device request completes
 *   STOP     -                                 the user stopped the machine (Ctrl-A x)
 *   CLOCK    long skew                         the time base moved during deliver (host clock sample)
 *   IDLE     long skew                         the time base moved while the hart idled
 *   DIGEST   Digest layout                     periodic state digest (not an input)
 *   END      int reason, int exitCode, Digest  the run ended (not an input)
 * </pre>
 * Inputs (UART, COMPLETE, STOP, CLOCK) are applied in {@code deliver}, IDLE only in
 * {@code idle}: that is the phase they were observed in while recording. Invariant: codes are
 * part of the on-disk format; changing one bumps {@link TraceHeader#FORMAT_VERSION}.
 */
public final class EventKind {
    public static final byte UART = 1;
    public static final byte COMPLETE = 2;
    public static final byte STOP = 3;
    public static final byte CLOCK = 4;
    public static final byte IDLE = 5;
    public static final byte DIGEST = 6;
    public static final byte END = 7;
    /** Kinds 0..MAX-1 are valid. */
    public static final int MAX = 8;

    private static final String[] NAMES = {"?", "uart", "complete", "stop", "clock", "idle", "digest", "end"};

    private EventKind() {
    }

    public static boolean valid(int kind) {
        return kind >= UART && kind < MAX;
    }

    /** Lower-case name for reports, "?" for an unknown code. */
    public static String name(int kind) {
        return valid(kind) ? NAMES[kind] : "?";
    }
}
