package dev.tinyos.core.cpu;

import dev.tinyos.core.Engine;
import org.junit.jupiter.api.Test;

import static dev.tinyos.core.cpu.Asm.*;
import static dev.tinyos.core.cpu.HartFixture.DEV;
import static dev.tinyos.core.cpu.HartFixture.RAM;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The basic-block cache: code generations catch self-modifying code and DMA, the budget and
 * traps stay exact inside a block, and pages straddled by an instruction are never cached.
 */
class BlockCacheTest {
    static final long HANDLER = RAM + 0x800;

    private static HartFixture fixture() {
        HartFixture f = new HartFixture();
        f.hart.writeCsr(Csr.MTVEC, HANDLER);
        return f;
    }

    private static byte[] le32(int w) {
        return new byte[] {(byte) w, (byte) (w >>> 8), (byte) (w >>> 16), (byte) (w >>> 24)};
    }

    @Test
    void storeWithoutFenceIIsSeenOnceTheStoringBlockEnds() {
        HartFixture f = fixture();
        f.hart.x[2] = RAM + 0x40;
        f.hart.x[3] = addi(1, 1, 100);
        f.put(RAM, jal(0, 0x40));
        f.put(RAM + 0x40, addi(1, 1, 1), jal(0, 0x3C));
        f.put(RAM + 0x80, sw(3, 2, 0), jal(0, -0x44));
        f.steps(3); // jal, addi (block at 0x40 now cached), jal
        assertEquals(1, f.x(1));
        int gen = f.ram.codeGen[0];
        f.steps(3); // sw rewrites the cached block, jal back, the new addi runs
        assertEquals(gen + 1, f.ram.codeGen[0], "the store hit a code line");
        assertEquals(101, f.x(1));
    }

    /** A fixture whose compiled regions may span two pages ({@link BlockCache#PAGES_PROPERTY}). */
    static HartFixture twoPageRegions(java.util.function.Supplier<HartFixture> make) {
        System.setProperty(BlockCache.PAGES_PROPERTY, "2");
        try {
            return make.get();
        } finally {
            System.clearProperty(BlockCache.PAGES_PROPERTY);
        }
    }

    @Test
    void codeRewrittenOnAnotherPageOfARegionIsSeen() {
        HartFixture f = twoPageRegions(BlockCacheTest::fixture);
        f.put(RAM, jal(1, 0x1000), addi(2, 2, 1), jal(0, -8)); // calls a function on the next page
        f.put(RAM + 0x1000, addi(3, 3, 1), jalr(0, 1, 0));
        f.steps(5 * 2000); // 2,000 rounds of 5 instructions: hot enough to compile
        assertEquals(2000, f.x(3));
        if (Engine.compilerOn()) assertTrue(f.hart.blocks.multiPageCount > 0, "a region spans both pages");
        f.ram.write(0x1000, le32(addi(3, 3, 100)), 0, 4); // the callee changes under the region
        f.steps(5 * 100);
        assertEquals(2000 + 100 * 100, f.x(3));
        assertEquals(2100, f.x(2));
    }

    @Test
    void storeIntoTheRunningBlockTakesEffectWhenTheBlockEnds() {
        HartFixture f = fixture();
        f.hart.x[2] = RAM;
        f.hart.x[3] = addi(1, 1, 100);
        f.put(RAM, sw(3, 2, 8), addi(1, 1, 1), addi(1, 1, 1), jal(0, -8));
        f.steps(4); // the block decoded before the store still runs the old instruction
        assertEquals(2, f.x(1));
        f.steps(2); // re-entered at RAM + 4: rebuilt from the new bytes
        assertEquals(103, f.x(1));
    }

    @Test
    void pageBecomingCodeDropsItsFastStoreTranslations() {
        HartFixture f = fixture();
        f.hart.x[2] = RAM + 0x1000;
        f.hart.x[3] = addi(1, 1, 1);
        f.hart.x[4] = addi(1, 1, 100);
        // page 0 stores into page 1 (filling the store TLB), then jumps there, twice
        f.put(RAM, sw(3, 2, 0), jal(0, 0x1000 - 4), sw(4, 2, 0), jal(0, 0x1000 - 12));
        f.put(RAM + 0x1000, 0, jal(0, -0x1000 + 4));
        f.steps(4);
        assertEquals(1, f.x(1));
        assertTrue(f.ram.isCode(0x1000));
        f.steps(3);
        assertEquals(101, f.x(1), "the second store must not take a stale fast translation");
    }

