package dev.tinyos.core.cpu;

import org.junit.jupiter.api.Test;

import static dev.tinyos.core.cpu.Asm.*;
import static dev.tinyos.core.cpu.HartFixture.RAM;
import static org.junit.jupiter.api.Assertions.*;

/** Sv39 translation: permissions, A/D updates, SUM/MXR/MPRV, faults and page-crossing fetch. */
class Sv39Test {
    static final long V = 1, R = 2, W = 4, X = 8, U = 16, A = 64, D = 128;
    static final long ROOT = RAM + 0x10_0000;
    static final long HANDLER = RAM + 0x800;
    static final long CODE = RAM;              // identity-mapped code page
    static final long DATA_VA = 0x4000_0000L;  // data pages mapped here
    static final long DATA_PA = RAM + 0x20_0000;

    private final HartFixture f = BlockCacheTest.twoPageRegions(HartFixture::new); // regions may span two pages
    private long nextTable = ROOT + 0x1000;

    Sv39Test() {
        f.hart.writeCsr(Csr.MTVEC, HANDLER);
        f.hart.writeCsr(Csr.SATP, (8L << 60) | (ROOT >>> 12));
    }

    private long pteAddr(long va, int level) {
        return pteAddr(ROOT, va, level);
    }

    private long pteAddr(long root, long va, int level) {
        long table = root;
        for (int l = 2; l > level; l--) {
            long slot = table + 8 * ((va >>> (12 + 9 * l)) & 511);
            long pte = f.load64(slot);
            if ((pte & V) == 0) {
                pte = ((nextTable >>> 12) << 10) | V;
                nextTable += 0x1000;
                f.store64(slot, pte);
            }
            table = (pte >>> 10) << 12;
        }
        return table + 8 * ((va >>> (12 + 9 * level)) & 511);
    }

    private long map(long va, long pa, long flags) {
        long slot = pteAddr(va, 0);
        f.store64(slot, ((pa >>> 12) << 10) | flags);
        return slot;
    }

    private void runS(int... code) {
        map(CODE, CODE, V | R | X | A);
        f.put(CODE, code);
        f.hart.pc = CODE;
        f.hart.priv = Hart.PRIV_S;
        f.hart.flushTlb();
        f.steps(code.length);
    }

    private void assertFault(long cause, long tval) {
        assertEquals(cause, f.csr(Csr.MCAUSE));
        assertEquals(tval, f.csr(Csr.MTVAL));
        assertEquals(HANDLER, f.hart.pc);
    }

    @Test
    void loadsAndStoresTranslateAndSetAccessedAndDirty() {
        long pte = map(DATA_VA + 0x1000, DATA_PA, V | R | W);
        f.hart.x[1] = DATA_VA + 0x1000;
        f.hart.x[2] = 77;
        f.store64(DATA_PA + 8, 0x55);
        runS(ld(3, 1, 8));
        assertEquals(0x55, f.x(3));
        assertEquals(V | R | W | A, f.load64(pte) & 0xFF, "load sets A only");
        f.hart.pc = CODE;
        f.put(CODE, sd(2, 1, 16));
        f.steps(1);
        assertEquals(77, f.load64(DATA_PA + 16));
        assertEquals(V | R | W | A | D, f.load64(pte) & 0xFF, "store sets D");
    }

    @Test
    void storeToReadOnlyPageFaults() {
        map(DATA_VA, DATA_PA, V | R | A | D);
        f.hart.x[1] = DATA_VA;
        runS(sd(2, 1, 0x10));
        assertFault(Cause.STORE_PAGE_FAULT, DATA_VA + 0x10);
        assertEquals(CODE, f.csr(Csr.MEPC));
    }

    @Test
    void unmappedAndNonCanonicalAddressesFault() {
        f.hart.x[1] = DATA_VA;
        runS(lw(3, 1, 0));
        assertFault(Cause.LOAD_PAGE_FAULT, DATA_VA);
        f.hart.x[1] = 0x0000_0040_0000_0000L; // bit 38 set, bits above clear: not sign-extended
        f.hart.pc = CODE;
        f.hart.priv = Hart.PRIV_S;
        f.steps(1);
        assertFault(Cause.LOAD_PAGE_FAULT, 0x0000_0040_0000_0000L);
    }

