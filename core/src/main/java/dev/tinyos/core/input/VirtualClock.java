package dev.tinyos.core.input;

import java.util.ArrayDeque;

/**
 * The deterministic input source: virtual time is the instruction count plus a skew that only
 * idle periods add to, so everything it does is a pure function of the icount and of what the
 * machine asked of it.
 *
 * <ul>
 *   <li>Virtual time {@code vt = icount + skew}, in instructions; {@code mtime = vt / ipt}
 *       (default ipt 100: a 10 MHz mtime on a 1 GHz guest).</li>
 *   <li>Idle is free: {@link #idle} moves {@code skew} forward so that {@code vt} reaches the
 *       earlier of the next request completion and the timer deadline.</li>
 *   <li>A device request started at {@code vt0} completes at {@code vt0 + latency} (default
 *       20 000 instructions = 20 us of guest time), in start order.</li>
 *   <li>Scripted UART bytes ({@link #withInput}) are offered one at a time: at once when the
 *       hart goes idle, otherwise every {@code byteInterval} instructions (default 100 000);
 *       a byte the UART cannot take ({@link InputSink#uartCanReceive}) is held back and
 *       offered again at the next idle or after another interval, so none is dropped.</li>
 * </ul>
 * Invariant: {@code skew} never decreases, so {@link #mtime} never decreases; {@link #exhausted}
 * is true only when no completion is pending, no scripted byte can be delivered and the last
 * idle had no timer deadline.
 */
public final class VirtualClock implements InputSource {
    public static final long DEFAULT_IPT = 100;
    public static final long DEFAULT_LATENCY = 20_000;
    public static final long DEFAULT_BYTE_INTERVAL = 100_000;

    private final long ipt;
    private final long latency;
    private final long byteInterval;
    private final byte[] script;
    private int scriptPos;
    private long nextByteAt;
    /** icount at which the UART last refused a scripted byte (-1: never). */
    private long refusedAt = -1;
    private long skew;
    private boolean lastIdleHadTimer;
    private long lastIdleAt = -1;
    /** Pending completions in due order: {device, tag, dueVt} triples. */
    private final ArrayDeque<long[]> pending = new ArrayDeque<>();

    /** No scripted input, default rates. */
    public VirtualClock() {
        this(DEFAULT_IPT, DEFAULT_LATENCY, DEFAULT_BYTE_INTERVAL, new byte[0]);
    }

    /**
     * A clock with {@code ipt} instructions per mtime tick, a request latency and a byte pacing
     * interval in instructions, and the scripted UART input {@code script}.
     */
    public VirtualClock(long ipt, long latency, long byteInterval, byte[] script) {
        if (ipt <= 0 || latency < 0 || byteInterval <= 0) {
            throw new IllegalArgumentException("ipt and byteInterval must be positive, latency not negative");
        }
        this.ipt = ipt;
        this.latency = latency;
        this.byteInterval = byteInterval;
        this.script = script.clone();
        this.nextByteAt = byteInterval;
    }

    /** A default clock that types {@code bytes} on the console. */
    public static VirtualClock withInput(byte[] bytes) {
        return new VirtualClock(DEFAULT_IPT, DEFAULT_LATENCY, DEFAULT_BYTE_INTERVAL, bytes);
    }

    /** Instructions per mtime tick. */
    public long ipt() {
        return ipt;
    }

    /** This clock's time base, as a trace records it. */
    public TimeBase timeBase() {
        return new TimeBase(TimeBase.Kind.VIRTUAL, ipt);
    }

    /** Virtual time skew accumulated by idle periods, in instructions. */
    public long skew() {
        return skew;
    }

    /** Scripted bytes not delivered yet. */
    public int remainingInput() {
        return script.length - scriptPos;
    }

    @Override
    public long mtime(long icount) {
        return InstructionTime.mtime(icount, skew, ipt);
    }

    @Override
    public long icountForMtime(long icount, long target) {
        return InstructionTime.icountForMtime(icount, target, skew, ipt);
    }

    @Override
    public long nextInputAt(long icount) {
        long next = Long.MAX_VALUE;
        if (!pending.isEmpty()) {
            next = pending.peekFirst()[2] - skew;
        }
        if (scriptPos < script.length) {
            next = Math.min(next, nextByteAt);
        }
        return Math.max(next, icount);
    }

    @Override
    public void deliver(long icount, InputSink sink) {
        while (!pending.isEmpty() && pending.peekFirst()[2] - skew <= icount) {
            long[] c = pending.pollFirst();
            sink.requestCompleted((int) c[0], c[1]);
        }
        if (scriptPos < script.length && nextByteAt <= icount) {
            if (sink.uartCanReceive()) {
                sink.uartByte(script[scriptPos++] & 0xFF);
            } else {
                refusedAt = icount;
            }
            nextByteAt = icount + byteInterval;
        }
    }

    @Override
    public void idle(long icount, long wakeMtime) {
        lastIdleHadTimer = wakeMtime != Long.MAX_VALUE;
        lastIdleAt = icount;
        if (scriptPos < script.length && refusedAt != icount) {
            nextByteAt = icount; // an idle guest is ready for the next typed byte
            return;
        }
        long target = Long.MAX_VALUE;
        if (!pending.isEmpty()) {
            target = pending.peekFirst()[2];
        }
        if (lastIdleHadTimer && wakeMtime >= 0 && wakeMtime <= (Long.MAX_VALUE - ipt) / ipt) {
            target = Math.min(target, wakeMtime * ipt);
        }
        if (target != Long.MAX_VALUE && target > icount + skew) {
            skew = target - icount;
        }
    }

    @Override
    public boolean exhausted() {
        boolean bytesBlocked = scriptPos >= script.length || (refusedAt >= 0 && refusedAt == lastIdleAt);
        return pending.isEmpty() && bytesBlocked && !lastIdleHadTimer;
    }

    @Override
    public void requestStarted(int device, long tag, long icount) {
        pending.addLast(new long[] {device, tag, icount + skew + latency});
    }

    @Override
    public String toString() {
        return "VirtualClock[ipt=" + ipt + ", skew=" + skew + ", pending=" + pending.size()
                + ", input=" + remainingInput() + "/" + script.length + "]";
    }

}