    @Test
    void dmaWriteToCodeIsSeenAndDataLinesDoNotInvalidate() {
        HartFixture f = fixture();
        f.put(RAM, addi(1, 1, 1), jal(0, -4));
        f.steps(4);
        assertEquals(2, f.x(1));
        int gen = f.ram.codeGen[0];
        f.ram.write(0x400, new byte[64], 0, 64); // same page, no code there
        assertEquals(gen, f.ram.codeGen[0], "a write to a data line keeps the blocks");
        f.ram.write(0, le32(addi(1, 1, 100)), 0, 4);
        assertEquals(gen + 1, f.ram.codeGen[0]);
        f.steps(2);
        assertEquals(102, f.x(1));
        f.ram.data[0] = (byte) addi(1, 1, 7); // direct write to data, then markDirty
        f.ram.data[1] = (byte) (addi(1, 1, 7) >>> 8);
        f.ram.data[2] = (byte) (addi(1, 1, 7) >>> 16);
        f.ram.data[3] = (byte) (addi(1, 1, 7) >>> 24);
        f.ram.markDirty(0, 4);
        f.steps(2);
        assertEquals(109, f.x(1));
    }

    @Test
    void slowPathStoreToACodeLineBumpsTheGenerationOnce() {
        HartFixture f = fixture();
        f.hart.x[2] = RAM;
        f.put(RAM, sw(0, 2, 0x10), sw(0, 2, 0x10), jal(0, 0));
        f.put(RAM + 0x10, addi(1, 1, 1));
        int gen = f.ram.codeGen[0];
        assertEquals(2, f.hart.run(2)); // one block: the first store hits its line 0
        assertEquals(gen + 1, f.ram.codeGen[0], "the second store found no code lines left to hit");
        assertFalse(f.ram.isCode(0), "a bumped page holds no code until a block is rebuilt");
        assertEquals(0, f.ram.load32(0x10), "stores were performed");
        f.steps(1); // the jal, in a block rebuilt at RAM + 8
        assertTrue(f.ram.isCode(0));
        f.ram.store32(0x200, 1);
        assertEquals(gen + 1, f.ram.codeGen[0], "line 8 holds no code");
        f.ram.store8(0x9, 1);
        assertEquals(gen + 2, f.ram.codeGen[0]);
    }

    @Test
    void budgetEndingInsideABlockStopsAtTheExactInstruction() {
        HartFixture f = fixture();
        int[] prog = new int[11];
        for (int k = 0; k < 10; k++) prog[k] = addi(1, 1, 1);
        prog[10] = jal(0, -40);
        f.put(RAM, prog);
        assertEquals(3, f.hart.run(3));
        assertEquals(RAM + 12, f.hart.pc);
        assertEquals(3, f.x(1));
        assertEquals(3, f.hart.icount());
        assertEquals(12, f.hart.run(12)); // rest of the block, the jal, and four more
        assertEquals(RAM + 16, f.hart.pc);
        assertEquals(14, f.x(1));
        assertEquals(15, f.hart.icount());
    }

    @Test
    void trapInsideABlockReportsItsPcAndCountsOneStep() {
        HartFixture f = fixture();
        f.hart.x[5] = 0x4000_0000L; // unmapped
        f.put(RAM, addi(1, 1, 1), addi(1, 1, 1), lw(6, 5, 8), addi(1, 1, 1), jal(0, -16));
        f.put(HANDLER, jal(0, 0));
        assertEquals(3, f.hart.run(3));
        assertEquals(HANDLER, f.hart.pc);
        assertEquals(3, f.hart.icount());
        assertEquals(Cause.LOAD_ACCESS, f.csr(Csr.MCAUSE));
        assertEquals(RAM + 8, f.csr(Csr.MEPC));
        assertEquals(0x4000_0008L, f.csr(Csr.MTVAL));
        assertEquals(2, f.x(1), "nothing after the faulting load ran");
    }

    @Test
    void trapInsideABlockLeavesExactIcount() {
        HartFixture f = fixture();
        f.hart.x[5] = 0x4000_0000L;
        f.put(RAM, addi(1, 1, 1), addi(1, 1, 1), lw(6, 5, 8), addi(1, 1, 1), jal(0, -16));
        f.put(HANDLER, addi(7, 7, 1), jal(0, 0));
        f.steps(4); // two addi, the faulting lw, the handler's addi
        assertEquals(4, f.hart.icount());
        assertEquals(HANDLER + 4, f.hart.pc);
        assertEquals(1, f.x(7));
        assertEquals(3, f.csr(Csr.MINSTRET), "the trapping load did not retire");
    }

    @Test
    void deviceAccessInsideABlockEndsTheSliceAfterIt() {
        HartFixture f = fixture();
        f.hart.x[5] = DEV;
        f.put(RAM, addi(1, 1, 1), lw(6, 5, 0), addi(1, 1, 1), addi(1, 1, 1), jal(0, -16));
        assertEquals(2, f.hart.run(100));
        assertEquals(RAM + 8, f.hart.pc);
        assertEquals(1, f.x(1));
        assertEquals(0x55667788L, f.x(6));
    }

