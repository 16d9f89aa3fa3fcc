package dev.tinyos.core.cpu;

import dev.tinyos.core.Bus;
import dev.tinyos.core.BusFault;
import dev.tinyos.core.Ram;
import dev.tinyos.core.TimeSource;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One RV64IMAC + Zicsr + Zifencei hart with M, S and U modes and Sv39 (privileged spec 1.12).
 *
 * <p>How it runs: {@link #run} fetches through a one-entry "current fetch page" cache, looks
 * the instruction up in a decode cache indexed by physical address and validated by comparing
 * the raw instruction bits (so self-modifying code and FENCE.I need no invalidation), and
 * executes it from one switch on a dense opcode. Loads and stores hit RAM directly through
 * direct-mapped software TLBs (load, store, fetch) whose entries were permission-checked for
 * the current translation context; everything else takes a slow path. A jump to another
 * page that the fetch TLB already holds switches the fetch page without leaving the loop.
 * Rare instructions (system, CSR, atomics) run out of line in {@link RareOps}; the loop
 * method stays far below HotSpot's 8000-bytecode limit so C2 compiles it.
 *
 * <p>Choices where the spec leaves freedom: misaligned loads/stores are performed (both pages
 * translated when they straddle one), misaligned atomics raise address-misaligned; EBREAK
 * and ECALL write tval 0 (as QEMU 7.2); the LR reservation is dropped by every trap and SC;
 * mcountinhibit is stored but does not freeze the counters; triggers are absent (tselect
 * and tdata1-3 read 0).
 *
 * <p>Invariants: {@code x[0]} reads 0 between instructions; {@code priv} is one of
 * {@link #PRIV_U}, {@link #PRIV_S}, {@link #PRIV_M}; TLB entries are valid for the current
 * (priv, mstatus.MPRV/MPP/SUM/MXR, satp) and are flushed whenever one of them changes;
 * store-TLB entries exist only for pages whose PTE D bit is set and which were marked dirty
 * in {@link Ram}. {@code icount} counts steps (retired or trapping instructions);
 * {@code minstret} = icount - exceptions taken + software offset; {@code mcycle} = icount +
 * software offset. A WFI with nothing pending puts the hart in a waiting state that
 * {@link #takeInterrupt} (or a pending interrupt seen by {@link #run}) ends.
 */
public final class Hart {
    public static final int PRIV_U = 0;
    public static final int PRIV_S = 1;
    public static final int PRIV_M = 3;

    static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final int DECODE_BITS = 16;
    private static final int DECODE_MASK = (1 << DECODE_BITS) - 1;
    /** Decode slot used for instructions that straddle a page (never cached). */
    private static final int SCRATCH = DECODE_MASK + 1;
    private static final int TLB_SIZE = 256;
    private static final int TLB_MASK = TLB_SIZE - 1;

    /** Integer registers; x[0] always reads 0. */
    public final long[] x = new long[32];
    /** Address of the next instruction to execute. */
    public long pc;
    /** Current privilege: PRIV_U, PRIV_S or PRIV_M. */
    public int priv = PRIV_M;

    final Bus bus;
    final Ram ram;
    final TimeSource time;
    private final byte[] mem;
    private final long ramBase;

    // ---- CSR state (legalized by CsrFile)
    long mstatus, medeleg, mideleg, mie;
    /** Software-writable pending bits (SSIP, STIP, SEIP). */
    long mip;
    /** Hardware interrupt lines (MSIP, MTIP, MEIP, SEIP). */
    long mipLines;
    long mtvec, stvec, mepc, sepc, mcause, scause, mtval, stval, mscratch, sscratch, satp;
    long mcounteren, scounteren, mcountinhibit, menvcfg, senvcfg;
    long mcycleOffset, minstretOffset;
    final long[] pmpcfg = new long[8];
    final long[] pmpaddr = new long[64];

    // ---- execution state
    long icount;
    long exceptions;
    private boolean waiting;
    boolean sliceEnd;
    long reservation = -1;
    private TrapListener trapListener;
    long trapCause, trapTval;
    private long translationKey = -1;

    // ---- decode cache: dc[2*slot] = raw bits << 32 | pack, dc[2*slot+1] = imm
    private final long[] dc = new long[2 * (SCRATCH + 1)];
    private final int[] decodedPack = new int[1];
    private final long[] decodedImm = new long[1];

    // ---- TLBs: tag = va >>> 12 (or -1), delta = RAM offset - va
    private long fetchVpn = -1, fetchDelta;
    private final long[] iTag = new long[TLB_SIZE], iDelta = new long[TLB_SIZE];
    private final long[] lTag = new long[TLB_SIZE], lDelta = new long[TLB_SIZE];
    private final long[] sTag = new long[TLB_SIZE], sDelta = new long[TLB_SIZE];

    public Hart(Bus bus, TimeSource time) {
        this.bus = bus;
        this.ram = bus.ram();
        this.time = time;
        this.mem = ram.data;
        this.ramBase = ram.base;
        reset(ramBase);
    }

    /** M-mode, all CSRs at reset values, a0 = mhartid (0), a1 = 0, pc as given. */
    public void reset(long pc) {
        Arrays.fill(x, 0);
        this.pc = pc;
        priv = PRIV_M;
        mstatus = medeleg = mideleg = mie = mip = 0;
        mtvec = stvec = mepc = sepc = mcause = scause = mtval = stval = mscratch = sscratch = satp = 0;
        mcounteren = scounteren = mcountinhibit = menvcfg = senvcfg = 0;
        mcycleOffset = minstretOffset = 0;
        Arrays.fill(pmpcfg, 0);
        Arrays.fill(pmpaddr, 0);
        icount = exceptions = 0;
        waiting = sliceEnd = false;
        reservation = -1;
        flushTlb();
    }

    /** Steps (retired or trapping instructions) since reset; exact between run() calls. */
    public long icount() {
        return icount;
    }

    /** Makes the current (or next) {@link #run} return at the next instruction boundary. */
    public void requestSliceEnd() {
        sliceEnd = true;
    }

    /** Drives a hardware interrupt line (MIP_MSIP, MIP_MTIP, MIP_MEIP or MIP_SEIP). */
    public void setInterruptLine(long mipBit, boolean level) {
        long bit = mipBit & (Csr.MIP_MSIP | Csr.MIP_MTIP | Csr.MIP_MEIP | Csr.MIP_SEIP);
        mipLines = level ? mipLines | bit : mipLines & ~bit;
    }

    /** mip as software reads it: hardware lines OR software-written bits. */
    long mip() {
        return mip | mipLines;
    }

    /** mip & mie: what would wake a WFI. */
    public long pendingInterrupts() {
        return mip() & mie;
    }

    /** In WFI with nothing pending. */
    public boolean isWaiting() {
        return waiting && pendingInterrupts() == 0;
    }

    public void setTrapListener(TrapListener l) {
        trapListener = l;
    }

    /** Debug read: no privilege checks; 0 for CSRs that do not exist. */
    public long readCsr(int csr) {
        return CsrFile.read(this, csr & 0xFFF);
    }

    /** Debug write: WARL-legalized, no privilege checks; read-only CSRs ignore it. */
    public void writeCsr(int csr, long v) {
        csr &= 0xFFF;
        if (csr == Csr.MCYCLE) {
            mcycleOffset = v - icount;
        } else if (csr == Csr.MINSTRET) {
            minstretOffset = v - (icount - exceptions);
        } else {
            boolean pendingEnd = sliceEnd;
            CsrFile.write(this, csr, v);
            sliceEnd = pendingEnd; // a debug write is not an instruction: no slice to end
        }
    }

    /** Drops every cached translation (also needed after {@link Ram#clearDirty()}). */
    public void flushTlb() {
        fetchVpn = -1;
        Arrays.fill(iTag, -1L);
        Arrays.fill(lTag, -1L);
        Arrays.fill(sTag, -1L);
        translationKey = translationKey();
    }

    private long translationKey() {
        return (mstatus & (Csr.MSTATUS_MPRV | Csr.MSTATUS_MPP | Csr.MSTATUS_SUM | Csr.MSTATUS_MXR)) | priv;
    }

    /** Called after priv or mstatus may have changed: flushes the TLBs if the context did. */
    void translationContextChanged() {
        if (translationKey() != translationKey) flushTlb();
    }

    /**
     * Called after a CSR write or xRET that may enable an interrupt: ends the slice only if
     * an interrupt is now deliverable, so the machine takes it at the next boundary. (Kernels
     * toggle sstatus.SIE around every lock; those writes must not end slices for nothing.)
     */
    void interruptsChanged() {
        if (deliverableInterrupts() != 0) sliceEnd = true;
    }

    /** Pending, enabled interrupts that the current privilege and xIE bits let through. */
    private long deliverableInterrupts() {
        long pending = pendingInterrupts();
        if (pending == 0) return 0;
        long mLevel = (priv < PRIV_M || (mstatus & Csr.MSTATUS_MIE) != 0) ? pending & ~mideleg : 0;
        long sLevel = (priv < PRIV_S || (priv == PRIV_S && (mstatus & Csr.MSTATUS_SIE) != 0))
                ? pending & mideleg : 0;
        return mLevel | sLevel;
    }

    // ================================================================== interrupts and traps

    private static final int[] INTERRUPT_ORDER = {
        Cause.IRQ_M_EXT, Cause.IRQ_M_SOFT, Cause.IRQ_M_TIMER,
        Cause.IRQ_S_EXT, Cause.IRQ_S_SOFT, Cause.IRQ_S_TIMER
    };

    /** WFI: sleep unless an interrupt is already pending (then WFI is a no-op). */
    void enterWfi() {
        if (pendingInterrupts() == 0) {
            waiting = true;
            sliceEnd = true;
        }
    }

    /** Takes the highest-priority enabled pending interrupt, if any; true if one was taken. */
    public boolean takeInterrupt() {
        long pending = pendingInterrupts();
        if (pending == 0) return false;
        waiting = false;
        long mLevel = (priv < PRIV_M || (mstatus & Csr.MSTATUS_MIE) != 0) ? pending & ~mideleg : 0;
        long sLevel = (priv < PRIV_S || (priv == PRIV_S && (mstatus & Csr.MSTATUS_SIE) != 0))
                ? pending & mideleg : 0;
        long enabled = mLevel != 0 ? mLevel : sLevel;
        if (enabled == 0) return false;
        for (int code : INTERRUPT_ORDER) {
            if ((enabled & (1L << code)) != 0) {
                takeTrap(Cause.INTERRUPT | code, 0, pc);
                return true;
            }
        }
        return false;
    }

    /** Records a synchronous exception and returns the exception to throw. */
    Trap fault(long cause, long tval) {
        trapCause = cause;
        trapTval = tval;
        return Trap.INSTANCE;
    }

    /** Enters the trap handler (delegated to S when allowed); sets pc and priv. */
    void takeTrap(long cause, long tval, long epc) {
        int from = priv;
        boolean interrupt = cause < 0;
        int code = (int) cause & 63;
        long deleg = interrupt ? mideleg : medeleg;
        long tvec;
        if (from <= PRIV_S && ((deleg >>> code) & 1) != 0) {
            scause = cause;
            sepc = epc;
            stval = tval;
            long s = mstatus;
            s = (s & Csr.MSTATUS_SIE) != 0 ? s | Csr.MSTATUS_SPIE : s & ~Csr.MSTATUS_SPIE;
            s &= ~(Csr.MSTATUS_SIE | Csr.MSTATUS_SPP);
            if (from == PRIV_S) s |= Csr.MSTATUS_SPP;
            mstatus = s;
            priv = PRIV_S;
            tvec = stvec;
        } else {
            mcause = cause;
            mepc = epc;
            mtval = tval;
            long s = mstatus;
            s = (s & Csr.MSTATUS_MIE) != 0 ? s | Csr.MSTATUS_MPIE : s & ~Csr.MSTATUS_MPIE;
            s &= ~(Csr.MSTATUS_MIE | Csr.MSTATUS_MPP);
            s |= (long) from << Csr.MSTATUS_MPP_SHIFT;
            mstatus = s;
            priv = PRIV_M;
            tvec = mtvec;
        }
        pc = (tvec & ~3L) + (interrupt && (tvec & 3) == 1 ? 4L * code : 0);
        reservation = -1;
        if (!interrupt) exceptions++;
        translationContextChanged();
        TrapListener l = trapListener;
        if (l != null) l.onTrap(cause, tval, epc, from, priv);
    }

    // ================================================================== memory slow paths

    /** Privilege used for loads and stores (MPRV applies MPP in M-mode). */
    int dataPriv() {
        if (priv == PRIV_M && (mstatus & Csr.MSTATUS_MPRV) != 0) {
            return (int) ((mstatus & Csr.MSTATUS_MPP) >>> Csr.MSTATUS_MPP_SHIFT);
        }
        return priv;
    }

    /** Virtual to physical for an access of type {@code acc} (Sv39.FETCH/LOAD/STORE). */
    long translate(long va, int acc) {
        int ep = acc == Sv39.FETCH ? priv : dataPriv();
        if (ep == PRIV_M || (satp >>> Csr.SATP_MODE_SHIFT) != Csr.SATP_MODE_SV39) return va;
        return Sv39.walk(this, va, acc, ep);
    }

    private boolean pageInRam(long pa) {
        return ram.contains(pa & ~0xFFFL, 4096);
    }

    long loadSlow(long va, int size) {
        if ((va & 0xFFF) + size > 4096) return loadCrossing(va, size);
        long pa = translate(va, Sv39.LOAD);
        if (ram.contains(pa, size)) {
            if (pageInRam(pa)) {
                int t = (int) (va >>> 12) & TLB_MASK;
                lTag[t] = va >>> 12;
                lDelta[t] = (pa - ramBase) - va;
            }
            return ram.load((int) (pa - ramBase), size);
        }
        try {
            long v = bus.load(pa, size);
            sliceEnd = true;
            return v;
        } catch (BusFault f) {
            throw fault(Cause.LOAD_ACCESS, va);
        }
    }

    private long loadCrossing(long va, int size) {
        long va2 = (va | 0xFFF) + 1;
        int n1 = (int) (va2 - va);
        long pa1 = translate(va, Sv39.LOAD);
        long pa2 = translate(va2, Sv39.LOAD);
        long v = 0;
        try {
            for (int i = 0; i < size; i++) {
                long pa = i < n1 ? pa1 + i : pa2 + (i - n1);
                v |= bus.load(pa, 1) << (8 * i);
            }
        } catch (BusFault f) {
            throw fault(Cause.LOAD_ACCESS, va);
        }
        if (bus.deviceTouched) sliceEnd = true;
        return v;
    }

    void storeSlow(long va, int size, long value) {
        if ((va & 0xFFF) + size > 4096) {
            storeCrossing(va, size, value);
            return;
        }
        long pa = translate(va, Sv39.STORE);
        if (ram.contains(pa, size)) {
            int off = (int) (pa - ramBase);
            if (pageInRam(pa)) {
                int t = (int) (va >>> 12) & TLB_MASK;
                sTag[t] = va >>> 12;
                sDelta[t] = off - va;
            }
            ram.markDirty(off);
            ram.store(off, size, value);
            return;
        }
        try {
            bus.store(pa, size, value);
            sliceEnd = true;
        } catch (BusFault f) {
            throw fault(Cause.STORE_ACCESS, va);
        }
    }

    private void storeCrossing(long va, int size, long value) {
        long va2 = (va | 0xFFF) + 1;
        int n1 = (int) (va2 - va);
        long pa1 = translate(va, Sv39.STORE);
        long pa2 = translate(va2, Sv39.STORE);
        try {
            for (int i = 0; i < size; i++) {
                long pa = i < n1 ? pa1 + i : pa2 + (i - n1);
                bus.store(pa, 1, value >>> (8 * i));
            }
        } catch (BusFault f) {
            throw fault(Cause.STORE_ACCESS, va);
        }
        if (bus.deviceTouched) sliceEnd = true;
    }

    /** Translates an atomic's address; faults (access type store unless {@code lr}) if not in RAM. */
    int atomicOffset(long va, int size, boolean lr) {
        if ((va & (size - 1)) != 0) {
            throw fault(lr ? Cause.MISALIGNED_LOAD : Cause.MISALIGNED_STORE, va);
        }
        long pa = translate(va, lr ? Sv39.LOAD : Sv39.STORE);
        if (!ram.contains(pa, size)) throw fault(lr ? Cause.LOAD_ACCESS : Cause.STORE_ACCESS, va);
        return (int) (pa - ramBase);
    }

    /** Fetch when the fast path misses: returns the decode slot of the instruction at pc. */
    private int fetchSlow(long pc) {
        long vpn = pc >>> 12;
        int t = (int) vpn & TLB_MASK;
        long pa;
        if (iTag[t] == vpn) {
            pa = pc + iDelta[t] + ramBase;
        } else {
            pa = translate(pc, Sv39.FETCH);
            if (!ram.contains(pa, 2)) throw fault(Cause.FETCH_ACCESS, pc);
            iTag[t] = vpn;
            iDelta[t] = (pa - ramBase) - pc;
        }
        int off = (int) (pa - ramBase);
        if ((pc & 0xFFF) != 0xFFE) {
            fetchVpn = vpn;
            fetchDelta = off - pc;
            int word = (int) I32.get(mem, off);
            int slot = (off >>> 1) & DECODE_MASK;
            if ((int) (dc[2 * slot] >>> 32) != word) decodeInto(slot, word);
            return slot;
        }
        int word = (short) I16.get(mem, off) & 0xFFFF;
        if ((word & 3) == 3) {
            long pa2 = translate(pc + 2, Sv39.FETCH);
            if (!ram.contains(pa2, 2)) throw fault(Cause.FETCH_ACCESS, pc + 2);
            word |= ((short) I16.get(mem, (int) (pa2 - ramBase))) << 16;
        }
        decodeInto(SCRATCH, word);
        return SCRATCH;
    }

    /** Decodes {@code word} into decode-cache slot {@code slot}. */
    private void decodeInto(int slot, int word) {
        Decoder.decode(word, 0, decodedPack, decodedImm);
        dc[2 * slot] = (long) word << 32 | (decodedPack[0] & 0xFFFF_FFFFL);
        dc[2 * slot + 1] = decodedImm[0];
    }

    // ================================================================== the interpreter

    /**
     * Executes up to {@code maxInstructions} steps; returns the number taken. Returns early
     * after WFI put the hart to sleep, a device was accessed, a CSR write or xRET may have
     * changed interrupt enables, or {@link #requestSliceEnd} was called. A waiting hart
     * with nothing pending executes nothing and returns 0.
     */
    public long run(long maxInstructions) {
        if (sliceEnd) {
            sliceEnd = false;
            return 0;
        }
        if (waiting) {
            if (pendingInterrupts() == 0) return 0;
            waiting = false;
        }
        translationContextChanged(); // priv is a public field: it may have been set directly
        takeInterrupt();
        final long base = icount;
        long n = 0;
        long pc = this.pc;
        for (;;) {
            try {
                n = loop(pc, n, maxInstructions, base);
                break;
            } catch (Trap t) {
                n = icount - base + 1; // loop() synced icount and pc before the faulting call
                icount = base + n;
                takeTrap(trapCause, trapTval, this.pc);
                pc = this.pc;
            }
        }
        icount = base + n;
        sliceEnd = false;
        return n;
    }

    /** Before anything that may observe icount or pc mid-slice. */
    private void sync(long pc, long base, long n) {
        this.pc = pc;
        this.icount = base + n;
    }

    /**
     * The interpreter loop proper. On a trap, {@code this.pc} holds the faulting pc and
     * {@code this.icount} the steps before it; the caller counts the step and takes the trap.
     */
    private long loop(long pc, long n, long max, long base) {
        final long[] x = this.x;
        final byte[] mem = this.mem;
        final long[] dc = this.dc;
        long fetchVpn = this.fetchVpn, fetchDelta = this.fetchDelta;
        final long[] lTag = this.lTag, lDelta = this.lDelta, sTag = this.sTag, sDelta = this.sDelta;
        final long[] iTag = this.iTag, iDelta = this.iDelta;
        // sliceEnd is only ever set by call-outs; each call site below checks it afterwards
        if (sliceEnd) max = n;
        while (n < max) {
            int slot;
            if ((pc >>> 12) != fetchVpn && iTag[(int) (pc >>> 12) & TLB_MASK] == (pc >>> 12)) {
                fetchVpn = pc >>> 12; // another page already translated: switch without a call
                fetchDelta = iDelta[(int) fetchVpn & TLB_MASK];
            }
            if ((pc >>> 12) == fetchVpn && (pc & 0xFFF) != 0xFFE) {
                int off = (int) (pc + fetchDelta);
                int word = (int) I32.get(mem, off);
                slot = (off >>> 1) & DECODE_MASK;
                if ((int) (dc[2 * slot] >>> 32) != word) decodeInto(slot, word);
            } else {
                sync(pc, base, n);
                slot = fetchSlow(pc);
                fetchVpn = this.fetchVpn;
                fetchDelta = this.fetchDelta;
            }
            final int p = (int) dc[2 * slot];
            final long imm = dc[2 * slot + 1];
            final int rd = (p >>> 8) & 31, rs1 = (p >>> 13) & 31, rs2 = (p >>> 18) & 31;
            final long next = pc + ((p >>> 23) & 7);
            switch (p & 0xFF) {
                case Op.NOP: pc = next; break;
                case Op.LI: x[rd] = imm; pc = next; break;
                case Op.MV: x[rd] = x[rs2]; pc = next; break;
                case Op.AUIPC: x[rd] = pc + imm; pc = next; break;
                case Op.JAL: x[rd] = next; x[0] = 0; pc += imm; break;
                case Op.JALR: { long t = (x[rs1] + imm) & ~1L; x[rd] = next; x[0] = 0; pc = t; break; }
                case Op.BEQ: pc = x[rs1] == x[rs2] ? pc + imm : next; break;
                case Op.BNE: pc = x[rs1] != x[rs2] ? pc + imm : next; break;
                case Op.BLT: pc = x[rs1] < x[rs2] ? pc + imm : next; break;
                case Op.BGE: pc = x[rs1] >= x[rs2] ? pc + imm : next; break;
                case Op.BLTU: pc = Long.compareUnsigned(x[rs1], x[rs2]) < 0 ? pc + imm : next; break;
                case Op.BGEU: pc = Long.compareUnsigned(x[rs1], x[rs2]) >= 0 ? pc + imm : next; break;
                case Op.LB: {
                    long va = x[rs1] + imm; int t = (int) (va >>> 12) & TLB_MASK; long v;
                    if (lTag[t] == (va >>> 12)) v = mem[(int) (va + lDelta[t])];
                    else { sync(pc, base, n); v = (byte) loadSlow(va, 1); if (sliceEnd) max = n + 1; }
                    x[rd] = v; x[0] = 0; pc = next; break;
                }
                case Op.LBU: {
                    long va = x[rs1] + imm; int t = (int) (va >>> 12) & TLB_MASK; long v;
                    if (lTag[t] == (va >>> 12)) v = mem[(int) (va + lDelta[t])] & 0xFFL;
                    else { sync(pc, base, n); v = loadSlow(va, 1); if (sliceEnd) max = n + 1; }
                    x[rd] = v; x[0] = 0; pc = next; break;
                }
                case Op.LH: {
                    long va = x[rs1] + imm; int t = (int) (va >>> 12) & TLB_MASK; long v;
                    if (lTag[t] == (va >>> 12) && (va & 0xFFF) <= 0xFFE) v = (short) I16.get(mem, (int) (va + lDelta[t]));
                    else { sync(pc, base, n); v = (short) loadSlow(va, 2); if (sliceEnd) max = n + 1; }
                    x[rd] = v; x[0] = 0; pc = next; break;
                }
                case Op.LHU: {
                    long va = x[rs1] + imm; int t = (int) (va >>> 12) & TLB_MASK; long v;
                    if (lTag[t] == (va >>> 12) && (va & 0xFFF) <= 0xFFE) v = (short) I16.get(mem, (int) (va + lDelta[t])) & 0xFFFFL;
                    else { sync(pc, base, n); v = loadSlow(va, 2); if (sliceEnd) max = n + 1; }
                    x[rd] = v; x[0] = 0; pc = next; break;
                }
                case Op.LW: {
                    long va = x[rs1] + imm; int t = (int) (va >>> 12) & TLB_MASK; long v;
                    if (lTag[t] == (va >>> 12) && (va & 0xFFF) <= 0xFFC) v = (int) I32.get(mem, (int) (va + lDelta[t]));
                    else { sync(pc, base, n); v = (int) loadSlow(va, 4); if (sliceEnd) max = n + 1; }
                    x[rd] = v; x[0] = 0; pc = next; break;
                }
                case Op.LWU: {
                    long va = x[rs1] + imm; int t = (int) (va >>> 12) & TLB_MASK; long v;
                    if (lTag[t] == (va >>> 12) && (va & 0xFFF) <= 0xFFC) v = (int) I32.get(mem, (int) (va + lDelta[t])) & 0xFFFF_FFFFL;
                    else { sync(pc, base, n); v = loadSlow(va, 4); if (sliceEnd) max = n + 1; }
                    x[rd] = v; x[0] = 0; pc = next; break;
                }
                case Op.LD: {
                    long va = x[rs1] + imm; int t = (int) (va >>> 12) & TLB_MASK; long v;
                    if (lTag[t] == (va >>> 12) && (va & 0xFFF) <= 0xFF8) v = (long) I64.get(mem, (int) (va + lDelta[t]));
                    else { sync(pc, base, n); v = loadSlow(va, 8); if (sliceEnd) max = n + 1; }
                    x[rd] = v; x[0] = 0; pc = next; break;
                }
                case Op.SB: {
                    long va = x[rs1] + imm; int t = (int) (va >>> 12) & TLB_MASK;
                    if (sTag[t] == (va >>> 12)) mem[(int) (va + sDelta[t])] = (byte) x[rs2];
                    else { sync(pc, base, n); storeSlow(va, 1, x[rs2]); if (sliceEnd) max = n + 1; }
                    pc = next; break;
                }
                case Op.SH: {
                    long va = x[rs1] + imm; int t = (int) (va >>> 12) & TLB_MASK;
                    if (sTag[t] == (va >>> 12) && (va & 0xFFF) <= 0xFFE) I16.set(mem, (int) (va + sDelta[t]), (short) x[rs2]);
                    else { sync(pc, base, n); storeSlow(va, 2, x[rs2]); if (sliceEnd) max = n + 1; }
                    pc = next; break;
                }
                case Op.SW: {
                    long va = x[rs1] + imm; int t = (int) (va >>> 12) & TLB_MASK;
                    if (sTag[t] == (va >>> 12) && (va & 0xFFF) <= 0xFFC) I32.set(mem, (int) (va + sDelta[t]), (int) x[rs2]);
                    else { sync(pc, base, n); storeSlow(va, 4, x[rs2]); if (sliceEnd) max = n + 1; }
                    pc = next; break;
                }
                case Op.SD: {
                    long va = x[rs1] + imm; int t = (int) (va >>> 12) & TLB_MASK;
                    if (sTag[t] == (va >>> 12) && (va & 0xFFF) <= 0xFF8) I64.set(mem, (int) (va + sDelta[t]), x[rs2]);
                    else { sync(pc, base, n); storeSlow(va, 8, x[rs2]); if (sliceEnd) max = n + 1; }
                    pc = next; break;
                }
                case Op.ADDI: x[rd] = x[rs1] + imm; pc = next; break;
                case Op.SLTI: x[rd] = x[rs1] < imm ? 1 : 0; pc = next; break;
                case Op.SLTIU: x[rd] = Long.compareUnsigned(x[rs1], imm) < 0 ? 1 : 0; pc = next; break;
                case Op.XORI: x[rd] = x[rs1] ^ imm; pc = next; break;
                case Op.ORI: x[rd] = x[rs1] | imm; pc = next; break;
                case Op.ANDI: x[rd] = x[rs1] & imm; pc = next; break;
                case Op.SLLI: x[rd] = x[rs1] << imm; pc = next; break;
                case Op.SRLI: x[rd] = x[rs1] >>> imm; pc = next; break;
                case Op.SRAI: x[rd] = x[rs1] >> imm; pc = next; break;
                case Op.ADD: x[rd] = x[rs1] + x[rs2]; pc = next; break;
                case Op.SUB: x[rd] = x[rs1] - x[rs2]; pc = next; break;
                case Op.SLL: x[rd] = x[rs1] << x[rs2]; pc = next; break;
                case Op.SLT: x[rd] = x[rs1] < x[rs2] ? 1 : 0; pc = next; break;
                case Op.SLTU: x[rd] = Long.compareUnsigned(x[rs1], x[rs2]) < 0 ? 1 : 0; pc = next; break;
                case Op.XOR: x[rd] = x[rs1] ^ x[rs2]; pc = next; break;
                case Op.SRL: x[rd] = x[rs1] >>> x[rs2]; pc = next; break;
                case Op.SRA: x[rd] = x[rs1] >> x[rs2]; pc = next; break;
                case Op.OR: x[rd] = x[rs1] | x[rs2]; pc = next; break;
                case Op.AND: x[rd] = x[rs1] & x[rs2]; pc = next; break;
                case Op.ADDIW: x[rd] = (int) (x[rs1] + imm); pc = next; break;
                case Op.SLLIW: x[rd] = (int) x[rs1] << imm; pc = next; break;
                case Op.SRLIW: x[rd] = (int) x[rs1] >>> imm; pc = next; break;
                case Op.SRAIW: x[rd] = (int) x[rs1] >> imm; pc = next; break;
                case Op.ADDW: x[rd] = (int) (x[rs1] + x[rs2]); pc = next; break;
                case Op.SUBW: x[rd] = (int) (x[rs1] - x[rs2]); pc = next; break;
                case Op.SLLW: x[rd] = (int) x[rs1] << (int) x[rs2]; pc = next; break;
                case Op.SRLW: x[rd] = (int) x[rs1] >>> (int) x[rs2]; pc = next; break;
                case Op.SRAW: x[rd] = (int) x[rs1] >> (int) x[rs2]; pc = next; break;
                case Op.MUL: x[rd] = x[rs1] * x[rs2]; pc = next; break;
                case Op.MULW: x[rd] = (int) x[rs1] * (int) x[rs2]; pc = next; break;
                case Op.MULH: x[rd] = Math.multiplyHigh(x[rs1], x[rs2]); pc = next; break;
                case Op.MULHSU: { long a = x[rs1], b = x[rs2]; x[rd] = Math.multiplyHigh(a, b) + ((b >> 63) & a); pc = next; break; }
                case Op.MULHU: { long a = x[rs1], b = x[rs2]; x[rd] = Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a); pc = next; break; }
                // division by zero: quotient all ones, remainder the dividend; MIN/-1 is right in Java
                case Op.DIV: { long b = x[rs2]; x[rd] = b == 0 ? -1 : x[rs1] / b; pc = next; break; }
                case Op.DIVU: { long b = x[rs2]; x[rd] = b == 0 ? -1 : Long.divideUnsigned(x[rs1], b); pc = next; break; }
                case Op.REM: { long b = x[rs2]; x[rd] = b == 0 ? x[rs1] : x[rs1] % b; pc = next; break; }
                case Op.REMU: { long b = x[rs2]; x[rd] = b == 0 ? x[rs1] : Long.remainderUnsigned(x[rs1], b); pc = next; break; }
                case Op.DIVW: { int b = (int) x[rs2]; x[rd] = b == 0 ? -1 : (int) x[rs1] / b; pc = next; break; }
                case Op.DIVUW: { int b = (int) x[rs2]; x[rd] = b == 0 ? -1 : Integer.divideUnsigned((int) x[rs1], b); pc = next; break; }
                case Op.REMW: { int b = (int) x[rs2]; x[rd] = b == 0 ? (int) x[rs1] : (int) x[rs1] % b; pc = next; break; }
                case Op.REMUW: { int b = (int) x[rs2]; x[rd] = b == 0 ? (int) x[rs1] : Integer.remainderUnsigned((int) x[rs1], b); pc = next; break; }
                case Op.ILLEGAL:
                    sync(pc, base, n);
                    throw fault(Cause.ILLEGAL_INSTRUCTION, imm);
                default:
                    sync(pc, base, n);
                    pc = RareOps.exec(this, p & 0xFF, rd, rs1, rs2, imm, pc, next);
                    fetchVpn = this.fetchVpn; // CSR writes and xRET may have flushed the TLBs
                    fetchDelta = this.fetchDelta;
                    if (sliceEnd) max = n + 1;
                    break;
            }
            n++;
        }
        this.pc = pc;
        return n;
    }
}
