package dev.tinyos.core.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Ram's dirty-tracking invariant: a page is marked, and the write listener told, before any
 * of its bytes change, whatever path the write takes; only the first write after a clear tells.
 */
class RamTest {
    private static final int PAGE = 1 << Ram.PAGE_SHIFT;

    /** Runs {@code write} on a fresh RAM filled with 0x11 and returns the pages told, checking each was untouched then. */
    private static List<Integer> told(Consumer<Ram> write) {
        Ram ram = new Ram(0x8000_0000L, 8 * PAGE);
        java.util.Arrays.fill(ram.data, (byte) 0x11);
        List<Integer> pages = new ArrayList<>();
        ram.setWriteListener(page -> {
            for (int i = page * PAGE; i < (page + 1) * PAGE; i++) {
                assertEquals(0x11, ram.data[i], "page " + page + " changed before its listener was told");
            }
            assertTrue(ram.isDirty(page * PAGE));
            pages.add(page);
        });
        write.accept(ram);
        return pages;
    }

    @Test
    void everyWritePathTellsBeforeWriting() {
        assertEquals(List.of(1), told(r -> r.store8(PAGE + 3, 0)));
        assertEquals(List.of(2), told(r -> r.store16(2 * PAGE, 0)));
        assertEquals(List.of(3), told(r -> r.store32(3 * PAGE + 8, 0)));
        assertEquals(List.of(4, 5), told(r -> r.store64(5 * PAGE - 4, 0))); // straddles two pages
        assertEquals(List.of(0, 1, 2), told(r -> r.write(PAGE - 1, new byte[PAGE + 2], 0, PAGE + 2)));
        assertEquals(List.of(6, 7), told(r -> r.zero(6 * PAGE + 100, PAGE)));
        assertEquals(List.of(3), told(r -> r.store(3 * PAGE, 8, 0)));
    }

    @Test
    void onlyTheFirstWriteAfterAClearTells() {
        assertEquals(List.of(1), told(r -> {
            r.store8(PAGE, 0);
            r.store64(PAGE + 8, 0);
            r.markDirty(PAGE + 16);
        }));
        Ram ram = new Ram(0x8000_0000L, 8 * PAGE);
        List<Integer> pages = new ArrayList<>();
        ram.setWriteListener(pages::add);
        ram.store8(PAGE, 0);
        ram.clearDirty();
        ram.store8(PAGE + 1, 0);
        ram.store8(PAGE + 2, 0);
        assertEquals(List.of(1, 1), pages);
    }

    @Test
    void takeDirtyPagesListsAscendingAndClears() {
        Ram ram = new Ram(0x8000_0000L, 200 * PAGE);
        ram.store8(150 * PAGE, 1);
        ram.store8(3 * PAGE, 1);
        ram.store8(64 * PAGE, 1);
        ram.store8(63 * PAGE, 1);
        assertArrayEquals(new int[] {3, 63, 64, 150}, ram.takeDirtyPages());
        assertFalse(ram.isDirty(3 * PAGE));
        assertArrayEquals(new int[0], ram.takeDirtyPages());
    }

    @Test
    void theBytesAreTheArrayItsStorageGives() {
        byte[] given = new byte[2 * PAGE];
        Ram ram = new Ram(0x8000_0000L, 2 * PAGE, size -> given);
        ram.store8(PAGE + 1, 0x5A);
        assertEquals(0x5A, given[PAGE + 1]);
    }

    @Test
    void aStorageOfTheWrongSizeIsRefused() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> new Ram(0x8000_0000L, 2 * PAGE, size -> new byte[size - PAGE]));
        assertEquals("RAM storage of 4096 bytes, not 8192", e.getMessage());
    }

    @Test
    void itsInternalsAreNotPublic() {
        // only the engine in this package reaches the array, the code generations and the epoch;
        // what is public is final and primitive (base, size, PAGE_SHIFT)
        for (java.lang.reflect.Field f : Ram.class.getDeclaredFields()) {
            int m = f.getModifiers();
            if (java.lang.reflect.Modifier.isPublic(m)) {
                assertTrue(java.lang.reflect.Modifier.isFinal(m) && f.getType().isPrimitive(), "public field " + f.getName());
            }
        }
    }
}
