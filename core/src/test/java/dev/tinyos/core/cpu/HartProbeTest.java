package dev.tinyos.core.cpu;

import dev.tinyos.core.probe.AccessProbe;
import dev.tinyos.core.probe.PcProbe;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static dev.tinyos.core.cpu.Asm.*;
import static dev.tinyos.core.cpu.HartFixture.DEV;
import static dev.tinyos.core.cpu.HartFixture.RAM;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Probes in the hart: pc probes against a one-step-at-a-time reference, the exact access
 * stream of a hand-assembled program (fetch, load, store, device, atomics, page-crossing,
 * faults, Sv39 walks), and runs that are identical with and without probes.
 */
class HartProbeTest {
    static final long HANDLER = RAM + 0x800;
    static final int F = AccessProbe.FETCH, L = AccessProbe.LOAD, S = AccessProbe.STORE, P = AccessProbe.PTW;

    // ------------------------------------------------------------------ pc probes

    /** A loop calling a function and taking an ecall, whose handler returns with mret. */
    private static HartFixture loopProgram() {
        HartFixture f = new HartFixture();
        f.hart.writeCsr(Csr.MTVEC, HANDLER);
        f.put(RAM,
                addi(10, 0, 0),          // 0x00
                addi(11, 0, 5),          // 0x04
                jal(1, 0x20),            // 0x08 -> 0x28
                addi(10, 10, 1),         // 0x0C
                ECALL,                   // 0x10
                addi(11, 11, -1),        // 0x14
                bne(11, 0, -0x10),       // 0x18 -> 0x08
                jal(0, 0));              // 0x1C: spin here
        f.put(RAM + 0x28, addi(12, 12, 3), jalr(0, 1, 0));
        f.put(HANDLER, csrrs(20, Csr.MEPC, 0), addi(20, 20, 4), csrrw(0, Csr.MEPC, 20), MRET);
        return f;
    }

    private static final long[] PROBED = {RAM + 0x04, RAM + 0x0C, RAM + 0x14 /* after mret */, RAM + 0x18, RAM + 0x1C, RAM + 0x28,
        HANDLER, HANDLER + 0xC, RAM + 0x1004 /* same page offset as 0x04, never executed */};

    private static String describe(Hart h, long pc) {
        return Long.toHexString(pc) + "@" + h.icount() + " x11=" + h.x[11] + " priv=" + h.priv
                + (h.pc == pc ? "" : " pc-not-synced");
    }

    @Test
    void pcProbesFireExactlyWhereSingleSteppingPasses() {
        HartFixture probed = loopProgram();
        List<String> got = new ArrayList<>();
        probed.hart.setProbes(PROBED, (h, pc) -> {
            for (long p : PROBED) if (p == pc) got.add(describe(h, pc));
        }, null);
        probed.steps(200);

        HartFixture ref = loopProgram(); // the reference: one step per run()
        List<String> want = new ArrayList<>();
        for (int k = 0; k < 200; k++) {
            for (long p : PROBED) if (p == ref.hart.pc) want.add(describe(ref.hart, p));
            assertEquals(1, ref.hart.run(1));
        }
        assertEquals(want, got);
        assertTrue(got.size() > 40, "the loop ran: " + got.size());
        assertTrue(got.contains("80000800@7 x11=5 priv=3"), "trap vector probed: " + got);
        assertTrue(got.contains("8000000c@5 x11=5 priv=3"), "jalr target probed: " + got);
        assertEquals(ref.hart.icount(), probed.hart.icount());
        assertArrayEquals(ref.hart.x, probed.hart.x);
    }

    @Test
    void aProbeThatEndsTheSliceIsCalledOncePerStep() {
        HartFixture f = loopProgram();
        List<Long> at = new ArrayList<>();
        f.hart.setProbes(new long[] {RAM + 0x28}, (h, pc) -> {
            at.add(h.icount());
            h.requestSliceEnd(); // a breakpoint: stop before the instruction
        }, null);
        long steps = 0;
        for (int k = 0; k < 100 && steps < 60; k++) steps += f.hart.run(60 - steps);
        assertEquals(60, f.hart.icount());
        assertEquals(List.of(3L, 14L, 25L, 36L, 47L), at, "the function's entries (every 11 steps), once each");
    }