    @Test
    void supervisorAccessToUserPagesNeedsSumAndNeverExecutes() {
        map(DATA_VA, DATA_PA, V | R | W | U | A | D);
        f.hart.x[1] = DATA_VA;
        runS(ld(3, 1, 0));
        assertFault(Cause.LOAD_PAGE_FAULT, DATA_VA);
        f.hart.writeCsr(Csr.MSTATUS, Csr.MSTATUS_SUM);
        f.store64(DATA_PA, 9);
        runS(ld(3, 1, 0));
        assertEquals(9, f.x(3));
        f.put(DATA_PA, addi(0, 0, 0));
        runS(jalr(0, 1, 0), addi(0, 0, 0));
        assertFault(Cause.FETCH_PAGE_FAULT, DATA_VA);
    }

    @Test
    void userModeCannotTouchSupervisorPages() {
        map(DATA_VA, DATA_PA, V | R | W | A | D);
        map(CODE, CODE, V | R | X | U | A);
        f.put(CODE, ld(3, 1, 0));
        f.hart.x[1] = DATA_VA;
        f.hart.pc = CODE;
        f.hart.priv = Hart.PRIV_U;
        f.steps(1);
        assertFault(Cause.LOAD_PAGE_FAULT, DATA_VA);
    }

    @Test
    void mxrMakesExecuteOnlyPagesReadable() {
        map(DATA_VA, DATA_PA, V | X | A);
        f.hart.x[1] = DATA_VA;
        runS(ld(3, 1, 0));
        assertFault(Cause.LOAD_PAGE_FAULT, DATA_VA);
        f.hart.writeCsr(Csr.MSTATUS, Csr.MSTATUS_MXR);
        f.store64(DATA_PA, 4);
        runS(ld(3, 1, 0));
        assertEquals(4, f.x(3));
    }

    @Test
    void mprvTranslatesMachineModeDataAccesses() {
        map(DATA_VA, DATA_PA, V | R | W | A | D);
        f.store64(DATA_PA, 0x66);
        f.put(CODE, ld(3, 1, 0));
        f.hart.x[1] = DATA_VA;
        f.hart.writeCsr(Csr.MSTATUS, Csr.MSTATUS_MPRV | (1L << 11));
        f.hart.pc = CODE; // fetch stays untranslated in M-mode
        f.steps(1);
        assertEquals(0x66, f.x(3));
    }

    @Test
    void invalidPtesFault() {
        long[] bad = {V | W | A | D, (1L << 63) | V | R | A, (1L << 54) | V | R | A};
        for (long flags : bad) {
            map(DATA_VA, DATA_PA, flags);
            f.hart.x[1] = DATA_VA;
            runS(ld(3, 1, 0));
            assertFault(Cause.LOAD_PAGE_FAULT, DATA_VA);
        }
    }

    @Test
    void misalignedSuperpageFaults() {
        long slot = pteAddr(0x4020_0000L, 1); // a level-1 entry
        f.store64(slot, (((DATA_PA + 0x1000) >>> 12) << 10) | V | R | A);
        f.hart.x[1] = 0x4020_0000L;
        runS(ld(3, 1, 0));
        assertFault(Cause.LOAD_PAGE_FAULT, 0x4020_0000L);
        f.store64(slot, ((DATA_PA >>> 12) << 10) | V | R | A);
        f.store64(DATA_PA + 0x1234, 0x77);
        f.hart.x[1] = 0x4020_1234L;
        runS(ld(3, 1, 0));
        assertEquals(0x77, f.x(3), "aligned 2 MiB megapage");
    }

    @Test
    void pageTableOutsideRamIsAnAccessFault() {
        f.hart.writeCsr(Csr.SATP, 8L << 60); // root at physical 0
        f.put(CODE, ld(3, 1, 0));
        f.hart.x[1] = DATA_VA;
        f.hart.writeCsr(Csr.MSTATUS, Csr.MSTATUS_MPRV | (1L << 11));
        f.hart.pc = CODE;
        f.steps(1);
        assertFault(Cause.LOAD_ACCESS, DATA_VA);
    }

