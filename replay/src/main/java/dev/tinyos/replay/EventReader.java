package dev.tinyos.replay;

import java.nio.file.Files;
import java.nio.file.Path;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The reading end of a trace's event queue: events in the order they were written. A document
 * that is too short for its kind, has an unknown kind or goes back in icount is reported as a
 * corrupt trace. Invariant: {@link #next} never returns a partially written event; an event
 * the recorder was killed in the middle of is simply absent.
 */
public final class EventReader implements EventStream {
    private final SingleChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final Path dir;
    private long lastIcount;
    private long index;
    private long payloadBytes;

    /** Opens the queue of trace {@code traceDir} read-only. */
    public EventReader(Path traceDir) throws TraceException {
        this.dir = traceDir;
        if (!Files.isDirectory(traceDir.resolve(Queues.DIR))) {
            throw new TraceException("trace " + traceDir + " has no event queue (" + Queues.DIR + "/).");
        }
        SingleChronicleQueue q = null;
        try {
            q = Queues.open(traceDir, true);
            this.tailer = q.createTailer();
            this.queue = q;
        } catch (Exception e) { // Chronicle also throws checked exceptions without declaring them
            if (q != null) {
                q.close();
            }
            throw new TraceException("the event queue of trace " + traceDir + " is corrupt (" + e.getMessage() + ").", e);
        }
    }

    @Override
    public boolean next(Event e) throws TraceException {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return false;
            }
            if (!dc.isData()) {
                return next(e);
            }
            Bytes<?> in = dc.wire().bytes();
            index++;
            payloadBytes += 4 + in.readRemaining(); // Chronicle's 4-byte document header + payload
            if (in.readRemaining() < 9) {
                throw corrupt("event " + index + " is too short");
            }
            e.kind = in.readByte();
            e.icount = in.readLong();
            if (!EventKind.valid(e.kind) || e.icount < lastIcount) {
                throw corrupt("event " + index + " has kind " + e.kind + " at icount " + e.icount);
            }
            lastIcount = e.icount;
            read(e, in);
            return true;
        } catch (TraceException ex) {
            throw ex;
        } catch (Exception ex) { // Chronicle also throws checked exceptions without declaring them
            throw corrupt("event " + (index + 1) + " cannot be read: " + ex.getMessage());
        }
    }

    private void read(Event e, Bytes<?> in) throws TraceException {
        long need;
        switch (e.kind) {
            case EventKind.UART: need = 4; break;
            case EventKind.COMPLETE: need = 12; break;
            case EventKind.CLOCK:
            case EventKind.IDLE: need = 8; break;
            case EventKind.DIGEST: need = Digest.BYTES; break;
            case EventKind.END: need = 8 + Digest.BYTES; break;
            default: need = 0; break;
        }
        if (in.readRemaining() < need) {
            throw corrupt("event " + index + " (" + EventKind.name(e.kind) + ") is truncated");
        }
        switch (e.kind) {
            case EventKind.UART: e.value = in.readInt(); break;
            case EventKind.COMPLETE: e.value = in.readInt(); e.tag = in.readLong(); break;
            case EventKind.CLOCK:
            case EventKind.IDLE: e.tag = in.readLong(); break;
            case EventKind.DIGEST: e.digest = Digest.read(in); break;
            case EventKind.END:
                e.reason = in.readInt();
                e.exitCode = in.readInt();
                e.digest = Digest.read(in);
                break;
            default: break;
        }
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
        try {
            tailer.close();
        } finally {
            queue.close(); // both idempotent
        }
    }
}
