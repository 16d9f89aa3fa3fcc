package dev.tinyos.replay;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The calling thread's CPU time, for the statistics recording and replay keep about their own
 * work (digests, page hashing). Invariant: read only to report figures; nothing a recording or
 * a replay decides depends on it.
 */
final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ThreadCpu() {
    }

    /** CPU time of the calling thread so far, in nanoseconds. */
    static long nanos() {
        return THREADS.getCurrentThreadCpuTime();
    }
}
