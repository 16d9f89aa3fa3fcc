package dev.tinyos.replay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Allocates the blocks of the queue file ahead of Chronicle's writer by writing zeros there
 * with ordinary writes. Chronicle writes through a memory map, and a write to a mapped page the
 * host cannot allocate (its disk is full) is a fault no Java code can handle; an ordinary write
 * fails with an I/O error instead, while the blocks allocated earlier still hold the last events.
 *
 * <p>Invariant: after {@link #ensure}{@code (p)} returns with {@link #full} null, the bytes of
 * the file up to {@code p + }{@link #AHEAD} are allocated; zeros are only ever written past
 * every byte Chronicle has written (where the file already reads as zeros).
 */
final class QueueSpace implements AutoCloseable {
    /** Allocated room kept ahead of the last event: far more than the events of a stop and an end. */
    static final long AHEAD = 256 << 10;
    private static final int STEP = 256 << 10;
    /** Chronicle sizes its files in multiples of this; so does this class. */
    static final long GRAIN = 64 << 10;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 << 10);

    private final Path file;
    private FileChannel channel;
    private long allocated;
    private String full;

    QueueSpace(Path file) {
        this.file = file;
    }

    /** Makes sure the file is allocated up to {@code position + AHEAD}; on failure sets {@link #full}. */
    void ensure(long position) {
        if (position + AHEAD <= allocated || full != null) {
            return;
        }
        long target = (Math.max(allocated, position) + AHEAD + STEP) & -GRAIN; // file sizes stay multiples of 64 KiB
        try {
            if (channel == null) {
                channel = FileChannel.open(file, StandardOpenOption.WRITE);
            }
            long from = Math.max(allocated, position);
            for (long p = from; p < target; ) {
                ByteBuffer z = ZEROS.duplicate();
                z.limit((int) Math.min(z.capacity(), target - p));
                p += channel.write(z, p);
            }
            allocated = target;
        } catch (IOException e) {
            full = file + ": " + IoMessages.reason(e);
        }
    }

    /** Why the file could not grow, or null. */
    String full() {
        return full;
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing was left unwritten: every write above completed or failed
            }
        }
    }
}
