package dev.tinyos.core.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.core.BusFault;
import org.junit.jupiter.api.Test;

class PlicTest {
    private static final long CLAIM0 = 0x200004;
    private static final long CLAIM1 = 0x201004;
    private final Plic plic = new Plic();

    private void enable(int ctx, int... ids) {
        for (int id : ids) {
            long reg = 0x2000 + 0x80L * ctx + 4L * (id / 32);
            plic.store(reg, 4, plic.load(reg, 4) | (1L << (id % 32)));
        }
    }

    private void priority(int id, int p) {
        plic.store(4L * id, 4, p);
    }

    @Test
    void prioritiesAreWarlZeroToSevenAndSourceZeroIsHardwired() {
        priority(5, 0xFF);
        assertEquals(7, plic.load(20, 4));
        priority(0, 3);
        assertEquals(0, plic.load(0, 4));
        plic.store(0x2000, 4, 0xFFFF_FFFFL);
        assertEquals(0xFFFF_FFFEL, plic.load(0x2000, 4), "source 0 cannot be enabled");
    }

    @Test
    void claimReturnsHighestPriorityThenLowestId() {
        priority(3, 2);
        priority(7, 5);
        priority(9, 5);
        enable(0, 3, 7, 9);
        plic.signal(3, true);
        plic.signal(7, true);
        plic.signal(9, true);
        assertTrue(plic.interruptPending(0));
        assertEquals(7, plic.load(CLAIM0, 4));
        assertEquals(9, plic.load(CLAIM0, 4));
        assertEquals(3, plic.load(CLAIM0, 4));
        assertEquals(0, plic.load(CLAIM0, 4), "everything is claimed");
        assertFalse(plic.interruptPending(0));
    }

    @Test
    void claimMasksSourceUntilCompleteAndOnlyAnUpdateRepends() {
        priority(10, 1);
        enable(0, 10);
        plic.signal(10, true);
        assertEquals(1L << 10, plic.load(0x1000, 4));
        assertEquals(10, plic.load(CLAIM0, 4));
        assertEquals(0, plic.load(0x1000, 4), "claimed source is no longer pending");
        plic.signal(10, true);
        assertFalse(plic.interruptPending(0), "updated while claimed: pending, but masked by the gateway");
        plic.store(CLAIM0, 4, 10);
        assertTrue(plic.interruptPending(0), "the update while claimed interrupts after complete");
        assertEquals(10, plic.load(CLAIM0, 4));
        plic.store(CLAIM0, 4, 10);
        assertFalse(plic.interruptPending(0), "a line left high without an update does not interrupt again (QEMU)");
        plic.signal(10, true);
        assertTrue(plic.interruptPending(0), "the next update does");
        plic.signal(10, false);
        assertFalse(plic.interruptPending(0), "a lowered line clears the pending bit");
    }

    @Test
    void thresholdAndPriorityZeroBlock() {
        priority(4, 3);
        enable(0, 4);
        plic.signal(4, true);
        plic.store(0x200000, 4, 3);
        assertFalse(plic.interruptPending(0), "priority must exceed the threshold");
        plic.store(0x200000, 4, 2);
        assertTrue(plic.interruptPending(0));
        priority(4, 0);
        plic.store(0x200000, 4, 0);
        assertFalse(plic.interruptPending(0), "priority 0 never interrupts");
    }

    @Test
    void contextsAreIndependent() {
        priority(1, 1);
        priority(10, 1);
        enable(1, 1);
        enable(0, 10);
        plic.signal(1, true);
        assertFalse(plic.interruptPending(0));
        assertTrue(plic.interruptPending(1));
        assertEquals(0, plic.load(CLAIM0, 4));
        assertEquals(1, plic.load(CLAIM1, 4));
        plic.store(CLAIM0, 4, 1);
        assertEquals(0, plic.load(CLAIM1, 4), "completion from a context without the enable is ignored");
        plic.store(CLAIM1, 4, 1);
        plic.signal(1, true);
        assertEquals(1, plic.load(CLAIM1, 4));
    }

    @Test
    void highSourcesWork() {
        priority(127, 1);
        enable(0, 127);
        plic.signal(127, true);
        assertEquals(1L << 31, plic.load(0x1000 + 12, 4));
        assertEquals(127, plic.load(CLAIM0, 4));
    }

    @Test
    void onlyWordAccessesAreAccepted() {
        assertThrows(BusFault.class, () -> plic.load(0, 1));
        assertThrows(BusFault.class, () -> plic.store(0, 8, 1));
        assertEquals(0, plic.load(0x200000 + 0x1000 * 5, 4), "absent contexts read 0");
    }
}
