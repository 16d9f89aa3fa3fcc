package dev.tinyos.core.cpu;

/**
 * The packed form of one decoded instruction, as the {@link Decoder} writes it and the
 * interpreter's block cache stores it: a long whose low int is the <em>pack</em> and whose high
 * int is the immediate (sign-extended on reading).
 *
 * <pre>
 *  63                32 31      26 25  23 22  18 17  13 12   8 7      0
 * +--------------------+----------+------+------+------+------+--------+
 * |        imm         |    at    | len  | rs2  | rs1  |  rd  |   op   |
 * +--------------------+----------+------+------+------+------+--------+
 * </pre>
 *
 * <ul>
 * <li>{@code op}: an {@link Op} number;</li>
 * <li>{@code rd}, {@code rs1}, {@code rs2}: register numbers (the spec's names);</li>
 * <li>{@code len}: the instruction's length in bytes (2 or 4; 0 for {@link Op#ILLEGAL}, whose
 *     imm carries the instruction bits);</li>
 * <li>{@code at}: the instruction's offset from the start of its block in halfwords (set by
 *     the block cache, 0 in the Decoder's output);</li>
 * <li>{@code imm}: the immediate, exact as an int for every op the hot loop executes inline
 *     (BlockCacheTest checks it); the block cache keeps the full 64-bit immediate beside it
 *     for the others.</li>
 * </ul>
 *
 * <p>Invariant: each field is read and written only through this class, so the layout is
 * stated here and nowhere else. The accessors are tiny static methods that HotSpot inlines.
 */
final class Packed {
    private Packed() {}

    static final int OP_MASK = 0xFF;
    static final int RD_SHIFT = 8, RS1_SHIFT = 13, RS2_SHIFT = 18, LEN_SHIFT = 23, AT_SHIFT = 26;
    static final int REG_MASK = 31, LEN_MASK = 7;

    /** A pack with {@code at} 0. */
    static int pack(int op, int rd, int rs1, int rs2, int len) {
        return op | rd << RD_SHIFT | rs1 << RS1_SHIFT | rs2 << RS2_SHIFT | len << LEN_SHIFT;
    }

    /** The entry of a block cache: imm in the high int, the pack in the low int. */
    static long entry(int pack, long imm) {
        return imm << 32 | (pack & 0xFFFF_FFFFL);
    }

    static int op(int p) {
        return p & OP_MASK;
    }

    static int rd(int p) {
        return (p >>> RD_SHIFT) & REG_MASK;
    }

    static int rs1(int p) {
        return (p >>> RS1_SHIFT) & REG_MASK;
    }

    static int rs2(int p) {
        return (p >>> RS2_SHIFT) & REG_MASK;
    }

    /** Length in bytes: the distance from this instruction to the next. */
    static int len(int p) {
        return (p >>> LEN_SHIFT) & LEN_MASK;
    }

    /** Byte offset of the instruction from the start of its block. */
    static int at(int p) {
        return (p >>> (AT_SHIFT - 1)) & 0x7E;
    }

    /** The immediate of a block-cache entry (exact for the ops the hot loop runs inline). */
    static long imm(long entry) {
        return entry >> 32;
    }

    /** {@code p} with its op replaced. */
    static int withOp(int p, int op) {
        return (p & ~OP_MASK) | op;
    }

    /** {@code p} with its rs2 field replaced (LOAD_X0 keeps its access size there). */
    static int withRs2(int p, int rs2) {
        return (p & ~(REG_MASK << RS2_SHIFT)) | rs2 << RS2_SHIFT;
    }

    /** {@code p} placed at byte offset {@code byteOffset} (even, below 128) of its block. */
    static int withAt(int p, int byteOffset) {
        return p | (byteOffset >>> 1) << AT_SHIFT;
    }
}
