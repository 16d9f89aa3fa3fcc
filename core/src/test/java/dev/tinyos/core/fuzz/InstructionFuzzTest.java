package dev.tinyos.core.fuzz;

import dev.tinyos.core.Bus;
import dev.tinyos.core.cpu.Ram;
import dev.tinyos.core.cpu.Csr;
import dev.tinyos.core.cpu.Hart;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Executes millions of random instruction words, one step at a time, on a bare {@link Hart}
 * in M, S and U mode with Sv39 off and on, and checks after every step that only
 * spec-defined things happened: no Java exception escaped; either the instruction retired
 * or exactly one trap with an architectural cause was taken (exceptions 0-9, 11-13, 15, or
 * an interrupt that software can raise: SSI, STI, SEI); the trap went to the handler base of
 * the privilege it reports and recorded the faulting pc; an illegal instruction left the
 * instruction bits in mtval/stval; x0 is 0 and the pc is 2-byte aligned. For the integer
 * computation opcodes the result is also compared with {@link AluReference}.
 *
 * <p>Invariant: deterministic for a given seed (a fixed default, printed; another one with
 * {@code -Dtinyos.fuzz.seed=N}); at least {@link #STEPS} steps per run.
 */
class InstructionFuzzTest {
    static final int STEPS = 2_500_000;
    private static final int EPISODE = 500;

    private static final long RAM_BASE = 0x8000_0000L;
    private static final int RAM_SIZE = 1 << 20;
    private static final long MTVEC = RAM_BASE + 0x100;
    private static final long STVEC = RAM_BASE + 0x200;
    private static final long ROOT_S = RAM_BASE + 0x1000;
    private static final long ROOT_U = RAM_BASE + 0x2000;
    private static final long CODE = RAM_BASE + 0x10000;
    private static final int CODE_SLOTS = 0x10000 / 4;
    private static final long DATA = RAM_BASE + 0x40000;
    private static final int DATA_SIZE = 0x40000;

    /** Exception causes an RV64IMAC hart with S and U may raise (10 and 14 are reserved). */
    private static final long LEGAL_EXCEPTIONS = 0b1011_1011_1111_1111L;
    /** Interrupts software can cause through mip (SSIP, STIP, SEIP); no lines are driven. */
    private static final long LEGAL_INTERRUPTS = (1 << 1) | (1 << 5) | (1 << 9);

    private static final int[] MAJOR_OPCODES = {
        0x03, 0x0f, 0x13, 0x17, 0x1b, 0x23, 0x2f, 0x33, 0x37, 0x3b, 0x63, 0x67, 0x6f, 0x73,
    };
    private static final int[] CSRS = {
        Csr.CYCLE, Csr.TIME, Csr.INSTRET, Csr.SSTATUS, Csr.SIE, Csr.STVEC, Csr.SCOUNTEREN,
        Csr.SSCRATCH, Csr.SEPC, Csr.SCAUSE, Csr.STVAL, Csr.SIP, Csr.SATP, Csr.MVENDORID,
        Csr.MHARTID, Csr.MSTATUS, Csr.MISA, Csr.MEDELEG, Csr.MIDELEG, Csr.MIE, Csr.MTVEC,
        Csr.MCOUNTEREN, Csr.MSCRATCH, Csr.MEPC, Csr.MCAUSE, Csr.MTVAL, Csr.MIP, Csr.PMPCFG0,
        Csr.PMPADDR0, Csr.MCYCLE, Csr.MINSTRET, 0x7ff, 0x5c0, 0x001,
    };
    private static final int[] SYSTEM_WORDS = {
        0x00000073, 0x00100073, 0x30200073, 0x10200073, 0x10500073, 0x12000073, 0x0000100f,
    };
    private static final long[] INTERESTING = {
        0, 1, -1, 2, Long.MIN_VALUE, Long.MAX_VALUE, 0x80000000L, 0x7fffffffL, 0xffffffffL,
        0xffffffff80000000L, 31, 32, 63, 64,
    };

    /** Default seed: CI runs are reproducible; pass -Dtinyos.fuzz.seed=N to explore others. */
    private static final long DEFAULT_SEED = 0x7105_2026L;

    private final Random rnd;
    private final Ram ram = new Ram(RAM_BASE, RAM_SIZE);
    private final Bus bus = new Bus(ram);
    private final Hart hart;
    private final long seed;

    // what the trap listener saw during the current step
    private int traps;
    private long trapCause, trapTval, trapEpc;
    private int trapTo;

    // the step being checked (for messages)
    private int curStep, curWord, curMode;
    private long curPc;

    // statistics, printed at the end
    private long retired, trapped, compared, illegal;

    InstructionFuzzTest() {
        String s = System.getProperty("tinyos.fuzz.seed");
        seed = s != null ? Long.parseLong(s) : DEFAULT_SEED;
        rnd = new Random(seed);
        hart = new Hart(bus, this::mtime);
        hart.setTrapListener((cause, tval, epc, fromPriv, toPriv) -> {
            traps++;
            trapCause = cause;
            trapTval = tval;
            trapEpc = epc;
            trapTo = toPriv;
        });
    }

    /** The time CSR: one 10 MHz tick per 100 steps, like the default virtual clock. */
    private long mtime() {
        return hart.icount() / 100;
    }

    @Test
    void randomInstructionsOnlyTakeArchitecturalTraps() {
        System.out.println("InstructionFuzzTest seed = " + seed
                + " (rerun with -Dtinyos.fuzz.seed=" + seed + ")");
        int mode = 0;
        boolean paging = false;
        for (int step = 0; step < STEPS; step++) {
            if (rnd.nextInt(16) != 0) {
                hart.writeCsr(Csr.MIP, 0);     // mostly keep software interrupts out of the way
            }
            if (step % EPISODE == 0 || hart.isWaiting()) {
                mode = new int[] {Hart.PRIV_M, Hart.PRIV_S, Hart.PRIV_U}[rnd.nextInt(3)];
                paging = mode != Hart.PRIV_M && rnd.nextBoolean();
                startEpisode(mode, paging);
            }
            step(step, mode);
        }
        System.out.printf("InstructionFuzzTest: %d steps, %d retired, %d trapped (%d illegal),"
                + " %d compared with the reference%n", STEPS, retired, trapped, illegal, compared);
        if (compared < STEPS / 50 || retired < STEPS / 10 || illegal < STEPS / 50) {
            fail("fuzz mix degenerated: " + retired + " retired, " + compared + " compared, "
                    + illegal + " illegal");
        }
    }

    /** Fresh hart state: mode, optional Sv39 identity map, random delegation and enables. */
    private void startEpisode(int mode, boolean paging) {
        hart.reset(CODE);
        ram.store((int) (ROOT_S - RAM_BASE) + 2 * 8, 8, gigapage(false));
        ram.store((int) (ROOT_U - RAM_BASE) + 2 * 8, 8, gigapage(true));
        hart.writeCsr(Csr.PMPADDR0, -1L >>> 10);
        hart.writeCsr(Csr.PMPCFG0, 0x1f);
        hart.writeCsr(Csr.MTVEC, MTVEC | (rnd.nextInt(4) == 0 ? 1 : 0));
        hart.writeCsr(Csr.STVEC, STVEC | (rnd.nextInt(4) == 0 ? 1 : 0));
        hart.writeCsr(Csr.MEDELEG, rnd.nextBoolean() ? 0 : rnd.nextLong() & 0xb3ff);
        hart.writeCsr(Csr.MIDELEG, rnd.nextBoolean() ? 0 : 0x222);
        hart.writeCsr(Csr.MIE, rnd.nextBoolean() ? 0 : 0x222);
        hart.writeCsr(Csr.MCOUNTEREN, rnd.nextInt(8));
        hart.writeCsr(Csr.SCOUNTEREN, rnd.nextInt(8));
        long status = rnd.nextLong() & (Csr.MSTATUS_SIE | Csr.MSTATUS_MIE | (1L << 18) | (1L << 19)
                | (1L << 20) | (1L << 21) | (1L << 22));
        hart.writeCsr(Csr.MSTATUS, status);
        long root = mode == Hart.PRIV_U ? ROOT_U : ROOT_S;
        hart.writeCsr(Csr.SATP, paging ? (8L << 60) | (root >>> 12) : 0);
        for (int r = 1; r < 32; r++) {
            hart.setX(r, value());
        }
    }

    private static long gigapage(boolean user) {
        long flags = 0xcf | (user ? 0x10 : 0);   // V R W X A D (+U)
        return (RAM_BASE >>> 12) << 10 | flags;
    }

    private long value() {
        switch (rnd.nextInt(4)) {
            case 0: return INTERESTING[rnd.nextInt(INTERESTING.length)];
            case 1: return rnd.nextInt(64) - 32;
            case 2: return dataPointer();
            default: return rnd.nextLong();
        }
    }

    private long dataPointer() {
        int off = rnd.nextInt(DATA_SIZE - 4096) + 2048;
        return DATA + (rnd.nextInt(4) == 0 ? off : off & ~7);
    }

    private void step(int step, int mode) {
        boolean compressed = rnd.nextInt(4) == 0;
        int w = compressed ? compressedWord() : word();
        long pc = CODE + 4L * rnd.nextInt(CODE_SLOTS);
        ram.store((int) (pc - RAM_BASE), 4, compressed ? (w & 0xffff) | (rnd.nextInt() << 16) : w);
        biasRegisters(w, compressed);
        curStep = step;
        curWord = w;
        curPc = pc;
        curMode = mode;
        hart.placeAt(pc, mode);
        traps = 0;
        if (hart.takeInterrupt()) {
            checkInterrupt();
            hart.writeCsr(Csr.MIP, 0);
            hart.placeAt(pc, mode);
            traps = 0;
        }
        long a = hart.x(AluReference.rs1(w));
        long b = hart.x(AluReference.rs2(w));
        long n;
        try {
            n = hart.run(1);
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError(where() + ": Java exception escaped", e);
        }
        check(w, compressed, pc, n, a, b);
    }

    private void checkInterrupt() {
        long code = trapCause & 63;
        if (traps != 1 || trapCause >= 0 || ((LEGAL_INTERRUPTS >>> code) & 1) == 0) {
            fail(where() + ": unexpected interrupt before the step, cause 0x"
                    + Long.toHexString(trapCause) + ", " + traps + " traps");
        }
    }

    private void check(int w, boolean compressed, long pc, long n, long a, long b) {
        if (hart.x(0) != 0) {
            fail(where() + ": x0 = " + hart.x(0));
        }
        if ((hart.pc() & 1) != 0) {
            fail(where() + ": odd pc 0x" + Long.toHexString(hart.pc()));
        }
        if (n != 1) {
            fail(where() + ": run(1) took " + n + " steps");
        }
        if (traps == 0) {
            retired++;
            checkReference(w, compressed, pc, a, b);
            return;
        }
        trapped++;
        if (traps != 1) {
            fail(where() + ": " + traps + " traps in one step");
        }
        checkTrap(w, compressed, pc);
    }

    private void checkTrap(int w, boolean compressed, long pc) {
        if (trapCause < 0) {
            if (((LEGAL_INTERRUPTS >>> (trapCause & 63)) & 1) == 0) {
                fail(what() + ": interrupt nobody could raise");
            }
            return;
        }
        if (trapCause > 15 || ((LEGAL_EXCEPTIONS >>> trapCause) & 1) == 0) {
            fail(what() + ": not an architectural exception cause");
        }
        if (trapEpc != pc) {
            fail(what() + ": epc 0x" + Long.toHexString(trapEpc));
        }
        long tvec = hart.readCsr(trapTo == Hart.PRIV_M ? Csr.MTVEC : Csr.STVEC);
        if (trapTo == Hart.PRIV_U || hart.priv() != trapTo || hart.pc() != (tvec & ~3L)) {
            fail(what() + ": landed at 0x" + Long.toHexString(hart.pc()) + " in priv " + hart.priv());
        }
        long xtval = hart.readCsr(trapTo == Hart.PRIV_M ? Csr.MTVAL : Csr.STVAL);
        if (xtval != trapTval) {
            fail(what() + ": xtval CSR 0x" + Long.toHexString(xtval));
        }
        if (trapCause == 2) {
            illegal++;
            long bits = compressed ? w & 0xffffL : w & 0xffffffffL;
            if (trapTval != bits) {
                fail(what() + ": illegal instruction must report its bits 0x" + Long.toHexString(bits));
            }
            if (!compressed && AluReference.covers(w) && AluReference.legal(w)) {
                fail(what() + ": the reference says this word is legal");
            }
        }
    }

    private String what() {
        return where() + ": trap cause 0x" + Long.toHexString(trapCause) + " tval 0x"
                + Long.toHexString(trapTval) + " to priv " + trapTo;
    }

    private void checkReference(int w, boolean compressed, long pc, long a, long b) {
        if (compressed || !AluReference.covers(w)) {
            return;
        }
        if (!AluReference.legal(w)) {
            fail(where() + ": retired, but the reference says it is illegal");
        }
        compared++;
        if (hart.pc() != pc + 4) {
            fail(where() + ": next pc 0x" + Long.toHexString(hart.pc()));
        }
        int rd = AluReference.rd(w);
        long expect = rd == 0 ? 0 : AluReference.compute(w, a, b, pc);
        if (hart.x(rd) != expect) {
            fail(where() + String.format(": x%d = 0x%x, reference 0x%x (rs1 0x%x, rs2 0x%x)",
                    rd, hart.x(rd), expect, a, b));
        }
    }

    private String where() {
        return String.format("seed %d step %d: word 0x%08x at 0x%x in priv %d (satp 0x%x)",
                seed, curStep, curWord, curPc, curMode, hart.readCsr(Csr.SATP));
    }

    /** A 32-bit word: mostly a valid major opcode with random fields, sometimes anything. */
    private int word() {
        int r = rnd.nextInt(16);
        if (r == 0) {
            return rnd.nextInt() | 3;                          // uniform 32-bit encoding space
        }
        int w = rnd.nextInt() & ~0x7f | MAJOR_OPCODES[rnd.nextInt(MAJOR_OPCODES.length)];
        int opcode = w & 0x7f;
        if ((opcode == 0x33 || opcode == 0x3b) && rnd.nextInt(4) != 0) {
            w = w & 0x01ffffff | new int[] {0, 0x20, 1}[rnd.nextInt(3)] << 25;
        } else if ((opcode == 0x13 || opcode == 0x1b) && rnd.nextBoolean()) {
            w = w & 0x01ffffff | new int[] {0, 0x20}[rnd.nextInt(2)] << 25;
        } else if (opcode == 0x73) {
            w = systemWord(w);
        } else if (opcode == 0x2f) {
            int[] funct5 = {0, 1, 2, 3, 4, 8, 12, 16, 20, 24, 28};
            w = w & 0x07ff8fff | funct5[rnd.nextInt(funct5.length)] << 27 | (2 + rnd.nextInt(2)) << 12;
        }
        return w;
    }

    private int systemWord(int w) {
        if (rnd.nextInt(3) == 0) {
            int s = SYSTEM_WORDS[rnd.nextInt(SYSTEM_WORDS.length)];
            return s == 0x12000073 ? s | (rnd.nextInt(32) << 15) | (rnd.nextInt(32) << 20) : s;
        }
        int csr = rnd.nextInt(8) == 0 ? rnd.nextInt(4096) : CSRS[rnd.nextInt(CSRS.length)];
        return w & 0x000fffff | csr << 20;
    }

    /** A 16-bit word: any halfword whose low bits say "compressed". */
    private int compressedWord() {
        int h = rnd.nextInt(0x10000);
        return (h & 3) == 3 ? h & ~1 : h;
    }

    /** Points the registers a memory access would use into the data area, most of the time. */
    private void biasRegisters(int w, boolean compressed) {
        if (rnd.nextInt(4) == 0) {
            return;
        }
        if (compressed) {
            hart.setX(2, dataPointer());
            hart.setX(8 + ((w >>> 7) & 7), dataPointer());
            return;
        }
        int opcode = w & 0x7f;
        if (opcode == 0x03 || opcode == 0x23 || opcode == 0x2f || opcode == 0x67) {
            int rs1 = AluReference.rs1(w);
            if (rs1 != 0) {
                hart.setX(rs1, opcode == 0x67 ? CODE + 4L * rnd.nextInt(CODE_SLOTS) : dataPointer());
            }
        } else if (rnd.nextBoolean()) {
            int rs1 = AluReference.rs1(w);
            int rs2 = AluReference.rs2(w);
            if (rs1 != 0) {
                hart.setX(rs1, value());
            }
            if (rs2 != 0) {
                hart.setX(rs2, value());
            }
        }
    }
}
