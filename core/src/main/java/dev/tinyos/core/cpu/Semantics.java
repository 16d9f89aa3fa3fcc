package dev.tinyos.core.cpu;

/**
 * What each instruction of RV64IM that the engines execute inline computes, defined once: one
 * tiny static method per op, named after the op as the RISC-V spec (and {@link Op}) names it
 * ({@code add}, {@code addiw}, {@code sraw}, {@code mulhsu}, {@code bltu}, {@code lhu} ...).
 * Every engine is derived from these methods: {@code Interpreter.loop} calls them in its
 * {@code case}s (the instrumented path is that loop), its slow path of loads calls them through
 * {@link #loadResult}, and {@link RegionCompiler} emits an {@code INVOKESTATIC} of the same
 * method for each compiled op (it finds the method by the op's name, by reflection). HotSpot
 * inlines them (each is a few bytecodes), so the engines pay nothing for the call.
 *
 * <p>Conventions: register operands and results are the 64-bit register values ({@code long});
 * an immediate is the decoded, sign-extended immediate ({@code long}; shift amounts are the
 * shamt). A W op computes on the low 32 bits and sign-extends its 32-bit result, as the spec
 * says; the int result of a Java int expression widens to long by sign extension. Shifts use
 * the low 6 (RV64) or 5 (W forms) bits of their amount, which is what Java's shift operators
 * do. Branch conditions are boolean methods (true: taken). Loads take the bits read from
 * memory in the Java type of their width and return what is written to rd; stores return the
 * low bits of rs2 that are written to memory.
 *
 * <p>Invariant: no method has side effects or allocates, and none is written a second time
 * anywhere: {@code SemanticsOnceTest} fails if a compiled region restates one as bytecode. Out
 * of line ops (system, CSR, LR/SC) are defined in {@link RareOps}; the value each AMO stores is
 * defined here; how an instruction is decoded in {@link Decoder}.
 */
final class Semantics {
    private Semantics() {}

    /**
     * Runs each method {@link #WARM_UP} times when the class is initialized. HotSpot's C2 inlines
     * a callee of more than 6 bytecode bytes (MaxTrivialSize) only if it has run at least
     * MinInliningThreshold (250) times or has been compiled; the engines call these methods
     * from code that HotSpot compiles early (the loop, the regions), so a rarely used op (or
     * JALR, before the loop was compiled) would otherwise stay a real call inside
     * {@code Interpreter.loop}, which costs the hot path its registers. Measured: a few
     * milliseconds, once per JVM.
     */
    static final int WARM_UP = 300;
    /** The warm-up's result (read by nothing: it keeps the calls from being optimized away). */
    static long warmedUp;

    static {
        long s = 0;
        for (int i = 1; i <= WARM_UP; i++) {
            long a = i * 0x9E37_79B9_7F4A_7C15L, b = i - 500;
            s += li(a) + auipc(a, b) + jalrTarget(a, b) + effectiveAddress(a, b);
            s += (beq(a, b) ? 1 : 0) + (bne(a, b) ? 2 : 0) + (blt(a, b) ? 3 : 0) + (bge(a, b) ? 4 : 0)
                    + (bltu(a, b) ? 5 : 0) + (bgeu(a, b) ? 6 : 0);
            s += lb((byte) a) + lh((short) a) + lw((int) a) + ld(a) + lbu((byte) a) + lhu((short) a) + lwu((int) a)
                    + loadResult(Op.LB + i % 7, a);
            s += sb(a) + sh(a) + sw(a) + sd(a);
            s += addi(a, b) + slti(a, b) + sltiu(a, b) + xori(a, b) + ori(a, b) + andi(a, b)
                    + slli(a, i) + srli(a, i) + srai(a, i);
            s += add(a, b) + sub(a, b) + sll(a, b) + slt(a, b) + sltu(a, b) + xor(a, b) + srl(a, b) + sra(a, b)
                    + or(a, b) + and(a, b);
            s += addiw(a, b) + slliw(a, i) + srliw(a, i) + sraiw(a, i) + addw(a, b) + subw(a, b)
                    + sllw(a, b) + srlw(a, b) + sraw(a, b);
            s += mul(a, b) + mulh(a, b) + mulhsu(a, b) + mulhu(a, b) + div(a, b) + divu(a, b) + rem(a, b) + remu(a, b)
                    + mulw(a, b) + divw(a, b) + divuw(a, b) + remw(a, b) + remuw(a, b);
            for (int op = Op.AMOSWAP_W; op <= Op.AMOMAXU_D; op++) {
                if (op != Op.LR_D && op != Op.SC_D) s += amo(op, a, b);
            }
        }
        warmedUp = s;
    }

    // ---- LUI, AUIPC (the decoder has formed the 64-bit immediate: imm[31:12] << 12, sign-extended)

    /** LI: LUI, and the forms that load an immediate (ADDI rd, x0, imm; C.LI; C.LUI). */
    static long li(long imm) { return imm; }
    /** AUIPC: the address of the instruction plus the upper immediate. */
    static long auipc(long pc, long imm) { return pc + imm; }

