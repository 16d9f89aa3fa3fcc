package dev.tinyos.core.cpu;

/**
 * Decodes one RV64IMAC + Zicsr + Zifencei instruction into the packed form the executor
 * runs: an int {@code pack} (op, rd, rs1, rs2, length: the layout of {@link Packed}) and a long
 * immediate. Compressed instructions expand to their base op with length 2.
 *
 * <p>Invariant: decoding is a pure function of the instruction bits (never of the address),
 * so a cache entry stays valid wherever the same bits appear. Every unknown or reserved
 * encoding decodes to {@link Op#ILLEGAL} with the value for mtval in the immediate: the
 * 16-bit parcel for compressed encodings, the 32-bit word otherwise. Pure ALU writes to x0
 * (hints) decode to {@link Op#NOP}. Never throws.
 */
final class Decoder {
    private Decoder() {}

    /** Packs the fields ({@link Packed#pack}). */
    static int pack(int op, int rd, int rs1, int rs2, int len) {
        return Packed.pack(op, rd, rs1, rs2, len);
    }

    /** Decodes {@code word} (low 16 bits only if compressed) into {@code pack[slot]}, {@code imm[slot]}. */
    static void decode(int word, int slot, int[] packs, long[] imms) {
        if ((word & 3) == 3) {
            decode32(word, slot, packs, imms);
        } else {
            decode16(word & 0xFFFF, slot, packs, imms);
        }
    }

    private static void set(int[] packs, long[] imms, int slot, int pack, long imm) {
        packs[slot] = pack;
        imms[slot] = imm;
    }

    private static void illegal32(int word, int slot, int[] packs, long[] imms) {
        set(packs, imms, slot, Op.ILLEGAL, word & 0xFFFF_FFFFL);
    }

    // ---------------------------------------------------------------- 32-bit encodings

