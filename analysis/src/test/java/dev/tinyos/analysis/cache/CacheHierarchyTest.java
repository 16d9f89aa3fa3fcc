package dev.tinyos.analysis.cache;

import static dev.tinyos.analysis.cache.CacheHierarchy.index;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tinyos.analysis.AccessEvents;
import org.junit.jupiter.api.Test;

class CacheHierarchyTest {
    private static final int U = 0, S = 1, M = 3;

    private static CacheHierarchy tiny() {
        return new CacheHierarchy(new CacheConfig(new CacheGeometry("L1I", 256, 2, 64),
                new CacheGeometry("L1D", 256, 2, 64), new CacheGeometry("L2", 1024, 4, 64), CacheGeometry.tlb(2, 2)));
    }

    private static long count(CacheHierarchy h, int priv, int level, boolean miss) {
        return h.counters()[index(priv, level, miss)];
    }

    @Test
    void straddlingLoadIsTwoLineLookups() {
        CacheHierarchy h = tiny();
        h.access(AccessEvents.LOAD, 0x1000 + 60, 0x8000_0000L + 60, 8, M, 0);
        assertEquals(2, count(h, M, CacheHierarchy.L1D, true));
        assertEquals(2, count(h, M, CacheHierarchy.L2, true));
        assertEquals(0, count(h, M, CacheHierarchy.DTLB, true) + count(h, M, CacheHierarchy.DTLB, false),
                "M mode is untranslated");
    }

    @Test
    void l1MissThatHitsL2() {
        CacheHierarchy h = tiny();
        // 4 KiB apart -> same L1 set (2 sets of 2 ways), different lines; L2 (4 sets x 4 ways) keeps all three
        long[] lines = {0x8000_0000L, 0x8000_0080L, 0x8000_0100L};
        for (long a : lines) {
            h.access(AccessEvents.FETCH, a, a, 4, M, a);
        }
        h.access(AccessEvents.FETCH, lines[0], lines[0], 4, M, lines[0]); // evicted from L1, still in L2
        assertEquals(4, count(h, M, CacheHierarchy.L1I, true));
        assertEquals(3, count(h, M, CacheHierarchy.L2, true));
        assertEquals(1, count(h, M, CacheHierarchy.L2, false));
    }

    @Test
    void tlbPerPageAndFlushedOnUserKernelCrossing() {
        CacheHierarchy h = tiny();
        h.access(AccessEvents.LOAD, 0x1000, 0x8000_1000L, 8, U, 0);
        h.access(AccessEvents.LOAD, 0x1008, 0x8000_1008L, 8, U, 0);
        h.access(AccessEvents.LOAD, 0x2000, 0x8000_2000L, 8, U, 0);
        assertEquals(2, count(h, U, CacheHierarchy.DTLB, true));
        assertEquals(1, count(h, U, CacheHierarchy.DTLB, false));
        h.access(AccessEvents.LOAD, 0x1000, 0x8000_1000L, 8, M, 0); // M: no TLB
        h.access(AccessEvents.LOAD, 0x1000, 0x8000_1000L, 8, S, 0); // U -> (M) -> S flushes
        assertEquals(1, count(h, S, CacheHierarchy.DTLB, true));
        h.access(AccessEvents.LOAD, 0x1000, 0x8000_1000L, 8, S, 0);
        assertEquals(1, count(h, S, CacheHierarchy.DTLB, false));
    }

    @Test
    void dirtyL1VictimIsWrittenIntoL2WithoutALookup() {
        CacheHierarchy h = tiny();
        long a = 0x8000_0000L;
        h.access(AccessEvents.STORE, a, a, 8, M, 0);
        h.access(AccessEvents.LOAD, a + 0x80, a + 0x80, 8, M, 0);
        h.access(AccessEvents.LOAD, a + 0x100, a + 0x100, 8, M, 0); // evicts dirty a
        assertEquals(1, h.level(CacheHierarchy.L1D).writebacks());
        assertEquals(3, count(h, M, CacheHierarchy.L2, true));
        assertEquals(3, h.level(CacheHierarchy.L2).hits() + h.level(CacheHierarchy.L2).misses());
    }

    @Test
    void pageWalksAreNotLookups() {
        CacheHierarchy h = tiny();
        h.access(AccessEvents.PTW, 0x1000, 0x8000_5000L, 8, S, 0);
        assertEquals(1, h.pageWalkAccesses());
        long total = 0;
        for (long v : h.counters()) {
            total += v;
        }
        assertEquals(0, total);
    }
}
