package dev.tinyos.core.cpu;

/**
 * A test-only RV64 instruction encoder: each method returns the 32-bit (or 16-bit) word.
 *
 * <p>Invariant: encodings follow the unprivileged spec's base formats (R/I/S/B/U/J) exactly;
 * no validation of ranges (tests may build illegal words on purpose).
 */
final class Asm {
    private Asm() {}

    static int r(int funct7, int rs2, int rs1, int funct3, int rd, int opcode) {
        return funct7 << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode;
    }

    static int i(int imm, int rs1, int funct3, int rd, int opcode) {
        return (imm & 0xFFF) << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode;
    }

    static int s(int imm, int rs2, int rs1, int funct3, int opcode) {
        return ((imm >> 5) & 0x7F) << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12 | (imm & 31) << 7 | opcode;
    }

    static int b(int imm, int rs2, int rs1, int funct3) {
        return ((imm >> 12) & 1) << 31 | ((imm >> 5) & 0x3F) << 25 | rs2 << 20 | rs1 << 15 | funct3 << 12
                | ((imm >> 1) & 0xF) << 8 | ((imm >> 11) & 1) << 7 | 0x63;
    }

    static int u(int imm, int rd, int opcode) {
        return (imm & 0xFFFFF000) | rd << 7 | opcode;
    }

    static int j(int imm, int rd) {
        return ((imm >> 20) & 1) << 31 | ((imm >> 1) & 0x3FF) << 21 | ((imm >> 11) & 1) << 20
                | ((imm >> 12) & 0xFF) << 12 | rd << 7 | 0x6F;
    }

