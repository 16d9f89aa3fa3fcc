package dev.tinyos.analysis.cache;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the guest kernel's buffer-cache events ({@code trace_bcache_*}): hits, misses,
 * evictions (a clean buffer recycled) and completed write-backs, per guest-time window and per
 * block range of {@code rangeBlocks} blocks. Evictions are charged to the block evicted (its
 * range) and write-backs to the block written. Invariant: the sums over windows and over ranges
 * both equal the totals; maps are ordered, so output order is deterministic.
 */
public final class BufferCacheStats {
    /** Counter positions. */
    public static final int HIT = 0, MISS = 1, EVICT = 2, WRITEBACK = 3, KINDS = 4;

    private final long windowNs;
    private final long rangeBlocks;
    private final Map<Long, long[]> byWindow = new TreeMap<>();
    private final Map<Long, long[]> byRange = new TreeMap<>();
    private final long[] totals = new long[KINDS];

    public BufferCacheStats(long windowNs, long rangeBlocks) {
        if (windowNs <= 0 || rangeBlocks <= 0) {
            throw new IllegalArgumentException("window and block range must be positive");
        }
        this.windowNs = windowNs;
        this.rangeBlocks = rangeBlocks;
    }

    /** Counts one event of {@code kind} on {@code blockno} at guest time {@code timeNs}. */
    public void count(int kind, long timeNs, long blockno) {
        byWindow.computeIfAbsent(timeNs / windowNs, k -> new long[KINDS])[kind]++;
        byRange.computeIfAbsent(Long.divideUnsigned(blockno, rangeBlocks), k -> new long[KINDS])[kind]++;
        totals[kind]++;
    }

    /** Window index (start = index * windowNs) to counts; windows without events are absent. */
    public Map<Long, long[]> byWindow() {
        return byWindow;
    }

    /** Range index (first block = index * rangeBlocks) to counts. */
    public Map<Long, long[]> byRange() {
        return byRange;
    }

    public long[] totals() {
        return totals.clone();
    }

    public long windowNs() {
        return windowNs;
    }

    public long rangeBlocks() {
        return rangeBlocks;
    }

    /** hits / (hits + misses), NaN without lookups. */
    public static double hitRatio(long[] c) {
        long n = c[HIT] + c[MISS];
        return n == 0 ? Double.NaN : (double) c[HIT] / n;
    }
}
