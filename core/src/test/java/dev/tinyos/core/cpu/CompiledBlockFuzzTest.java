package dev.tinyos.core.cpu;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random straight-line programs of every op the compiler handles (ALU, M extension, loads and
 * stores to RAM and to a device, short forward branches, LUI/AUIPC), closed into a loop, run on
 * two harts: one interpreting, one compiling every block at its first entry. Run in lockstep
 * slices of random lengths, they must agree at every slice end on icount, pc, every register,
 * the data memory and the device stores.
 *
 * <p>Invariant: deterministic for its seeds; the compiling hart really compiled blocks.
 */
class CompiledBlockFuzzTest {
    private static final long DATA = HartFixture.RAM + 0x20_0000;

    private static HartFixture fixture(boolean jit) {
        System.setProperty(Interpreter.JIT_PROPERTY, Boolean.toString(jit));
        System.setProperty(Interpreter.JIT_PROPERTY + ".threshold", "1");
        try {
            return new HartFixture();
        } finally {
            System.clearProperty(Interpreter.JIT_PROPERTY);
            System.clearProperty(Interpreter.JIT_PROPERTY + ".threshold");
        }
    }

    /** A random instruction word; rd in 1..28 (x29 = device, x30 = a 0 for branches, x31 = data). */
    static int randomInstruction(Random r) {
        IntSupplier rd = () -> 1 + r.nextInt(28);
        IntSupplier rs = () -> r.nextInt(32);
        int d = rd.getAsInt(), a = rs.getAsInt(), b = rs.getAsInt();
        int imm = r.nextInt(4096) - 2048, sh = r.nextInt(64), shw = r.nextInt(32);
        switch (r.nextInt(44)) {
            case 0: return Asm.addi(d, a, imm);
            case 1: return Asm.slti(d, a, imm);
            case 2: return Asm.sltiu(d, a, imm);
            case 3: return Asm.xori(d, a, imm);
            case 4: return Asm.ori(d, a, imm);
            case 5: return Asm.andi(d, a, imm);
            case 6: return Asm.slli(d, a, sh);
            case 7: return Asm.srli(d, a, sh);
            case 8: return Asm.srai(d, a, sh);
            case 9: return Asm.add(d, a, b);
            case 10: return Asm.sub(d, a, b);
            case 11: return Asm.sll(d, a, b);
            case 12: return Asm.slt(d, a, b);
            case 13: return Asm.sltu(d, a, b);
            case 14: return Asm.xor(d, a, b);
            case 15: return Asm.srl(d, a, b);
            case 16: return Asm.sra(d, a, b);
            case 17: return Asm.or(d, a, b);
            case 18: return Asm.and(d, a, b);
            case 19: return Asm.addiw(d, a, imm);
            case 20: return Asm.slliw(d, a, shw);
            case 21: return Asm.srliw(d, a, shw);
            case 22: return Asm.sraiw(d, a, shw);
            case 23: return Asm.addw(d, a, b);
            case 24: return Asm.subw(d, a, b);
            case 25: return Asm.sllw(d, a, b);
            case 26: return Asm.srlw(d, a, b);
            case 27: return Asm.sraw(d, a, b);
            case 28: return Asm.muldiv(r.nextInt(8), d, a, b);
            case 29: return Asm.muldivw(new int[] {0, 4, 5, 6, 7}[r.nextInt(5)], d, a, b);
            case 30: return Asm.lui(d, r.nextInt(1 << 20) << 12);
            case 31: return Asm.auipc(d, r.nextInt(1 << 20) << 12);
            case 32: case 33: case 34: { // a load from data (x31) or, rarely, the device (x29)
                int base = r.nextInt(8) == 0 ? 29 : 31;
                int off = base == 29 ? r.nextInt(64) : imm;
                switch (r.nextInt(7)) {
                    case 0: return Asm.lb(d, base, off);
                    case 1: return Asm.lh(d, base, off);
                    case 2: return Asm.lw(d, base, off);
                    case 3: return Asm.ld(d, base, off);
                    case 4: return Asm.lbu(d, base, off);
                    case 5: return Asm.lhu(d, base, off);
                    default: return Asm.lwu(d, base, off);
                }
            }
            case 35: case 36: case 37: {
                int base = r.nextInt(8) == 0 ? 29 : 31;
                int off = base == 29 ? r.nextInt(64) : imm;
                switch (r.nextInt(4)) {
                    case 0: return Asm.sb(b, base, off);
                    case 1: return Asm.sh(b, base, off);
                    case 2: return Asm.sw(b, base, off);
                    default: return Asm.sd(b, base, off);
                }
            }
            default: { // a forward branch over the next instruction
                switch (r.nextInt(6)) {
                    case 0: return Asm.beq(a, b, 8);
                    case 1: return Asm.bne(a, b, 8);
                    case 2: return Asm.blt(a, b, 8);
                    case 3: return Asm.bge(a, b, 8);
                    case 4: return Asm.bltu(a, b, 8);
                    default: return Asm.bgeu(a, b, 8);
                }
            }
        }
    }

    /** Seeds registers x1..x28, sets the bases, writes the program and returns its words. */
    static int[] program(Random r, int length) {
        int[] words = new int[length + 1];
        for (int k = 0; k < length; k++) words[k] = randomInstruction(r);
        words[length - 1] = Asm.addi(1 + r.nextInt(28), r.nextInt(32), 1); // no branch over the jump back
        words[length] = Asm.jal(0, -4 * length); // back to the start: the loop gets hot
        return words;
    }

    private static void setUp(HartFixture f, int[] words, long seed) {
        Random r = new Random(seed);
        f.put(HartFixture.RAM, words);
        for (int k = 1; k <= 28; k++) f.hart.x[k] = r.nextBoolean() ? r.nextLong() : r.nextInt(64) - 32;
        f.hart.x[29] = HartFixture.DEV;
        f.hart.x[30] = 0;
        f.hart.x[31] = DATA;
        for (int k = 0; k < 4096; k += 8) f.store64(DATA - 2048 + k, r.nextLong());
    }

    @Test
    void randomBlocksComputeWhatTheInterpreterComputes() {
        for (long seed = 1; seed <= 40; seed++) {
            Random r = new Random(seed);
            int[] words = program(r, 8 + r.nextInt(120));
            HartFixture a = fixture(false), b = fixture(true);
            setUp(a, words, seed);
            setUp(b, words, seed);
            for (int slice = 0; slice < 60; slice++) {
                long steps = 1 + r.nextInt(slice % 3 == 0 ? 7 : 400);
                a.steps(steps);
                b.steps(steps);
                String where = "seed " + seed + " slice " + slice;
                assertEquals(a.hart.icount(), b.hart.icount(), where);
                assertEquals(a.hart.pc, b.hart.pc, where);
                assertArrayEquals(a.hart.x, b.hart.x, where);
                assertEquals(a.deviceStores, b.deviceStores, where);
            }
            for (int k = 0; k < 4096; k += 8) {
                assertEquals(a.load64(DATA - 2048 + k), b.load64(DATA - 2048 + k), "seed " + seed + " data +" + k);
            }
            assertTrue(b.hart.blocks.compiledCount > 0, "seed " + seed + ": nothing compiled");
        }
    }
}
