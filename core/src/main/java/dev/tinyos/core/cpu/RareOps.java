package dev.tinyos.core.cpu;

import dev.tinyos.core.Ram;
import dev.tinyos.core.probe.AccessProbe;

import static dev.tinyos.core.cpu.Csr.*;

/**
 * The instructions executed out of the interpreter's hot loop: FENCE/FENCE.I, ECALL, EBREAK,
 * MRET, SRET, WFI, SFENCE.VMA, the Zicsr instructions and the A extension.
 *
 * <p>Invariant: called with the hart's pc and icount synced to the instruction being executed;
 * returns the next pc or throws {@link Trap} (after {@link Hart#fault}) without having changed
 * any architectural state. Privilege rules follow privileged spec 1.12: xRET/WFI/SFENCE.VMA
 * privilege and mstatus TSR/TW/TVM traps, CSR access rules in {@link CsrFile#accessible}.
 */
final class RareOps {
    private RareOps() {}

    static long exec(Hart h, int op, int rd, int rs1, int rs2, long imm, long pc, long next) {
        switch (op) {
            case Op.FENCE:
            case Op.FENCE_I: // ends the block; stores to code pages already bumped their generation
                return next;
            case Op.ECALL:
                throw h.fault(h.priv == Hart.PRIV_U ? Cause.USER_ECALL
                        : h.priv == Hart.PRIV_S ? Cause.SUPERVISOR_ECALL : Cause.MACHINE_ECALL, 0);
            case Op.EBREAK:
                throw h.fault(Cause.BREAKPOINT, 0); // mtval 0, as QEMU 7.2 writes
            case Op.MRET:
                if (h.priv != Hart.PRIV_M) throw h.fault(Cause.ILLEGAL_INSTRUCTION, imm);
                return mret(h);
            case Op.SRET:
                if (h.priv < Hart.PRIV_S || (h.priv == Hart.PRIV_S && (h.mstatus & MSTATUS_TSR) != 0)) {
                    throw h.fault(Cause.ILLEGAL_INSTRUCTION, imm);
                }
                return sret(h);
            case Op.WFI:
                if (h.priv == Hart.PRIV_U || (h.priv == Hart.PRIV_S && (h.mstatus & MSTATUS_TW) != 0)) {
                    throw h.fault(Cause.ILLEGAL_INSTRUCTION, imm);
                }
                h.enterWfi();
                return next;
            case Op.SFENCE_VMA:
                if (h.priv == Hart.PRIV_U || (h.priv == Hart.PRIV_S && (h.mstatus & MSTATUS_TVM) != 0)) {
                    throw h.fault(Cause.ILLEGAL_INSTRUCTION, imm);
                }
                h.mmu.fence();
                return next;
            case Op.LOAD_X0: // the access still happens: it may fault or reach a device
                h.mmu.loadSlow(h.x[rs1] + imm, rs2);
                return next;
            case Op.CSRRW: case Op.CSRRS: case Op.CSRRC:
            case Op.CSRRWI: case Op.CSRRSI: case Op.CSRRCI:
                csr(h, op, rd, rs1, imm);
                return next;
            default:
                atomic(h, op, rd, rs1, rs2);
                return next;
        }
    }

    private static long mret(Hart h) {
        long s = h.mstatus;
        int mpp = (int) ((s & MSTATUS_MPP) >>> MSTATUS_MPP_SHIFT);
        s = (s & MSTATUS_MPIE) != 0 ? s | MSTATUS_MIE : s & ~MSTATUS_MIE;
        s = (s | MSTATUS_MPIE) & ~MSTATUS_MPP;
        if (mpp != Hart.PRIV_M) s &= ~MSTATUS_MPRV;
        h.mstatus = s;
        h.priv = mpp;
        h.mmu.translationContextChanged();
        h.interruptsChanged();
        return h.mepc;
    }

    private static long sret(Hart h) {
        long s = h.mstatus;
        int spp = (s & MSTATUS_SPP) != 0 ? Hart.PRIV_S : Hart.PRIV_U;
        s = (s & MSTATUS_SPIE) != 0 ? s | MSTATUS_SIE : s & ~MSTATUS_SIE;
        s = (s | MSTATUS_SPIE) & ~(MSTATUS_SPP | MSTATUS_MPRV);
        h.mstatus = s;
        h.priv = spp;
        h.mmu.translationContextChanged();
        h.interruptsChanged();
        return h.sepc;
    }

    private static void csr(Hart h, int op, int rd, int rs1, long imm) {
        int csr = (int) (imm & 0xFFF);
        long raw = imm >>> 12;
        boolean immediate = op >= Op.CSRRWI;
        int kind = op - (immediate ? Op.CSRRWI : Op.CSRRW); // 0 write, 1 set, 2 clear
        long src = immediate ? rs1 : h.x[rs1];
        boolean write = kind == 0 || rs1 != 0;
        if (!CsrFile.accessible(h, csr, write)) throw h.fault(Cause.ILLEGAL_INSTRUCTION, raw);
        long old = (kind == 0 && rd == 0) ? 0 : CsrFile.read(h, csr);
        if (write) {
            long v = kind == 0 ? src
                    : kind == 1 ? CsrFile.readForUpdate(h, csr) | src
                    : CsrFile.readForUpdate(h, csr) & ~src;
            CsrFile.write(h, csr, v);
        }
        h.x[rd] = old;
        h.x[0] = 0;
    }

    private static void atomic(Hart h, int op, int rd, int rs1, int rs2) {
        boolean word = op < Op.LR_D;
        int size = word ? 4 : 8;
        int k = op - (word ? Op.LR_W : Op.LR_D); // 0 LR, 1 SC, 2.. AMO
        long va = h.x[rs1];
        Ram ram = h.ram;
        int off = h.mmu.atomicOffset(va, size, k == 0);
        long pa = ram.base + off;
        if (k == 0) {
            h.reportAccess(AccessProbe.LOAD, va, pa, size);
            h.reservation = off;
            h.x[rd] = word ? ram.load32(off) : ram.load64(off);
        } else if (k == 1) {
            long result = 1;
            if (h.reservation == off) {
                if (word) ram.store32(off, (int) h.x[rs2]); else ram.store64(off, h.x[rs2]);
                h.reportAccess(AccessProbe.STORE, va, pa, size);
                result = 0;
            }
            h.reservation = -1;
            h.x[rd] = result;
        } else {
            long src = h.x[rs2];
            long old = word ? ram.load32(off) : ram.load64(off);
            // .W: operands sign-extended from 32 bits; every op (also minu/maxu: sign extension keeps
            // the unsigned order of 32-bit values) then agrees with the 32-bit op in its low word
            long v = word ? amo64(k, (int) old, (int) src) : amo64(k, old, src);
            if (word) ram.store32(off, (int) v); else ram.store64(off, v);
            h.reportAccess(AccessProbe.LOAD, va, pa, size);
            h.reportAccess(AccessProbe.STORE, va, pa, size);
            h.x[rd] = old;
        }
        h.x[0] = 0;
    }

    private static long amo64(int k, long a, long b) {
        switch (k) {
            case 2: return b;
            case 3: return a + b;
            case 4: return a ^ b;
            case 5: return a & b;
            case 6: return a | b;
            case 7: return Math.min(a, b);
            case 8: return Math.max(a, b);
            case 9: return Long.compareUnsigned(a, b) <= 0 ? a : b;
            default: return Long.compareUnsigned(a, b) >= 0 ? a : b;
        }
    }
}
