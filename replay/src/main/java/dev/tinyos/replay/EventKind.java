package dev.tinyos.replay;

/**
 * The kinds of event in a trace's queue, by their one-byte code. Every document is
 * {@code byte kind, long icount} followed by a kind-specific payload, whose layout is defined,
 * writer and reader side by side, in {@link EventLayout} (and nowhere else).
 *
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