    private static void decode32(int w, int slot, int[] packs, long[] imms) {
        int opcode = w & 0x7F;
        int rd = (w >>> 7) & 31;
        int funct3 = (w >>> 12) & 7;
        int rs1 = (w >>> 15) & 31;
        int rs2 = (w >>> 20) & 31;
        int funct7 = w >>> 25;
        long immI = w >> 20;
        switch (opcode) {
            case 0x37: // LUI
                set(packs, imms, slot, alu(Op.LI, rd, 0, 0, 4), (long) (w & 0xFFFFF000));
                return;
            case 0x17: // AUIPC
                set(packs, imms, slot, alu(Op.AUIPC, rd, 0, 0, 4), (long) (w & 0xFFFFF000));
                return;
            case 0x6F: // JAL
                set(packs, imms, slot, pack(Op.JAL, rd, 0, 0, 4), immJ(w));
                return;
            case 0x67: // JALR
                if (funct3 != 0) break;
                set(packs, imms, slot, pack(Op.JALR, rd, rs1, 0, 4), immI);
                return;
            case 0x63: { // branches
                int op;
                switch (funct3) {
                    case 0: op = Op.BEQ; break;
                    case 1: op = Op.BNE; break;
                    case 4: op = Op.BLT; break;
                    case 5: op = Op.BGE; break;
                    case 6: op = Op.BLTU; break;
                    case 7: op = Op.BGEU; break;
                    default: illegal32(w, slot, packs, imms); return;
                }
                set(packs, imms, slot, pack(op, 0, rs1, rs2, 4), immB(w));
                return;
            }
            case 0x03: { // loads
                int op;
                switch (funct3) {
                    case 0: op = Op.LB; break;
                    case 1: op = Op.LH; break;
                    case 2: op = Op.LW; break;
                    case 3: op = Op.LD; break;
                    case 4: op = Op.LBU; break;
                    case 5: op = Op.LHU; break;
                    case 6: op = Op.LWU; break;
                    default: illegal32(w, slot, packs, imms); return;
                }
                set(packs, imms, slot, pack(op, rd, rs1, 0, 4), immI);
                return;
            }
            case 0x23: { // stores
                if (funct3 > 3) break;
                int op = Op.SB + funct3;
                long immS = ((w >> 25) << 5) | ((w >>> 7) & 31);
                set(packs, imms, slot, pack(op, 0, rs1, rs2, 4), immS);
                return;
            }
            case 0x13: { // OP-IMM
                int op;
                switch (funct3) {
                    case 0: op = rs1 == 0 ? Op.LI : Op.ADDI; break;
                    case 2: op = Op.SLTI; break;
                    case 3: op = Op.SLTIU; break;
                    case 4: op = Op.XORI; break;
                    case 6: op = Op.ORI; break;
                    case 7: op = Op.ANDI; break;
                    case 1:
                        if ((w >>> 26) != 0) { illegal32(w, slot, packs, imms); return; }
                        set(packs, imms, slot, alu(Op.SLLI, rd, rs1, 0, 4), (w >>> 20) & 63);
                        return;
                    default: // 5
                        if ((w >>> 26) == 0) op = Op.SRLI;
                        else if ((w >>> 26) == 0x10) op = Op.SRAI;
                        else { illegal32(w, slot, packs, imms); return; }
                        set(packs, imms, slot, alu(op, rd, rs1, 0, 4), (w >>> 20) & 63);
                        return;
                }
                set(packs, imms, slot, alu(op, rd, rs1, 0, 4), immI);
                return;
            }
            case 0x1B: { // OP-IMM-32
                if (funct3 == 0) {
                    set(packs, imms, slot, alu(Op.ADDIW, rd, rs1, 0, 4), immI);
                    return;
                }
                int op;
                if (funct3 == 1 && funct7 == 0) op = Op.SLLIW;
                else if (funct3 == 5 && funct7 == 0) op = Op.SRLIW;
                else if (funct3 == 5 && funct7 == 0x20) op = Op.SRAIW;
                else break;
                set(packs, imms, slot, alu(op, rd, rs1, 0, 4), rs2);
                return;
            }
            case 0x33: { // OP
                int op = opReg(funct7, funct3);
                if (op < 0) break;
                set(packs, imms, slot, alu(op, rd, rs1, rs2, 4), 0);
                return;
            }
            case 0x3B: { // OP-32
                int op = opReg32(funct7, funct3);
                if (op < 0) break;
                set(packs, imms, slot, alu(op, rd, rs1, rs2, 4), 0);
                return;
            }
            case 0x0F: // MISC-MEM
                if (funct3 == 0) { set(packs, imms, slot, pack(Op.FENCE, 0, 0, 0, 4), 0); return; }
                if (funct3 == 1) { set(packs, imms, slot, pack(Op.FENCE_I, 0, 0, 0, 4), 0); return; }
                break;
            case 0x73:
                decodeSystem(w, slot, packs, imms);
                return;
            case 0x2F:
                decodeAmo(w, slot, packs, imms);
                return;
            default:
                break;
        }
        illegal32(w, slot, packs, imms);
    }

    /** ALU results written to x0 are hints: no architectural effect. */
    private static int alu(int op, int rd, int rs1, int rs2, int len) {
        return rd == 0 ? pack(Op.NOP, 0, 0, 0, len) : pack(op, rd, rs1, rs2, len);
    }

    private static int opReg(int funct7, int funct3) {
        if (funct7 == 0) {
            switch (funct3) {
                case 0: return Op.ADD;
                case 1: return Op.SLL;
                case 2: return Op.SLT;
                case 3: return Op.SLTU;
                case 4: return Op.XOR;
                case 5: return Op.SRL;
                case 6: return Op.OR;
                default: return Op.AND;
            }
        }
        if (funct7 == 0x20) {
            if (funct3 == 0) return Op.SUB;
            if (funct3 == 5) return Op.SRA;
            return -1;
        }
        if (funct7 == 1) return Op.MUL + funct3; // MUL MULH MULHSU MULHU DIV DIVU REM REMU
        return -1;
    }

    private static int opReg32(int funct7, int funct3) {
        if (funct7 == 0) {
            if (funct3 == 0) return Op.ADDW;
            if (funct3 == 1) return Op.SLLW;
            if (funct3 == 5) return Op.SRLW;
            return -1;
        }
        if (funct7 == 0x20) {
            if (funct3 == 0) return Op.SUBW;
            if (funct3 == 5) return Op.SRAW;
            return -1;
        }
        if (funct7 == 1) {
            switch (funct3) {
                case 0: return Op.MULW;
                case 4: return Op.DIVW;
                case 5: return Op.DIVUW;
                case 6: return Op.REMW;
                case 7: return Op.REMUW;
                default: return -1;
            }
        }
        return -1;
    }

