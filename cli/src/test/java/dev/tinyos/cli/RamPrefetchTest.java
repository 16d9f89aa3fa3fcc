package dev.tinyos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import org.junit.jupiter.api.Test;

/**
 * The guest RAM allocated ahead ({@link RamPrefetch}): the size it reads from the arguments, and
 * that {@code take} hands out a new all-zero array of the size asked, whatever was prefetched.
 */
class RamPrefetchTest {
    @Test
    void theSizeComesFromMemOrTheDefault() {
        assertEquals(128 << 20, RamPrefetch.requestedBytes(new String[] {"run", "--kernel", "k.elf"}, 128));
        assertEquals(300 << 20, RamPrefetch.requestedBytes(new String[] {"run", "--mem", "300"}, 128));
        assertEquals(8 << 20, RamPrefetch.requestedBytes(new String[] {"run", "--mem=8", "--no-record"}, 128));
        assertEquals(-1, RamPrefetch.requestedBytes(new String[] {"run", "--mem", "lots"}, 128));
        assertEquals(-1, RamPrefetch.requestedBytes(new String[] {"run", "--mem", "0"}, 128));
        assertEquals(-1, RamPrefetch.requestedBytes(new String[] {"run", "--mem", "4096"}, 128));
    }

    @Test
    void takeGivesANewZeroArrayOfTheSizeAsked() {
        RamPrefetch.start(1 << 16);
        byte[] a = RamPrefetch.take(1 << 16);
        byte[] b = RamPrefetch.take(1 << 16);
        byte[] c = RamPrefetch.take(1 << 12);
        assertEquals(1 << 16, a.length);
        assertEquals(1 << 16, b.length);
        assertEquals(1 << 12, c.length);
        assertNotSame(a, b);
        a[5] = 1;
        for (byte[] x : new byte[][] {b, c}) {
            for (byte v : x) {
                assertEquals(0, v);
            }
        }
    }
}
