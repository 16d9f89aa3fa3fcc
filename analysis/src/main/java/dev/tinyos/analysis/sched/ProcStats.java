package dev.tinyos.analysis.sched;

import java.util.Arrays;

/**
 * What the scheduler analysis knows about one pid: its name, CPU use, switch counts, the wait
 * latencies it suffered (runnable until scheduled) and its exit status. Invariant: counters only
 * grow; {@code runnableSinceNs} is >= 0 exactly while the process is known to be runnable and
 * not running (a process made runnable without a tracepoint, e.g. by kill, is not counted).
 */
public final class ProcStats {
    public final int pid;
    String name;
    int parent = -1;
    long instructions;
    long cpuNs;
    long scheduled;
    long voluntary;
    long involuntary;
    long waitNs;
    Integer exitStatus;
    long runnableSinceNs = -1;
    private double[] waitsUs = new double[16];
    private int waits;

    ProcStats(int pid, String name) {
        this.pid = pid;
        this.name = name;
    }

    void addWait(long ns) {
        waitNs += ns;
        if (waits == waitsUs.length) {
            waitsUs = Arrays.copyOf(waitsUs, waits * 2);
        }
        waitsUs[waits++] = ns / 1000.0;
    }

    public String name() {
        return name;
    }

    public long instructions() {
        return instructions;
    }

    public long cpuNs() {
        return cpuNs;
    }

    public long scheduled() {
        return scheduled;
    }

    public long voluntary() {
        return voluntary;
    }

    public long involuntary() {
        return involuntary;
    }

    public long waitNs() {
        return waitNs;
    }

    /** Exit status, or null if the process had not exited when the trace ended. */
    public Integer exitStatus() {
        return exitStatus;
    }

    /** Every wait latency of this process in microseconds, in the order they happened. */
    public double[] waitsUs() {
        return Arrays.copyOf(waitsUs, waits);
    }
}
