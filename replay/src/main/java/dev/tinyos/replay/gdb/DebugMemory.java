package dev.tinyos.replay.gdb;

import dev.tinyos.core.Ram;
import dev.tinyos.core.cpu.Csr;
import dev.tinyos.core.cpu.Hart;

/**
 * A debugger's view of memory: RAM only (never a device register, whose reads have effects),
 * and virtual addresses translated as the hart would fetch them now (M-mode or satp Bare:
 * physical; otherwise an Sv39 walk of satp's table) but without permission checks and without
 * touching the A/D bits, as QEMU's gdb stub reads memory.
 *
 * <p>Invariant: reading never changes the machine.
 */
final class DebugMemory {
    private static final long PTE_V = 1, PTE_R = 2, PTE_X = 8;
    private static final long PPN_MASK = (1L << 44) - 1;

    private DebugMemory() {
    }

    static byte[] physical(Ram ram, long pa, int len) {
        if (len < 0 || pa < ram.base || pa - ram.base + len > ram.size) {
            return null;
        }
        byte[] b = new byte[len];
        System.arraycopy(ram.data, (int) (pa - ram.base), b, 0, len);
        return b;
    }

    static byte[] virtual(Hart hart, Ram ram, long va, int len) {
        byte[] out = new byte[len];
        int done = 0;
        while (done < len) {
            long pa = translate(hart, ram, va + done);
            int chunk = (int) Math.min(len - done, 4096 - ((va + done) & 4095));
            byte[] part = pa < 0 ? null : physical(ram, pa, chunk);
            if (part == null) {
                return null;
            }
            System.arraycopy(part, 0, out, done, chunk);
            done += chunk;
        }
        return out;
    }

    /** The physical address of {@code va} now, or -1 if it is not mapped. */
    static long translate(Hart hart, Ram ram, long va) {
        long satp = hart.readCsr(Csr.SATP);
        if (hart.priv == Hart.PRIV_M || (satp >>> Csr.SATP_MODE_SHIFT) != Csr.SATP_MODE_SV39) {
            return va;
        }
        if (va != (va << 25) >> 25) {
            return -1; // not sign-extended from bit 38
        }
        long table = (satp & PPN_MASK) << 12;
        for (int level = 2; level >= 0; level--) {
            byte[] raw = physical(ram, table + (((va >>> (12 + 9 * level)) & 511) << 3), 8);
            if (raw == null) {
                return -1;
            }
            long pte = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
            if ((pte & PTE_V) == 0) {
                return -1;
            }
            long ppn = (pte >>> 10) & PPN_MASK;
            if ((pte & (PTE_R | PTE_X)) != 0) {
                long offMask = (1L << (12 + 9 * level)) - 1;
                return (ppn << 12 & ~offMask) | (va & offMask);
            }
            table = ppn << 12;
        }
        return -1;
    }
}
