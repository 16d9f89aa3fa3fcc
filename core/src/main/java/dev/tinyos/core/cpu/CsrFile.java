package dev.tinyos.core.cpu;

import static dev.tinyos.core.cpu.Csr.*;

/**
 * Reads, writes and access rules of every CSR the hart implements (privileged spec 1.12,
 * chapters 2-4), with WARL legalization. The CSR state itself lives in {@link Hart} fields.
 *
 * <p>Invariant: {@link #write} only ever stores legal values: MPP in {U,S,M}, satp modes Bare
 * or Sv39, mtvec/stvec modes direct or vectored, xepc with bit 0 clear, only the writable
 * bits of mie/mip/mideleg/medeleg. Writes that make an interrupt deliverable end the current
 * slice; writes that change the translation context (satp, MPRV/MPP/SUM/MXR) flush the TLBs.
 * Triggers: tselect/tdata1-3 exist and read 0 (no trigger implemented); tinfo is absent.
 * PMP: 64 entries enforced by {@link Pmp}; a locked entry ignores writes to its pmpcfg byte
 * and pmpaddr (and a locked TOR entry protects the pmpaddr below it). Sstc: stimecmp exists; with menvcfg.STCE it drives mip.STIP (read-only then) and is
 * accessible below M only if mcounteren.TM is set too.
 */
final class CsrFile {
    private CsrFile() {}