    @Test
    void fetchCrossingIntoAnUnmappedPageReportsTheSecondHalf() {
        long page = 0x5000_0000L;
        map(page, DATA_PA, V | R | X | A);
        f.hart.writeCsr(Csr.MSTATUS, 0);
        f.ram.store16((int) (DATA_PA + 0xFFE - RAM), addi(1, 0, 1) & 0xFFFF);
        f.hart.pc = page + 0xFFE;
        f.hart.priv = Hart.PRIV_S;
        f.steps(1);
        assertFault(Cause.FETCH_PAGE_FAULT, page + 0x1000);
        assertEquals(page + 0xFFE, f.csr(Csr.MEPC));
    }

    @Test
    void fetchCrossingIntoADiscontiguousPageJoinsBothHalves() {
        long page = 0x5000_0000L;
        map(page, DATA_PA, V | R | X | A);
        map(page + 0x1000, DATA_PA + 0x5000, V | R | X | A);
        int w = addi(1, 0, 42);
        f.ram.store16((int) (DATA_PA + 0xFFE - RAM), w & 0xFFFF);
        f.ram.store16((int) (DATA_PA + 0x5000 - RAM), w >>> 16);
        f.hart.pc = page + 0xFFE;
        f.hart.priv = Hart.PRIV_S;
        f.steps(1);
        assertEquals(42, f.x(1));
        assertEquals(page + 0x1002, f.hart.pc);
    }

    @Test
    void misalignedLoadAcrossPagesTranslatesBoth() {
        map(DATA_VA, DATA_PA, V | R | W | A | D);
        map(DATA_VA + 0x1000, DATA_PA + 0x8000, V | R | W | A | D);
        f.ram.store32((int) (DATA_PA + 0xFFC - RAM), 0x4433_2211);
        f.ram.store32((int) (DATA_PA + 0x8000 - RAM), 0x8877_6655);
        f.hart.x[1] = DATA_VA + 0xFFC;
        runS(ld(3, 1, 0), sd(3, 1, 2));
        assertEquals(0x8877_6655_4433_2211L, f.x(3));
        assertEquals(0x2211_2211, f.ram.load32((int) (DATA_PA + 0xFFC - RAM)));
        assertEquals(0x6655_4433, f.ram.load32((int) (DATA_PA + 0x8000 - RAM)));
        assertEquals(0x8877, f.ram.load32((int) (DATA_PA + 0x8004 - RAM)) & 0xFFFF);
    }

    @Test
    void sfenceVmaDropsStaleTranslations() {
        long slot = map(DATA_VA, DATA_PA, V | R | W | A | D);
        f.store64(DATA_PA, 1);
        f.store64(DATA_PA + 0x1000, 2);
        f.hart.x[1] = DATA_VA;
        f.hart.x[2] = slot;
        f.hart.x[4] = (((DATA_PA + 0x1000) >>> 12) << 10) | V | R | W | A | D;
        // identity-map the page-table page so S-mode can rewrite the PTE
        map(slot & ~0xFFFL, slot & ~0xFFFL, V | R | W | A | D);
        runS(ld(3, 1, 0), sd(4, 2, 0), ld(5, 1, 0), sfenceVma(0, 0), ld(6, 1, 0));
        assertEquals(1, f.x(3));
        assertEquals(2, f.x(6));
    }

    @Test
    void blockLinksFollowAPageRemappedBySfenceVma() {
        long pa1 = DATA_PA, pa2 = DATA_PA + 0x1_0000;
        map(CODE, CODE, V | R | X | A);
        long pte = map(DATA_VA, pa1, V | R | X | A);
        f.put(CODE, jalr(0, 6, 0));
        f.put(CODE + 0x300, sfenceVma(0, 0), jal(0, -0x304)); // no block evicts another
        f.put(pa1, addi(1, 1, 1), jalr(0, 7, 0));
        f.put(pa2, addi(1, 1, 100), jalr(0, 7, 0));
        f.hart.x[6] = DATA_VA;
        f.hart.x[7] = CODE;
        f.hart.pc = CODE;
        f.hart.priv = Hart.PRIV_S;
        f.hart.flushTlb();
        f.steps(9); // three round trips: the jalr at CODE links to the block at pa1
        assertEquals(3, f.x(1));
        f.store64(pte, ((pa2 >>> 12) << 10) | V | R | X | A);
        f.hart.pc = CODE + 0x300;
        f.steps(4); // sfence.vma, jal, the same jalr, and the addi of the new page
        assertEquals(103, f.x(1));
    }

