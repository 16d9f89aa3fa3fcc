package dev.tinyos.analysis.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SetAssocCacheTest {
    /** 4 sets x 2 ways x 16 B lines = 128 B. Lines 0, 4, 8 map to set 0. */
    private static SetAssocCache small() {
        return new SetAssocCache(new CacheGeometry("t", 128, 2, 16));
    }

    @Test
    void sequentialSweepMissesOncePerLine() {
        SetAssocCache c = small();
        for (long a = 0; a < 128; a += 4) {
            c.access(a, false);
        }
        assertEquals(8, c.misses());
        assertEquals(24, c.hits());
        for (long a = 0; a < 128; a += 4) {
            c.access(a, false);
        }
        assertEquals(8, c.misses(), "the whole sweep fits: second pass all hits");
        assertEquals(56, c.hits());
        assertEquals(0, c.evictions());
    }

    @Test
    void lruEvictsLeastRecentlyUsedWay() {
        SetAssocCache c = small();
        c.accessLine(0, false);
        c.accessLine(4, false);
        c.accessLine(0, false); // 0 is now MRU, 4 LRU
        assertArrayEquals(new long[] {0, 4}, c.setContents(0));
        assertFalse(c.accessLine(8, false));
        assertEquals(4, c.victimLine());
        assertArrayEquals(new long[] {8, 0}, c.setContents(0));
        assertTrue(c.accessLine(0, false));
        assertFalse(c.accessLine(4, false));
        assertEquals(8, c.victimLine());
        assertEquals(2, c.evictions());
    }

    @Test
    void thrashingSetMissesEveryTime() {
        SetAssocCache c = small();
        for (int i = 0; i < 30; i++) {
            c.accessLine(4L * (i % 3), false); // three lines, two ways, round robin
        }
        assertEquals(30, c.misses());
        assertEquals(0, c.hits());
    }

    @Test
    void dirtyVictimCountsWriteback() {
        SetAssocCache c = small();
        c.accessLine(0, true);
        c.accessLine(4, false);
        c.accessLine(8, false); // evicts dirty 0
        assertTrue(c.victimDirty());
        assertEquals(1, c.writebacks());
        c.accessLine(12, false); // evicts clean 4
        assertFalse(c.victimDirty());
        assertEquals(1, c.writebacks());
        assertEquals(2, c.evictions());
    }

    @Test
    void mruShortcutKeepsDirtyBit() {
        SetAssocCache c = small();
        c.accessLine(0, false);
        c.accessLine(0, true); // shortcut path
        c.accessLine(4, false);
        c.accessLine(8, false);
        assertEquals(1, c.writebacks());
    }

    @Test
    void installDoesNotCountALookup() {
        SetAssocCache c = small();
        c.install(3, true);
        assertEquals(0, c.hits() + c.misses());
        assertTrue(c.containsLine(3));
        assertTrue(c.accessLine(3, false));
    }

    @Test
    void invalidateAllEmptiesTheCache() {
        SetAssocCache c = small();
        c.accessLine(1, false);
        c.invalidateAll();
        assertFalse(c.accessLine(1, false), "the MRU shortcut must not survive a flush");
    }

    @Test
    void geometryParsesAndRejects() {
        CacheGeometry g = CacheGeometry.parse("L2", "128K:8:64");
        assertEquals(131072, g.sizeBytes());
        assertEquals(256, g.sets());
        assertEquals(6, g.lineShift());
        assertThrows(IllegalArgumentException.class, () -> CacheGeometry.parse("x", "96K:8:64"));
        assertThrows(IllegalArgumentException.class, () -> CacheGeometry.parse("x", "64:8:64"));
        assertThrows(IllegalArgumentException.class, () -> CacheGeometry.parse("x", "16K:2"));
    }
}
