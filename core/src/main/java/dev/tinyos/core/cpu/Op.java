package dev.tinyos.core.cpu;

/**
 * The dense opcode numbers of decoded instructions. Every compressed instruction is decoded
 * to the base instruction it expands to (with length 2), so the executor knows only these.
 *
 * <p>Invariant: values are 0..{@link #COUNT}-1 and {@link #ILLEGAL} is 0, so a zeroed decode
 * cache entry means "illegal instruction with tval 0", which is exactly the all-zero word.
 */
final class Op {
    private Op() {}

    static final int ILLEGAL = 0, NOP = 1, LI = 2, AUIPC = 3, JAL = 4, JALR = 5,
            BEQ = 6, BNE = 7, BLT = 8, BGE = 9, BLTU = 10, BGEU = 11,
            LB = 12, LH = 13, LW = 14, LD = 15, LBU = 16, LHU = 17, LWU = 18,
            SB = 19, SH = 20, SW = 21, SD = 22,
            ADDI = 23, SLTI = 24, SLTIU = 25, XORI = 26, ORI = 27, ANDI = 28,
            SLLI = 29, SRLI = 30, SRAI = 31,
            ADD = 32, SUB = 33, SLL = 34, SLT = 35, SLTU = 36, XOR = 37, SRL = 38, SRA = 39,
            OR = 40, AND = 41,
            ADDIW = 42, SLLIW = 43, SRLIW = 44, SRAIW = 45,
            ADDW = 46, SUBW = 47, SLLW = 48, SRLW = 49, SRAW = 50,
            MUL = 51, MULH = 52, MULHSU = 53, MULHU = 54, DIV = 55, DIVU = 56, REM = 57, REMU = 58,
            MULW = 59, DIVW = 60, DIVUW = 61, REMW = 62, REMUW = 63,
            MV = 64,
            // everything from here on is executed out of line (RareOps.exec)
            FIRST_RARE = 65,
            FENCE = 65, FENCE_I = 66, ECALL = 67, EBREAK = 68, MRET = 69, SRET = 70, WFI = 71,
            SFENCE_VMA = 72,
            CSRRW = 73, CSRRS = 74, CSRRC = 75, CSRRWI = 76, CSRRSI = 77, CSRRCI = 78,
            LR_W = 79, SC_W = 80, AMOSWAP_W = 81, AMOADD_W = 82, AMOXOR_W = 83, AMOAND_W = 84,
            AMOOR_W = 85, AMOMIN_W = 86, AMOMAX_W = 87, AMOMINU_W = 88, AMOMAXU_W = 89,
            LR_D = 90, SC_D = 91, AMOSWAP_D = 92, AMOADD_D = 93, AMOXOR_D = 94, AMOAND_D = 95,
            AMOOR_D = 96, AMOMIN_D = 97, AMOMAX_D = 98, AMOMINU_D = 99, AMOMAXU_D = 100,
            // forms the hart derives when it caches a block (the Decoder never produces them):
            // J and JR are JAL and JALR with rd = x0 (executed inline); LOAD_X0 is a load into
            // x0 (out of line, access size in the rs2 field)
            J = 101, JR = 102, LOAD_X0 = 103,
            COUNT = 104;

    /** Access size in bytes of LB, LH, LW, LD, LBU, LHU, LWU, SB, SH, SW, SD (in Op order). */
    private static final int[] ACCESS_SIZE = {1, 2, 4, 8, 1, 2, 4, 1, 2, 4, 8};

    /** True if {@code op} is executed out of line, by {@code RareOps.exec} (it ends its block). */
    static boolean outOfLine(int op) {
        return op >= FIRST_RARE && op != J && op != JR;
    }

    /** Bytes a load ({@link #LB}..{@link #LWU}) or store ({@link #SB}..{@link #SD}) accesses. */
    static int accessSize(int op) {
        return ACCESS_SIZE[op - LB];
    }
}
