package dev.tinyos.cli;

import dev.tinyos.core.input.TimeBase;
import dev.tinyos.core.input.InputSink;
import dev.tinyos.core.input.InstructionTime;
import dev.tinyos.core.input.InputSource;
import java.util.ArrayDeque;

/**
 * The host-clock time base of {@code tinyos run --clock host}: guest time follows the wall
 * clock, as on a real board, and block requests are completed by a host I/O thread whenever it
 * gets to them.
 *
 * <p>Time model (the same as the virtual clock's, so a recorder can log it): {@code mtime =
 * (icount + skew) / ipt}, i.e. between two samples time advances with the instruction count at
 * 1 GHz / ipt ticks. At every {@link #deliver} the wall clock is sampled and {@code skew} moves
 * forward (never back) when the guest has fallen more than {@link #SAMPLE_SLACK_TICKS} behind
 * wall time; a guest running faster than 1 GHz gets ahead of the wall clock instead of seeing
 * time go backwards (monotonic, clamped). {@link #idle} waits on the host until the wall clock
 * reaches the timer deadline or a request completes, then samples again. Every change of
 * {@code skew} happens on the machine thread inside {@code deliver} or {@code idle}, which is
 * what {@code Recorder} needs to log it.
 *
 * <p>Block requests: the device has already moved the data when it reports a request started
 * ({@code VirtioBlock} does the transfer on the machine thread); the I/O thread decides when the
 * request completes, and the completion is delivered at the next {@link #deliver}.
 * Invariant: {@code skew} never decreases; completions are delivered in the order the I/O
 * thread finished them; only the machine thread reads or writes {@code skew}.
 */
public final class HostClock implements InputSource {
    public static final long IPT = 100;
    /** Instructions between looks for completions while requests are in flight. */
    static final long IO_POLL = 20_000;
    /** Drift tolerated before a sample moves the time base: 100 us of guest time. */
    static final long SAMPLE_SLACK_TICKS = 1_000;
    private static final long NANOS_PER_TICK = 100;

    /** Wall-clock origin: the machine's first look at the clock (so JVM and trace setup do not count). */
    private long startNanos = -1;
    private final Object lock = new Object();
    private final ArrayDeque<long[]> requests = new ArrayDeque<>();
    private final ArrayDeque<long[]> ready = new ArrayDeque<>();
    private final Thread io;
    private int inFlight;
    private boolean closed;
    // machine-thread state
    private long skew;
    private boolean lastIdleHadTimer;

    public HostClock() {
        io = new Thread(this::ioLoop, "tinyos-host-io");
        io.setDaemon(true);
        io.start();
    }

    /** This clock's time base, as a trace records it. */
    public TimeBase timeBase() {
        return new TimeBase(TimeBase.Kind.HOST, IPT);
    }

    /** The current time-base skew in instructions (for the recorder). */
    public long skew() {
        return skew;
    }

    private void ioLoop() {
        while (true) {
            long[] r;
            synchronized (lock) {
                while (requests.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                r = requests.pollFirst();
            }
            synchronized (lock) {
                ready.addLast(r);
                lock.notifyAll();
            }
        }
    }

    /** Machine thread (and the idle wait, which runs on it) only. */
    private long wallTicks() {
        long now = System.nanoTime();
        if (startNanos < 0) {
            startNanos = now;
        }
        return (now - startNanos) / NANOS_PER_TICK;
    }

    @Override
    public long mtime(long icount) {
        return InstructionTime.mtime(icount, skew, IPT);
    }

    @Override
    public long icountForMtime(long icount, long target) {
        return InstructionTime.icountForMtime(icount, target, skew, IPT);
    }

    @Override
    public long nextInputAt(long icount) {
        synchronized (lock) {
            if (!ready.isEmpty()) {
                return icount;
            }
            return inFlight > 0 ? icount + IO_POLL : Long.MAX_VALUE;
        }
    }

    @Override
    public void deliver(long icount, InputSink sink) {
        while (true) {
            long[] done;
            synchronized (lock) {
                done = ready.pollFirst();
                if (done == null) {
                    break;
                }
                inFlight--;
            }
            sink.requestCompleted((int) done[0], done[1]);
        }
        long want = wallTicks() * IPT - icount;
        if (want > skew + SAMPLE_SLACK_TICKS * IPT) {
            skew = want;
        }
    }

    @Override
    public void idle(long icount, long wakeMtime) {
        lastIdleHadTimer = wakeMtime != Long.MAX_VALUE;
        boolean completed = false;
        synchronized (lock) {
            while (true) {
                if (!ready.isEmpty()) {
                    completed = true;
                    break;
                }
                if (!lastIdleHadTimer && inFlight == 0) {
                    break; // nothing on the host side can wake the guest
                }
                long left = lastIdleHadTimer ? (wakeMtime - wallTicks()) * NANOS_PER_TICK : 50_000_000L;
                if (left <= 0) {
                    break;
                }
                try {
                    lock.wait(Math.max(1, Math.min(left / 1_000_000, 50)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        skew = Math.max(skew, wallTicks() * IPT - icount);
        if (!completed && lastIdleHadTimer && wakeMtime <= (Long.MAX_VALUE - IPT) / IPT) {
            skew = Math.max(skew, wakeMtime * IPT - icount); // clamp: the deadline has come
        }
    }

    @Override
    public boolean exhausted() {
        synchronized (lock) {
            return ready.isEmpty() && inFlight == 0 && !lastIdleHadTimer;
        }
    }

    @Override
    public void requestStarted(int device, long tag, long icount) {
        synchronized (lock) {
            inFlight++;
            requests.addLast(new long[] {device, tag});
            lock.notifyAll();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
    }
}
