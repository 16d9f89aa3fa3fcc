package dev.tinyos.replay;

import java.nio.ByteBuffer;

/**
 * The payload of each kind of event, writer and reader side by side: the one place where an
 * event kind's bytes are defined. Every event on disk is {@code byte kind, long icount}, then the
 * payload of its kind (little-endian), then (format 2 on) the CRC of {@link EventCodec}.
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
 *
 * <p>Invariant: for each kind, {@link #read} accepts exactly the {@link #payloadBytes} bytes
 * {@link #write} produced and fills the fields of {@link Event} that {@link #write} took;
 * nothing is allocated but the Digest of DIGEST and END. Changing a layout bumps
 * {@link TraceHeader#FORMAT_VERSION}.
 */
enum EventLayout {
    UART(EventKind.UART, 4) {
        @Override void write(Event e, ByteBuffer out) { out.putInt(e.value); }
        @Override void read(ByteBuffer in, Event e) { e.value = in.getInt(); }
    },
    COMPLETE(EventKind.COMPLETE, 12) {
        @Override void write(Event e, ByteBuffer out) { out.putInt(e.value).putLong(e.tag); }
        @Override void read(ByteBuffer in, Event e) { e.value = in.getInt(); e.tag = in.getLong(); }
    },
    STOP(EventKind.STOP, 0) {
        @Override void write(Event e, ByteBuffer out) { }
        @Override void read(ByteBuffer in, Event e) { }
    },
    CLOCK(EventKind.CLOCK, 8) {
        @Override void write(Event e, ByteBuffer out) { out.putLong(e.tag); }
        @Override void read(ByteBuffer in, Event e) { e.tag = in.getLong(); }
    },
    IDLE(EventKind.IDLE, 8) {
        @Override void write(Event e, ByteBuffer out) { out.putLong(e.tag); }
        @Override void read(ByteBuffer in, Event e) { e.tag = in.getLong(); }
    },
    DIGEST(EventKind.DIGEST, Digest.BYTES) {
        @Override void write(Event e, ByteBuffer out) { e.digest.write(out); }
        @Override void read(ByteBuffer in, Event e) { e.digest = Digest.read(in); }
    },
    END(EventKind.END, 8 + Digest.BYTES) {
        @Override void write(Event e, ByteBuffer out) { out.putInt(e.reason).putInt(e.exitCode); e.digest.write(out); }
        @Override void read(ByteBuffer in, Event e) { e.reason = in.getInt(); e.exitCode = in.getInt(); e.digest = Digest.read(in); }
    };

    private static final EventLayout[] BY_KIND = new EventLayout[EventKind.MAX];

    static {
        for (EventLayout l : values()) {
            BY_KIND[l.kind] = l;
        }
    }

    /** The kind's code ({@link EventKind}). */
    final byte kind;
    /** Bytes of the payload, after kind and icount. */
    final int payloadBytes;

    EventLayout(byte kind, int payloadBytes) {
        this.kind = kind;
        this.payloadBytes = payloadBytes;
    }

    /** Writes {@code e}'s payload at {@code out}'s position. */
    abstract void write(Event e, ByteBuffer out);

    /** Reads a payload at {@code in}'s position into {@code e}. */
    abstract void read(ByteBuffer in, Event e);

    /** The layout of kind code {@code kind}, or null for an unknown code. */
    static EventLayout of(int kind) {
        return EventKind.valid(kind) ? BY_KIND[kind] : null;
    }
}
