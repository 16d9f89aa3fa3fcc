package dev.tinyos.core.cpu;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.tinyos.core.cpu.Asm.*;
import static dev.tinyos.core.cpu.HartFixture.RAM;
import static org.junit.jupiter.api.Assertions.*;

/** RV64I/M/A instruction semantics, checked one small program at a time. */
class HartIsaTest {

    private HartFixture run(long steps, int... words) {
        HartFixture f = new HartFixture();
        f.put(RAM, words);
        f.steps(steps);
        return f;
    }

    @Test
    void immediatesAndUpperImmediates() {
        HartFixture f = run(6, addi(1, 0, -1), lui(2, 0x80000000), auipc(3, 0x1000), addiw(4, 1, 0),
                addi(0, 0, 5), lui(5, 0x7FFFF000));
        assertEquals(-1L, f.x(1));
        assertEquals(0xFFFF_FFFF_8000_0000L, f.x(2), "lui sign-extends");
        assertEquals(RAM + 8 + 0x1000, f.x(3));
        assertEquals(-1L, f.x(4));
        assertEquals(0, f.x(0));
        assertEquals(0x7FFFF000L, f.x(5));
        assertEquals(RAM + 24, f.hart.pc);
        assertEquals(6, f.hart.icount());
    }

    @Test
    void compareAndShift() {
        HartFixture f = new HartFixture();
        f.hart.x[1] = -5;
        f.hart.x[2] = 3;
        f.hart.x[3] = 65; // shift amounts use the low 6 bits
        f.put(RAM, slt(4, 1, 2), sltu(5, 1, 2), slti(6, 1, -4), sltiu(7, 2, -1), sra(8, 1, 3),
                srl(9, 1, 3), sll(10, 2, 3), srai(11, 1, 63), srli(12, 1, 60), slli(13, 2, 62));
        f.steps(10);
        assertEquals(1, f.x(4));
        assertEquals(0, f.x(5));
        assertEquals(1, f.x(6));
        assertEquals(1, f.x(7), "sltiu compares with the sign-extended immediate as unsigned");
        assertEquals(-3, f.x(8));
        assertEquals(0x7FFF_FFFF_FFFF_FFFDL, f.x(9));
        assertEquals(6, f.x(10));
        assertEquals(-1, f.x(11));
        assertEquals(0xF, f.x(12));
        assertEquals(0xC000_0000_0000_0000L, f.x(13));
    }

    @Test
    void wordOperationsSignExtend() {
        HartFixture f = new HartFixture();
        f.hart.x[1] = 0x7FFF_FFFFL;
        f.hart.x[2] = 1;
        f.hart.x[3] = 0xFFFF_FFFF_8000_0000L;
        f.hart.x[4] = 33; // word shifts use the low 5 bits
        f.put(RAM, addw(5, 1, 2), subw(6, 3, 2), sllw(7, 2, 4), srlw(8, 3, 4), sraw(9, 3, 4),
                slliw(10, 1, 1), srliw(11, 3, 31), sraiw(12, 3, 31), addiw(13, 1, 1));
        f.steps(9);
        assertEquals(0xFFFF_FFFF_8000_0000L, f.x(5));
        assertEquals(0x7FFF_FFFFL, f.x(6));
        assertEquals(2, f.x(7));
        assertEquals(0x4000_0000L, f.x(8));
        assertEquals(0xFFFF_FFFF_C000_0000L, f.x(9));
        assertEquals(0xFFFF_FFFF_FFFF_FFFEL, f.x(10));
        assertEquals(1, f.x(11));
        assertEquals(-1, f.x(12));
        assertEquals(0xFFFF_FFFF_8000_0000L, f.x(13));
    }

    @Test
    void illegalShiftEncodingsTrap() {
        // slliw with shamt[5] set and slli with a bad funct6 are reserved
        for (int w : new int[] {slliw(1, 1, 32), i(0x200 | 1, 1, 1, 1, 0x13), r(0x01, 2, 1, 1, 3, 0x3B)}) {
            HartFixture f = run(1, w);
            assertEquals(Cause.ILLEGAL_INSTRUCTION, f.csr(Csr.MCAUSE));
            assertEquals(w & 0xFFFF_FFFFL, f.csr(Csr.MTVAL));
        }
    }

    private static BigInteger unsigned(long v) {
        return new BigInteger(Long.toUnsignedString(v));
    }

