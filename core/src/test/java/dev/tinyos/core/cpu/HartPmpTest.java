package dev.tinyos.core.cpu;

import static dev.tinyos.core.cpu.Asm.addi;
import static dev.tinyos.core.cpu.Asm.jal;
import static dev.tinyos.core.cpu.Asm.ld;
import static dev.tinyos.core.cpu.Asm.lw;
import static dev.tinyos.core.cpu.Asm.sd;
import static dev.tinyos.core.cpu.HartFixture.RAM;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * PMP where QEMU 7.2 is not the reference (it checks fetches once per translation block):
 * regions smaller than a page, for fetches, loads and stores, on the block engine's paths
 * (no cached translation may carry an access past a region boundary inside a page), and a
 * locked entry binding M-mode.
 */
class HartPmpTest {
    private static final long HANDLER = RAM + 0x8000;
    private static final int NA4 = 2 << 3, NAPOT = 3 << 3, R = 1, W = 2, X = 4, L = 0x80;

    /** A fixture in S-mode with entry 0 = NA4 {@code cfg0} at {@code hole}, entry 1 = everything RWX. */
    private static HartFixture withHole(long hole, int cfg0) {
        HartFixture f = new HartFixture();
        f.hart.writeCsr(Csr.PMPADDR0, hole >>> 2);
        f.hart.writeCsr(Csr.PMPADDR0 + 1, -1L >>> 10);
        f.hart.writeCsr(Csr.PMPCFG0, (long) (NAPOT | R | W | X) << 8 | (NA4 | cfg0));
        f.hart.writeCsr(Csr.MTVEC, HANDLER);
        f.put(HANDLER, jal(0, 0));
        f.hart.priv = Hart.PRIV_S;
        return f;
    }

    @Test
    void fetchFaultsAtAHoleWithoutXInsideACodePage() {
        long code = RAM + 0x1000;
        HartFixture f = withHole(code + 4, R);
        f.hart.pc = code;
        f.put(code, addi(1, 1, 1), addi(1, 1, 1), addi(1, 1, 1));
        f.steps(2);
        assertEquals(1, f.x(1), "the instruction before the hole ran, the one in it did not");
        assertEquals(Cause.FETCH_ACCESS, f.csr(Csr.MCAUSE));
        assertEquals(code + 4, f.csr(Csr.MTVAL));
        assertEquals(HANDLER, f.hart.pc);
    }

    @Test
    void loadsAndStoresNextToAHoleDoNotOpenIt() {
        long data = RAM + 0x2000, code = RAM + 0x1000;
        HartFixture f = withHole(data + 8, 0);
        f.hart.x[2] = data;
        f.put(code, ld(3, 2, 0), sd(3, 2, 16), lw(4, 2, 8));
        for (long round = 1; round <= 3; round++) { // no cached translation may open the hole
            f.store64(data, round);
            f.hart.pc = code;
            f.hart.priv = Hart.PRIV_S;
            f.steps(3);
            assertEquals(round, f.load64(data + 16), "the words next to the hole load and store");
            assertEquals(Cause.LOAD_ACCESS, f.csr(Csr.MCAUSE));
            assertEquals(data + 8, f.csr(Csr.MTVAL));
            assertEquals(HANDLER, f.hart.pc);
        }
    }

    @Test
    void aLockedEntryBindsMachineMode() {
        HartFixture f = new HartFixture();
        long data = RAM + 0x3000, code = RAM + 0x1000;
        f.hart.writeCsr(Csr.PMPADDR0 + 1, (data >>> 2) | 0x1ff); // NAPOT 4 KiB, read-only, locked
        f.hart.writeCsr(Csr.PMPCFG0, (long) (L | NAPOT | R) << 8 | (NAPOT | R | W | X) << 0);
        // entry 0 (everything) has priority: move the catch-all behind entry 1
        f.hart.writeCsr(Csr.PMPADDR0, 0);
        f.hart.writeCsr(Csr.PMPCFG0, (long) (L | NAPOT | R) << 8);
        f.hart.writeCsr(Csr.MTVEC, HANDLER);
        f.put(HANDLER, jal(0, 0));
        f.hart.x[2] = data;
        f.put(code, ld(3, 2, 0), sd(3, 2, 0));
        f.hart.pc = code;
        f.steps(2);
        assertEquals(Cause.STORE_ACCESS, f.csr(Csr.MCAUSE));
        assertEquals(data, f.csr(Csr.MTVAL));
        f.hart.writeCsr(Csr.PMPCFG0, 0);                // ignored for the locked byte
        assertEquals((long) (L | NAPOT | R) << 8, f.csr(Csr.PMPCFG0));
    }
}
