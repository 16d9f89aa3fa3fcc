package dev.tinyos.replay;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lock a recorder holds on its trace's {@code header.properties} for as long as it records:
 * readers (verify, replay, info, analyze) test it, so a trace still being written is refused as
 * such instead of being read as one whose recorder was killed. The lock is the host's (POSIX
 * record lock): it goes away with the process, so a killed recorder leaves no stale lock.
 * Invariant: readers only test the lock (a shared lock taken and released at once on a read-only
 * channel); nothing is ever written to the trace by doing so.
 */
final class RecorderLock implements AutoCloseable {
    private final FileChannel channel;

    private RecorderLock(FileChannel channel) {
        this.channel = channel;
    }

    /** Takes the recorder's lock on trace {@code dir} (whose header exists). */
    static RecorderLock take(Path dir) throws IOException {
        FileChannel ch = FileChannel.open(dir.resolve(TraceHeader.FILE), StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            if (ch.tryLock() == null) {
                throw new IOException(dir + " is being recorded by another process");
            }
            return new RecorderLock(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Refuses trace {@code dir} if a recorder still holds its lock. */
    static void requireFree(Path dir) throws TraceException {
        try (FileChannel ch = FileChannel.open(dir.resolve(TraceHeader.FILE), StandardOpenOption.READ)) {
            FileLock l;
            try {
                l = ch.tryLock(0, Long.MAX_VALUE, true);
            } catch (OverlappingFileLockException e) {
                l = null; // this very JVM is recording it
            }
            if (l == null) {
                throw new TraceException("trace " + dir + " is still being recorded (its recorder is running): "
                        + "wait for that run to end.");
            }
            l.release();
        } catch (IOException e) {
            throw new TraceException("the header of trace " + dir + " cannot be read (" + IoMessages.reason(e) + ").");
        }
    }

    @Override
    public void close() {
        try {
            channel.close(); // releases the lock
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }
}
