package dev.tinyos.analysis.sched;

import java.util.Arrays;
import java.util.TreeMap;

/**
 * Per fixed guest-time window: CPU time per pid, the time integral of the run-queue length,
 * the number of context switches and non-idle instructions. Intervals that cross a window
 * boundary are split proportionally. Invariant: window {@code i} covers
 * [{@code i * widthNs}, {@code (i+1) * widthNs}); sums over windows equal the totals charged.
 */
public final class Windows {
    public final long widthNs;
    private final TreeMap<Integer, long[]> cpuNs = new TreeMap<>();
    private long[] queueNsSum = new long[64];
    private long[] switches = new long[64];
    private long[] instructions = new long[64];
    private int count;

    Windows(long widthNs) {
        if (widthNs <= 0) {
            throw new IllegalArgumentException("window width must be positive");
        }
        this.widthNs = widthNs;
    }

    private void grow(int index) {
        if (index >= queueNsSum.length) {
            int n = Math.max(index + 1, queueNsSum.length * 2);
            queueNsSum = Arrays.copyOf(queueNsSum, n);
            switches = Arrays.copyOf(switches, n);
            instructions = Arrays.copyOf(instructions, n);
            for (var e : cpuNs.entrySet()) {
                e.setValue(Arrays.copyOf(e.getValue(), n));
            }
        }
        count = Math.max(count, index + 1);
    }

    /** Charges [from, to) ns and {@code instr} instructions of CPU to {@code pid}. */
    void cpu(int pid, long from, long to, long instr) {
        if (to <= from) {
            if (to == from && instr > 0 && pid != 0) {
                int w = (int) (from / widthNs);
                grow(w);
                instructions[w] += instr;
            }
            return;
        }
        grow((int) ((to - 1) / widthNs));
        long[] row = cpuNs.computeIfAbsent(pid, k -> new long[queueNsSum.length]);
        long charged = 0;
        for (long t = from; t < to; ) {
            int w = (int) (t / widthNs);
            long end = Math.min(to, (w + 1) * widthNs);
            row[w] += end - t;
            if (pid != 0) {
                long share = end == to ? instr - charged : instr * (end - from) / (to - from) - charged;
                instructions[w] += share;
                charged += share;
            }
            t = end;
        }
    }

    /** {@code queued} processes were runnable and waiting during [from, to). */
    void queue(int queued, long from, long to) {
        if (to <= from || queued == 0) {
            return;
        }
        grow((int) ((to - 1) / widthNs));
        for (long t = from; t < to; ) {
            int w = (int) (t / widthNs);
            long end = Math.min(to, (w + 1) * widthNs);
            queueNsSum[w] += (end - t) * queued;
            t = end;
        }
    }

    void contextSwitch(long at) {
        int w = (int) (at / widthNs);
        grow(w);
        switches[w]++;
    }

    /** Makes sure windows up to the one holding {@code endNs} exist (empty windows included). */
    void extendTo(long endNs) {
        if (endNs > 0) {
            grow((int) ((endNs - 1) / widthNs));
        }
    }

    public int count() {
        return count;
    }

    /** Pids with CPU time in some window, ascending. */
    public Iterable<Integer> pids() {
        return cpuNs.keySet();
    }

    public long cpuNs(int pid, int window) {
        long[] row = cpuNs.get(pid);
        return row == null || window >= row.length ? 0 : row[window];
    }

    /** Time-weighted mean number of runnable processes waiting for the CPU in the window. */
    public double meanQueue(int window) {
        return queueNsSum[window] / (double) widthNs;
    }

    public long switches(int window) {
        return switches[window];
    }

    /** Instructions retired by processes other than idle in the window. */
    public long instructions(int window) {
        return instructions[window];
    }
}
