package dev.tinyos.core.cpu;

/**
 * The ALU ops compiled code calls rather than inlines (the M extension's longer ones): static
 * methods of two longs, one per op, named after the op.
 *
 * <p>Invariant: each computes exactly what its {@code case} in {@code Interpreter.loop}
 * computes (division by zero: quotient all ones, remainder the dividend).
 */
final class CompiledOps {
    private CompiledOps() {}

    /** The method name of {@code op}. */
    static String name(int op) {
        switch (op) {
            case Op.MULHSU: return "mulhsu";
            case Op.MULHU: return "mulhu";
            case Op.DIV: return "div";
            case Op.DIVU: return "divu";
            case Op.REM: return "rem";
            case Op.REMU: return "remu";
            case Op.DIVW: return "divw";
            case Op.DIVUW: return "divuw";
            case Op.REMW: return "remw";
            case Op.REMUW: return "remuw";
            default: throw new IllegalArgumentException("no helper for op " + op);
        }
    }

    static long mulhsu(long a, long b) { return Math.multiplyHigh(a, b) + ((b >> 63) & a); }
    static long mulhu(long a, long b) { return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a); }
    static long div(long a, long b) { return b == 0 ? -1 : a / b; }
    static long divu(long a, long b) { return b == 0 ? -1 : Long.divideUnsigned(a, b); }
    static long rem(long a, long b) { return b == 0 ? a : a % b; }
    static long remu(long a, long b) { return b == 0 ? a : Long.remainderUnsigned(a, b); }
    static long divw(long a, long b) { int d = (int) b; return d == 0 ? -1 : (int) a / d; }
    static long divuw(long a, long b) { int d = (int) b; return d == 0 ? -1 : Integer.divideUnsigned((int) a, d); }
    static long remw(long a, long b) { int d = (int) b; return d == 0 ? (int) a : (int) a % d; }
    static long remuw(long a, long b) { int d = (int) b; return d == 0 ? (int) a : Integer.remainderUnsigned((int) a, d); }
}