    @Test
    void multiplyHighMatchesBigInteger() {
        Random rnd = new Random(42);
        long[] special = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0xFFFF_FFFFL};
        for (int k = 0; k < 200; k++) {
            long a = k < 36 ? special[k % 6] : rnd.nextLong();
            long b = k < 36 ? special[k / 6] : rnd.nextLong();
            HartFixture f = new HartFixture();
            f.hart.x[1] = a;
            f.hart.x[2] = b;
            f.put(RAM, muldiv(0, 3, 1, 2), muldiv(1, 4, 1, 2), muldiv(2, 5, 1, 2), muldiv(3, 6, 1, 2),
                    muldivw(0, 7, 1, 2));
            f.steps(5);
            BigInteger sa = BigInteger.valueOf(a), sb = BigInteger.valueOf(b);
            assertEquals(a * b, f.x(3));
            assertEquals(sa.multiply(sb).shiftRight(64).longValue(), f.x(4), "mulh");
            assertEquals(sa.multiply(unsigned(b)).shiftRight(64).longValue(), f.x(5), "mulhsu");
            assertEquals(unsigned(a).multiply(unsigned(b)).shiftRight(64).longValue(), f.x(6), "mulhu");
            assertEquals((long) ((int) a * (int) b), f.x(7), "mulw");
        }
    }

    @Test
    void divisionCornerCases() {
        HartFixture f = new HartFixture();
        f.hart.x[1] = Long.MIN_VALUE;
        f.hart.x[2] = -1;
        f.hart.x[3] = 0;
        f.hart.x[4] = 0xFFFF_FFFF_8000_0000L; // INT_MIN as a word
        f.put(RAM, muldiv(4, 10, 1, 2), muldiv(6, 11, 1, 2), muldiv(4, 12, 1, 3), muldiv(5, 13, 1, 3),
                muldiv(6, 14, 1, 3), muldiv(7, 15, 1, 3), muldivw(4, 16, 4, 2), muldivw(6, 17, 4, 2),
                muldivw(4, 18, 4, 3), muldivw(5, 19, 4, 3), muldivw(6, 20, 4, 3), muldivw(7, 21, 4, 3),
                muldiv(5, 22, 2, 1), muldiv(7, 23, 2, 1));
        f.steps(14);
        assertEquals(Long.MIN_VALUE, f.x(10), "div overflow");
        assertEquals(0, f.x(11), "rem overflow");
        assertEquals(-1, f.x(12), "div by zero");
        assertEquals(-1, f.x(13), "divu by zero");
        assertEquals(Long.MIN_VALUE, f.x(14), "rem by zero");
        assertEquals(Long.MIN_VALUE, f.x(15), "remu by zero");
        assertEquals(0xFFFF_FFFF_8000_0000L, f.x(16), "divw overflow");
        assertEquals(0, f.x(17), "remw overflow");
        assertEquals(-1, f.x(18), "divw by zero");
        assertEquals(-1, f.x(19), "divuw by zero");
        assertEquals(0xFFFF_FFFF_8000_0000L, f.x(20), "remw by zero");
        assertEquals(0xFFFF_FFFF_8000_0000L, f.x(21), "remuw by zero");
        assertEquals(1, f.x(22), "divu");
        assertEquals(Long.MAX_VALUE, f.x(23), "remu");
    }

    @Test
    void branchesAndJumps() {
        HartFixture f = new HartFixture();
        f.hart.x[1] = -1;
        f.hart.x[2] = 1;
        f.put(RAM,
                blt(1, 2, 8),        // taken -> +8
                addi(10, 0, 1),      // skipped
                bltu(1, 2, 8),       // not taken (unsigned -1 is huge)
                bgeu(1, 2, 8),       // taken
                addi(11, 0, 1),      // skipped
                jal(5, 8),           // x5 = pc+4
                addi(12, 0, 1),      // skipped
                jalr(6, 5, 17));     // target = x5+17, bit 0 cleared
        f.steps(5);
        assertEquals(0, f.x(10));
        assertEquals(0, f.x(11));
        assertEquals(RAM + 24, f.x(5));
        assertEquals(RAM + 32, f.x(6));
        assertEquals(RAM + 24 + 16, f.hart.pc);
    }

    @Test
    void loadsAndStoresAllSizes() {
        HartFixture f = new HartFixture();
        long data = RAM + 0x1000;
        f.hart.x[1] = data;
        f.hart.x[2] = 0x8182_8384_8586_8788L;
        f.put(RAM, sd(2, 1, 0), lb(3, 1, 0), lbu(4, 1, 0), lh(5, 1, 0), lhu(6, 1, 0), lw(7, 1, 4),
                lwu(8, 1, 4), ld(9, 1, 0), sb(0, 1, 0), sh(0, 1, 2), sw(0, 1, 4), ld(10, 1, 0));
        f.steps(12);
        assertEquals((byte) 0x88, f.x(3));
        assertEquals(0x88, f.x(4));
        assertEquals((short) 0x8788, f.x(5));
        assertEquals(0x8788, f.x(6));
        assertEquals((int) 0x8182_8384, f.x(7));
        assertEquals(0x8182_8384L, f.x(8));
        assertEquals(0x8182_8384_8586_8788L, f.x(9));
        assertEquals(0x8700, f.x(10), "byte 1 was never overwritten");
        assertTrue(f.ram.isDirty((int) (data - RAM)));
    }

    @Test
    void storesAfterTakingTheDirtyPagesMarkThemAgain() {
        HartFixture f = new HartFixture();
        long data = RAM + 0x3000;
        f.hart.x[1] = data;
        f.hart.x[2] = 5;
        // a loop: sd x2, 0(x1); addi x2, x2, -1; bne x2, x0, loop; then one more store
        f.put(RAM, sd(2, 1, 0), addi(2, 2, -1), bne(2, 0, -8), sd(0, 1, 8));
        f.steps(6); // two iterations: the page's store translation is cached now
        f.ram.takeDirtyPages();
        f.hart.dropStoreTranslations();
        List<Integer> told = new ArrayList<>();
        f.ram.setWriteListener(told::add);
        f.steps(3); // the third store, through the fast path if the translation survived
        assertEquals(List.of(3), told);
        assertTrue(f.ram.isDirty((int) (data - RAM)));
        assertEquals(3, f.load64(data));
    }

    @Test
    void aStoreTranslationSetAsideSurvivesItsSlotBeingRefilledForAnotherPage() {
        HartFixture f = new HartFixture();
        long root = RAM + 0x10_0000, a = 0x1000_0000L, b = a + (256L << 12); // one TLB slot
        long paA = RAM + 0x20_0000, paB = RAM + 0x38_0000, next[] = {root + 0x1000}; // deltas differ
        java.util.function.BiConsumer<Long, Long> map = (va, pa) -> {
            long table = root;
            for (int l = 2; l > 0; l--) {
                long slot = table + 8 * ((va >>> (12 + 9 * l)) & 511);
                if ((f.load64(slot) & 1) == 0) {
                    f.store64(slot, ((next[0] >>> 12) << 10) | 1);
                    next[0] += 0x1000;
                }
                table = (f.load64(slot) >>> 10) << 12;
            }
            f.store64(table + 8 * ((va >>> 12) & 511), ((pa >>> 12) << 10) | 0xCF); // V R W X A D
        };
        map.accept(RAM, RAM);
        map.accept(a, paA);
        map.accept(b, paB);
        f.hart.writeCsr(Csr.SATP, (8L << 60) | (root >>> 12));
        f.hart.priv = Hart.PRIV_S;
        f.hart.x[10] = a;
        f.hart.x[11] = b;
        f.hart.x[3] = 1;
        f.hart.x[4] = 2;
        f.hart.x[5] = 3;
        f.put(RAM, sd(3, 10, 0), sd(4, 11, 0), sd(5, 10, 0));
        f.steps(1);                            // a's store translation is cached
        f.ram.takeDirtyPages();
        f.hart.dropStoreTranslations();        // and set aside
        f.steps(2);                            // b refills the slot; a takes its own back
        assertEquals(3, f.load64(paA));
        assertEquals(2, f.load64(paB));
        assertTrue(f.ram.isDirty((int) (paA - RAM)));
    }

    @Test
    void misalignedAndPageCrossingAccesses() {
        HartFixture f = new HartFixture();
        long page = RAM + 0x2000;
        f.hart.x[1] = page - 3; // 8 bytes straddling the page boundary
        f.hart.x[2] = 0x0102_0304_0506_0708L;
        f.put(RAM, sd(2, 1, 0), ld(3, 1, 0), lw(4, 1, 1), lh(5, 1, 3), sw(2, 1, 2), lwu(6, 1, 2));
        f.steps(6);
        assertEquals(0x0102_0304_0506_0708L, f.x(3));
        assertEquals(0x0405_0607L, f.x(4));
        assertEquals(0x0405, f.x(5));
        assertEquals(0x0506_0708L, f.x(6));
        assertEquals(0x07, f.ram.load8((int) (page - RAM)) & 0xFF, "sw at page-1 wrote its second byte to the next page");
    }

    @Test
    void deviceLoadsAndStoresEndTheSlice() {
        HartFixture f = new HartFixture();
        f.hart.x[1] = HartFixture.DEV;
        f.hart.x[2] = 0xABCD;
        f.put(RAM, lw(3, 1, 4), sh(2, 1, 8), addi(4, 0, 1));
        assertEquals(1, f.hart.run(10), "a device access ends the slice after the instruction");
        assertEquals(0x11223344L, f.x(3));
        f.bus.clearDeviceTouched();
        assertEquals(1, f.hart.run(10));
        assertEquals("8:2:abcd", f.deviceStores.get(0));
    }

    @Test
    void unmappedAccessesRaiseAccessFaults() {
        HartFixture f = run(1, ld(1, 0, 0x100));
        assertEquals(Cause.LOAD_ACCESS, f.csr(Csr.MCAUSE));
        assertEquals(0x100, f.csr(Csr.MTVAL));
        f = run(1, sd(1, 0, 0x100));
        assertEquals(Cause.STORE_ACCESS, f.csr(Csr.MCAUSE));
        HartFixture g = new HartFixture();
        g.hart.x[1] = 0x4000;
        g.put(RAM, jalr(0, 1, 0));
        g.steps(2);
        assertEquals(Cause.FETCH_ACCESS, g.csr(Csr.MCAUSE));
        assertEquals(0x4000, g.csr(Csr.MTVAL));
        assertEquals(0x4000, g.csr(Csr.MEPC));
        assertEquals(2, g.hart.icount(), "a trapping step counts");
        assertEquals(1, g.csr(Csr.MINSTRET), "but does not retire");
    }

    @Test
    void lrScAndAmos() {
        HartFixture f = new HartFixture();
        long a = RAM + 0x3000;
        f.hart.x[1] = a;
        f.hart.x[2] = 5;
        f.hart.x[3] = -1;
        f.store64(a, 0x0000_0001_FFFF_FFFEL);
        f.put(RAM,
                lrw(10, 1),                   // x10 = sext(0xFFFFFFFE) = -2
                scw(11, 1, 2),                // succeeds: x11 = 0, word = 5
                scw(12, 1, 2),                // no reservation: x12 = 1
                amo(0x00, 3, 13, 1, 2),       // amoadd.d: x13 = old
                amo(0x10, 2, 14, 1, 3),       // amomin.w with -1
                amo(0x1C, 2, 15, 1, 3),       // amomaxu.w with 0xFFFFFFFF
                amo(0x01, 3, 16, 1, 0),       // amoswap.d with 0
                lrd(17, 1), scd(18, 1, 3));
        f.steps(9);
        assertEquals(-2, f.x(10));
        assertEquals(0, f.x(11));
        assertEquals(1, f.x(12));
        assertEquals(0x0000_0001_0000_0005L, f.x(13));
        assertEquals(10, f.x(14));
        assertEquals(-1, f.x(15), "old value sign-extended");
        assertEquals(0x0000_0001_FFFF_FFFFL, f.x(16));
        assertEquals(0, f.x(17));
        assertEquals(0, f.x(18));
        assertEquals(-1, f.load64(a));
    }

    @Test
    void misalignedAtomicsTrap() {
        HartFixture f = new HartFixture();
        f.hart.x[1] = RAM + 0x3002;
        f.put(RAM, amo(0x00, 3, 13, 1, 2));
        f.steps(1);
        assertEquals(Cause.MISALIGNED_STORE, f.csr(Csr.MCAUSE));
        assertEquals(RAM + 0x3002, f.csr(Csr.MTVAL));
        f = new HartFixture();
        f.hart.x[1] = RAM + 0x3002;
        f.put(RAM, lrw(1, 1));
        f.steps(1);
        assertEquals(Cause.MISALIGNED_LOAD, f.csr(Csr.MCAUSE));
        f = new HartFixture();
        f.hart.x[1] = HartFixture.DEV;
        f.put(RAM, amo(0x00, 2, 13, 1, 2));
        f.steps(1);
        assertEquals(Cause.STORE_ACCESS, f.csr(Csr.MCAUSE), "atomics to devices fault");
    }

    @Test
    void selfModifyingCodeIsSeen() {
        HartFixture f = new HartFixture();
        // loop: x1 += 1 executed, then the instruction is overwritten and re-executed
        f.hart.x[2] = RAM + 12;
        f.hart.x[3] = addi(1, 1, 100);
        f.put(RAM, jal(0, 12), 0, 0, addi(1, 1, 1), sw(3, 2, 0), FENCE_I, jal(0, -12));
        f.steps(5);
        assertEquals(1, f.x(1));
        assertEquals(RAM + 12, f.hart.pc);
        f.steps(1);
        assertEquals(101, f.x(1));
    }
}
