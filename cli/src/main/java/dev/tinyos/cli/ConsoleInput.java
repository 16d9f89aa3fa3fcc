package dev.tinyos.cli;

import dev.tinyos.core.input.InputSink;
import dev.tinyos.core.input.InputSource;
import java.io.Flushable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * The live input source of {@code tinyos run}: guest time exactly as the deterministic clock it
 * wraps (a {@code VirtualClock}: mtime, timer jumps, device completions), plus the bytes of the
 * host's standard input as typed UART input.
 *
 * <p>A daemon reader thread moves stdin bytes into a bounded buffer; the machine thread takes
 * them in {@link #deliver} at least every {@link #POLL} instructions, as many as the UART will
 * accept. Everything the guest sees therefore arrives at an instruction boundary on the machine
 * thread, and the clock part stays a pure function of what was delivered when — a recorder
 * wrapping this source can log it.
 *
 * <p>Two modes. <b>Interactive</b> (stdin is a terminal): Ctrl-A escapes are decoded (Ctrl-A x
 * stops the machine, Ctrl-A h prints help), and {@link #idle} is <em>paced</em>: the thread
 * sleeps until the wall-clock moment that corresponds to the guest time it is asked to jump to
 * (never longer than that guest interval), and wakes early when a key arrives, in which case
 * guest time does not advance and the key is delivered at that icount. <b>Scripted</b> (a pipe
 * or file): bytes go to the guest verbatim and guest time jumps instantly, so scripted runs are
 * fast; when the input ends and the guest idles with nothing armed, the source is
 * {@link #exhausted}. A guest that keeps a timer armed after its script ended (nobody typed
 * {@code poweroff}) is paced from ten seconds of guest time later on, so it idles cheaply.
 *
 * <p>Invariant: {@link #nextInputAt} never returns more than {@link #POLL} instructions past the
 * last {@link #deliver}, so a guest that polls the UART instead of sleeping still sees input.
 */
public final class ConsoleInput implements InputSource {
    /** Instructions between two looks at the input buffer while the guest is busy. */
    public static final long POLL = 200_000;

    private static final long NANOS_PER_TICK = 100; // mtime runs at 10 MHz
    private static final int CAPACITY = 1 << 16;
    /** Guest time after the end of scripted input before idle is paced: 10 s at 10 MHz. */
    private static final long SCRIPT_GRACE_TICKS = 100_000_000L;

    private final InputSource clock;
    private final InputStream in;
    private final boolean interactive;
    private final Flushable output;
    private final PrintStream messages;

    private final Object lock = new Object();
    private final byte[] ring = new byte[CAPACITY];
    private int head;
    private int count;
    private long arrivals; // bytes ever queued; idle waits for this to change
    private boolean eof;
    private boolean stopRequested;
    private Thread reader;

    // machine-thread state
    private long nextPoll;
    private long blockedAt = -1;
    private long idleAt = -1;
    private boolean stopDelivered;
    /** The icount at which a stop is delivered (--stop-at-icount), or MAX_VALUE. */
    private long stopAtIcount = Long.MAX_VALUE;
    private boolean anchored;
    private long anchorWall;
    private long anchorMtime;
    private long scriptEndMtime = -1;
    /** Typing pace (see {@link #typeWhenQuiet}): 0 types at once. */
    private long quietTicks;
    private java.util.function.LongSupplier outputBytes;
    private long outputSeen = -1;
    private long lastOutputMtime;
    /** True while a scripted line waits for the guest's console to fall quiet. */
    private boolean heldForQuiet;

    /**
     * @param clock       the deterministic time base (normally a fresh {@code VirtualClock})
     * @param in          host input, read by a daemon thread once {@link #start} is called
     * @param interactive true for a terminal (escapes, pacing), false for scripted input
     * @param output      flushed whenever the guest idles or input is polled
     * @param messages    where Ctrl-A h prints its help (the terminal is in raw mode: CR LF)
     */
    public ConsoleInput(InputSource clock, InputStream in, boolean interactive, Flushable output,
                        PrintStream messages) {
        this.clock = clock;
        this.in = in;
        this.interactive = interactive;
        this.output = output;
        this.messages = messages;
    }

    /**
     * Scripted input is typed as a person at a serial terminal types it: a line at a time, each
     * once the guest's console output ({@code outputBytes}, bytes written so far) has been quiet
     * for {@code ticks} of guest time. Firmware resets its UART and drops what was typed ahead
     * (on QEMU and on hardware alike), so runs with a bios type this way. Deterministic in guest
     * time; a recording logs each byte at the icount it arrived. Interactive input is unaffected.
     */
    public void typeWhenQuiet(long ticks, java.util.function.LongSupplier outputBytes) {
        this.quietTicks = interactive ? 0 : ticks;
        this.outputBytes = outputBytes;
    }

    /** Starts the reader thread. */
    public void start() {
        reader = new Thread(this::readLoop, "tinyos-stdin");
        reader.setDaemon(true);
        reader.start();
    }

    /** True once the user asked to quit with Ctrl-A x (or a signal did, {@link #requestStop}). */
    public boolean stopRequested() {
        synchronized (lock) {
            return stopRequested;
        }
    }

    /**
     * Asks the machine to stop as Ctrl-A x does: the stop is delivered at the next instruction
     * boundary (and recorded there). Safe from any thread (a signal handler's).
     */
    public void requestStop() {
        synchronized (lock) {
            stopRequested = true;
            lock.notifyAll();
        }
    }

    /**
     * Delivers a stop when the instruction count reaches {@code icount} (--stop-at-icount): an
     * input like Ctrl-A x at a fixed icount, so a recording logs it and its replay stops there too.
     */
    public void stopAt(long icount) {
        stopAtIcount = icount;
    }

    // ---- host side: the reader thread -------------------------------------------------------

    private void readLoop() {
        EscapeDecoder escapes = new EscapeDecoder();
        byte[] buf = new byte[4096];
        byte[] bytes = new byte[buf.length];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                int m = 0;
                for (int i = 0; i < n; i++) {
                    int b = interactive ? escapes.feed(buf[i] & 0xff) : buf[i] & 0xff;
                    if (b >= 0) {
                        bytes[m++] = (byte) b;
                    } else if (b != EscapeDecoder.NONE) {
                        enqueue(bytes, m); // keep keys typed before the command in order
                        m = 0;
                        command(b);
                    }
                }
                enqueue(bytes, m);
            }
        } catch (IOException | InterruptedException e) {
            // treated as the end of input
        }
        synchronized (lock) {
            eof = true;
            lock.notifyAll();
        }
    }

    private void command(int decoded) {
        if (decoded == EscapeDecoder.QUIT) {
            synchronized (lock) {
                stopRequested = true;
                lock.notifyAll();
            }
        } else if (decoded == EscapeDecoder.HELP) {
            messages.print(EscapeDecoder.HELP_TEXT);
            messages.flush();
        }
    }

    /** Queues a chunk as a whole, so the machine sees what one read returned at once. */
    private void enqueue(byte[] bytes, int n) throws InterruptedException {
        synchronized (lock) {
            for (int i = 0; i < n; i++) {
                while (count == CAPACITY) {
                    lock.wait();
                }
                ring[(head + count) % CAPACITY] = bytes[i];
                count++;
            }
            if (n > 0) {
                arrivals++;
                lock.notifyAll();
            }
        }
    }

    // ---- machine side -------------------------------------------------------------------------

    @Override
    public long mtime(long icount) {
        return clock.mtime(icount);
    }

    @Override
    public long icountForMtime(long icount, long target) {
        return clock.icountForMtime(icount, target);
    }

    @Override
    public void requestStarted(int device, long tag, long icount) {
        clock.requestStarted(device, tag, icount);
    }

    @Override
    public long nextInputAt(long icount) {
        synchronized (lock) {
            if (stopRequested && !stopDelivered) {
                return icount;
            }
        }
        long next = Math.min(clock.nextInputAt(icount), Math.max(icount, nextPoll));
        return stopDelivered ? next : Math.min(next, Math.max(icount, stopAtIcount));
    }

    @Override
    public void deliver(long icount, InputSink sink) {
        clock.deliver(icount, sink);
        synchronized (lock) {
            if ((stopRequested || icount >= stopAtIcount) && !stopDelivered) {
                stopDelivered = true;
                sink.stop();
            }
            boolean quiet = quietFor(icount);
            heldForQuiet = count > 0 && !quiet;
            while (count > 0 && quiet && sink.uartCanReceive()) {
                int b = ring[head] & 0xff;
                sink.uartByte(b);
                head = (head + 1) % CAPACITY;
                count--;
                lock.notifyAll();
                if (quietTicks > 0 && b == '\n') {
                    lastOutputMtime = clock.mtime(icount); // the next line waits for the answer to this one
                    heldForQuiet = count > 0;
                    break;
                }
            }
            blockedAt = count > 0 ? icount : -1;
        }
        nextPoll = icount + POLL;
        flush();
    }

    /** True if input may be typed now: always, or once the console has been quiet long enough. */
    private boolean quietFor(long icount) {
        if (quietTicks <= 0) {
            return true;
        }
        long now = clock.mtime(icount);
        long out = outputBytes.getAsLong();
        if (out != outputSeen) {
            outputSeen = out;
            lastOutputMtime = now;
        }
        return now - lastOutputMtime >= quietTicks;
    }

    @Override
    public void idle(long icount, long wakeMtime) {
        flush();
        if (heldForQuiet && blockedAt == icount) { // a line waits for quiet: time runs on to then
            idleAt = icount;
            long quietEnd = lastOutputMtime + quietTicks;
            clock.idle(icount, Math.min(wakeMtime, quietEnd));
            nextPoll = icount;
            return;
        }
        idleAt = icount;
        long seen;
        synchronized (lock) {
            if (inputWaiting(icount)) {
                nextPoll = icount;
                return;
            }
            seen = arrivals;
        }
        long target = wakeMtime;
        long due = clock.nextInputAt(icount);
        if (due != Long.MAX_VALUE) {
            target = Math.min(target, clock.mtime(due));
        }
        boolean woken;
        if (interactive || scriptLongOver(icount)) {
            woken = sleepUntilGuestTime(icount, target, seen);
        } else if (target == Long.MAX_VALUE) {
            woken = waitForInput(seen, Long.MAX_VALUE);
        } else {
            woken = false;
        }
        if (woken) {
            nextPoll = icount; // deliver the new input at this very icount
        } else {
            clock.idle(icount, wakeMtime);
        }
    }

    @Override
    public boolean exhausted() {
        synchronized (lock) {
            boolean undeliverable = count == 0 || blockedAt == idleAt;
            return eof && undeliverable && !heldForQuiet && !stopRequested && clock.exhausted();
        }
    }

    @Override
    public void close() {
        clock.close();
        flush();
    }

    /**
     * True once scripted input has ended, every byte was delivered and the guest has since run
     * {@link #SCRIPT_GRACE_TICKS} of guest time: from then on a run that was not powered off by
     * its script idles at wall-clock pace, costing the host nothing, as QEMU would.
     */
    private boolean scriptLongOver(long icount) {
        synchronized (lock) {
            if (!eof || count > 0) {
                return false;
            }
        }
        long now = clock.mtime(icount);
        if (scriptEndMtime < 0) {
            scriptEndMtime = now;
        }
        return now - scriptEndMtime >= SCRIPT_GRACE_TICKS;
    }

    /** Caller holds the lock: something to deliver now (a stop, or bytes the UART may take). */
    private boolean inputWaiting(long icount) {
        return ((stopRequested || icount >= stopAtIcount) && !stopDelivered) || (count > 0 && blockedAt != icount);
    }

    /**
     * Interactive idle: sleeps until the wall-clock moment of guest time {@code target}, keeping
     * an anchor (wall time, guest time) that is moved forward whenever the guest has fallen
     * behind the wall clock, so it never races to catch up. True if woken by input.
     */
    private boolean sleepUntilGuestTime(long icount, long target, long seen) {
        long now = System.nanoTime();
        long mtimeNow = clock.mtime(icount);
        if (!anchored || anchorWall + (mtimeNow - anchorMtime) * NANOS_PER_TICK < now) {
            anchored = true;
            anchorWall = now;
            anchorMtime = mtimeNow;
        }
        if (target == Long.MAX_VALUE) {
            return waitForInput(seen, Long.MAX_VALUE);
        }
        long ticks = Math.max(0, target - mtimeNow);
        long interval = ticks > Long.MAX_VALUE / NANOS_PER_TICK ? Long.MAX_VALUE : ticks * NANOS_PER_TICK;
        long untilAnchor = (target - anchorMtime) > Long.MAX_VALUE / NANOS_PER_TICK
                ? Long.MAX_VALUE : anchorWall + (target - anchorMtime) * NANOS_PER_TICK - now;
        return waitForInput(seen, Math.min(interval, Math.max(0, untilAnchor)));
    }

    /**
     * Waits up to {@code nanos} for a new byte or a stop; with no limit ({@code MAX_VALUE}) the
     * end of input ends the wait too. True if a byte or a stop arrived.
     */
    private boolean waitForInput(long seen, long nanos) {
        long start = System.nanoTime();
        long deadline = nanos >= Long.MAX_VALUE - Math.max(0, start) ? Long.MAX_VALUE : start + nanos;
        synchronized (lock) {
            while (arrivals == seen && !stopRequested && !(eof && deadline == Long.MAX_VALUE)) {
                long left = deadline == Long.MAX_VALUE ? 100_000_000L : deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000), 0);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return arrivals != seen || stopRequested;
        }
    }

    private void flush() {
        try {
            output.flush();
        } catch (IOException e) {
            // the console went away; the guest keeps running, as a real UART would
        }
    }
}