    private static void decodeSystem(int w, int slot, int[] packs, long[] imms) {
        int rd = (w >>> 7) & 31;
        int funct3 = (w >>> 12) & 7;
        int rs1 = (w >>> 15) & 31;
        int rs2 = (w >>> 20) & 31;
        if (funct3 == 0) {
            int op;
            if (w == 0x00000073) op = Op.ECALL;
            else if (w == 0x00100073) op = Op.EBREAK;
            else if (w == 0x30200073) op = Op.MRET;
            else if (w == 0x10200073) op = Op.SRET;
            else if (w == 0x10500073) op = Op.WFI;
            else if ((w >>> 25) == 0x09 && rd == 0) op = Op.SFENCE_VMA;
            else { illegal32(w, slot, packs, imms); return; }
            boolean vma = op == Op.SFENCE_VMA;
            set(packs, imms, slot, pack(op, 0, vma ? rs1 : 0, vma ? rs2 : 0, 4), w & 0xFFFF_FFFFL);
            return;
        }
        if (funct3 == 4) { illegal32(w, slot, packs, imms); return; }
        int op = Op.CSRRW + (funct3 & 3) - 1 + ((funct3 & 4) != 0 ? 3 : 0);
        // imm: csr number in the low 12 bits, the raw word above (for mtval of illegal CSR use)
        set(packs, imms, slot, pack(op, rd, rs1, 0, 4), ((w & 0xFFFF_FFFFL) << 12) | (w >>> 20));
    }

    private static void decodeAmo(int w, int slot, int[] packs, long[] imms) {
        int rd = (w >>> 7) & 31;
        int funct3 = (w >>> 12) & 7;
        int rs1 = (w >>> 15) & 31;
        int rs2 = (w >>> 20) & 31;
        int funct5 = w >>> 27;
        int base;
        if (funct3 == 2) base = Op.LR_W;
        else if (funct3 == 3) base = Op.LR_D;
        else { illegal32(w, slot, packs, imms); return; }
        int k;
        switch (funct5) {
            case 0x02: k = 0; if (rs2 != 0) { illegal32(w, slot, packs, imms); return; } break; // LR
            case 0x03: k = 1; break;  // SC
            case 0x01: k = 2; break;  // AMOSWAP
            case 0x00: k = 3; break;  // AMOADD
            case 0x04: k = 4; break;  // AMOXOR
            case 0x0C: k = 5; break;  // AMOAND
            case 0x08: k = 6; break;  // AMOOR
            case 0x10: k = 7; break;  // AMOMIN
            case 0x14: k = 8; break;  // AMOMAX
            case 0x18: k = 9; break;  // AMOMINU
            case 0x1C: k = 10; break; // AMOMAXU
            default: illegal32(w, slot, packs, imms); return;
        }
        set(packs, imms, slot, pack(base + k, rd, rs1, rs2, 4), w & 0xFFFF_FFFFL);
    }

    private static long immJ(int w) {
        int imm = ((w >> 31) << 20) | (w & 0xFF000) | ((w >>> 9) & 0x800) | ((w >>> 20) & 0x7FE);
        return imm;
    }

    private static long immB(int w) {
        int imm = ((w >> 31) << 12) | ((w << 4) & 0x800) | ((w >>> 20) & 0x7E0) | ((w >>> 7) & 0x1E);
        return imm;
    }

    // ---------------------------------------------------------------- 16-bit encodings

    private static void illegal16(int h, int slot, int[] packs, long[] imms) {
        set(packs, imms, slot, Op.ILLEGAL, h);
    }

    private static int bit(int h, int from, int to) {
        return ((h >>> from) & 1) << to;
    }

