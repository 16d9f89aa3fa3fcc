package dev.tinyos.replay;

import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads a trace's event queue on its own thread, ahead of the replay, so the machine thread
 * only copies events out of a ring (decoding a Chronicle document costs about 0.3 µs; a
 * disk-heavy run has thousands of events per guest second).
 *
 * <p>A single-producer single-consumer ring of reusable {@link Event} holders
 * ({@link #CAPACITY} by default): the reader thread fills slot {@code tail % capacity}, then publishes
 * {@code tail + 1} (a volatile write); the consumer reads slots below the tail it read, copies
 * them out and publishes its {@code head}. Invariant: the consumer sees exactly the
 * events {@link EventReader} yields, in order, then the end of the queue or the reader's
 * {@link TraceException}, exactly as if it read the queue itself. The reader thread opens,
 * uses and closes its own {@link EventReader} (Chronicle tailers belong to one thread).
 */
final class EventPrefetcher implements EventStream {
    /** Events read ahead at most. */
    static final int CAPACITY = 1 << 13;
    private final Event[] ring;
    private final int mask;
    private final Thread thread;
    /** Next slot the consumer reads (written by the consumer only). */
    private volatile long head;
    /** Slots below this are filled (written by the reader thread only). */
    private volatile long tail;
    /** Set by the reader thread after its last publish: no event will follow. */
    private volatile boolean done;
    /** Why the reader stopped early, or null (read after {@link #done}). */
    private volatile TraceException error;
    private volatile boolean closed;

    /** Starts reading trace {@code dir}'s queue in the background. */
    EventPrefetcher(Path dir) {
        this(dir, TraceHeader.FORMAT_VERSION, CAPACITY);
    }

    /** Starts reading the queue of trace {@code dir}, written in format {@code formatVersion}. */
    EventPrefetcher(Path dir, int formatVersion) {
        this(dir, formatVersion, CAPACITY);
    }

    /** As above, reading at most {@code capacity} (a power of two) events ahead. */
    EventPrefetcher(Path dir, int formatVersion, int capacity) {
        this(dir, formatVersion, capacity, 0, 0);
    }

    /** Starts reading at byte {@code position} (an {@link Event#pos}) with {@code eventsBefore} events before it. */
    EventPrefetcher(Path dir, int formatVersion, long position, long eventsBefore) {
        this(dir, formatVersion, CAPACITY, position, eventsBefore);
    }

    private EventPrefetcher(Path dir, int formatVersion, int capacity, long position, long eventsBefore) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        ring = new Event[capacity];
        mask = capacity - 1;
        for (int i = 0; i < capacity; i++) {
            ring[i] = new Event();
        }
        thread = new Thread(() -> read(dir, formatVersion, position, eventsBefore), "tinyos-event-reader");
        thread.setDaemon(true);
        thread.start();
    }

    private void read(Path dir, int formatVersion, long position, long eventsBefore) {
        try (EventReader reader = position == 0 ? new EventReader(dir, formatVersion)
                : new EventReader(dir, formatVersion, position, eventsBefore)) {
            long t = 0;
            while (!closed) {
                while (t - head == ring.length) { // full: the replay is far behind
                    if (closed) {
                        return;
                    }
                    LockSupport.parkNanos(this, 200_000);
                }
                if (!reader.next(ring[(int) (t & mask)])) {
                    break;
                }
                tail = ++t;
            }
        } catch (TraceException e) {
            error = e;
        } catch (RuntimeException e) {
            error = new TraceException("the event queue of trace " + dir + " cannot be read: " + e + ".", e);
        } finally {
            done = true;
        }
    }

    @Override
    public boolean next(Event e) throws TraceException {
        long h = head;
        int spins = 0;
        while (h == tail) {
            if (done) { // the last publish precedes done: re-check the tail once more
                if (h != tail) {
                    break;
                }
                if (error != null) {
                    throw error;
                }
                return false;
            }
            if (++spins < 1000) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(this, 20_000); // the reader thread is behind (start-up)
            }
        }
        e.copyFrom(ring[(int) (h & mask)]);
        head = h + 1;
        return true;
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
