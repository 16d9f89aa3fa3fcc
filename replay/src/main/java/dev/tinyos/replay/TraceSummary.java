package dev.tinyos.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What a full read of a trace's queue tells: events by kind, the last icount, the END record if
 * any, the final time-base skew, and the trace's size on disk. Reading the whole queue also
 * proves it is readable: a corrupt or truncated document is refused here, before any replay.
 * A trace without a single event is refused too: there is nothing to check it against.
 * Invariant: immutable after {@link #scan}.
 */
public final class TraceSummary {
    private final long[] counts = new long[EventKind.MAX];
    private long events;
    private long lastIcount;
    private long lastSkew;
    private Event end;
    private long apparentBytes;
    private long eventBytes;

    private TraceSummary() {
    }

    /** Reads every event of {@code trace}. */
    public static TraceSummary scan(Trace trace) throws TraceException {
        TraceSummary s = new TraceSummary();
        try (EventReader r = new EventReader(trace.dir(), trace.header().formatVersion)) {
            Event e = new Event();
            while (r.next(e)) {
                if (s.end != null) {
                    throw new TraceException("the event queue of trace " + trace.dir()
                            + " is corrupt: events follow its end record.");
                }
                s.counts[e.kind]++;
                s.events++;
                s.lastIcount = e.icount;
                if (e.kind == EventKind.CLOCK || e.kind == EventKind.IDLE) {
                    s.lastSkew = e.tag;
                }
                if (e.kind == EventKind.END) {
                    s.end = new Event();
                    s.end.copyFrom(e);
                }
            }
            s.eventBytes = r.eventBytes();
        }
        if (s.events == 0) {
            throw new TraceException("trace " + trace.dir() + " holds no events: the recording stopped before "
                    + "its first event was written, so there is nothing to replay or verify.");
        }
        s.measure(trace.dir());
        return s;
    }

    private void measure(Path dir) throws TraceException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(p)) {
                    apparentBytes += Files.size(p);
                }
            }
        } catch (IOException e) {
            throw new TraceException("trace " + dir + " cannot be measured (" + e.getMessage() + ").");
        }
    }

    public long count(int kind) {
        return counts[kind];
    }

    public long events() {
        return events;
    }

    /** Icount of the last event (END included). */
    public long lastIcount() {
        return lastIcount;
    }

    public boolean hasEnd() {
        return end != null;
    }

    /** The END record, or null. */
    public Event end() {
        return end;
    }

    public long endIcount() {
        return end == null ? lastIcount : end.icount;
    }

    /** Skew of the time base after the last CLOCK/IDLE event. */
    public long lastSkew() {
        return lastSkew;
    }

    /** Bytes the events take in the queue (what a sparse queue file really holds). */
    public long eventBytes() {
        return eventBytes;
    }

    public long apparentBytes() {
        return apparentBytes;
    }
}