    // ---- jumps and branches

    /** JALR's target: rs1 + imm with the least-significant bit cleared. */
    static long jalrTarget(long rs1, long imm) { return (rs1 + imm) & ~1L; }

    static boolean beq(long rs1, long rs2) { return rs1 == rs2; }
    static boolean bne(long rs1, long rs2) { return rs1 != rs2; }
    static boolean blt(long rs1, long rs2) { return rs1 < rs2; }
    static boolean bge(long rs1, long rs2) { return rs1 >= rs2; }
    static boolean bltu(long rs1, long rs2) { return Long.compareUnsigned(rs1, rs2) < 0; }
    static boolean bgeu(long rs1, long rs2) { return Long.compareUnsigned(rs1, rs2) >= 0; }

    // ---- loads and stores

    /** The effective address of a load or store: rs1 + the sign-extended offset. */
    static long effectiveAddress(long rs1, long imm) { return rs1 + imm; }

    static long lb(byte m) { return m; }
    static long lh(short m) { return m; }
    static long lw(int m) { return m; }
    static long ld(long m) { return m; }
    static long lbu(byte m) { return m & 0xFFL; }
    static long lhu(short m) { return m & 0xFFFFL; }
    static long lwu(int m) { return m & 0xFFFF_FFFFL; }

    /**
     * What load {@code op} ({@link Op#LB}..{@link Op#LWU}) writes to rd, given the
     * {@code bits} it read (zero-extended): the slow path's form of {@link #lb} .. {@link #lwu}.
     */
    static long loadResult(int op, long bits) {
        switch (op) {
            case Op.LB: return lb((byte) bits);
            case Op.LH: return lh((short) bits);
            case Op.LW: return lw((int) bits);
            case Op.LD: return ld(bits);
            case Op.LBU: return lbu((byte) bits);
            case Op.LHU: return lhu((short) bits);
            case Op.LWU: return lwu((int) bits);
            default: throw new IllegalArgumentException("not a load: " + op);
        }
    }

    static byte sb(long rs2) { return (byte) rs2; }
    static short sh(long rs2) { return (short) rs2; }
    static int sw(long rs2) { return (int) rs2; }
    static long sd(long rs2) { return rs2; }

    // ---- RV64I register-immediate

    static long addi(long rs1, long imm) { return rs1 + imm; }
    static long slti(long rs1, long imm) { return rs1 < imm ? 1 : 0; }
    static long sltiu(long rs1, long imm) { return Long.compareUnsigned(rs1, imm) < 0 ? 1 : 0; }
    static long xori(long rs1, long imm) { return rs1 ^ imm; }
    static long ori(long rs1, long imm) { return rs1 | imm; }
    static long andi(long rs1, long imm) { return rs1 & imm; }
    static long slli(long rs1, long shamt) { return rs1 << shamt; }
    static long srli(long rs1, long shamt) { return rs1 >>> shamt; }
    static long srai(long rs1, long shamt) { return rs1 >> shamt; }

    // ---- RV64I register-register

    static long add(long rs1, long rs2) { return rs1 + rs2; }
    static long sub(long rs1, long rs2) { return rs1 - rs2; }
    static long sll(long rs1, long rs2) { return rs1 << rs2; }
    static long slt(long rs1, long rs2) { return rs1 < rs2 ? 1 : 0; }
    static long sltu(long rs1, long rs2) { return Long.compareUnsigned(rs1, rs2) < 0 ? 1 : 0; }
    static long xor(long rs1, long rs2) { return rs1 ^ rs2; }
    static long srl(long rs1, long rs2) { return rs1 >>> rs2; }
    static long sra(long rs1, long rs2) { return rs1 >> rs2; }
    static long or(long rs1, long rs2) { return rs1 | rs2; }
    static long and(long rs1, long rs2) { return rs1 & rs2; }

    // ---- RV64I word ops (32-bit result, sign-extended)

    static long addiw(long rs1, long imm) { return (int) (rs1 + imm); }
    static long slliw(long rs1, long shamt) { return (int) rs1 << shamt; }
    static long srliw(long rs1, long shamt) { return (int) rs1 >>> shamt; }
    static long sraiw(long rs1, long shamt) { return (int) rs1 >> shamt; }
    static long addw(long rs1, long rs2) { return (int) (rs1 + rs2); }
    static long subw(long rs1, long rs2) { return (int) (rs1 - rs2); }
    static long sllw(long rs1, long rs2) { return (int) rs1 << (int) rs2; }
    static long srlw(long rs1, long rs2) { return (int) rs1 >>> (int) rs2; }
    static long sraw(long rs1, long rs2) { return (int) rs1 >> (int) rs2; }

    // ---- M extension (division by zero: quotient all ones, remainder the dividend; the
    // signed overflow MIN / -1 gives MIN and remainder 0, which is what Java computes)

