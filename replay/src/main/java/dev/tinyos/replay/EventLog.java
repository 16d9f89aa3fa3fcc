package dev.tinyos.replay;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The writing end of a trace's event queue: one Chronicle document per event, the bytes of
 * {@link EventCodec} and {@link EventLayout} (with its checksum), written through {@code writingDocument()}. Each
 * document is in the memory-mapped file once its method returns, so a recorder killed with
 * SIGKILL leaves every earlier event readable.
 *
 * <p>The file's blocks are allocated ahead of the writer ({@link QueueSpace}): a full host disk
 * is noticed while there is still room for the last events, never as a fault on a mapped page.
 * Once it is noticed, {@link #full} is true and the run should stop (the {@link Recorder} stops
 * it at the next instruction boundary); the events written until then still fit.
 *
 * <p>Invariant: events are appended in nondecreasing icount order; only the machine thread
 * writes.
 */
public final class EventLog implements AutoCloseable {
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final QueueSpace space;
    private final long[] counts = new long[EventKind.MAX];
    private final EventCodec codec = new EventCodec(TraceHeader.FORMAT_VERSION);
    private final ByteBuffer buf = ByteBuffer.allocate(EventCodec.MAX_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final Event scratch = new Event();
    private long seq;

    /** Creates the queue under {@code traceDir/queue}. */
    public EventLog(Path traceDir) {
        this.queue = Queues.open(traceDir, false);
        this.appender = queue.createAppender();
        this.space = new QueueSpace(traceDir.resolve(Queues.DIR).resolve(QueueFile.NAME));
    }

    public void uart(long icount, int b) {
        Event e = event(EventKind.UART, icount);
        e.value = b;
        event(e);
    }

    public void complete(long icount, int device, long tag) {
        Event e = event(EventKind.COMPLETE, icount);
        e.value = device;
        e.tag = tag;
        event(e);
    }

    public void stop(long icount) {
        event(event(EventKind.STOP, icount));
    }

    /** A time-base change: {@link EventKind#CLOCK} (during deliver) or {@link EventKind#IDLE}. */
    public void skew(byte kind, long icount, long skew) {
        Event e = event(kind, icount);
        e.tag = skew;
        event(e);
    }

    public void digest(Digest d) {
        Event e = event(EventKind.DIGEST, d.icount);
        e.digest = d;
        event(e);
    }

    public void end(int reason, int exitCode, Digest d) {
        Event e = event(EventKind.END, d.icount);
        e.reason = reason;
        e.exitCode = exitCode;
        e.digest = d;
        event(e);
    }

    /** The reused holder, cleared, for an event of {@code kind} at {@code icount}. */
    private Event event(byte kind, long icount) {
        Event e = scratch;
        e.kind = kind;
        e.icount = icount;
        e.value = 0;
        e.tag = 0;
        e.reason = 0;
        e.exitCode = 0;
        e.digest = null;
        return e;
    }

    /** Writes any event as it is (tests build damaged or edited traces with it). */
    public void event(Event e) {
        counts[e.kind]++;
        codec.encode(e, ++seq, buf);
        write();
    }

    private void write() {
        long end;
        try (DocumentContext dc = appender.writingDocument()) {
            Bytes<?> out = dc.wire().bytes();
            out.write(buf.array(), 0, buf.position());
            end = out.writePosition();
        }
        space.ensure(end);
    }

    /** Events written so far of {@code kind}. */
    public long count(int kind) {
        return counts[kind];
    }

    /** True once the host file system holding the queue is full: stop the run now. */
    public boolean full() {
        return space.full() != null;
    }

    /** Why the queue cannot grow (names the file and the host's reason), or null. */
    public String fullReason() {
        return space.full();
    }

    @Override
    public void close() {
        try {
            appender.close();
            queue.close();
        } finally {
            space.close();
        }
    }
}
