package dev.tinyos.core.dtb;

import dev.tinyos.core.cpu.Ram;
import dev.tinyos.core.elf.ElfFile;
import java.util.List;

/**
 * Where the device tree goes in RAM and how it gets there, matching QEMU 7.2 with
 * {@code -bios none -kernel ELF} (checked on QEMU for 3, 7, 16, 64, 128 MiB and 4 GiB):
 *
 * <pre>
 *   top  = min(RAM end, 3 GiB)
 *   addr = align_down(top - max(blob size, 1 MiB), 2 MiB)
 * </pre>
 *
 * QEMU subtracts the size of its 1 MiB working buffer, not of the packed tree, so for
 * 128 MiB at 0x80000000 the tree is at 0x87e00000. If that window would overlap a loaded
 * ELF segment (QEMU would refuse to start), the tree moves down in 2 MiB steps to the first
 * free window; if no window in RAM is free the board boots without a tree (a1 = 0).
 *
 * <p>Invariant: a returned address is 2 MiB aligned, lies in RAM with the whole blob, and
 * the blob's bytes overlap no segment's [paddr, paddr + memsz).
 */
public final class FdtPlacement {
    public static final long ALIGN = 2L << 20;
    /** QEMU's device tree buffer size, what it reserves below the top of RAM. */
    public static final long QEMU_FDT_BUFFER = 1L << 20;
    /** QEMU keeps the tree below 3 GiB so 32-bit code can reach it. */
    public static final long LIMIT_32BIT = 3L << 30;

    private FdtPlacement() {
    }

    /**
     * The physical address for a blob of {@code blobSize} bytes, or -1 if no window in
     * [ramBase, ramBase + ramSize) is free of the segments.
     */
    public static long address(long ramBase, long ramSize, int blobSize, List<ElfFile.Segment> segments) {
        long top = ramBase < LIMIT_32BIT ? Math.min(ramBase + ramSize, LIMIT_32BIT) : ramBase + ramSize;
        long addr = alignDown(top - Math.max(blobSize, QEMU_FDT_BUFFER));
        for (; addr >= ramBase; addr -= ALIGN) {
            if (addr + blobSize <= ramBase + ramSize && free(addr, blobSize, segments)) {
                return addr;
            }
        }
        return -1;
    }

    /**
     * Builds the board's tree for this RAM, copies it into RAM at {@link #address} and returns
     * that address, or 0 if it does not fit beside the kernel (the value for a1 either way).
     */
    public static long install(Ram ram, List<ElfFile.Segment> segments) {
        return install(ram, segments, VirtDeviceTree.build(ram.size));
    }

    /** As {@link #install(Ram, List)} for a given blob. */
    public static long install(Ram ram, List<ElfFile.Segment> segments, byte[] blob) {
        long addr = address(ram.base, ram.size, blob.length, segments);
        if (addr < 0) {
            return 0;
        }
        ram.write((int) (addr - ram.base), blob, 0, blob.length);
        return addr;
    }

    private static boolean free(long addr, int size, List<ElfFile.Segment> segments) {
        for (ElfFile.Segment s : segments) {
            if (s.memsz() > 0 && addr < s.paddr() + s.memsz() && s.paddr() < addr + size) {
                return false;
            }
        }
        return true;
    }

    private static long alignDown(long v) {
        return v & -ALIGN;
    }
}