    private static void decode16(int h, int slot, int[] packs, long[] imms) {
        int quadrant = h & 3;
        int funct3 = h >>> 13;
        int rdp = 8 + ((h >>> 2) & 7);   // rd' / rs2'
        int rs1p = 8 + ((h >>> 7) & 7);  // rs1' / rd'
        int rd = (h >>> 7) & 31;
        int rs2 = (h >>> 2) & 31;
        if (quadrant == 0) {
            switch (funct3) {
                case 0: { // C.ADDI4SPN
                    int imm = ((h >>> 7) & 0x30) | ((h >>> 1) & 0x3C0) | bit(h, 6, 2) | bit(h, 5, 3);
                    if (imm == 0) break;
                    set(packs, imms, slot, pack(Op.ADDI, rdp, 2, 0, 2), imm);
                    return;
                }
                case 2: { // C.LW
                    int imm = ((h >>> 7) & 0x38) | bit(h, 6, 2) | bit(h, 5, 6);
                    set(packs, imms, slot, pack(Op.LW, rdp, rs1p, 0, 2), imm);
                    return;
                }
                case 3: { // C.LD
                    int imm = ((h >>> 7) & 0x38) | ((h << 1) & 0xC0);
                    set(packs, imms, slot, pack(Op.LD, rdp, rs1p, 0, 2), imm);
                    return;
                }
                case 6: { // C.SW
                    int imm = ((h >>> 7) & 0x38) | bit(h, 6, 2) | bit(h, 5, 6);
                    set(packs, imms, slot, pack(Op.SW, 0, rs1p, rdp, 2), imm);
                    return;
                }
                case 7: { // C.SD
                    int imm = ((h >>> 7) & 0x38) | ((h << 1) & 0xC0);
                    set(packs, imms, slot, pack(Op.SD, 0, rs1p, rdp, 2), imm);
                    return;
                }
                default: break; // C.FLD, reserved, C.FSD (no F/D)
            }
            illegal16(h, slot, packs, imms);
            return;
        }
        if (quadrant == 1) {
            decodeQ1(h, slot, packs, imms, funct3, rd, rdp, rs1p);
            return;
        }
        decodeQ2(h, slot, packs, imms, funct3, rd, rs2);
    }

    /** The sign-extended 6-bit immediate of CI-format instructions: [12] then [6:2]. */
    private static int immCI(int h) {
        return (((h >>> 12) & 1) != 0 ? -32 : 0) | ((h >>> 2) & 31);
    }

    private static void decodeQ1(int h, int slot, int[] packs, long[] imms, int funct3, int rd,
                                 int rdp, int rs1p) {
        switch (funct3) {
            case 0: // C.ADDI (rd=0: C.NOP / hint)
                set(packs, imms, slot, alu(Op.ADDI, rd, rd, 0, 2), immCI(h));
                return;
            case 1: // C.ADDIW
                if (rd == 0) break;
                set(packs, imms, slot, pack(Op.ADDIW, rd, rd, 0, 2), immCI(h));
                return;
            case 2: // C.LI
                set(packs, imms, slot, alu(Op.LI, rd, 0, 0, 2), immCI(h));
                return;
            case 3:
                if (rd == 2) { // C.ADDI16SP
                    int imm = (((h >>> 12) & 1) != 0 ? -512 : 0) | bit(h, 6, 4) | bit(h, 5, 6)
                            | ((h << 4) & 0x180) | bit(h, 2, 5);
                    if (imm == 0) break;
                    set(packs, imms, slot, pack(Op.ADDI, 2, 2, 0, 2), imm);
                    return;
                }
                { // C.LUI
                    long imm = (long) immCI(h) << 12;
                    if (imm == 0) break;
                    set(packs, imms, slot, alu(Op.LI, rd, 0, 0, 2), imm);
                    return;
                }
            case 4:
                decodeMiscAlu(h, slot, packs, imms, rdp, rs1p);
                return;
            case 5: { // C.J
                set(packs, imms, slot, pack(Op.JAL, 0, 0, 0, 2), immCJ(h));
                return;
            }
            case 6: // C.BEQZ
                set(packs, imms, slot, pack(Op.BEQ, 0, rs1p, 0, 2), immCB(h));
                return;
            default: // C.BNEZ
                set(packs, imms, slot, pack(Op.BNE, 0, rs1p, 0, 2), immCB(h));
                return;
        }
        illegal16(h, slot, packs, imms);
    }

