package dev.tinyos.replay;

import java.nio.file.Path;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The writing end of a trace's event queue: one Chronicle document per event in the raw layout
 * of {@link EventKind}, written through {@code writingDocument()} with no per-event garbage.
 * Each document is in the memory-mapped file once its method returns, so a recorder killed
 * with SIGKILL leaves every earlier event readable. Invariant: events are appended in
 * nondecreasing icount order; only the machine thread writes.
 */
public final class EventLog implements AutoCloseable {
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final long[] counts = new long[EventKind.MAX];

    /** Creates the queue under {@code traceDir/queue}. */
    public EventLog(Path traceDir) {
        this.queue = Queues.open(traceDir, false);
        this.appender = queue.createAppender();
    }

    public void uart(long icount, int b) {
        try (DocumentContext dc = appender.writingDocument()) {
            Bytes<?> out = start(dc, EventKind.UART, icount);
            out.writeInt(b);
        }
    }

    public void complete(long icount, int device, long tag) {
        try (DocumentContext dc = appender.writingDocument()) {
            Bytes<?> out = start(dc, EventKind.COMPLETE, icount);
            out.writeInt(device);
            out.writeLong(tag);
        }
    }

    public void stop(long icount) {
        try (DocumentContext dc = appender.writingDocument()) {
            start(dc, EventKind.STOP, icount);
        }
    }

    /** A time-base change: {@link EventKind#CLOCK} (during deliver) or {@link EventKind#IDLE}. */
    public void skew(byte kind, long icount, long skew) {
        try (DocumentContext dc = appender.writingDocument()) {
            Bytes<?> out = start(dc, kind, icount);
            out.writeLong(skew);
        }
    }

    public void digest(Digest d) {
        try (DocumentContext dc = appender.writingDocument()) {
            Bytes<?> out = start(dc, EventKind.DIGEST, d.icount);
            d.write(out);
        }
    }

    public void end(int reason, int exitCode, Digest d) {
        try (DocumentContext dc = appender.writingDocument()) {
            Bytes<?> out = start(dc, EventKind.END, d.icount);
            out.writeInt(reason);
            out.writeInt(exitCode);
            d.write(out);
        }
    }

    private Bytes<?> start(DocumentContext dc, byte kind, long icount) {
        counts[kind]++;
        Bytes<?> out = dc.wire().bytes();
        out.writeByte(kind);
        out.writeLong(icount);
        return out;
    }

    /** Events written so far of {@code kind}. */
    public long count(int kind) {
        return counts[kind];
    }

    @Override
    public void close() {
        appender.close();
        queue.close();
    }
}
