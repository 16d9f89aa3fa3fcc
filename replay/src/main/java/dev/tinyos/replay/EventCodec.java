package dev.tinyos.replay;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The bytes of one event, writer and reader side by side: {@code byte kind, long icount,
 * payload} (little-endian, the payload of its {@link EventLayout}) and, from format version 2
 * on, a trailing {@code int crc}: the CRC-32C of the event's sequence number (a little-endian
 * long, from 1) followed by every byte before the CRC. The sequence number is in the CRC but
 * not in the file, so a lost, repeated or reordered event fails the check as surely as a flipped
 * bit does.
 *
 * <p>Invariant: {@link #decode} accepts exactly what {@link #encode} produced for the same
 * sequence number and version; anything else is refused with a reason naming the event, never
 * returned as an event.
 */
final class EventCodec {
    /** The first format version whose events carry a CRC. */
    static final int CRC_SINCE_VERSION = 2;
    /** The longest event: an END (reason, exit code, digest) with its CRC. */
    static final int MAX_BYTES = 1 + 8 + 8 + Digest.BYTES + 4;

    private final boolean crc;
    private final CRC32C crc32c = new CRC32C();
    private final ByteBuffer seqBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

    /** A codec for events of trace format {@code formatVersion}. */
    EventCodec(int formatVersion) {
        this.crc = formatVersion >= CRC_SINCE_VERSION;
    }

    /** Bytes of {@code kind}'s payload (after kind and icount), or -1 for an unknown kind. */
    static int payloadBytes(int kind) {
        EventLayout l = EventLayout.of(kind);
        return l == null ? -1 : l.payloadBytes;
    }

    /** Bytes a whole event of {@code kind} takes in this version. */
    int eventBytes(int kind) {
        return 9 + payloadBytes(kind) + (crc ? 4 : 0);
    }

    /**
     * Writes event {@code e} (sequence number {@code seq}) into {@code out} from position 0,
     * a little-endian buffer of at least {@link #MAX_BYTES}; leaves the position at its end.
     */
    void encode(Event e, long seq, ByteBuffer out) {
        out.clear();
        out.put(e.kind).putLong(e.icount);
        EventLayout layout = EventLayout.of(e.kind);
        if (layout != null) { // tests write events of unknown kinds to damage traces
            layout.write(e, out);
        }
        seal(out, seq);
    }

    /**
     * Appends the CRC (if this version has one) to the event in {@code out}'s bytes 0..position:
     * for writers that put the fields themselves.
     */
    void seal(ByteBuffer out, long seq) {
        if (crc) {
            out.putInt(crcOf(out, 0, out.position(), seq));
        }
    }

    private int crcOf(ByteBuffer b, int from, int to, long seq) {
        crc32c.reset();
        seqBytes.clear();
        seqBytes.putLong(seq).flip();
        crc32c.update(seqBytes);
        ByteBuffer view = b.duplicate();
        view.limit(to).position(from);
        crc32c.update(view);
        return (int) crc32c.getValue();
    }

    /**
     * Reads the event in {@code in} (position 0 to limit, little-endian) with sequence number
     * {@code seq} into {@code e}; returns null, or why the bytes are not that event.
     */
    String decode(ByteBuffer in, long seq, Event e) {
        int n = in.remaining();
        if (n < 9) {
            return "event " + seq + " is " + n + " bytes long, too short for any event";
        }
        byte kind = in.get(0);
        int payload = payloadBytes(kind);
        if (payload < 0) {
            return "event " + seq + " has the unknown kind " + kind;
        }
        if (n != eventBytes(kind)) {
            return "event " + seq + " (" + EventKind.name(kind) + ") is " + n + " bytes long instead of "
                    + eventBytes(kind);
        }
        if (crc && in.getInt(n - 4) != crcOf(in, 0, n - 4, seq)) {
            return "event " + seq + " (" + EventKind.name(kind) + ") fails its checksum";
        }
        in.position(1);
        e.kind = kind;
        e.icount = in.getLong();
        EventLayout.of(kind).read(in, e);
        return null;
    }
}