    @Test
    void pcProbeCanBeRemovedAndRunIsUnchanged() {
        HartFixture plain = loopProgram();
        plain.steps(150);
        HartFixture probed = loopProgram();
        int[] n = {0};
        probed.hart.setProbes(new long[] {RAM + 0x0C}, (h, pc) -> { if (pc == RAM + 0x0C) n[0]++; }, null);
        probed.steps(50);
        int first = n[0];
        probed.hart.setProbes(new long[0], null, null);
        probed.steps(100);
        assertEquals(first, n[0], "no calls after removal");
        assertTrue(first > 0);
        assertEquals(plain.hart.icount(), probed.hart.icount());
        assertEquals(plain.hart.pc, probed.hart.pc);
        assertArrayEquals(plain.hart.x, probed.hart.x);
    }

    // ------------------------------------------------------------------ access stream

    private static String a(int kind, long va, long pa, int size, int priv, long pc) {
        return kind + " " + Long.toHexString(va) + " " + Long.toHexString(pa) + " " + size + " " + priv
                + " @" + Long.toHexString(pc);
    }

    private static String m(int kind, long addr, int size, long pc) {
        return a(kind, addr, addr, size, Hart.PRIV_M, pc);
    }

    private static HartFixture accessProgram() {
        HartFixture f = new HartFixture();
        f.hart.writeCsr(Csr.MTVEC, HANDLER);
        f.put(RAM,
                auipc(1, 0x2000),              // 0x00 x1 = RAM + 0x2000
                addi(2, 0, 0x55),              // 0x04
                sd(2, 1, 8),                   // 0x08
                ld(3, 1, 8),                   // 0x0C
                0x0001_0505,                   // 0x10 c.addi a0,1 ; 0x12 c.nop
                lui(5, 0x1000_0000),           // 0x14 x5 = DEV
                sw(2, 5, 4),                   // 0x18 device store
                lbu(6, 5, 3),                  // 0x1C device load
                amo(0, 3, 7, 1, 2),            // 0x20 amoadd.d x7, x2, (x1)
                lrd(8, 1),                     // 0x24
                scd(9, 1, 2),                  // 0x28 succeeds
                scd(9, 1, 2),                  // 0x2C fails: no reservation
                ld(11, 1, 0xFFC - 0x1000),     // 0x30 x1 - 4: crosses into RAM + 0x2000
                ld(12, 1, 8),                  // 0x34
                sd(2, 1, 16),                  // 0x38
                lw(13, 0, 0));                 // 0x3C load access fault
        f.put(HANDLER, addi(14, 0, 1));
        return f;
    }

    @Test
    void accessStreamIsExact() {
        HartFixture f = accessProgram();
        List<String> got = new ArrayList<>();
        f.hart.setProbes(new long[0], null, (kind, va, pa, size, priv, pc) -> got.add(a(kind, va, pa, size, priv, pc)));
        f.steps(18);
        long d = RAM + 0x2000;
        List<String> want = List.of(
                m(F, RAM, 4, RAM), m(F, RAM + 4, 4, RAM + 4),
                m(F, RAM + 8, 4, RAM + 8), m(S, d + 8, 8, RAM + 8),
                m(F, RAM + 0xC, 4, RAM + 0xC), m(L, d + 8, 8, RAM + 0xC),
                m(F, RAM + 0x10, 2, RAM + 0x10), m(F, RAM + 0x12, 2, RAM + 0x12),
                m(F, RAM + 0x14, 4, RAM + 0x14),
                m(F, RAM + 0x18, 4, RAM + 0x18), m(S, DEV + 4, 4, RAM + 0x18),
                m(F, RAM + 0x1C, 4, RAM + 0x1C), m(L, DEV + 3, 1, RAM + 0x1C),
                m(F, RAM + 0x20, 4, RAM + 0x20), m(L, d, 8, RAM + 0x20), m(S, d, 8, RAM + 0x20),
                m(F, RAM + 0x24, 4, RAM + 0x24), m(L, d, 8, RAM + 0x24),
                m(F, RAM + 0x28, 4, RAM + 0x28), m(S, d, 8, RAM + 0x28),
                m(F, RAM + 0x2C, 4, RAM + 0x2C),
                m(F, RAM + 0x30, 4, RAM + 0x30), m(L, d - 4, 4, RAM + 0x30), m(L, d, 4, RAM + 0x30),
                m(F, RAM + 0x34, 4, RAM + 0x34), m(L, d + 8, 8, RAM + 0x34),
                m(F, RAM + 0x38, 4, RAM + 0x38), m(S, d + 16, 8, RAM + 0x38),
                m(F, RAM + 0x3C, 4, RAM + 0x3C),
                m(F, HANDLER, 4, HANDLER));
        assertEquals(want, got);

        HartFixture plain = accessProgram();
        plain.steps(18);
        assertArrayEquals(plain.hart.x, f.hart.x, "registers as without the probe");
        assertEquals(plain.deviceStores, f.deviceStores);
        assertEquals(0x55, f.x(3));
        assertEquals(1, f.x(9), "second sc failed");
        assertEquals(0x55L << 32, f.x(11), "page-crossing load read both pages");
        assertEquals(1, f.x(14));
        assertEquals(Cause.LOAD_ACCESS, f.csr(Csr.MCAUSE));
    }

