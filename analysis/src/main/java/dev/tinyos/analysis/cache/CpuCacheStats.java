package dev.tinyos.analysis.cache;

import dev.tinyos.analysis.AccessEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the access stream through a {@link CacheHierarchy} and attributes every lookup to the
 * process on the CPU (from scheduler switches) and to a guest-time window. The hierarchy
 * counts into one small array; it is drained into the running process's and the current
 * window's totals whenever either changes, so the per-access cost is one array increment per
 * lookup.
 *
 * <p>Windows: guest time is only known at kernel events, so window {@code k} (covering
 * {@code [k*W, (k+1)*W)} ns) is closed at the first kernel event at or after its end; lookups
 * made before that event are counted in it. tiny-os fires {@code trace_timer_tick} every
 * 10 ms while it runs, so a boundary is late by at most a tick's handler; while the CPU
 * idles nothing is looked up. Without kernel events (a kernel without tracepoints) all
 * lookups fall into window 0, and pid -1 ("unknown") holds them.
 *
 * <p>Invariant: the sum over processes equals the sum over windows equals the hierarchy's
 * totals, slot by slot ({@link CacheHierarchy#index}), after {@link #finish}.
 */
public final class CpuCacheStats implements AccessEvents {
    /** Totals of one guest-time window. */
    public record Window(long index, long startNs, long endNs, long[] counts) {}

    private final CacheHierarchy hierarchy;
    private final long windowNs;
    private final Map<Integer, long[]> byPid = new TreeMap<>();
    private final List<Window> windows = new ArrayList<>();
    private long[] pidCounts;
    private long[] windowCounts = new long[CacheHierarchy.SLOTS];
    private long windowIndex;

    public CpuCacheStats(CacheHierarchy hierarchy, long windowNs) {
        if (windowNs <= 0) {
            throw new IllegalArgumentException("window must be positive, got " + windowNs + " ns");
        }
        this.hierarchy = hierarchy;
        this.windowNs = windowNs;
        this.pidCounts = pidSlot(-1);
    }

    @Override
    public void access(int kind, long vaddr, long paddr, int size, int priv, long pc) {
        hierarchy.access(kind, vaddr, paddr, size, priv, pc);
    }

    /** Guest time {@code timeNs} was observed at a kernel event: closes windows that ended. */
    public void at(long timeNs) {
        if (timeNs < (windowIndex + 1) * windowNs) {
            return;
        }
        drain();
        windows.add(new Window(windowIndex, windowIndex * windowNs, (windowIndex + 1) * windowNs, windowCounts));
        windowCounts = new long[CacheHierarchy.SLOTS];
        windowIndex = timeNs / windowNs;
    }

    /** The CPU passes to process {@code next} at guest time {@code timeNs}. */
    public void switchTo(long timeNs, int next) {
        at(timeNs);
        drain();
        pidCounts = pidSlot(next);
    }

    /** Drains the last counts at the end of the run (guest time {@code timeNs}). */
    public void finish(long timeNs) {
        drain();
        long end = Math.max(timeNs, windowIndex * windowNs);
        windows.add(new Window(windowIndex, windowIndex * windowNs, end, windowCounts));
        windowCounts = new long[CacheHierarchy.SLOTS];
    }

    private void drain() {
        long[] c = hierarchy.counters();
        for (int i = 0; i < CacheHierarchy.SLOTS; i++) {
            long v = c[i];
            if (v != 0) {
                pidCounts[i] += v;
                windowCounts[i] += v;
                c[i] = 0;
            }
        }
    }

    private long[] pidSlot(int pid) {
        return byPid.computeIfAbsent(pid, p -> new long[CacheHierarchy.SLOTS]);
    }

    /** Counters per pid (ascending; -1 = before the first switch or no scheduler events). */
    public Map<Integer, long[]> byPid() {
        return byPid;
    }

    /** Closed windows in time order (empty windows between events are not listed). */
    public List<Window> windows() {
        return windows;
    }

    public CacheHierarchy hierarchy() {
        return hierarchy;
    }

    public long windowNs() {
        return windowNs;
    }
}
