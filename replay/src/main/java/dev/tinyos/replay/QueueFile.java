package dev.tinyos.replay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Reads the documents of a trace's Chronicle queue file ({@code queue/19700101F.cq4}) with
 * plain positioned reads, without Chronicle: a damaged or truncated file can then never make
 * anything map or touch a byte past its end, and no library logs a line.
 *
 * <p>The file is a sequence of documents, each a little-endian {@code int} header (bit 31: not
 * complete, bit 30: metadata, bits 0..29: length) followed by that many bytes, the next header
 * at the following multiple of 4. Chronicle's own metadata (the store header, index arrays) is
 * skipped; data documents are events. Chronicle grows the file ahead of the last document, so
 * a healthy file always has a zero header after its last document, and only zeros after that
 * (after a document the recorder was killed in the middle of, header {@code 0x80000000}, or
 * whose header it had not yet written, header 0, that document's bytes may follow, then zeros).
 *
 * <p>Invariant: {@link #next} returns only whole documents lying inside the file; a document
 * running past the end of the file, a file that ends without the zero header, or bytes after the
 * end are reported as damage naming the event and the byte offset.
 */
final class QueueFile implements AutoCloseable {
    /** The one queue file of a trace (fixed time provider, FAST_DAILY roll cycle). */
    static final String NAME = "19700101F.cq4";
    private static final int NOT_COMPLETE = 0x8000_0000;
    private static final int META_DATA = 0x4000_0000;
    private static final int LENGTH_MASK = 0x3FFF_FFFF;
    /** Bytes a metadata document being written when the recorder was killed may already hold. */
    static final int PARTIAL_METADATA = 1 << 17;
    private static final int WINDOW = 1 << 20;

    private final Path file;
    private final String trace;
    private final FileChannel channel;
    private final long size;
    private final ByteBuffer window = ByteBuffer.allocate(WINDOW).order(ByteOrder.LITTLE_ENDIAN);
    private long windowStart;
    private long pos;
    private long events;
    private boolean ended;

    private QueueFile(Path file, String trace, FileChannel channel, long size) {
        this.file = file;
        this.trace = trace;
        this.channel = channel;
        this.size = size;
        window.limit(0);
    }

    /** Opens the queue file of trace {@code traceDir}; refuses a missing or empty one. */
    static QueueFile open(Path traceDir) throws TraceException {
        Path dir = traceDir.resolve(Queues.DIR);
        if (!Files.isDirectory(dir)) {
            throw new TraceException("trace " + traceDir + " has no event queue (" + Queues.DIR + "/): "
                    + "the recording stopped before it began, or the directory was removed.");
        }
        Path f = dir.resolve(NAME);
        if (!Files.isRegularFile(f)) {
            throw new TraceException("trace " + traceDir + " has no event file (" + Queues.DIR + "/" + NAME
                    + "): the recording stopped before its first event, or the file was removed.");
        }
        try {
            FileChannel ch = FileChannel.open(f, StandardOpenOption.READ);
            long size = ch.size();
            if (size < 8) {
                ch.close();
                throw new TraceException("the event queue of trace " + traceDir + " is truncated: "
                        + Queues.DIR + "/" + NAME + " is " + size + " bytes long and holds no event.");
            }
            return new QueueFile(f, traceDir.toString(), ch, size);
        } catch (IOException e) {
            throw new TraceException("the event queue of trace " + traceDir + " cannot be read ("
                    + IoMessages.reason(e) + ").");
        }
    }

    /**
     * The next event's bytes (position 0, limit its length, little-endian; valid until the next
     * call), or null after the last one.
     */
    ByteBuffer next() throws TraceException {
        while (!ended) {
            if (pos + 4 > size) {
                throw damage("truncated: it ends at byte " + grouped(size) + ", after event " + events
                        + ", without the zeros Chronicle leaves after the last event");
            }
            int h = intAt(pos);
            if (h == 0) {
                // the end; Chronicle may have written the body of the next document before its
                // header, so a recorder killed in between leaves that body after it: one event's
                // bytes, or the index metadata it writes before an event that needs a new index
                // array (the index2index and first index documents before the first event, about
                // 64 KiB, bodies written before their headers: RecordingFaultsTest's SIGKILL)
                end(pos + 4, PARTIAL_METADATA);
                return null;
            }
            if (h == NOT_COMPLETE || h == (NOT_COMPLETE | META_DATA)) {
                // a document the recorder was killed in the middle of: the end of what was written
                end(pos + 4, h == NOT_COMPLETE ? EventCodec.MAX_BYTES : PARTIAL_METADATA);
                return null;
            }
            if ((h & NOT_COMPLETE) != 0) {
                throw damage("corrupt: the header at byte " + grouped(pos) + " (after event " + events
                        + ") is not a valid document header");
            }
            long len = h & LENGTH_MASK;
            long body = pos + 4;
            if (body + len > size) {
                String what = (h & META_DATA) != 0 ? "the queue's metadata after event " + events
                        : "event " + (events + 1);
                throw damage(cut() ? "truncated: " + what + " runs past the end of the file (byte "
                        + grouped(body + len) + " of " + grouped(size) + ")"
                        : "corrupt: the header of " + what + " at byte " + grouped(pos) + " gives a length ("
                        + grouped(len) + " bytes) past the end of the file");
            }
            pos = (body + len + 3) & ~3L;
            if ((h & META_DATA) != 0) {
                continue;
            }
            events++;
            if (len > EventCodec.MAX_BYTES) {
                throw damage("corrupt: event " + events + " at byte " + grouped(body) + " is " + grouped(len)
                        + " bytes long; no event is longer than " + EventCodec.MAX_BYTES);
            }
            return slice(body, (int) len);
        }
        return null;
    }

    /** The queue ends at {@code at}; allows {@code slack} bytes of a half-written document, then only zeros. */
    private void end(long at, int slack) throws TraceException {
        ended = true;
        for (long p = Math.min(size, at + slack); p < size; ) {
            int n = (int) Math.min(WINDOW, size - p);
            ByteBuffer b = slice(p, n);
            for (int i = 0; i < n; i++) {
                if (b.get(i) != 0) {
                    throw damage("corrupt: there are bytes after its end (at byte " + grouped(p + i)
                            + ", after event " + events + ")");
                }
            }
            p += n;
        }
    }

    /**
     * True if the file was cut short: Chronicle (and {@link QueueSpace}) size queue files in
     * whole multiples of 64 KiB, so any other length means bytes were removed from the end.
     */
    private boolean cut() {
        return size % QueueSpace.GRAIN != 0;
    }

    /** Byte offset where the next call to {@link #next} starts reading. */
    long position() {
        return pos;
    }

    /**
     * Goes to byte {@code position}, which a {@link #position} call returned, with
     * {@code eventsBefore} events before it (a checkpoint's place in the queue). A position
     * that is not a document boundary reads as damage, never as events.
     */
    void seek(long position, long eventsBefore) throws TraceException {
        if (position < 0 || position > size || (position & 3) != 0) {
            throw damage("not what the checkpoint says: it names byte " + grouped(position) + " of " + grouped(size));
        }
        pos = position;
        events = eventsBefore;
        ended = false;
    }

    /** Events returned so far. */
    long events() {
        return events;
    }

    private int intAt(long p) throws TraceException {
        return slice(p, 4).getInt(0);
    }

    /** {@code len} bytes at {@code p} as a buffer from position 0 (a view of the window). */
    private ByteBuffer slice(long p, int len) throws TraceException {
        if (p < windowStart || p + len > windowStart + window.limit()) {
            fill(p, len);
        }
        ByteBuffer b = window.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.position((int) (p - windowStart)).limit((int) (p - windowStart) + len);
        return b.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    private void fill(long p, int len) throws TraceException {
        window.clear();
        window.limit((int) Math.min(WINDOW, size - p));
        windowStart = p;
        try {
            while (window.position() < len) {
                if (channel.read(window, p + window.position()) < 0) {
                    throw damage("truncated: the file shrank to byte " + grouped(p + window.position())
                            + " while it was read");
                }
            }
            while (window.hasRemaining() && channel.read(window, p + window.position()) > 0) {
                // fill the rest of the window while the file has bytes
            }
        } catch (IOException e) {
            throw new TraceException("the event queue of trace " + trace + " cannot be read (" + IoMessages.reason(e)
                    + ").");
        }
        window.flip();
    }

    private TraceException damage(String what) {
        return new TraceException("the event queue of trace " + trace + " is " + what + ".");
    }

    private static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    Path file() {
        return file;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // read-only; nothing was written
        }
    }
}
