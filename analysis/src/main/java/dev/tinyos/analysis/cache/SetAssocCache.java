package dev.tinyos.analysis.cache;

import java.util.Arrays;

/**
 * A set-associative cache with true LRU replacement, write-allocate and write-back: the tag
 * store only (no data). A lookup of a byte address finds its line; a miss fills the line into
 * its set, replacing the least recently used way (an <em>eviction</em> when that way was valid,
 * also a <em>write-back</em> when it was dirty). Stores mark the line dirty.
 *
 * <p>Layout: the ways of set {@code s} are {@code tags[s*ways .. s*ways+ways-1]} ordered from
 * most to least recently used (a hit moves its way to the front), so LRU order is explicit and
 * testable. The most recently used line of the whole cache is remembered so that the common
 * case (the next instruction in the same line) is decided by one comparison; that shortcut is
 * exact because that line is at the front of its set already.
 *
 * <p>Invariant: {@code tags[i] == -1} iff way {@code i} is invalid (line numbers are
 * non-negative); a valid line appears at most once; {@code dirty[i]} implies {@code tags[i] != -1};
 * {@code hits + misses} = lookups since construction or {@link #resetCounters()}.
 */
public final class SetAssocCache {
    private final CacheGeometry geometry;
    private final int ways;
    private final int lineShift;
    private final long setMask;
    private final long[] tags;
    private final boolean[] dirty;
    private long mruLine = -1;
    private int mruIndex;
    private long hits, misses, evictions, writebacks;
    private long victimLine = -1;
    private boolean victimDirty;

    public SetAssocCache(CacheGeometry geometry) {
        this.geometry = geometry;
        this.ways = geometry.ways();
        this.lineShift = geometry.lineShift();
        this.setMask = geometry.sets() - 1;
        this.tags = new long[geometry.sets() * ways];
        this.dirty = new boolean[tags.length];
        Arrays.fill(tags, -1);
    }

    public CacheGeometry geometry() {
        return geometry;
    }

    /** The line number of byte address {@code addr} (address / line size, unsigned). */
    public long lineOf(long addr) {
        return addr >>> lineShift;
    }

    /** Looks up the line holding byte {@code addr}; see {@link #accessLine}. */
    public boolean access(long addr, boolean write) {
        return accessLine(addr >>> lineShift, write);
    }

    /**
     * Looks up line number {@code line}, fills it on a miss, and makes it most recently used.
     * Returns true on a hit. After a miss, {@link #victimLine()} is the line it replaced (or -1).
     */
    public boolean accessLine(long line, boolean write) {
        if (line == mruLine) {
            hits++;
            if (write) {
                dirty[mruIndex] = true;
            }
            return true;
        }
        int base = (int) (line & setMask) * ways;
        for (int w = 0; w < ways; w++) {
            if (tags[base + w] == line) {
                boolean d = dirty[base + w] | write;
                moveToFront(base, w, line, d);
                hits++;
                return true;
            }
        }
        misses++;
        fill(base, line, write);
        return false;
    }

    /**
     * Installs {@code line} as most recently used without counting a lookup (a write-back
     * arriving from the level above); a line already present is only marked dirty and moved.
     */
    public void install(long line, boolean write) {
        int base = (int) (line & setMask) * ways;
        for (int w = 0; w < ways; w++) {
            if (tags[base + w] == line) {
                moveToFront(base, w, line, dirty[base + w] | write);
                return;
            }
        }
        fill(base, line, write);
    }

    /** True if {@code line} is cached (no state change). */
    public boolean containsLine(long line) {
        int base = (int) (line & setMask) * ways;
        for (int w = 0; w < ways; w++) {
            if (tags[base + w] == line) {
                return true;
            }
        }
        return false;
    }

    /** The lines of the set of {@code line}, most recently used first (-1 = invalid way). */
    public long[] setContents(long line) {
        int base = (int) (line & setMask) * ways;
        return Arrays.copyOfRange(tags, base, base + ways);
    }

    /** Invalidates every line without writing back (a TLB flush). */
    public void invalidateAll() {
        Arrays.fill(tags, -1);
        Arrays.fill(dirty, false);
        mruLine = -1;
    }

    private void fill(int base, long line, boolean write) {
        int last = base + ways - 1;
        victimLine = tags[last];
        victimDirty = dirty[last];
        if (victimLine != -1) {
            evictions++;
            if (victimDirty) {
                writebacks++;
            }
        }
        moveToFront(base, ways - 1, line, write);
    }

    private void moveToFront(int base, int w, long line, boolean d) {
        System.arraycopy(tags, base, tags, base + 1, w);
        System.arraycopy(dirty, base, dirty, base + 1, w);
        tags[base] = line;
        dirty[base] = d;
        mruLine = line;
        mruIndex = base;
    }

    /** The line the last filling miss replaced, -1 if the way was invalid. */
    public long victimLine() {
        return victimLine;
    }

    /** True if the line the last filling miss replaced was dirty. */
    public boolean victimDirty() {
        return victimDirty && victimLine != -1;
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }

    public long evictions() {
        return evictions;
    }

    public long writebacks() {
        return writebacks;
    }

    /** Zeroes the counters; the contents stay. */
    public void resetCounters() {
        hits = misses = evictions = writebacks = 0;
    }
}
