package dev.tinyos.replay;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The reading end of a trace's event queue: events in the order they were written, read from
 * the queue file by {@link QueueFile} (plain reads, never Chronicle) and decoded by
 * {@link EventCodec}. An event that is truncated, too short or long for its kind, of an unknown
 * kind, fails its checksum or goes back in icount is reported as a damaged trace naming the
 * event. Invariant: {@link #next} never returns a partially written or damaged event; an event
 * the recorder was killed in the middle of is simply absent.
 */
public final class EventReader implements EventStream {
    private final QueueFile file;
    private final EventCodec codec;
    private final Path dir;
    private long lastIcount;
    private long index;
    private long payloadBytes;

    /** Opens the queue of trace {@code traceDir}, written in the current format version. */
    public EventReader(Path traceDir) throws TraceException {
        this(traceDir, TraceHeader.FORMAT_VERSION);
    }

    /** Opens the queue of trace {@code traceDir}, written in format {@code formatVersion}. */
    public EventReader(Path traceDir, int formatVersion) throws TraceException {
        this.dir = traceDir;
        this.codec = new EventCodec(formatVersion);
        this.file = QueueFile.open(traceDir);
    }

    /**
     * Opens the queue of trace {@code traceDir} at byte {@code position} (an {@link Event#pos}),
     * with {@code eventsBefore} events before it.
     */
    public EventReader(Path traceDir, int formatVersion, long position, long eventsBefore) throws TraceException {
        this(traceDir, formatVersion);
        try {
            file.seek(position, eventsBefore);
        } catch (TraceException e) {
            file.close();
            throw e;
        }
        index = eventsBefore;
    }

    @Override
    public boolean next(Event e) throws TraceException {
        long at = file.position();
        ByteBuffer b = file.next();
        if (b == null) {
            return false;
        }
        index++;
        payloadBytes += 4 + b.remaining(); // Chronicle's 4-byte document header + the event
        String bad = codec.decode(b, index, e);
        if (bad != null) {
            throw corrupt(bad);
        }
        if (e.icount < lastIcount) {
            throw corrupt("event " + index + " (" + EventKind.name(e.kind) + ") at icount " + e.icount
                    + " goes back in time (the one before it is at icount " + lastIcount + ")");
        }
        lastIcount = e.icount;
        e.pos = at;
        return true;
    }

    /** Bytes of the events read so far, Chronicle's document headers included. */
    public long eventBytes() {
        return payloadBytes;
    }

    private TraceException corrupt(String what) {
        return new TraceException("the event queue of trace " + dir + " is corrupt: " + what + ".");
    }

    @Override
    public void close() {
        file.close();
    }
}