    @Test
    void blocksEndAtThePageAndStraddlingInstructionsAreReadAfresh() {
        HartFixture f = fixture();
        f.put(RAM + 0xFF4, addi(1, 1, 1), addi(1, 1, 1));
        int straddle = addi(1, 1, 16);
        f.put16(RAM + 0xFFC, 0x0001, straddle & 0xFFFF, straddle >>> 16); // c.nop, then a straddler
        f.put(RAM + 0x1002, jal(0, -0x1002 + 0xFF4));
        f.hart.pc = RAM + 0xFF4;
        f.steps(5);
        assertEquals(18, f.x(1));
        assertEquals(RAM + 0xFF4, f.hart.pc);
        f.put16(RAM + 0x1000, addi(1, 1, 32) >>> 16); // only the second half changes
        f.steps(5);
        assertEquals(18 + 2 + 32, f.x(1));
    }

    @Test
    void tlbMissesInsideABlockContinueItExactly() {
        HartFixture f = fixture();
        f.hart.x[5] = RAM + 0x2000;
        f.store64(RAM + 0x2000, 40);
        f.put(RAM, addi(1, 1, 1), ld(2, 5, 0), addi(1, 1, 1), sd(1, 5, 8), addi(1, 1, 1), jal(0, 0));
        assertEquals(2, f.hart.run(2), "the budget ends right after the slow load");
        assertEquals(RAM + 8, f.hart.pc);
        assertEquals(40, f.x(2));
        assertEquals(4, f.hart.run(4));
        assertEquals(RAM + 20, f.hart.pc);
        assertEquals(3, f.x(1));
        assertEquals(2, f.load64(RAM + 0x2008), "the slow store wrote the value of the moment");
        assertEquals(6, f.hart.icount());
    }

    @Test
    void linkedBlockIsRebuiltWhenItsCodeChanges() {
        HartFixture f = fixture();
        f.put(RAM, addi(1, 1, 1), jal(0, 0x1040)); // the linking block stays valid: other page
        f.put(RAM + 0x1044, addi(1, 1, 10), jal(0, -0x1048));
        f.steps(12); // three rounds: the jal links are in place
        assertEquals(33, f.x(1));
        f.ram.write(0x1044, le32(addi(1, 1, 100)), 0, 4);
        f.steps(4);
        assertEquals(134, f.x(1));
    }

    /**
     * A link stays valid while no flush happens, even after the direct-mapped fetch TLB gave the
     * target page's entry to another page (pages 256 apart share an entry). Here block A (a
     * store into its own page, a code page, so always the slow path, then a jump) jumps to page B
     * through its link after page
     * C, which shares B's fetch entry, ran. Under the compiler the loop reaches B's region
     * through that link; the region driver once looked B up again, missed, and threw.
     */
    @Test
    void aLinkLeadsIntoAPageWhoseFetchEntryAnotherPageTook() {
        HartFixture f = fixture();
        long b = RAM + 0x1000, c = b + (Mmu.TLB_SIZE << 12); // c's fetch entry is b's
        f.hart.x[7] = RAM + 0xC00; // a data line of A's page: no fast store translation there
        f.put(RAM, sd(6, 7, 0), jal(0, (int) (b - RAM - 4)));
        f.put(b, addi(1, 1, 1), jal(0, (int) (c - b - 4)));
        f.hart.x[8] = RAM; // out of JAL's reach from c
        f.put(c, addi(2, 2, 1), jalr(0, 8, 0));
        f.steps(6 * 20); // twenty rounds of A, B, C
        assertEquals(20, f.x(1));
        assertEquals(20, f.x(2));
        assertEquals(RAM, f.hart.pc);
    }

    @Test
    void loadIntoX0StillAccessesMemory() {
        HartFixture f = fixture();
        f.hart.x[5] = DEV;
        f.hart.x[6] = 0x4000_0000L; // unmapped
        f.put(RAM, lw(0, 5, 0), addi(1, 1, 1), ld(0, 6, 0), addi(1, 1, 1));
        assertEquals(1, f.hart.run(10), "a device load ends the slice");
        assertEquals(0, f.x(0));
        assertEquals(RAM + 4, f.hart.pc);
        f.put(HANDLER, jal(0, 0));
        assertEquals(2, f.hart.run(2));
        assertEquals(Cause.LOAD_ACCESS, f.csr(Csr.MCAUSE));
        assertEquals(RAM + 8, f.csr(Csr.MEPC));
        assertEquals(0x4000_0000L, f.csr(Csr.MTVAL));
        assertEquals(1, f.x(1));
    }

    @Test
    void immediatesOfInlineOpsFitAnInt() {
        java.util.Random rnd = new java.util.Random(7);
        int[] pack = new int[1];
        long[] imm = new long[1];
        for (int k = 0; k < 2_000_000; k++) {
            int w = rnd.nextInt();
            if ((k & 1) == 0) w &= 0xFFFF; // compressed encodings as often as 32-bit ones
            Decoder.decode(w, 0, pack, imm);
            int op = pack[0] & 0xFF;
            if (op != Op.ILLEGAL && op < Op.FIRST_RARE) {
                assertEquals((int) imm[0], imm[0], "op " + op + " from 0x" + Integer.toHexString(w));
            }
        }
    }
}
