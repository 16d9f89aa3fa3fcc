package dev.tinyos.core.fuzz;

/**
 * An independent, deliberately plain model of the RV64IM integer computation instructions
 * (OP, OP-IMM, OP-32, OP-IMM-32, LUI, AUIPC), written from the unprivileged spec for the
 * differential part of the fuzz test.
 *
 * <p>Invariant: {@link #covers} is true exactly for the four major opcodes plus LUI/AUIPC;
 * for those, {@link #legal} decides whether the RV64IMAC hart must raise illegal
 * instruction, and {@link #compute} gives rd's new value for legal words. Shares no code
 * with the emulator.
 */
final class AluReference {
    static final int OP_IMM = 0x13;
    static final int AUIPC = 0x17;
    static final int OP_IMM_32 = 0x1b;
    static final int OP = 0x33;
    static final int LUI = 0x37;
    static final int OP_32 = 0x3b;

    private AluReference() {
    }

    static boolean covers(int w) {
        int opcode = w & 0x7f;
        return opcode == OP_IMM || opcode == AUIPC || opcode == OP_IMM_32 || opcode == OP
                || opcode == LUI || opcode == OP_32;
    }

    static int rd(int w) {
        return (w >>> 7) & 31;
    }

    static int rs1(int w) {
        return (w >>> 15) & 31;
    }

    static int rs2(int w) {
        return (w >>> 20) & 31;
    }

    private static int funct3(int w) {
        return (w >>> 12) & 7;
    }

    private static int funct7(int w) {
        return w >>> 25;
    }

    static boolean legal(int w) {
        int f3 = funct3(w);
        int f7 = funct7(w);
        int imm = w >> 20;
        switch (w & 0x7f) {
            case LUI:
            case AUIPC:
                return true;
            case OP_IMM:
                if (f3 == 1) {
                    return (imm >>> 6 & 0x3f) == 0;
                }
                if (f3 == 5) {
                    int hi = (w >>> 26) & 0x3f;
                    return hi == 0 || hi == 0x10;
                }
                return true;
            case OP_IMM_32:
                if (f3 == 0) {
                    return true;
                }
                if (f3 == 1) {
                    return f7 == 0;
                }
                if (f3 == 5) {
                    return f7 == 0 || f7 == 0x20;
                }
                return false;
            case OP:
                if (f7 == 0 || f7 == 1) {
                    return true;
                }
                return f7 == 0x20 && (f3 == 0 || f3 == 5);
            case OP_32:
                if (f7 == 0) {
                    return f3 == 0 || f3 == 1 || f3 == 5;
                }
                if (f7 == 0x20) {
                    return f3 == 0 || f3 == 5;
                }
                if (f7 == 1) {
                    return f3 == 0 || f3 >= 4;
                }
                return false;
            default:
                throw new IllegalArgumentException("not covered: " + Integer.toHexString(w));
        }
    }

    /** rd's new value for a legal covered word, given rs1/rs2 values and the pc. */
    static long compute(int w, long a, long b, long pc) {
        int f3 = funct3(w);
        int f7 = funct7(w);
        long imm = w >> 20;
        switch (w & 0x7f) {
            case LUI:
                return (long) (w & 0xfffff000);
            case AUIPC:
                return pc + (long) (w & 0xfffff000);
            case OP_IMM:
                return opImm(f3, a, imm);
            case OP_IMM_32:
                return opImm32(f3, f7, a, imm);
            case OP:
                return f7 == 1 ? mul(f3, a, b) : op(f3, f7, a, b);
            case OP_32:
                return f7 == 1 ? mul32(f3, a, b) : op32(f3, f7, a, b);
            default:
                throw new IllegalArgumentException("not covered");
        }
    }

    private static long opImm(int f3, long a, long imm) {
        int sh = (int) (imm & 63);
        switch (f3) {
            case 0: return a + imm;
            case 1: return a << sh;
            case 2: return a < imm ? 1 : 0;
            case 3: return Long.compareUnsigned(a, imm) < 0 ? 1 : 0;
            case 4: return a ^ imm;
            case 5: return (imm & 0x400) != 0 ? a >> sh : a >>> sh;
            case 6: return a | imm;
            default: return a & imm;
        }
    }

    private static long opImm32(int f3, int f7, long a, long imm) {
        int x = (int) a;
        int sh = (int) (imm & 31);
        switch (f3) {
            case 0: return (long) (x + (int) imm);
            case 1: return (long) (x << sh);
            default: return f7 == 0x20 ? (long) (x >> sh) : (long) (x >>> sh);
        }
    }

    private static long op(int f3, int f7, long a, long b) {
        int sh = (int) (b & 63);
        switch (f3) {
            case 0: return f7 == 0x20 ? a - b : a + b;
            case 1: return a << sh;
            case 2: return a < b ? 1 : 0;
            case 3: return Long.compareUnsigned(a, b) < 0 ? 1 : 0;
            case 4: return a ^ b;
            case 5: return f7 == 0x20 ? a >> sh : a >>> sh;
            case 6: return a | b;
            default: return a & b;
        }
    }

    private static long op32(int f3, int f7, long a, long b) {
        int x = (int) a;
        int y = (int) b;
        int sh = y & 31;
        switch (f3) {
            case 0: return f7 == 0x20 ? (long) (x - y) : (long) (x + y);
            case 1: return (long) (x << sh);
            default: return f7 == 0x20 ? (long) (x >> sh) : (long) (x >>> sh);
        }
    }

    private static long mul(int f3, long a, long b) {
        switch (f3) {
            case 0: return a * b;
            case 1: return Math.multiplyHigh(a, b);
            case 2: return mulhsu(a, b);
            case 3: return mulhu(a, b);
            case 4: return b == 0 ? -1 : (a == Long.MIN_VALUE && b == -1) ? a : a / b;
            case 5: return b == 0 ? -1 : Long.divideUnsigned(a, b);
            case 6: return b == 0 ? a : (a == Long.MIN_VALUE && b == -1) ? 0 : a % b;
            default: return b == 0 ? a : Long.remainderUnsigned(a, b);
        }
    }

    /** High 64 bits of unsigned a * unsigned b, from 32-bit limbs (independent of the JDK's). */
    private static long mulhu(long a, long b) {
        long a0 = a & 0xffffffffL, a1 = a >>> 32, b0 = b & 0xffffffffL, b1 = b >>> 32;
        long p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
        long mid = (p00 >>> 32) + (p01 & 0xffffffffL) + (p10 & 0xffffffffL);
        return p11 + (p01 >>> 32) + (p10 >>> 32) + (mid >>> 32);
    }

    /** High 64 bits of signed a * unsigned b. */
    private static long mulhsu(long a, long b) {
        long hi = mulhu(a, b);
        return a < 0 ? hi - b : hi;
    }

    private static long mul32(int f3, long a, long b) {
        int x = (int) a;
        int y = (int) b;
        switch (f3) {
            case 0: return (long) (x * y);
            case 4: return y == 0 ? -1 : (x == Integer.MIN_VALUE && y == -1) ? x : (long) (x / y);
            case 5: return y == 0 ? -1 : (long) Integer.divideUnsigned(x, y);
            case 6: return y == 0 ? x : (x == Integer.MIN_VALUE && y == -1) ? 0 : (long) (x % y);
            default: return y == 0 ? x : (long) Integer.remainderUnsigned(x, y);
        }
    }
}
