package dev.tinyos.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tinyos.core.cpu.Ram;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The memory hash computed while the machine writes on equals the hash of memory as it was at
 * the digest point: every window is checked against a reference computed on a copy of RAM
 * taken at that point, with the worker thread and without it.
 */
class PageHasherTest {
    private static final int PAGES = 1024;
    private static final VarHandle I64 =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The memory hash as specified in docs/RECORDING.md, computed directly on {@code copy}. */
    private static long reference(byte[] copy, int[] pages) {
        long h = 0x9E3779B97F4A7C15L;
        for (int p : pages) {
            int off = p << Ram.PAGE_SHIFT;
            long sum = 0, xor = 0;
            for (int i = off; i < off + 4096; i += 8) {
                long v = (long) I64.get(copy, i);
                sum += v;
                xor ^= v;
            }
            h = mix(h ^ off) + mix(sum) * 31 + xor;
        }
        return mix(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void hashAsOfTheDigestPointWhileTheMachineWritesOn(boolean worker) {
        byte[][] bytes = new byte[1][]; // RAM's own array, written directly as the hart writes it
        Ram ram = new Ram(0x8000_0000L, PAGES << Ram.PAGE_SHIFT, size -> bytes[0] = new byte[size]);
        SplittableRandom rnd = new SplittableRandom(7);
        try (PageHasher hasher = new PageHasher(ram, worker, PageHasher.ASYNC_MIN_PAGES)) {
            for (int window = 0; window < 300; window++) {
                writeSome(ram, bytes[0], rnd, window % 10 == 0 ? PAGES * 4 : 1 + rnd.nextInt(200));
                int[] pages = ram.takeDirtyPages();
                long expected = reference(bytes[0].clone(), pages);
                hasher.start(pages);
                writeSome(ram, bytes[0], rnd, rnd.nextInt(400)); // these pages are hashed before they change
                assertEquals(expected, hasher.finish(), "window " + window + " of " + pages.length + " pages");
            }
        }
    }

    /** Random stores of every kind a machine makes, many to pages of the open window. */
    private static void writeSome(Ram ram, byte[] data, SplittableRandom rnd, int n) {
        for (int i = 0; i < n; i++) {
            int off = rnd.nextInt(ram.size - 4096) & ~7;
            switch (rnd.nextInt(5)) {
                case 0: ram.store8(off, rnd.nextInt()); break;
                case 1: ram.store64(off, rnd.nextLong()); break;
                case 2: ram.write(off + 4090, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0, 10); break;
                case 3: ram.zero(off, 1 + rnd.nextInt(4096)); break;
                default:
                    ram.markDirty(off, 8); // the hart's way: marked first, then written directly
                    I64.set(data, off, rnd.nextLong());
                    break;
            }
        }
    }

    @Test
    void emptyWindowAndMisuseAreHandled() {
        Ram ram = new Ram(0x8000_0000L, 16 << Ram.PAGE_SHIFT);
        try (PageHasher hasher = new PageHasher(ram, true, 1)) {
            assertThrows(IllegalStateException.class, hasher::finish);
            hasher.start(new int[0]);
            assertThrows(IllegalStateException.class, () -> hasher.start(new int[0]));
            assertEquals(reference(new byte[ram.size], new int[0]), hasher.finish());
        }
    }
}