    private static void decodeMiscAlu(int h, int slot, int[] packs, long[] imms, int rs2p, int rdp) {
        int funct2 = (h >>> 10) & 3;
        int shamt = ((h >>> 7) & 0x20) | ((h >>> 2) & 31);
        switch (funct2) {
            case 0: set(packs, imms, slot, pack(Op.SRLI, rdp, rdp, 0, 2), shamt); return;
            case 1: set(packs, imms, slot, pack(Op.SRAI, rdp, rdp, 0, 2), shamt); return;
            case 2: set(packs, imms, slot, pack(Op.ANDI, rdp, rdp, 0, 2), immCI(h)); return;
            default: break;
        }
        int sel = (h >>> 5) & 3;
        int op;
        if ((h & 0x1000) == 0) {
            op = sel == 0 ? Op.SUB : sel == 1 ? Op.XOR : sel == 2 ? Op.OR : Op.AND;
        } else if (sel == 0) {
            op = Op.SUBW;
        } else if (sel == 1) {
            op = Op.ADDW;
        } else {
            illegal16(h, slot, packs, imms);
            return;
        }
        set(packs, imms, slot, pack(op, rdp, rdp, rs2p, 2), 0);
    }

    private static long immCJ(int h) {
        int imm = (((h >>> 12) & 1) != 0 ? -2048 : 0) | bit(h, 11, 4) | ((h >>> 1) & 0x300)
                | bit(h, 8, 10) | bit(h, 7, 6) | bit(h, 6, 7) | ((h >>> 2) & 0xE) | bit(h, 2, 5);
        return imm;
    }

    private static long immCB(int h) {
        int imm = (((h >>> 12) & 1) != 0 ? -256 : 0) | ((h >>> 7) & 0x18) | ((h << 1) & 0xC0)
                | ((h >>> 2) & 0x6) | bit(h, 2, 5);
        return imm;
    }

    private static void decodeQ2(int h, int slot, int[] packs, long[] imms, int funct3, int rd, int rs2) {
        switch (funct3) {
            case 0: { // C.SLLI
                int shamt = ((h >>> 7) & 0x20) | rs2;
                set(packs, imms, slot, alu(Op.SLLI, rd, rd, 0, 2), shamt);
                return;
            }
            case 2: { // C.LWSP
                if (rd == 0) break;
                int imm = bit(h, 12, 5) | ((h >>> 2) & 0x1C) | ((h << 4) & 0xC0);
                set(packs, imms, slot, pack(Op.LW, rd, 2, 0, 2), imm);
                return;
            }
            case 3: { // C.LDSP
                if (rd == 0) break;
                int imm = bit(h, 12, 5) | ((h >>> 2) & 0x18) | ((h << 4) & 0x1C0);
                set(packs, imms, slot, pack(Op.LD, rd, 2, 0, 2), imm);
                return;
            }
            case 4:
                if ((h & 0x1000) == 0) {
                    if (rs2 == 0) { // C.JR
                        if (rd == 0) break;
                        set(packs, imms, slot, pack(Op.JALR, 0, rd, 0, 2), 0);
                    } else { // C.MV
                        set(packs, imms, slot, alu(Op.MV, rd, 0, rs2, 2), 0);
                    }
                    return;
                }
                if (rs2 == 0) {
                    if (rd == 0) { // C.EBREAK
                        set(packs, imms, slot, pack(Op.EBREAK, 0, 0, 0, 2), h);
                    } else { // C.JALR
                        set(packs, imms, slot, pack(Op.JALR, 1, rd, 0, 2), 0);
                    }
                    return;
                }
                set(packs, imms, slot, alu(Op.ADD, rd, rd, rs2, 2), 0); // C.ADD
                return;
            case 6: { // C.SWSP
                int imm = ((h >>> 7) & 0x3C) | ((h >>> 1) & 0xC0);
                set(packs, imms, slot, pack(Op.SW, 0, 2, rs2, 2), imm);
                return;
            }
            case 7: { // C.SDSP
                int imm = ((h >>> 7) & 0x38) | ((h >>> 1) & 0x1C0);
                set(packs, imms, slot, pack(Op.SD, 0, 2, rs2, 2), imm);
                return;
            }
            default: break; // C.FLDSP, C.FSDSP
        }
        illegal16(h, slot, packs, imms);
    }
}