    static long mul(long rs1, long rs2) { return rs1 * rs2; }
    static long mulh(long rs1, long rs2) { return Math.multiplyHigh(rs1, rs2); }
    static long mulhsu(long rs1, long rs2) { return Math.multiplyHigh(rs1, rs2) + ((rs2 >> 63) & rs1); }
    static long mulhu(long rs1, long rs2) { return Math.multiplyHigh(rs1, rs2) + ((rs1 >> 63) & rs2) + ((rs2 >> 63) & rs1); }
    static long div(long rs1, long rs2) { return rs2 == 0 ? -1 : rs1 / rs2; }
    static long divu(long rs1, long rs2) { return rs2 == 0 ? -1 : Long.divideUnsigned(rs1, rs2); }
    static long rem(long rs1, long rs2) { return rs2 == 0 ? rs1 : rs1 % rs2; }
    static long remu(long rs1, long rs2) { return rs2 == 0 ? rs1 : Long.remainderUnsigned(rs1, rs2); }
    static long mulw(long rs1, long rs2) { return (int) rs1 * (int) rs2; }
    static long divw(long rs1, long rs2) { int b = (int) rs2; return b == 0 ? -1 : (int) rs1 / b; }
    static long divuw(long rs1, long rs2) { int b = (int) rs2; return b == 0 ? -1 : Integer.divideUnsigned((int) rs1, b); }
    static long remw(long rs1, long rs2) { int b = (int) rs2; return b == 0 ? (int) rs1 : (int) rs1 % b; }
    static long remuw(long rs1, long rs2) { int b = (int) rs2; return b == 0 ? (int) rs1 : Integer.remainderUnsigned((int) rs1, b); }

    // ---- A extension: the value an AMO writes to memory, from the old value (as loaded: lw or
    // ld) and rs2. A .W op computes on sign-extended 32-bit operands (sign extension keeps the
    // unsigned order of 32-bit values, so minu/maxu too agree with the 32-bit op in the low word,
    // which sw stores); the loaded old value is what rd receives

    static long amoswap_d(long old, long rs2) { return rs2; }
    static long amoadd_d(long old, long rs2) { return old + rs2; }
    static long amoxor_d(long old, long rs2) { return old ^ rs2; }
    static long amoand_d(long old, long rs2) { return old & rs2; }
    static long amoor_d(long old, long rs2) { return old | rs2; }
    static long amomin_d(long old, long rs2) { return Math.min(old, rs2); }
    static long amomax_d(long old, long rs2) { return Math.max(old, rs2); }
    static long amominu_d(long old, long rs2) { return Long.compareUnsigned(old, rs2) <= 0 ? old : rs2; }
    static long amomaxu_d(long old, long rs2) { return Long.compareUnsigned(old, rs2) >= 0 ? old : rs2; }
    static long amoswap_w(long old, long rs2) { return amoswap_d((int) old, (int) rs2); }
    static long amoadd_w(long old, long rs2) { return amoadd_d((int) old, (int) rs2); }
    static long amoxor_w(long old, long rs2) { return amoxor_d((int) old, (int) rs2); }
    static long amoand_w(long old, long rs2) { return amoand_d((int) old, (int) rs2); }
    static long amoor_w(long old, long rs2) { return amoor_d((int) old, (int) rs2); }
    static long amomin_w(long old, long rs2) { return amomin_d((int) old, (int) rs2); }
    static long amomax_w(long old, long rs2) { return amomax_d((int) old, (int) rs2); }
    static long amominu_w(long old, long rs2) { return amominu_d((int) old, (int) rs2); }
    static long amomaxu_w(long old, long rs2) { return amomaxu_d((int) old, (int) rs2); }

    /** The value AMO {@code op} ({@link Op#AMOSWAP_W}..{@link Op#AMOMAXU_D}, not LR/SC) writes: the out-of-line path's form. */
    static long amo(int op, long old, long rs2) {
        switch (op) {
            case Op.AMOSWAP_W: return amoswap_w(old, rs2);
            case Op.AMOADD_W: return amoadd_w(old, rs2);
            case Op.AMOXOR_W: return amoxor_w(old, rs2);
            case Op.AMOAND_W: return amoand_w(old, rs2);
            case Op.AMOOR_W: return amoor_w(old, rs2);
            case Op.AMOMIN_W: return amomin_w(old, rs2);
            case Op.AMOMAX_W: return amomax_w(old, rs2);
            case Op.AMOMINU_W: return amominu_w(old, rs2);
            case Op.AMOMAXU_W: return amomaxu_w(old, rs2);
            case Op.AMOSWAP_D: return amoswap_d(old, rs2);
            case Op.AMOADD_D: return amoadd_d(old, rs2);
            case Op.AMOXOR_D: return amoxor_d(old, rs2);
            case Op.AMOAND_D: return amoand_d(old, rs2);
            case Op.AMOOR_D: return amoor_d(old, rs2);
            case Op.AMOMIN_D: return amomin_d(old, rs2);
            case Op.AMOMAX_D: return amomax_d(old, rs2);
            case Op.AMOMINU_D: return amominu_d(old, rs2);
            case Op.AMOMAXU_D: return amomaxu_d(old, rs2);
            default: throw new IllegalArgumentException("not an AMO: " + op);
        }
    }
}
