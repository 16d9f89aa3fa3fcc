package dev.tinyos.core.cpu;

import dev.tinyos.core.Bus;
import dev.tinyos.core.TimeSource;
import dev.tinyos.core.probe.AccessProbe;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One RV64IMAC + Zicsr + Zifencei + Sstc hart with M, S and U modes and Sv39 (privileged spec 1.12).
 *
 * <p>The hart is split by role. This class holds the architectural state (x, pc, priv, the
 * CSRs and PMP registers: exactly what digests and checkpoints serialize), takes interrupts and
 * traps, and hosts the probe hooks. {@link Mmu} translates and holds the TLBs and the slow
 * paths of memory accesses; {@link BlockCache} holds the decoded blocks; {@link Interpreter}
 * runs them ({@link #run} delegates to it). Each instruction's semantics is written once, in
 * {@link Semantics} (the out-of-line ops in {@link RareOps}). Decoded instructions have the
 * layout of {@link Packed}.
 *
 * <p>Choices where the spec leaves freedom: misaligned loads/stores are performed (both pages
 * translated when they straddle one), misaligned atomics raise address-misaligned; EBREAK
 * and ECALL write tval 0 (as QEMU 7.2); the LR reservation is dropped by every trap and SC;
 * mcountinhibit is stored but does not freeze the counters; triggers are absent (tselect
 * and tdata1-3 read 0).
 *
 * <p>Invariants: {@code x[0]} reads 0 between instructions; {@code priv} is one of
 * {@link #PRIV_U}, {@link #PRIV_S}, {@link #PRIV_M}; TLB entries are exactly what a walk in
 * the current (priv, mstatus.MPRV/MPP/SUM/MXR, satp) would give (the Mmu keeps them across a
 * switch or an SFENCE.VMA only while no page-table page was written since they were made);
 * store-TLB entries exist only for pages whose PTE D bit is set, which were marked dirty
 * in {@link Ram} and whose stores Ram does not track ({@link Ram#storesTracked} false). A cached block
 * is valid iff its key equals (generation of its page, offset of its start); a block link
 * is valid iff it was recorded in the current code epoch, which every code write, eviction
 * and translation flush ends. {@code icount} counts steps (retired or trapping instructions);
 * {@code minstret} = icount - exceptions taken + software offset; {@code mcycle} = icount +
 * software offset. A WFI with nothing pending puts the hart in a waiting state that
 * {@link #takeInterrupt} (or a pending interrupt seen by {@link #run}) ends. The TLB and
 * block-cache invariants are stated in {@link Mmu} and {@link BlockCache}.
 */
public final class Hart {
    public static final int PRIV_U = 0;
    public static final int PRIV_S = 1;
    public static final int PRIV_M = 3;

    static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Integer registers; x[0] always reads 0. Outside this package: {@link #x(int)}, {@link #setX}. */
    final long[] x = new long[32];
    /** Address of the next instruction to execute. Outside this package: {@link #pc()}, {@link #setPc}. */
    long pc;
    /** Current privilege: PRIV_U, PRIV_S or PRIV_M. Outside this package: {@link #priv()}. */
    int priv = PRIV_M;

    final Bus bus;
    /** Translation, TLBs and the slow paths of memory accesses. */
    final Mmu mmu;
    /** The decoded blocks the loop runs. */
    final BlockCache blocks;
    /** The engine that executes instructions. */
    final Interpreter interpreter;
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
    /** Sstc: STIP is pending while time >= stimecmp (unsigned), if menvcfg.STCE. */
    long stimecmp;
    long mcycleOffset, minstretOffset;
    final long[] pmpcfg = new long[8];
    final long[] pmpaddr = new long[64];
    /** PMP summary ({@link Pmp#configure}): entries to scan, any locked, any region not page-aligned. */
    int pmpActive;
    boolean pmpLocked, pmpFine;

    // ---- execution state
    long icount;
    long exceptions;
    boolean waiting;
    boolean sliceEnd;
    long reservation = -1;
    private TrapListener trapListener;
    long trapCause, trapTval;


    // ---- probes (see setProbes): a block whose first instruction lies at a probed page offset
    // carries PROBED in its key, which the loop never matches, so every entry into it goes
    // through run(), which calls the probes; blocks end before any probed page offset
    private PcListener pcProbe;
    AccessProbe accessProbe;
    /**
     * The step (icount) and pc the pc probes were last called for: a probe that ends the slice
     * (requestSliceEnd) makes run() return before that instruction, and the next run() must not
     * call the probes for it again.
     */
    private long firedIcount = -1, firedPc;

    public Hart(Bus bus, TimeSource time) {
        this.bus = bus;
        this.ram = bus.ram();
        this.time = time;
        this.mem = ram.data;
        this.ramBase = ram.base;
        if ((ramBase & 0xFFF) != 0) throw new IllegalArgumentException("RAM base must be 4 KiB aligned");
        this.mmu = new Mmu(this, bus);
        this.blocks = new BlockCache(this, mmu, ram);
        this.interpreter = new Interpreter(this, mmu, blocks, ram);
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
        stimecmp = 0;
        mcycleOffset = minstretOffset = 0;
        Arrays.fill(pmpcfg, 0);
        Arrays.fill(pmpaddr, 0);
        Pmp.configure(this);
        icount = exceptions = 0;
        firedIcount = -1;
        waiting = sliceEnd = false;
        reservation = -1;
        flushTlb();
    }

    /** Address of the next instruction (exact between run() calls); observers use {@code MachineView.pc}. */
    public long pc() {
        return pc;
    }

    /** Integer register {@code reg} (x0 reads 0); observers use {@code MachineView.x}. */
    public long x(int reg) {
        return x[reg];
    }

    /** Current privilege: PRIV_U, PRIV_S or PRIV_M; observers use {@code MachineView.priv}. */
    public int priv() {
        return priv;
    }

    /**
     * Sets integer register {@code reg} (1..31) between runs: for whoever sets the hart up (the
     * machine's boot arguments, tests of the bare hart). Nothing that observes a run calls it.
     */
    public void setX(int reg, long value) {
        if (reg < 1 || reg > 31) {
            throw new IllegalArgumentException("x" + reg + " is not a writable register");
        }
        x[reg] = value;
    }

    /**
     * Places the hart at {@code pc} in privilege {@code priv} between runs, changing nothing
     * else (no TLB flush, no CSR): only for tests that plant a state on a bare hart.
     */
    public void placeAt(long pc, int priv) {
        this.pc = pc;
        this.priv = priv;
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

    /**
     * mip as software reads it: hardware lines OR software-written bits; with menvcfg.STCE,
     * STIP is instead the Sstc comparison {@code time >= stimecmp} (unsigned).
     */
    long mip() {
        long v = mip | mipLines;
        if ((menvcfg & Csr.MENVCFG_STCE) != 0) {
            v &= ~Csr.MIP_STIP;
            if (Long.compareUnsigned(time.mtime(), stimecmp) >= 0) v |= Csr.MIP_STIP;
        }
        return v;
    }

    /** True if Sstc is enabled (menvcfg.STCE): then {@link #stimecmp()} drives mip.STIP. */
    public boolean sstcEnabled() {
        return (menvcfg & Csr.MENVCFG_STCE) != 0;
    }

    /** The Sstc compare value (mtime units). */
    public long stimecmp() {
        return stimecmp;
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

    /**
     * Debug translation: the physical address a load from {@code va} at the current data
     * privilege would reach, or -1 if the page table maps nothing there. Checks no permission,
     * changes nothing (no A/D update, no TLB fill, no probe call, no fault).
     */
    public long debugTranslate(long va) {
        int ep = mmu.dataPriv();
        if (ep == PRIV_M || (satp >>> Csr.SATP_MODE_SHIFT) != Csr.SATP_MODE_SV39) return va;
        return Sv39.peek(ram, satp, va);
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

    /**
     * Attaches probes (package {@code dev.tinyos.core.probe}; normally through its Probes).
     * {@code onPc} is called before every instruction whose pc has the page offset of one of
     * {@code pcs} (it filters the exact pc itself), with pc and icount synced; {@code onAccess}
     * (null: none) switches {@link #run} to the instrumented path ({@link #runProbed}), which
     * reports every fetch, load, store and PTE read. Drops every cached block. Neither changes
     * what the hart computes.
     */
    public void setProbes(long[] pcs, PcListener onPc, AccessProbe onAccess) {
        pcProbe = pcs.length == 0 ? null : onPc;
        accessProbe = onAccess;
        blocks.setProbedPcs(pcProbe == null ? new long[0] : pcs);
    }

    /** Before the instruction at pc (pc and icount synced): calls the pc probes, once per step. */
    void probe(long pc) {
        PcListener p = pcProbe;
        if (p == null || !blocks.pcProbedAt(pc) || (icount == firedIcount && pc == firedPc)) return;
        firedIcount = icount;
        firedPc = pc;
        p.atPc(this, pc);
    }

    /** Reports a data access of the instruction at pc (pc, icount synced), after its fetch. */
    void reportAccess(int kind, long va, long pa, int size) {
        AccessProbe a = accessProbe;
        if (a != null) a.access(kind, va, pa, size, mmu.dataPriv(), pc);
    }

    /** Reports a PTE read at {@code pteAddr} while translating {@code va} at privilege {@code ep}. */
    void reportWalk(long va, long pteAddr, int ep) {
        AccessProbe a = accessProbe;
        if (a != null) a.access(AccessProbe.PTW, va, pteAddr, 8, ep, pc);
    }

    /** Writes the architectural state a checkpoint holds ({@link HartState}). */
    public void save(dev.tinyos.core.state.StateWriter w) {
        HartState.save(this, w);
    }

    /** Restores what {@link #save} wrote; drops every TLB entry and decoded block. */
    public void restore(dev.tinyos.core.state.StateReader r) {
        HartState.restore(this, r);
    }

    /**
     * Drops every cache derived from memory and translation state (TLBs, decoded blocks, code
     * page marks), as after a restore that rewrote RAM behind the hart's back.
     */
    void dropCaches() {
        firedIcount = -1;
        ram.forgetCode();
        mmu.reset();
        blocks.clear();
    }

    /** Drops every cached translation (after {@link Ram#clearDirty()}, {@link #dropStoreTranslations()} is enough). */
    public void flushTlb() {
        mmu.flushTlb();
    }

    /**
     * Drops every fast store translation (after {@link Ram#takeDirtyPages()}: the next store to
     * any page goes through {@link Ram} and marks it again). Fetch and load translations and the
     * links between cached blocks stay.
     */
    public void dropStoreTranslations() {
        mmu.dropStoreTranslations();
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
        mmu.translationContextChanged();
        TrapListener l = trapListener;
        if (l != null) l.onTrap(cause, tval, epc, from, priv);
    }

    /** PMP CSRs changed: new summary, no cached translation survives, the run loop re-dispatches. */
    void pmpChanged() {
        Pmp.configure(this);
        flushTlb();
        sliceEnd = true;
    }

    /**
     * Executes up to {@code maxInstructions} steps; returns the number taken. Returns early
     * after WFI put the hart to sleep, a device was accessed, a CSR write or xRET may have
     * changed interrupt enables, or {@link #requestSliceEnd} was called. A waiting hart
     * with nothing pending executes nothing and returns 0.
     */
    public long run(long maxInstructions) {
        return interpreter.run(maxInstructions);
    }
}