    @Test
    void sv39WalksAreReportedBeforeTheAccessTheyTranslate() {
        HartFixture f = new HartFixture();
        PageTables pt = new PageTables(f, RAM + 0x10_0000);
        f.hart.writeCsr(Csr.SATP, (8L << 60) | (pt.root >>> 12));
        long dataVa = 0x4000_0000L, dataPa = RAM + 0x20_0000;
        long codeSlot = pt.map(RAM, RAM, 0x1 | 0x2 | 0x8 | 0x40);
        long dataSlot = pt.map(dataVa, dataPa, 0x1 | 0x2 | 0x4 | 0x40 | 0x80);
        f.put(RAM, lui(5, 0x4000_0000), ld(3, 5, 0), ld(4, 5, 8));
        f.hart.pc = RAM;
        f.hart.priv = Hart.PRIV_S;
        f.hart.flushTlb();
        List<String> got = new ArrayList<>();
        f.hart.setProbes(new long[0], null, (kind, va, pa, size, priv, pc) -> got.add(a(kind, va, pa, size, priv, pc)));
        f.steps(3);
        List<String> want = new ArrayList<>();
        for (long slot : pt.walk(RAM, codeSlot)) want.add(a(P, RAM, slot, 8, 1, RAM));
        want.add(a(F, RAM, RAM, 4, 1, RAM));
        want.add(a(F, RAM + 4, RAM + 4, 4, 1, RAM + 4));
        for (long slot : pt.walk(dataVa, dataSlot)) want.add(a(P, dataVa, slot, 8, 1, RAM + 4));
        want.add(a(L, dataVa, dataPa, 8, 1, RAM + 4));
        want.add(a(F, RAM + 8, RAM + 8, 4, 1, RAM + 8));
        want.add(a(L, dataVa + 8, dataPa + 8, 8, 1, RAM + 8));
        assertEquals(want, got);
    }

    // ------------------------------------------------------------------ differential

    static final long CODE = RAM + 0x1_0000, DATA = RAM + 0x4_0000;
    static final int CODE_WORDS = 3000;

    /** Random straight-line and branching code over x1 = DATA, x3 = CODE (stores into its own code). */
    private static HartFixture randomProgram(long seed) {
        Random r = new Random(seed);
        HartFixture f = new HartFixture();
        f.hart.writeCsr(Csr.MTVEC, HANDLER);
        f.put(HANDLER, csrrs(31, Csr.MEPC, 0), addi(31, 31, 4), csrrw(0, Csr.MEPC, 31), MRET);
        for (int k = 0; k < CODE_WORDS; k++) f.put(CODE + 4L * k, randomWord(r, CODE_WORDS - k));
        f.put(CODE + 4L * CODE_WORDS, jal(0, -4 * CODE_WORDS));
        for (int k = 4; k < 32; k++) f.hart.x[k] = r.nextInt(8) == 0 ? r.nextLong() : r.nextInt(64) - 16;
        f.hart.x[1] = DATA;
        f.hart.x[3] = CODE;
        f.hart.pc = CODE;
        return f;
    }

