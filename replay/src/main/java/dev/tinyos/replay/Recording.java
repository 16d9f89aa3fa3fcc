package dev.tinyos.replay;

import dev.tinyos.core.ExitReason;
import dev.tinyos.core.Machine;
import dev.tinyos.core.RunResult;

/**
 * The run loop of a recorded run: runs the machine in chunks that end exactly at every
 * multiple of the digest interval, logs a DIGEST there, and logs the END (reason, exit code,
 * final digest, console digest) when the run stops. {@link Replay} runs the same chunks, so
 * both sides capture digests at the same icounts. Invariant: the machine's own slicing is
 * unchanged; only {@code Machine.run}'s budget is cut at digest points.
 */
public final class Recording implements AutoCloseable {
    /** Default digest interval: 2^22 instructions (about 4 ms of a 1 GHz guest). */
    public static final long DEFAULT_DIGEST_INTERVAL = 1L << 22;

    private final Machine machine;
    private final EventLog log;
    private final ConsoleTap console;
    private final long interval;
    private final PageHasher hasher;
    private long lastDigest;
    private boolean ended;
    /** Machine-thread CPU time spent capturing digests (a statistic only). */
    private long digestCpuNanos;

    public Recording(Machine machine, EventLog log, ConsoleTap console, long interval) {
        if (Long.bitCount(interval) != 1) {
            throw new IllegalArgumentException("digest interval must be a power of two: " + interval);
        }
        this.machine = machine;
        this.log = log;
        this.console = console;
        this.interval = interval;
        this.hasher = new PageHasher(machine.ram(), PageHasher.SYNC_MIN_PAGES);
    }

    /**
     * Runs for at most {@code maxInstructions} (from the current icount) and logs digests and
     * the end record. A Java exception out of the machine still logs no END: the trace then
     * replays up to its last event, like a killed recorder's.
     */
    public RunResult run(long maxInstructions) {
        long start = machine.view().icount();
        long budgetEnd = maxInstructions > Long.MAX_VALUE - start ? Long.MAX_VALUE : start + maxInstructions;
        RunResult r = BoundaryDriver.run(machine, interval, budgetEnd, (at, reached) -> {
            if (at >= budgetEnd) {
                return false; // the run's last point gets the END record, not a DIGEST
            }
            log.digest(capture());
            return true;
        }, at -> { });
        log.end(r.reason().ordinal(), r.exitCode(), capture());
        ended = true;
        return r;
    }

    private Digest capture() {
        long t0 = ThreadCpu.nanos();
        flushConsole();
        Digest d = Digest.capture(machine, console, lastDigest, hasher);
        lastDigest = d.icount;
        digestCpuNanos += ThreadCpu.nanos() - t0;
        return d;
    }

    /**
     * Machine-thread CPU time, in nanoseconds, spent capturing digests so far (registers,
     * console, the memory hash of each window as far as this thread computes it). A statistic
     * for benchmarks; it never affects the recording.
     */
    public long digestCpuNanos() {
        return digestCpuNanos;
    }

    private void flushConsole() {
        try {
            console.flush();
        } catch (java.io.IOException e) {
            // the terminal went away; the digest counts bytes, not their delivery
        }
    }

    /** CPU time, in nanoseconds, the page hasher's worker thread spent hashing (a statistic). */
    public long hasherCpuNanos() {
        return hasher.workerCpuNanos();
    }

    /** Stops the page hasher's worker thread. */
    @Override
    public void close() {
        hasher.close();
    }

    /** True once the END record was written. */
    public boolean ended() {
        return ended;
    }

    /** The first multiple of {@code interval} strictly greater than {@code icount}. */
    static long nextBoundary(long icount, long interval) {
        long b = (icount & -interval) + interval;
        return b < 0 ? Long.MAX_VALUE : b;
    }
}
