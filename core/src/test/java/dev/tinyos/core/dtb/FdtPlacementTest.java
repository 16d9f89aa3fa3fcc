package dev.tinyos.core.dtb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tinyos.core.cpu.Ram;
import dev.tinyos.core.elf.ElfFile.Segment;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where the tree goes: QEMU 7.2's addresses (measured with guest/tests/board/dtb.c) and the overlap rule. */
class FdtPlacementTest {
    static final long BASE = 0x8000_0000L;
    static final long MIB = 1L << 20;
    static final int BLOB = 4096;

    static long at(long ramMiB, Segment... segments) {
        return FdtPlacement.address(BASE, ramMiB * MIB, BLOB, List.of(segments));
    }

    static Segment segment(long paddr, long memsz) {
        return new Segment(paddr, paddr, 0, 0, memsz, 7);
    }

    @Test
    void sameAddressesAsQemu() {
        assertEquals(0x8020_0000L, at(3));
        assertEquals(0x8060_0000L, at(7));
        assertEquals(0x80e0_0000L, at(16));
        assertEquals(0x83e0_0000L, at(64));
        assertEquals(0x87e0_0000L, at(128));
        assertEquals(0xbfe0_0000L, at(2047), "kept below 3 GiB (QEMU -m 4G gives the same)");
        assertEquals(0x8000_0000L, at(2), "small RAM: the window starts at the base");
    }

    @Test
    void aBlobLargerThanQemusBufferStillEndsInRam() {
        assertEquals(0x87e0_0000L, FdtPlacement.address(BASE, 128 * MIB, (int) (3 * MIB / 2), List.of()));
        assertEquals(0x87c0_0000L, FdtPlacement.address(BASE, 128 * MIB, (int) (5 * MIB / 2), List.of()));
    }

    @Test
    void movesBelowAKernelThatCoversTheWindow() {
        assertEquals(0x87e0_0000L, at(128, segment(BASE, 126 * MIB)), "touching but not overlapping");
        assertEquals(0x87c0_0000L, at(128, segment(0x87e0_0fffL, 1)));
        assertEquals(0x87c0_0000L, at(128, segment(0x87e0_0000L - 8, 16)));
        assertEquals(0x8020_0000L, at(128, segment(0x8040_0000L, 124 * MIB)));
        assertEquals(-1, at(16, segment(BASE, 16 * MIB)), "no room anywhere");
        assertEquals(0x87e0_0000L, at(128, segment(0x87e0_0000L, 0)), "empty segments take no room");
    }

    @Test
    void installCopiesTheTreeIntoRam() {
        Ram ram = new Ram(BASE, (int) (16 * MIB));
        long a = FdtPlacement.install(ram, List.of());
        assertEquals(0x80e0_0000L, a);
        byte[] expected = VirtDeviceTree.build(16 * MIB);
        int off = (int) (a - BASE);
        byte[] got = new byte[expected.length];
        ram.read(off, got, 0, got.length);
        assertArrayEquals(expected, got);
        assertEquals(0, FdtPlacement.install(ram, List.of(segment(BASE, 16 * MIB))), "a1 = 0 without room");
    }
}