    static final long MSTATUS_WRITABLE = MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE
            | MSTATUS_SPP | MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM
            | MSTATUS_TW | MSTATUS_TSR;
    static final long SSTATUS_VISIBLE = MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_UBE | MSTATUS_SPP | MSTATUS_FS
            | MSTATUS_XS | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_UXL | MSTATUS_SD;
    static final long SSTATUS_WRITABLE = MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR;
    static final long XLEN_FIELDS = (2L << 32) | (2L << 34); // UXL = SXL = 64-bit
    static final long MISA_VALUE = (2L << 62) | (1 << 0) | (1 << 2) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20);
    static final long S_INTERRUPTS = MIP_SSIP | MIP_STIP | MIP_SEIP;
    static final long ALL_INTERRUPTS = S_INTERRUPTS | MIP_MSIP | MIP_MTIP | MIP_MEIP;
    static final long MEDELEG_WRITABLE = 0xB3FFL; // causes 0-9, 12, 13, 15 (not 11: ECALL from M)
    static final long PMPCFG_WRITABLE = 0x9F9F9F9F9F9F9F9FL;
    static final long PMPADDR_WRITABLE = (1L << 54) - 1;

    /** True if the CSR exists on this hart. */
    static boolean exists(int csr) {
        if (csr >= HPMCOUNTER3 && csr <= HPMCOUNTER31) return true;
        if (csr >= MHPMCOUNTER3 && csr <= MHPMCOUNTER31) return true;
        if (csr >= MHPMEVENT3 && csr <= MHPMEVENT31) return true;
        if (csr >= PMPADDR0 && csr <= PMPADDR63) return true;
        if (csr >= PMPCFG0 && csr <= PMPCFG15) return (csr & 1) == 0;
        switch (csr) {
            case CYCLE: case TIME: case INSTRET:
            case SSTATUS: case SIE: case STVEC: case SCOUNTEREN: case SENVCFG: case SSCRATCH: case SEPC:
            case SCAUSE: case STVAL: case SIP: case SATP: case STIMECMP:
            case MVENDORID: case MARCHID: case MIMPID: case MHARTID: case MCONFIGPTR:
            case MSTATUS: case MISA: case MEDELEG: case MIDELEG: case MIE: case MTVEC: case MCOUNTEREN:
            case MENVCFG: case MCOUNTINHIBIT: case MSCRATCH: case MEPC: case MCAUSE: case MTVAL: case MIP:
            case MSECCFG: case MCYCLE: case MINSTRET:
            case TSELECT: case TDATA1: case TDATA2: case TDATA3:
                return true;
            default:
                return false;
        }
    }

    /** The access rules of a CSR instruction at the hart's current privilege. */
    static boolean accessible(Hart h, int csr, boolean write) {
        if (h.priv < ((csr >>> 8) & 3)) return false;
        if (write && (csr >>> 10) == 3) return false;
        if (!exists(csr)) return false;
        if (csr >= CYCLE && csr <= HPMCOUNTER31) {
            long bit = 1L << (csr & 31);
            if (h.priv < Hart.PRIV_M && (h.mcounteren & bit) == 0) return false;
            if (h.priv == Hart.PRIV_U && (h.scounteren & bit) == 0) return false;
        }
        if (csr == SATP && h.priv == Hart.PRIV_S && (h.mstatus & MSTATUS_TVM) != 0) return false;
        if (csr == STIMECMP && h.priv < Hart.PRIV_M) {
            // Sstc: below M, stimecmp needs mcounteren.TM and menvcfg.STCE
            if ((h.mcounteren & 2) == 0 || (h.menvcfg & MENVCFG_STCE) == 0) return false;
        }
        return true;
    }

    /** Current value of a CSR (no access checks); 0 for nonexistent CSRs. */
    static long read(Hart h, int csr) {
        if (csr >= PMPADDR0 && csr <= PMPADDR63) return h.pmpaddr[csr - PMPADDR0];
        if (csr >= PMPCFG0 && csr <= PMPCFG15) return (csr & 1) == 0 ? h.pmpcfg[(csr - PMPCFG0) >> 1] : 0;
        switch (csr) {
            case CYCLE: case MCYCLE: return h.icount + h.mcycleOffset;
            case INSTRET: case MINSTRET: return h.icount - h.exceptions + h.minstretOffset;
            case TIME: return h.time.mtime();
            case SSTATUS: return (h.mstatus & SSTATUS_VISIBLE) | (2L << 32);
            case SIE: return h.mie & h.mideleg;
            case STVEC: return h.stvec;
            case SCOUNTEREN: return h.scounteren;
            case SENVCFG: return h.senvcfg;
            case SSCRATCH: return h.sscratch;
            case SEPC: return h.sepc;
            case SCAUSE: return h.scause;
            case STVAL: return h.stval;
            case SIP: return h.mip() & h.mideleg;
            case SATP: return h.satp;
            case STIMECMP: return h.stimecmp;
            case MSTATUS: return h.mstatus | XLEN_FIELDS;
            case MISA: return MISA_VALUE;
            case MEDELEG: return h.medeleg;
            case MIDELEG: return h.mideleg;
            case MIE: return h.mie;
            case MTVEC: return h.mtvec;
            case MCOUNTEREN: return h.mcounteren;
            case MENVCFG: return h.menvcfg;
            case MCOUNTINHIBIT: return h.mcountinhibit;
            case MSCRATCH: return h.mscratch;
            case MEPC: return h.mepc;
            case MCAUSE: return h.mcause;
            case MTVAL: return h.mtval;
            case MIP: return h.mip();
            default: return 0; // ids, hpm counters/events, mseccfg, triggers: read-only zero
        }
    }

    /** The value a read-modify-write CSR instruction starts from (mip: without the SEIP line). */
    static long readForUpdate(Hart h, int csr) {
        if (csr == MIP) return h.mip & ALL_INTERRUPTS | (h.mip() & ~S_INTERRUPTS);
        if (csr == SIP) return (h.mip | (h.mip() & ~S_INTERRUPTS)) & h.mideleg;
        return read(h, csr);
    }

    /** Writes a CSR with WARL legalization and side effects (no access checks). */
    static void write(Hart h, int csr, long v) {
        if (csr >= PMPADDR0 && csr <= PMPADDR63) {
            int i = csr - PMPADDR0;
            if (!Pmp.addrLocked(h, i)) { // locked: the write is ignored
                h.pmpaddr[i] = v & PMPADDR_WRITABLE;
                h.pmpChanged();
            }
            return;
        }
        if (csr >= PMPCFG0 && csr <= PMPCFG15) {
            if ((csr & 1) == 0) { // RV64: the odd pmpcfg CSRs do not exist
                int k = (csr - PMPCFG0) >> 1;
                long old = h.pmpcfg[k], nv = v & PMPCFG_WRITABLE;
                for (int b = 0; b < 8; b++) {
                    long byteMask = 0xFFL << (8 * b);
                    if ((old & (((long) Pmp.L) << (8 * b))) != 0) nv = (nv & ~byteMask) | (old & byteMask);
                }
                h.pmpcfg[k] = nv;
                h.pmpChanged();
            }
            return;
        }
        switch (csr) {
            case MCYCLE: h.mcycleOffset = v - (h.icount + 1); return;
            case MINSTRET: h.minstretOffset = v - (h.icount + 1 - h.exceptions); return;
            case SSTATUS: writeMstatus(h, (h.mstatus & ~SSTATUS_WRITABLE) | (v & SSTATUS_WRITABLE)); return;
            case MSTATUS: writeMstatus(h, v); return;
            case SIE: h.mie = (h.mie & ~h.mideleg) | (v & h.mideleg & S_INTERRUPTS); h.interruptsChanged(); return;
            case MIE: h.mie = v & ALL_INTERRUPTS; h.interruptsChanged(); return;
            case SIP: {
                long mask = h.mideleg & MIP_SSIP;
                h.mip = (h.mip & ~mask) | (v & mask);
                h.interruptsChanged();
                return;
            }
            case MIP: {
                long mask = (h.menvcfg & MENVCFG_STCE) != 0 ? S_INTERRUPTS & ~MIP_STIP : S_INTERRUPTS;
                h.mip = (h.mip & ~mask) | (v & mask); // with Sstc, STIP is read-only
                h.interruptsChanged();
                return;
            }
            case MIDELEG: h.mideleg = v & S_INTERRUPTS; h.interruptsChanged(); return;
            case MEDELEG: h.medeleg = v & MEDELEG_WRITABLE; return;
            case STVEC: h.stvec = legalTvec(h.stvec, v); return;
            case MTVEC: h.mtvec = legalTvec(h.mtvec, v); return;
            case SCOUNTEREN: h.scounteren = v & 0xFFFF_FFFFL; return;
            case MCOUNTEREN: h.mcounteren = v & 0xFFFF_FFFFL; return;
            case MCOUNTINHIBIT: h.mcountinhibit = v & 0xFFFF_FFFDL; return;
            case SENVCFG: h.senvcfg = v & 1; return;  // FIOM only
            case MENVCFG: // FIOM and STCE (Sstc); no Svpbmt, Zicbom, Zicboz
                h.menvcfg = v & (MENVCFG_FIOM | MENVCFG_STCE);
                timerChanged(h);
                return;
            case STIMECMP: h.stimecmp = v; timerChanged(h); return;
            case SSCRATCH: h.sscratch = v; return;
            case MSCRATCH: h.mscratch = v; return;
            case SEPC: h.sepc = v & ~1L; return;
            case MEPC: h.mepc = v & ~1L; return;
            case SCAUSE: h.scause = v; return;
            case MCAUSE: h.mcause = v; return;
            case STVAL: h.stval = v; return;
            case MTVAL: h.mtval = v; return;
            case SATP: writeSatp(h, v); return;
            default: return; // read-only zero or ignored writes (hpm, triggers, mseccfg)
        }
    }

    /** stimecmp or STCE changed: STIP may have changed, and the machine's timer deadline did. */
    private static void timerChanged(Hart h) {
        h.sliceEnd = true;
        h.interruptsChanged();
    }

    private static void writeMstatus(Hart h, long v) {
        long nv = v & MSTATUS_WRITABLE;
        if ((nv & MSTATUS_MPP) == (2L << MSTATUS_MPP_SHIFT)) nv &= ~MSTATUS_MPP; // reserved H -> U
        h.mstatus = nv;
        h.interruptsChanged();
        h.mmu.translationContextChanged();
    }

    private static long legalTvec(long old, long v) {
        long mode = v & 3;
        if (mode >= 2) mode = old & 3;
        return (v & ~3L) | mode;
    }

    private static void writeSatp(Hart h, long v) {
        long mode = v >>> SATP_MODE_SHIFT;
        if (mode != 0 && mode != SATP_MODE_SV39) return;
        h.satp = v & ((0xFL << SATP_MODE_SHIFT) | SATP_ASID_MASK | SATP_PPN_MASK);
        h.mmu.switchSpace(); // as a flush (QEMU flushes at satp writes), keeping what is still exact
    }
}
