package dev.tinyos.core.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClintTest {
    private long now = 1000;
    private final Clint clint = new Clint(() -> now);

    @Test
    void mtimeComesFromTheSourceInBothWidths() {
        now = 0x1_2345_6789L;
        assertEquals(0x1_2345_6789L, clint.load(0xBFF8, 8));
        assertEquals(0x2345_6789L, clint.load(0xBFF8, 4));
        assertEquals(0x1L, clint.load(0xBFFC, 4));
    }

    @Test
    void mtimecmpResetsToZeroSoMtipIsPendingLikeQemu() {
        assertEquals(0, clint.load(0x4000, 8));
        assertTrue(clint.timerPending());
    }

    @Test
    void mtimecmpHalvesAndUnsignedCompare() {
        clint.store(0x4000, 4, 0xFFFF_FFFFL);
        clint.store(0x4004, 4, 0xFFFF_FFFFL);
        assertEquals(-1L, clint.mtimecmp());
        assertFalse(clint.timerPending(), "all-ones is the far future, not -1");
        clint.store(0x4004, 4, 0);
        assertEquals(0xFFFF_FFFFL, clint.load(0x4000, 8));
        clint.store(0x4000, 8, 1001);
        assertFalse(clint.timerPending());
        now = 1001;
        assertTrue(clint.timerPending());
    }

    @Test
    void msipIsBitZeroOnly() {
        clint.store(0, 4, 0xFE);
        assertFalse(clint.softwarePending());
        clint.store(0, 4, 3);
        assertTrue(clint.softwarePending());
        assertEquals(1, clint.load(0, 4));
    }

    @Test
    void mtimeWritesKeepAnOffset() {
        clint.store(0xBFF8, 8, 5000);
        assertEquals(5000, clint.mtime());
        now += 10;
        assertEquals(5010, clint.load(0xBFF8, 8));
        clint.store(0xBFFC, 4, 1);
        assertEquals((1L << 32) + 5010, clint.mtime());
    }
}
