package dev.tinyos.core.cpu;

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
        if (!csrAccessible(h, op, rs1, csr)) throw h.fault(Cause.ILLEGAL_INSTRUCTION, imm >>> 12);
        h.x[rd] = csrUpdate(h, op, rd, rs1, csr, op >= Op.CSRRWI ? rs1 : h.x[rs1]);
        h.x[0] = 0;
    }

    /** What the Zicsr instruction {@code op} does: 0 write, 1 set, 2 clear. */
    private static int csrKind(int op) {
        return op - (op >= Op.CSRRWI ? Op.CSRRWI : Op.CSRRW);
    }

    /** True if the Zicsr instruction writes its CSR (set and clear with rs1/zimm 0 only read it). */
    private static boolean csrWrites(int op, int rs1) {
        return csrKind(op) == 0 || rs1 != 0;
    }

    /** True if the Zicsr instruction {@code op} may access {@code csr} now (else it is illegal). */
    static boolean csrAccessible(Hart h, int op, int rs1, int csr) {
        return CsrFile.accessible(h, csr, csrWrites(op, rs1));
    }

    /**
     * What the (accessible) Zicsr instruction {@code op} does to {@code csr}, given {@code src}
     * (x[rs1], or the zimm rs1 of the immediate forms); returns what rd receives.
     */
    static long csrUpdate(Hart h, int op, int rd, int rs1, int csr, long src) {
        int kind = csrKind(op);
        long old = (kind == 0 && rd == 0) ? 0 : CsrFile.read(h, csr);
        if (csrWrites(op, rs1)) {
            long v = kind == 0 ? src
                    : kind == 1 ? CsrFile.readForUpdate(h, csr) | src
                    : CsrFile.readForUpdate(h, csr) & ~src;
            CsrFile.write(h, csr, v);
        }
        return old;
    }

    /**
     * {@link #csrUpdate} for a compiled region, which synced the hart's icount (a counter or
     * the time may be read) and checked {@link #csrAccessible}: sets {@link JitContext#leave}
     * if the region must stop after it (the slice must end, or the TLBs were flushed).
     */
    static long csrInRegion(JitContext c, int op, int rd, int rs1, int csr, long src) {
        Hart h = c.hart;
        int flushes = h.mmu.flushes;
        long old = csrUpdate(h, op, rd, rs1, csr, src);
        c.leave = h.sliceEnd || h.mmu.flushes != flushes;
        return old;
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
            long old = word ? Semantics.lw(ram.load32(off)) : Semantics.ld(ram.load64(off));
            long v = Semantics.amo(op, old, src);
            if (word) ram.store32(off, Semantics.sw(v)); else ram.store64(off, Semantics.sd(v));
            h.reportAccess(AccessProbe.LOAD, va, pa, size);
            h.reportAccess(AccessProbe.STORE, va, pa, size);
            h.x[rd] = old;
        }
        h.x[0] = 0;
    }
}