    // RV64I
    static int lui(int rd, int imm) { return u(imm, rd, 0x37); }
    static int auipc(int rd, int imm) { return u(imm, rd, 0x17); }
    static int jal(int rd, int off) { return j(off, rd); }
    static int jalr(int rd, int rs1, int imm) { return i(imm, rs1, 0, rd, 0x67); }
    static int beq(int rs1, int rs2, int off) { return b(off, rs2, rs1, 0); }
    static int bne(int rs1, int rs2, int off) { return b(off, rs2, rs1, 1); }
    static int blt(int rs1, int rs2, int off) { return b(off, rs2, rs1, 4); }
    static int bge(int rs1, int rs2, int off) { return b(off, rs2, rs1, 5); }
    static int bltu(int rs1, int rs2, int off) { return b(off, rs2, rs1, 6); }
    static int bgeu(int rs1, int rs2, int off) { return b(off, rs2, rs1, 7); }
    static int lb(int rd, int rs1, int imm) { return i(imm, rs1, 0, rd, 0x03); }
    static int lh(int rd, int rs1, int imm) { return i(imm, rs1, 1, rd, 0x03); }
    static int lw(int rd, int rs1, int imm) { return i(imm, rs1, 2, rd, 0x03); }
    static int ld(int rd, int rs1, int imm) { return i(imm, rs1, 3, rd, 0x03); }
    static int lbu(int rd, int rs1, int imm) { return i(imm, rs1, 4, rd, 0x03); }
    static int lhu(int rd, int rs1, int imm) { return i(imm, rs1, 5, rd, 0x03); }
    static int lwu(int rd, int rs1, int imm) { return i(imm, rs1, 6, rd, 0x03); }
    static int sb(int rs2, int rs1, int imm) { return s(imm, rs2, rs1, 0, 0x23); }
    static int sh(int rs2, int rs1, int imm) { return s(imm, rs2, rs1, 1, 0x23); }
    static int sw(int rs2, int rs1, int imm) { return s(imm, rs2, rs1, 2, 0x23); }
    static int sd(int rs2, int rs1, int imm) { return s(imm, rs2, rs1, 3, 0x23); }
    static int addi(int rd, int rs1, int imm) { return i(imm, rs1, 0, rd, 0x13); }
    static int slti(int rd, int rs1, int imm) { return i(imm, rs1, 2, rd, 0x13); }
    static int sltiu(int rd, int rs1, int imm) { return i(imm, rs1, 3, rd, 0x13); }
    static int xori(int rd, int rs1, int imm) { return i(imm, rs1, 4, rd, 0x13); }
    static int ori(int rd, int rs1, int imm) { return i(imm, rs1, 6, rd, 0x13); }
    static int andi(int rd, int rs1, int imm) { return i(imm, rs1, 7, rd, 0x13); }
    static int slli(int rd, int rs1, int sh) { return i(sh, rs1, 1, rd, 0x13); }
    static int srli(int rd, int rs1, int sh) { return i(sh, rs1, 5, rd, 0x13); }
    static int srai(int rd, int rs1, int sh) { return i(0x400 | sh, rs1, 5, rd, 0x13); }
    static int add(int rd, int rs1, int rs2) { return r(0, rs2, rs1, 0, rd, 0x33); }
    static int sub(int rd, int rs1, int rs2) { return r(0x20, rs2, rs1, 0, rd, 0x33); }
    static int sll(int rd, int rs1, int rs2) { return r(0, rs2, rs1, 1, rd, 0x33); }
    static int slt(int rd, int rs1, int rs2) { return r(0, rs2, rs1, 2, rd, 0x33); }
    static int sltu(int rd, int rs1, int rs2) { return r(0, rs2, rs1, 3, rd, 0x33); }
    static int xor(int rd, int rs1, int rs2) { return r(0, rs2, rs1, 4, rd, 0x33); }
    static int srl(int rd, int rs1, int rs2) { return r(0, rs2, rs1, 5, rd, 0x33); }
    static int sra(int rd, int rs1, int rs2) { return r(0x20, rs2, rs1, 5, rd, 0x33); }
    static int or(int rd, int rs1, int rs2) { return r(0, rs2, rs1, 6, rd, 0x33); }
    static int and(int rd, int rs1, int rs2) { return r(0, rs2, rs1, 7, rd, 0x33); }
    static int addiw(int rd, int rs1, int imm) { return i(imm, rs1, 0, rd, 0x1B); }
    static int slliw(int rd, int rs1, int sh) { return i(sh, rs1, 1, rd, 0x1B); }
    static int srliw(int rd, int rs1, int sh) { return i(sh, rs1, 5, rd, 0x1B); }
    static int sraiw(int rd, int rs1, int sh) { return i(0x400 | sh, rs1, 5, rd, 0x1B); }
    static int addw(int rd, int rs1, int rs2) { return r(0, rs2, rs1, 0, rd, 0x3B); }
    static int subw(int rd, int rs1, int rs2) { return r(0x20, rs2, rs1, 0, rd, 0x3B); }
    static int sllw(int rd, int rs1, int rs2) { return r(0, rs2, rs1, 1, rd, 0x3B); }
    static int srlw(int rd, int rs1, int rs2) { return r(0, rs2, rs1, 5, rd, 0x3B); }
    static int sraw(int rd, int rs1, int rs2) { return r(0x20, rs2, rs1, 5, rd, 0x3B); }
    // M: funct3 0..7 = mul mulh mulhsu mulhu div divu rem remu
    static int muldiv(int funct3, int rd, int rs1, int rs2) { return r(1, rs2, rs1, funct3, rd, 0x33); }
    static int muldivw(int funct3, int rd, int rs1, int rs2) { return r(1, rs2, rs1, funct3, rd, 0x3B); }
    // A: funct5, width funct3 2 (W) or 3 (D)
    static int amo(int funct5, int funct3, int rd, int rs1, int rs2) { return r(funct5 << 2, rs2, rs1, funct3, rd, 0x2F); }
    static int lrw(int rd, int rs1) { return amo(2, 2, rd, rs1, 0); }
    static int lrd(int rd, int rs1) { return amo(2, 3, rd, rs1, 0); }
    static int scw(int rd, int rs1, int rs2) { return amo(3, 2, rd, rs1, rs2); }
    static int scd(int rd, int rs1, int rs2) { return amo(3, 3, rd, rs1, rs2); }
    // system
    static final int ECALL = 0x00000073, EBREAK = 0x00100073, MRET = 0x30200073, SRET = 0x10200073,
            WFI = 0x10500073, FENCE = 0x0FF0000F, FENCE_I = 0x0000100F;
    static int sfenceVma(int rs1, int rs2) { return r(0x09, rs2, rs1, 0, 0, 0x73); }
    static int csrrw(int rd, int csr, int rs1) { return i(csr, rs1, 1, rd, 0x73); }
    static int csrrs(int rd, int csr, int rs1) { return i(csr, rs1, 2, rd, 0x73); }
    static int csrrc(int rd, int csr, int rs1) { return i(csr, rs1, 3, rd, 0x73); }
    static int csrrwi(int rd, int csr, int uimm) { return i(csr, uimm, 5, rd, 0x73); }
    static int csrrsi(int rd, int csr, int uimm) { return i(csr, uimm, 6, rd, 0x73); }
    static int csrrci(int rd, int csr, int uimm) { return i(csr, uimm, 7, rd, 0x73); }
}