    private static int randomWord(Random r, int wordsLeft) {
        int rd = 4 + r.nextInt(28), rs1 = r.nextInt(32), rs2 = r.nextInt(32);
        int off = 8 * (r.nextInt(256) - 128);
        int ahead = 4 * (1 + r.nextInt(Math.min(16, wordsLeft)));
        int[] csrs = {Csr.MSCRATCH, Csr.CYCLE, Csr.INSTRET, Csr.MCYCLE, Csr.MINSTRET, Csr.MCAUSE, Csr.SSCRATCH};
        switch (r.nextInt(16)) {
            case 0: return r.nextInt(); // mostly illegal
            case 1: return ld(rd, 1, off + r.nextInt(8));
            case 2: return (r.nextInt(7) << 12) | rd << 7 | 1 << 15 | (off & 0xFFF) << 20 | 0x03; // any load
            case 3: return s(off + r.nextInt(8), rs2, 1, r.nextInt(4), 0x23);
            case 4: return r.nextInt(40) == 0 ? sw(rs2, 3, 4 * r.nextInt(CODE_WORDS / 2)) : sd(rs2, 1, off);
            case 5: return b(r.nextBoolean() ? ahead : -4 * r.nextInt(4), rs2, rs1, new int[] {0, 1, 4, 5, 6, 7}[r.nextInt(6)]);
            case 6: return jal(r.nextBoolean() ? rd : 0, ahead);
            case 7: return amo(new int[] {0, 1, 2, 3, 4, 8, 12, 16, 20, 24, 28}[r.nextInt(11)], 2 + r.nextInt(2), rd, 1, rs2);
            case 8: return new int[] {csrrw(rd, 0, rs1), csrrs(rd, 0, rs1), csrrc(rd, 0, 0)}[r.nextInt(3)]
                    | csrs[r.nextInt(csrs.length)] << 20;
            case 9: return new int[] {ECALL, EBREAK, FENCE, FENCE_I}[r.nextInt(4)];
            case 10: return r(new int[] {0, 0x20, 1}[r.nextInt(3)], rs2, rs1, r.nextInt(8), rd, r.nextBoolean() ? 0x33 : 0x3B);
            case 11: return i(r.nextInt(4096), rs1, r.nextInt(8), rd, r.nextBoolean() ? 0x13 : 0x1B);
            case 12: return r.nextBoolean() ? lui(rd, r.nextInt()) : auipc(rd, r.nextInt());
            default: return addi(rd, rs1, r.nextInt(64) - 32);
        }
    }

    /** Runs in random slice lengths; the same seed gives the same slices. */
    private static void runSlices(HartFixture f, long seed, long steps) {
        Random r = new Random(seed);
        for (long done = 0; done < steps; ) {
            long n = Math.min(steps - done, 1 + r.nextInt(300));
            f.steps(n);
            done += n;
        }
    }

    @Test
    void instrumentedPathComputesWhatThePlainPathComputes() {
        for (long seed = 1; seed <= 12; seed++) {
            HartFixture plain = randomProgram(seed);
            runSlices(plain, seed, 60_000);
            HartFixture probed = randomProgram(seed);
            long[] fetches = {0};
            long[] traps = {0};
            probed.hart.setProbes(new long[0], null, (kind, va, pa, size, priv, pc) -> {
                if (kind == AccessProbe.FETCH) fetches[0]++;
            });
            probed.hart.setTrapListener((cause, tval, epc, from, to) -> {
                if (cause == Cause.FETCH_ACCESS || cause == Cause.FETCH_PAGE_FAULT) traps[0]++;
            });
            runSlices(probed, seed, 60_000);
            String where = "seed " + seed;
            assertArrayEquals(plain.hart.x, probed.hart.x, where);
            assertEquals(plain.hart.pc, probed.hart.pc, where);
            assertEquals(plain.hart.icount(), probed.hart.icount(), where);
            for (int c : new int[] {Csr.MCAUSE, Csr.MEPC, Csr.MTVAL, Csr.MSCRATCH, Csr.MINSTRET, Csr.MSTATUS}) {
                assertEquals(plain.csr(c), probed.csr(c), where + " csr " + Integer.toHexString(c));
            }
            assertArrayEquals(plain.ram.data, probed.ram.data, where + ": RAM");
            assertEquals(plain.deviceStores, probed.deviceStores, where);
            assertEquals(probed.hart.icount() - traps[0], fetches[0], where + ": one fetch per step");
        }
    }

    /** Builds Sv39 tables in the fixture's RAM (tables allocated after the root). */
    private static final class PageTables {
        final HartFixture f;
        final long root;
        long next;

        PageTables(HartFixture f, long root) {
            this.f = f;
            this.root = root;
            this.next = root + 0x1000;
        }

        long map(long va, long pa, long flags) {
            long table = root;
            for (int l = 2; l > 0; l--) {
                long slot = table + 8 * ((va >>> (12 + 9 * l)) & 511);
                long pte = f.load64(slot);
                if ((pte & 1) == 0) {
                    pte = ((next >>> 12) << 10) | 1;
                    next += 0x1000;
                    f.store64(slot, pte);
                }
                table = (pte >>> 10) << 12;
            }
            long slot = table + 8 * ((va >>> 12) & 511);
            f.store64(slot, ((pa >>> 12) << 10) | flags);
            return slot;
        }

        /** The three PTE addresses a walk of va reads, ending at the leaf slot. */
        long[] walk(long va, long leaf) {
            long l2 = root + 8 * ((va >>> 30) & 511);
            long t1 = (f.load64(l2) >>> 10) << 12;
            long l1 = t1 + 8 * ((va >>> 21) & 511);
            return new long[] {l2, l1, leaf};
        }
    }
}
