package dev.tinyos.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue file read without Chronicle ({@link QueueFile}) and the event bytes with their
 * checksum ({@link EventCodec}): what a killed writer leaves is read up to its last whole event,
 * and everything else that is not what the writer wrote is refused naming the event.
 */
class QueueFileTest {
    @TempDir
    Path dir;

    /** A queue of {@code n} UART events at icounts 10, 20, ...; returns the offset after the last. */
    private long writeQueue(int n) throws Exception {
        try (EventLog log = new EventLog(dir)) {
            for (int i = 1; i <= n; i++) {
                log.uart(10L * i, 'a' + i % 26);
            }
        }
        return end(Files.readAllBytes(file()));
    }

    private Path file() {
        return dir.resolve(Queues.DIR).resolve(QueueFile.NAME);
    }

    private static long end(byte[] q) {
        ByteBuffer b = ByteBuffer.wrap(q).order(ByteOrder.LITTLE_ENDIAN);
        int p = 0;
        while (b.getInt(p) != 0) {
            p = (p + 4 + (b.getInt(p) & 0x3FFF_FFFF) + 3) & ~3;
        }
        return p;
    }

    private int readAll() throws TraceException {
        int n = 0;
        try (EventReader r = new EventReader(dir)) {
            Event e = new Event();
            while (r.next(e)) {
                assertEquals(10L * ++n, e.icount);
            }
        }
        return n;
    }

    @Test
    void everyEventIsReadBackAndTheFileSizeIsAMultipleOf64KiB() throws Exception {
        writeQueue(1000);
        assertEquals(1000, readAll());
        assertEquals(0, Files.size(file()) % QueueSpace.GRAIN);
        assertTrue(Files.size(file()) >= end(Files.readAllBytes(file())) + QueueSpace.AHEAD,
                "blocks are allocated ahead of the writer");
    }

    @Test
    void aDocumentTheWriterWasKilledInTheMiddleOfEndsTheQueueCleanly() throws Exception {
        long at = writeQueue(5);
        try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.WRITE)) {
            ByteBuffer half = ByteBuffer.allocate(13).order(ByteOrder.LITTLE_ENDIAN);
            half.putInt(0x8000_0000).put(EventKind.UART).putLong(60).flip(); // header not yet final
            ch.write(half, at);
        }
        assertEquals(5, readAll());
    }

    @Test
    void bytesAfterTheEndAreDamage() throws Exception {
        long at = writeQueue(5);
        try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {7}), at + 4 + QueueFile.PARTIAL_METADATA + 100);
        }
        TraceException e = assertThrows(TraceException.class, this::readAll);
        assertTrue(e.getMessage().contains("bytes after its end") && e.getMessage().contains("after event 5"),
                e.getMessage());
    }

    /**
     * Chronicle may write a document's body before its header: a recorder killed in between
     * leaves a zero header followed by one event's bytes, which is the end of what was written
     * (found by RecordingFaultsTest's SIGKILL at a random moment), not damage.
     */
    @Test
    void anUnfinishedBodyAfterTheEndIsTheKilledWritersLastEvent() throws Exception {
        long at = writeQueue(5);
        try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {5, 15, 6, 109, 0, 0, 0, 0, 0, 7}), at + 4);
        }
        assertEquals(5, readAll());
    }

    /**
     * Before the first event Chronicle writes its index2index and first index documents, bodies
     * before headers: a recorder killed then leaves a zero header, the index2index body, another
     * zero header 32 KiB on and the index body (CI's SIGKILL at 0 ms: "bytes after its end (at
     * byte 33,012, after event 0)"). That is the end of what was written, not damage.
     */
    @Test
    void indexMetadataWrittenBeforeItsHeadersIsTheKilledWritersLastWork() throws Exception {
        long at = writeQueue(5);
        try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.WRITE)) {
            byte[] body = "index2index".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            ch.write(ByteBuffer.wrap(body), at + 4);
            ch.write(ByteBuffer.wrap(body), at + 4 + 32_808 + 4);
        }
        assertEquals(5, readAll());
    }

    @Test
    void aCutAtEveryByteOfTheEventsIsNamedAsSuch() throws Exception {
        long used = writeQueue(3);
        byte[] all = Files.readAllBytes(file());
        for (long cut = 1; cut < used; cut += cut < used - 200 ? 997 : 1) { // every byte of the events
            Files.write(file(), java.util.Arrays.copyOf(all, (int) cut));
            String m = assertThrows(TraceException.class, this::readAll, "cut at " + cut).getMessage();
            // a cut at a multiple of 64 KiB looks like a whole Chronicle file whose header lies
            assertTrue(m.contains("truncated") || cut % QueueSpace.GRAIN == 0 && m.contains("past the end of the file"),
                    cut + ": " + m);
        }
    }

    @Test
    void theChecksumCoversTheBytesAndThePosition() {
        EventCodec c = new EventCodec(TraceHeader.FORMAT_VERSION);
        ByteBuffer b = ByteBuffer.allocate(EventCodec.MAX_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        Event e = new Event();
        e.kind = EventKind.COMPLETE;
        e.icount = 1234;
        e.value = 0;
        e.tag = 99;
        c.encode(e, 7, b);
        b.flip();
        Event back = new Event();
        assertNull(c.decode(b.duplicate().order(ByteOrder.LITTLE_ENDIAN), 7, back));
        assertEquals(99, back.tag);
        assertTrue(c.decode(b.duplicate().order(ByteOrder.LITTLE_ENDIAN), 8, back).contains("fails its checksum"),
                "the same bytes at another position");
        for (int i = 0; i < b.limit() * 8; i++) {
            ByteBuffer d = ByteBuffer.allocate(b.limit()).order(ByteOrder.LITTLE_ENDIAN);
            d.put(b.duplicate()).flip();
            d.put(i / 8, (byte) (d.get(i / 8) ^ (1 << (i % 8))));
            assertFalse(c.decode(d, 7, back) == null, "bit " + i + " flipped");
        }
        EventCodec v1 = new EventCodec(1);
        assertEquals(EventCodec.MAX_BYTES - 4, v1.eventBytes(EventKind.END), "format 1 events have no checksum");
    }
}