    @Test
    void aRegionCallingIntoAnotherPageFollowsItsRemapping() {
        long pa1 = DATA_PA, pa2 = DATA_PA + 0x1_0000;
        map(CODE, CODE, V | R | X | A);
        long pte = map(CODE + 0x1000, pa1, V | R | X | A); // the callee's page, next to the caller's
        f.put(CODE, jal(1, 0x1000), addi(2, 2, 1), sfenceVma(0, 0), jal(0, -12));
        f.put(pa1, addi(3, 3, 1), jalr(0, 1, 0));
        f.put(pa2, addi(3, 3, 100), jalr(0, 1, 0));
        f.hart.pc = CODE;
        f.hart.priv = Hart.PRIV_S;
        f.hart.flushTlb();
        f.steps(6 * 2000); // hot enough to compile: the call and the return are in one region
        assertEquals(2000, f.x(3));
        if (dev.tinyos.core.Engine.compilerOn()) assertTrue(f.hart.blocks.multiPageCount > 0, "a region spans both pages");
        f.store64(pte, ((pa2 >>> 12) << 10) | V | R | X | A); // a page-table write: the next SFENCE.VMA drops it
        f.steps(6 * 100);
        assertEquals(2000 + 100 * 100 - 99, f.x(3), "the callee runs from its new page after the SFENCE.VMA");
    }

    /** A second address space: root B maps the code page and DATA_VA to {@code pa}. */
    private long spaceB(long pa) {
        long rootB = RAM + 0x18_0000;
        f.store64(pteAddr(rootB, CODE, 0), ((CODE >>> 12) << 10) | V | R | X | A);
        f.store64(pteAddr(rootB, DATA_VA, 0), ((pa >>> 12) << 10) | V | R | A);
        return (8L << 60) | (rootB >>> 12);
    }

    @Test
    void translationsKeptAcrossAnAddressSpaceSwitchComeBackWithoutAWalk() {
        long satpA = f.csr(Csr.SATP), satpB = spaceB(DATA_PA + 0x1_0000);
        map(DATA_VA, DATA_PA, V | R); // A unset: the first load's walk writes it (not a table write)
        f.hart.x[1] = DATA_VA;
        f.store64(DATA_PA, 1);
        f.store64(DATA_PA + 0x1_0000, 2);
        runS(ld(3, 1, 0));
        assertEquals(1, f.x(3));
        int t = (int) (DATA_VA >>> 12) & Mmu.TLB_MASK;
        f.hart.writeCsr(Csr.SATP, satpB);
        assertEquals(-1L, f.hart.mmu.lTag[t], "B's TLB starts empty");
        f.hart.pc = CODE;
        f.put(CODE, ld(4, 1, 0));
        f.steps(1);
        assertEquals(2, f.x(4));
        f.hart.writeCsr(Csr.SATP, satpA);
        assertEquals(DATA_VA >>> 12, f.hart.mmu.lTag[t], "A's load translation is back, no walk");
        f.hart.pc = CODE;
        f.put(CODE, sfenceVma(0, 0), ld(5, 1, 0));
        f.steps(2);
        assertEquals(1, f.x(5));
        assertEquals(DATA_VA >>> 12, f.hart.mmu.lTag[t], "SFENCE.VMA with no table written drops nothing");
    }

    @Test
    void aPteRewrittenWhileAnotherSpaceRanIsWalkedAgain() {
        long satpA = f.csr(Csr.SATP), satpB = spaceB(DATA_PA + 0x2_0000);
        long pte = map(DATA_VA, DATA_PA, V | R | A);
        f.hart.x[1] = DATA_VA;
        f.store64(DATA_PA, 1);
        f.store64(DATA_PA + 0x1_0000, 2);
        runS(ld(3, 1, 0));
        assertEquals(1, f.x(3));
        f.hart.writeCsr(Csr.SATP, satpB);
        f.store64(pte, (((DATA_PA + 0x1_0000) >>> 12) << 10) | V | R | A); // A's table, written in B
        f.hart.writeCsr(Csr.SATP, satpA);
        f.hart.pc = CODE;
        f.put(CODE, ld(4, 1, 0));
        f.steps(1);
        assertEquals(2, f.x(4), "the new PTE, not A's kept translation");
    }
}
