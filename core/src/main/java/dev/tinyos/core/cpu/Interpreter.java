package dev.tinyos.core.cpu;

import dev.tinyos.core.Engine;
import dev.tinyos.core.probe.AccessProbe;

import static dev.tinyos.core.cpu.Hart.I16;
import static dev.tinyos.core.cpu.Hart.I32;
import static dev.tinyos.core.cpu.Hart.I64;

/**
 * The engine that runs a {@link Hart}: {@link #loop}, the interpreter over the decoded blocks
 * of {@link BlockCache} with the TLBs of {@link Mmu}, whose {@code case} of each instruction calls
 * its one definition in {@link Semantics}; {@link #run}, which does the slow work between calls
 * of the loop; and the
 * instrumented path {@link #runProbed}, which is the same loop entered one instruction at a
 * time with data TLBs that never hit.
 *
 * <p>How it runs: {@link #run} executes basic blocks. A block is the run of decoded
 * instructions from a start address up to and including the first jump (JAL, JALR), illegal
 * or out-of-line instruction (system, CSR, FENCE/FENCE.I, atomics, a load into x0), the end
 * of the 4 KiB page, or {@link BlockCache#MAX_BLOCK} instructions; a conditional branch leaves the
 * block only when taken. Blocks live in a direct-mapped cache keyed by the physical RAM
 * offset of their first instruction and the code generation of their page
 * ({@link Ram#codeGen}); executing one is a loop over flat preallocated arrays with no fetch
 * per instruction, pc kept as the block's start plus each instruction's offset, and the
 * instruction budget checked once per block. A taken branch, JAL or JALR remembers the block
 * it led to (a link, valid for one {@link Ram#codeEpoch}), so a hot loop goes from block to
 * block without looking anything up.
 *
 * <p>Self-modifying code: building a block marks its lines as code in {@link Ram#markCode};
 * the MMU then keeps no fast store translation for that page, so every store to it goes
 * through {@link Ram}, which bumps the page's generation (and the code epoch) when a code
 * line is hit; DMA writes do the same. A stale block is rebuilt the next time it is entered.
 * A store into the block being executed takes effect when that block ends (the spec requires
 * FENCE.I, which ends a block, for any guarantee). A 32-bit instruction straddling a page is
 * never cached: it is fetched (both halves translated) and decoded afresh each time.
 *
 * <p>Loads and stores hit RAM directly through direct-mapped software TLBs (load, store,
 * fetch) whose entries were permission-checked for the current translation context; TLB
 * flushes clear only the entries filled since the last one. The loop method makes no call in
 * the middle of a block: a load or store that misses its TLB, an illegal instruction, or a
 * block that is not at hand makes it return to {@link #run}, which does the slow work and
 * enters it again, continuing the same block where it can. (A call on a cold path inside the
 * block costs C2's register allocation of the hot path dearly: measured, about a third of
 * the speed.) Out-of-line ops (system, CSR, atomics: {@link RareOps}) end their block, so
 * they are called from the loop. The loop method stays far below HotSpot's 8000-bytecode
 * limit so C2 compiles it.
 *
 * <p>Probes ({@link Hart#setProbes}) cost the plain path nothing: a block never extends past a
 * probed page offset and a block starting at one carries a key bit the loop never matches,
 * so only entries into those blocks go through {@link #run}, which calls the probe before
 * the block executes; no block link leads into them. An access probe makes {@link #run} use
 * the instrumented path ({@link #runProbed}): the same loop, entered one instruction at a
 * time with data TLBs that never hit, so it reports every fetch, load, store and page-table
 * read. No instruction's semantics is written here: the {@code case}s of {@link #loop} call
 * the methods of {@link Semantics} (as the compiled regions do), the slow path of loads and
 * stores ({@code slowInstruction}) takes their width from {@link Op#accessSize} and their
 * sign or zero extension from {@link Semantics#loadResult}, and the out-of-line ops live in
 * {@link RareOps}. The packed form of a decoded instruction is {@link Packed}.
 *
 * <p>The compiler (engine {@code jit}, the default; {@link dev.tinyos.core.Engine},
 * docs/engine.md): at the entry of a block whose slot holds a compiled {@link Region} (made by
 * {@link RegionCompiler} once the block is hot) and which fits the budget, the loop returns
 * {@code EXIT_REGION}; {@link #run} then hands over to the {@link RegionDriver}, which runs
 * regions back to back until the next block has none, and resumes the loop where the last
 * region left (a block's start, or an entry it handed back: a TLB miss or an op it does not
 * compile).
 *
 * <p>Invariants: between {@link #run} calls the hart's pc and icount are exact; inside the loop
 * they live in locals and are synced before anything that may observe them (an out-of-line op,
 * a slow access, a probe, a trap). The loop method makes no call in the middle of a block and
 * stays under HotSpot's 8,000-bytecode limit (about 4,000 today), so C2 compiles it.
 */
final class Interpreter {
    private final Hart h;
    private final Mmu mmu;
    private final BlockCache blocks;
    private final Ram ram;
    private final byte[] mem;
    private final long ramBase;

    Interpreter(Hart h, Mmu mmu, BlockCache blocks, Ram ram) {
        this.h = h;
        this.mmu = mmu;
        this.blocks = blocks;
        this.ram = ram;
        this.mem = ram.data;
        this.ramBase = ram.base;
        this.jitEnabled = Engine.compilerOn();
        this.driver = new RegionDriver(h, mmu, blocks, ram);
        this.jitThreshold = Math.max(1, Integer.getInteger(JIT_PROPERTY + ".threshold", 200));
    }

    /** The system property that switches the compiler of hot blocks on (off by default). */
    static final String JIT_PROPERTY = Engine.PROPERTY;
    /** Entries into a block before it is compiled (system property tinyos.jit.threshold). */
    private final int jitThreshold;
    /** The compiler is on for this hart ({@link #JIT_PROPERTY} when it was built). */
    private final boolean jitEnabled;
    /** The compiler is used in the current run(): on, and not on the instrumented path. */
    private boolean jitNow;
    /** Runs compiled regions (when the compiler is on). */
    final RegionDriver driver;

    // ---- the fields of a pack (Packed) as loop() reads them: constant shifts, no calls (a
    // call in the loop, even one HotSpot inlines, counts against its inlining budget)
    private static final int RD = Packed.RD_SHIFT, RS1 = Packed.RS1_SHIFT, RS2 = Packed.RS2_SHIFT;
    private static final int LEN = Packed.LEN_SHIFT, AT = Packed.AT_SHIFT - 1; // at: halfwords to bytes

    // ---- how loop() ended (it makes no calls: everything slow is done by run() in between)
    private static final int EXIT_DONE = -1, EXIT_LOOKUP = -2, EXIT_REGION = -3;
    /**
     * EXIT_DONE, EXIT_LOOKUP (find the block at pc), EXIT_REGION (the block at pc has a compiled
     * region that fits the budget) or the block entry to run slowly at pc.
     */
    private int exitEntry;
    /**
     * With EXIT_REGION: the block at {@code h.pc} whose region runs first. The loop may have
     * reached it through a block link, which needs no fetch translation at hand (the fetch TLB
     * is direct-mapped: another page may have taken the entry since the link was made), so the
     * driver starts with it rather than looking it up.
     */
    private int exitRegionBlock;
    /** With EXIT_LOOKUP: the entry whose link should name the block found, or -1. */
    private int exitLink;
    /**
     * With EXIT_DONE after a loop of one step ({@link #runProbed}): the entry after the one
     * executed if execution fell through to it (it may be the block's end), else -1.
     */
    private int exitFellAt;
    /** With an entry: pc of the first instruction of its block. */
    private long exitBlockPc;
    /** If not -1, loop() starts by continuing this block at resumeEntry (block based at resumePc). */
    private int resumeBlock = -1, resumeEntry;
    private long resumePc;

    /**
     * Executes up to {@code maxInstructions} steps; returns the number taken. Returns early
     * after WFI put the hart to sleep, a device was accessed, a CSR write or xRET may have
     * changed interrupt enables, or {@link Hart#requestSliceEnd} was called. A waiting hart
     * with nothing pending executes nothing and returns 0.
     */
    long run(long maxInstructions) {
        if (h.sliceEnd) {
            h.sliceEnd = false;
            return 0;
        }
        if (h.waiting) {
            if (h.pendingInterrupts() == 0) return 0;
            h.waiting = false;
        }
        mmu.translationContextChanged(); // priv is a public field: it may have been set directly
        h.takeInterrupt();
        final long base = h.icount;
        long n = 0;
        long pc = h.pc;
        boolean instrumented = h.accessProbe != null || h.pmpFine;
        mmu.setInstrumented(instrumented);
        jitNow = jitEnabled && !instrumented && !blocks.probing;
        if (instrumented) return runProbed(maxInstructions);
        resumeBlock = -1;
        for (;;) {
            try {
                n = loop(pc, n, maxInstructions, base);
                pc = h.pc;
                int e = exitEntry;
                if (e == EXIT_DONE) break;
                if (e == EXIT_REGION) {
                    final long n0 = n, pc0 = pc;
                    n = driver.drive(pc, n, maxInstructions, exitRegionBlock, base);
                    pc = driver.pc;
                    final int x = driver.exit;
                    if (x >= 0) { // the interpreter runs entry x of the block at pc
                        sync(pc, base, n);
                        final int blk = blocks.blockAt(pc);
                        resume(blk, (blk << BlockCache.MAX_BLOCK_SHIFT) + x, pc);
                        pc += Packed.at((int) blocks.bOps[(blk << BlockCache.MAX_BLOCK_SHIFT) + x]);
                    } else if (n == n0 && pc == pc0) {
                        throw new IllegalStateException("no region ran at " + Long.toHexString(pc));
                    }
                    continue;
                }
                sync(pc, base, n);
                if (e == EXIT_LOOKUP) {
                    int blk = blocks.blockAt(pc);
                    boolean probed = blocks.probing && blocks.pcProbedAt(pc);
                    if (exitLink >= 0 && blk != BlockCache.SCRATCH && !probed) {
                        blocks.bLink[exitLink] = (long) ram.codeEpoch << 32 | blk;
                        blocks.bLinkPc[exitLink] = pc;
                    }
                    if (probed) h.probe(pc);
                    // with the compiler on, the loop looks a cacheable block up again, so its
                    // first entry counts (and may run compiled) like every other
                    if (!jitNow || probed || blk == BlockCache.SCRATCH) resume(blk, blk << BlockCache.MAX_BLOCK_SHIFT, pc);
                    continue;
                }
                pc = slowInstruction(e, pc);
                n++;
                if (h.sliceEnd || n >= maxInstructions) break;
                int op = Packed.op((int) blocks.bOps[e]);
                if (op >= Op.LB && op <= Op.SD) resume(e >>> BlockCache.MAX_BLOCK_SHIFT, e + 1, exitBlockPc);
            } catch (Trap t) {
                n = h.icount - base + 1; // pc and icount were synced before the faulting call
                h.icount = base + n;
                h.takeTrap(h.trapCause, h.trapTval, h.pc);
                pc = h.pc;
                resumeBlock = -1;
            }
        }
        h.pc = pc;
        h.icount = base + n;
        h.sliceEnd = false;
        return n;
    }

    // ================================================================== the instrumented path

    /**
     * {@link #run} while an access probe is attached, or while a PMP region boundary lies inside
     * a page (then each instruction's fetch is checked here and no load or store translation is
     * cached): the same {@link #loop}, run one instruction at a time with probe-forcing
     * settings. Before each instruction it calls the pc probes and reports the fetch; the loop
     * then runs with a budget of one step and with data TLBs that never hit
     * ({@link Mmu#setInstrumented}), so every load and store leaves it for
     * {@link #slowInstruction}, which reports the access. No instruction's semantics is written
     * here: this is the plain loop, entered block entry by block entry (through
     * {@link #resume}), so a block is left exactly where the plain path leaves it (a jump, a
     * taken branch, an out-of-line op, a trap, its end) and even a store into the running block
     * takes effect at the same step.
     */
    private long runProbed(long max) {
        final long base = h.icount;
        final AccessProbe a = h.accessProbe;
        long n = 0, pc = h.pc, blockPc = 0;
        int blk = 0, e = 0, end = 0, blockOff = 0;
        while (n < max) {
            try {
                h.pc = pc;
                h.icount = base + n;
                if (e >= end) { // enter the block at pc (may fault on the fetch)
                    blk = blocks.blockAt(pc);
                    e = blk << BlockCache.MAX_BLOCK_SHIFT;
                    end = e + blocks.bLen[blk];
                    blockPc = pc;
                    blockOff = (int) (pc + mmu.fetchDelta);
                }
                h.probe(pc);
                if (h.sliceEnd) break; // a probe asked to stop before this instruction
                int off = blockOff + (int) (pc - blockPc);
                int len = (mem[off] & 3) == 3 ? 4 : 2;
                if (h.pmpFine) mmu.pmpCheck(pc, ramBase + off, Math.min(len, 4096 - (off & 0xFFF)), Sv39.FETCH, h.priv);
                if (a != null) a.access(AccessProbe.FETCH, pc, ramBase + off, len, h.priv, pc);
                resume(blk, e, blockPc);
                long taken = loop(pc, n, n + 1, base) - n;
                if (exitEntry >= 0) { // a load, a store or an illegal instruction: out of line
                    pc = slowInstruction(e, pc);
                    n++;
                    e++; // an illegal instruction threw: only loads and stores get here
                } else {
                    n += taken;
                    pc = h.pc;
                    e = exitFellAt >= 0 ? exitFellAt : end; // fell through, or left the block
                }
                if (h.sliceEnd) break;
            } catch (Trap t) {
                n = h.icount - base + 1; // pc and icount are synced to the faulting instruction
                h.icount = base + n;
                h.takeTrap(h.trapCause, h.trapTval, h.pc);
                pc = h.pc;
                e = end = 0;
            }
        }
        h.pc = pc;
        h.icount = base + n;
        h.sliceEnd = false;
        return n;
    }

    /** Makes the next {@link #loop} continue block {@code blk}, based at {@code blockPc}, at entry {@code e}. */
    private void resume(int blk, int e, long blockPc) {
        resumeBlock = blk;
        resumeEntry = e;
        resumePc = blockPc;
    }

    /**
     * Executes the instruction at block entry {@code e} (at {@code pc}, synced) that the loop
     * left to the slow path: a load or store that missed its TLB, or an illegal instruction.
     * Returns the next pc; throws {@link Trap} without side effects.
     */
    private long slowInstruction(int e, long pc) {
        final long[] x = h.x;
        final int p = (int) blocks.bOps[e];
        final long imm = blocks.bImm[e];
        final int rd = Packed.rd(p), rs1 = Packed.rs1(p), rs2 = Packed.rs2(p);
        final long next = pc + Packed.len(p);
        final long va = Semantics.effectiveAddress(x[rs1], imm);
        final int op = Packed.op(p);
        switch (op) {
            case Op.LB: case Op.LH: case Op.LW: case Op.LD: case Op.LBU: case Op.LHU: case Op.LWU:
                x[rd] = Semantics.loadResult(op, mmu.loadSlow(va, Op.accessSize(op)));
                break;
            case Op.SB: case Op.SH: case Op.SW: case Op.SD:
                mmu.storeSlow(va, Op.accessSize(op), x[rs2]);
                break;
            case Op.ILLEGAL: throw h.fault(Cause.ILLEGAL_INSTRUCTION, imm);
            default: return RareOps.exec(h, op, rd, rs1, rs2, imm, pc, next);
        }
        x[0] = 0;
        return next;
    }

    /** Before anything that may observe icount or pc mid-slice. */
    private void sync(long pc, long base, long n) {
        h.pc = pc;
        h.icount = base + n;
    }

    /**
     * The interpreter loop proper. Inside a block it calls nothing (a call on a cold path still
     * costs the hot path its registers), so it leaves slow cases to {@link #run}; only the
     * out-of-line ops, which end their block, are called from here. Returns the steps taken so
     * far with {@link #exitEntry} saying why: EXIT_DONE (budget used up or slice ended; pc
     * stored), EXIT_LOOKUP (the block at {@code h.pc} is not at hand), or the entry of a
     * load, store or illegal instruction to run slowly at {@code h.pc} (steps counted up to,
     * not including, it). On a trap from an out-of-line op, pc and icount are synced to it.
     */
    private long loop(long pc, long n, long max, long base) {
        final long[] x = h.x;
        final byte[] mem = this.mem;
        final BlockCache blocks = this.blocks;
        final int[] bLen = blocks.bLen, codeGen = blocks.codeGen;
        final long[] bOps = blocks.bOps, bKey = blocks.bKey;
        final Mmu mmu = this.mmu;
        long fetchVpn = mmu.fetchVpn, fetchDelta = mmu.fetchDelta;
        final long[] lTag = mmu.loopLoadTags, lDelta = mmu.lDelta, sTag = mmu.loopStoreTags, sDelta = mmu.sDelta;
        final long[] iTag = mmu.iTag, iDelta = mmu.iDelta, bLink = blocks.bLink;
        final Ram ram = this.ram;
        // the next block, when a valid link named it; after a fall-through, -2 - the entry it fell
        // to (runProbed reads it; no other test than chained >= 0 is ever made)
        int chained = -1;
        int linkFrom = -1; // the entry whose link the next lookup should record
        int slowAt = -1; // the entry to leave to run()
        boolean lookup = false, toRegion = false;
        int resumed = resumeBlock, i = resumeEntry;
        resumeBlock = -1;
        final boolean jit = jitNow;
        if (h.sliceEnd) max = n;
        blocks:
        while (n < max) {
            // pc is the address of the block's first instruction until the block ends; an
            // instruction's own address is pc + its offset (pack bits 26-31, in halfwords)
            int blk;
            if (resumed >= 0) {
                blk = resumed;
                pc = resumePc;
                resumed = -1;
            } else {
                if (chained >= 0) {
                    blk = chained;
                    chained = -1;
                } else {
                    if ((pc >>> 12) != fetchVpn) {
                        if (iTag[(int) (pc >>> 12) & Mmu.TLB_MASK] != (pc >>> 12)) {
                            lookup = true;
                            break;
                        }
                        fetchVpn = pc >>> 12; // another page already translated: switch to it
                        fetchDelta = iDelta[(int) fetchVpn & Mmu.TLB_MASK];
                    }
                    final int off = (int) (pc + fetchDelta);
                    blk = ((off >>> 1) ^ (off >>> 14)) & BlockCache.BLOCK_MASK; // as BlockCache.blockIndex()
                    if (bKey[blk] != ((long) codeGen[off >>> 12] << 32 | off)) {
                        lookup = true;
                        break;
                    }
                    if (linkFrom >= 0) {
                        if (blk != BlockCache.SCRATCH) {
                            bLink[linkFrom] = (long) ram.codeEpoch << 32 | blk;
                            blocks.bLinkPc[linkFrom] = pc;
                        }
                        linkFrom = -1;
                    }
                }
                i = blk << BlockCache.MAX_BLOCK_SHIFT;
                // a compiled region runs (in run(), through the driver) only if all of its
                // entry block fits in the budget, so it stops where the interpreter stops
                if (jit && max - n >= bLen[blk]
                        && (blocks.compiled[blk] != null || ++blocks.heat[blk] == jitThreshold && blocks.compile(blk, jitThreshold, pc) != null)) {
                    toRegion = true;
                    exitRegionBlock = blk;
                    break;
                }
            }
            final long nb = n - i; // steps taken before instruction i of this block: nb + i
            final int end = (int) Math.min((blk << BlockCache.MAX_BLOCK_SHIFT) + bLen[blk], i + (max - n));
            for (; i < end; i++) {
                final long op = bOps[i];
                final int p = (int) op;
                final long imm = op >> 32; // exact for every op this loop executes inline
                final int rd = (p >>> RD) & 31, rs1 = (p >>> RS1) & 31, rs2 = (p >>> RS2) & 31;
                switch (p & Packed.OP_MASK) {
                    case Op.NOP: break;
                    case Op.LI: x[rd] = Semantics.li(imm); break;
                    case Op.MV: x[rd] = x[rs2]; break;
                    case Op.AUIPC: x[rd] = Semantics.auipc(pc + ((p >>> AT) & 0x7E), imm); break;
                    case Op.JAL: {
                        long cur = pc + ((p >>> AT) & 0x7E), t = cur + imm;
                        x[rd] = cur + ((p >>> LEN) & 7); n = nb + i + 1;
                        long lk = bLink[i];
                        if ((int) (lk >>> 32) == ram.codeEpoch && blocks.bLinkPc[i] == t) chained = (int) lk;
                        else linkFrom = i;
                        pc = t; continue blocks;
                    }
                    case Op.JALR: {
                        long t = Semantics.jalrTarget(x[rs1], imm);
                        x[rd] = pc + ((p >>> AT) & 0x7E) + ((p >>> LEN) & 7); n = nb + i + 1;
                        long lk = bLink[i];
                        if ((int) (lk >>> 32) == ram.codeEpoch && blocks.bLinkPc[i] == t) chained = (int) lk;
                        else linkFrom = i;
                        pc = t; continue blocks;
                    }
                    case Op.J: {
                        long t = pc + ((p >>> AT) & 0x7E) + imm;
                        n = nb + i + 1;
                        long lk = bLink[i];
                        if ((int) (lk >>> 32) == ram.codeEpoch && blocks.bLinkPc[i] == t) chained = (int) lk;
                        else linkFrom = i;
                        pc = t; continue blocks;
                    }
                    case Op.JR: {
                        long t = Semantics.jalrTarget(x[rs1], imm);
                        n = nb + i + 1;
                        long lk = bLink[i];
                        if ((int) (lk >>> 32) == ram.codeEpoch && blocks.bLinkPc[i] == t) chained = (int) lk;
                        else linkFrom = i;
                        pc = t; continue blocks;
                    }
                    case Op.BEQ:
                        if (!Semantics.beq(x[rs1], x[rs2])) break; // not taken: the block goes on
                        {
                            long t = pc + ((p >>> AT) & 0x7E) + imm;
                            n = nb + i + 1;
                            long lk = bLink[i]; // same-page targets only: valid for every alias
                            if ((int) (lk >>> 32) == ram.codeEpoch) chained = (int) lk;
                            else if (((t ^ pc) >>> 12) == 0) linkFrom = i;
                            pc = t;
                            continue blocks;
                        }
                    case Op.BNE:
                        if (!Semantics.bne(x[rs1], x[rs2])) break; // not taken: the block goes on
                        {
                            long t = pc + ((p >>> AT) & 0x7E) + imm;
                            n = nb + i + 1;
                            long lk = bLink[i]; // same-page targets only: valid for every alias
                            if ((int) (lk >>> 32) == ram.codeEpoch) chained = (int) lk;
                            else if (((t ^ pc) >>> 12) == 0) linkFrom = i;
                            pc = t;
                            continue blocks;
                        }
                    case Op.BLT:
                        if (!Semantics.blt(x[rs1], x[rs2])) break; // not taken: the block goes on
                        {
                            long t = pc + ((p >>> AT) & 0x7E) + imm;
                            n = nb + i + 1;
                            long lk = bLink[i]; // same-page targets only: valid for every alias
                            if ((int) (lk >>> 32) == ram.codeEpoch) chained = (int) lk;
                            else if (((t ^ pc) >>> 12) == 0) linkFrom = i;
                            pc = t;
                            continue blocks;
                        }
                    case Op.BGE:
                        if (!Semantics.bge(x[rs1], x[rs2])) break; // not taken: the block goes on
                        {
                            long t = pc + ((p >>> AT) & 0x7E) + imm;
                            n = nb + i + 1;
                            long lk = bLink[i]; // same-page targets only: valid for every alias
                            if ((int) (lk >>> 32) == ram.codeEpoch) chained = (int) lk;
                            else if (((t ^ pc) >>> 12) == 0) linkFrom = i;
                            pc = t;
                            continue blocks;
                        }
                    case Op.BLTU:
                        if (!Semantics.bltu(x[rs1], x[rs2])) break; // not taken: the block goes on
                        {
                            long t = pc + ((p >>> AT) & 0x7E) + imm;
                            n = nb + i + 1;
                            long lk = bLink[i]; // same-page targets only: valid for every alias
                            if ((int) (lk >>> 32) == ram.codeEpoch) chained = (int) lk;
                            else if (((t ^ pc) >>> 12) == 0) linkFrom = i;
                            pc = t;
                            continue blocks;
                        }
                    case Op.BGEU:
                        if (!Semantics.bgeu(x[rs1], x[rs2])) break; // not taken: the block goes on
                        {
                            long t = pc + ((p >>> AT) & 0x7E) + imm;
                            n = nb + i + 1;
                            long lk = bLink[i]; // same-page targets only: valid for every alias
                            if ((int) (lk >>> 32) == ram.codeEpoch) chained = (int) lk;
                            else if (((t ^ pc) >>> 12) == 0) linkFrom = i;
                            pc = t;
                            continue blocks;
                        }
                    case Op.LB: {
                        long va = Semantics.effectiveAddress(x[rs1], imm); int t = (int) (va >>> 12) & Mmu.TLB_MASK; long v;
                        if (lTag[t] == (va >>> 12)) v = Semantics.lb(mem[(int) (va + lDelta[t])]);
                        else { n = nb + i; slowAt = i; break blocks; }
                        x[rd] = v; break;
                    }
                    case Op.LBU: {
                        long va = Semantics.effectiveAddress(x[rs1], imm); int t = (int) (va >>> 12) & Mmu.TLB_MASK; long v;
                        if (lTag[t] == (va >>> 12)) v = Semantics.lbu(mem[(int) (va + lDelta[t])]);
                        else { n = nb + i; slowAt = i; break blocks; }
                        x[rd] = v; break;
                    }
                    case Op.LH: {
                        long va = Semantics.effectiveAddress(x[rs1], imm); int t = (int) (va >>> 12) & Mmu.TLB_MASK; long v;
                        if (lTag[t] == ((va + 1) >>> 12)) v = Semantics.lh((short) I16.get(mem, (int) (va + lDelta[t])));
                        else { n = nb + i; slowAt = i; break blocks; }
                        x[rd] = v; break;
                    }
                    case Op.LHU: {
                        long va = Semantics.effectiveAddress(x[rs1], imm); int t = (int) (va >>> 12) & Mmu.TLB_MASK; long v;
                        if (lTag[t] == ((va + 1) >>> 12)) v = Semantics.lhu((short) I16.get(mem, (int) (va + lDelta[t])));
                        else { n = nb + i; slowAt = i; break blocks; }
                        x[rd] = v; break;
                    }
                    case Op.LW: {
                        long va = Semantics.effectiveAddress(x[rs1], imm); int t = (int) (va >>> 12) & Mmu.TLB_MASK; long v;
                        if (lTag[t] == ((va + 3) >>> 12)) v = Semantics.lw((int) I32.get(mem, (int) (va + lDelta[t])));
                        else { n = nb + i; slowAt = i; break blocks; }
                        x[rd] = v; break;
                    }
                    case Op.LWU: {
                        long va = Semantics.effectiveAddress(x[rs1], imm); int t = (int) (va >>> 12) & Mmu.TLB_MASK; long v;
                        if (lTag[t] == ((va + 3) >>> 12)) v = Semantics.lwu((int) I32.get(mem, (int) (va + lDelta[t])));
                        else { n = nb + i; slowAt = i; break blocks; }
                        x[rd] = v; break;
                    }
                    case Op.LD: {
                        long va = Semantics.effectiveAddress(x[rs1], imm); int t = (int) (va >>> 12) & Mmu.TLB_MASK; long v;
                        if (lTag[t] == ((va + 7) >>> 12)) v = Semantics.ld((long) I64.get(mem, (int) (va + lDelta[t])));
                        else { n = nb + i; slowAt = i; break blocks; }
                        x[rd] = v; break;
                    }
                    case Op.SB: {
                        long va = Semantics.effectiveAddress(x[rs1], imm); int t = (int) (va >>> 12) & Mmu.TLB_MASK;
                        if (sTag[t] == (va >>> 12)) mem[(int) (va + sDelta[t])] = Semantics.sb(x[rs2]);
                        else { n = nb + i; slowAt = i; break blocks; }
                        break;
                    }
                    case Op.SH: {
                        long va = Semantics.effectiveAddress(x[rs1], imm); int t = (int) (va >>> 12) & Mmu.TLB_MASK;
                        if (sTag[t] == ((va + 1) >>> 12)) I16.set(mem, (int) (va + sDelta[t]), Semantics.sh(x[rs2]));
                        else { n = nb + i; slowAt = i; break blocks; }
                        break;
                    }
                    case Op.SW: {
                        long va = Semantics.effectiveAddress(x[rs1], imm); int t = (int) (va >>> 12) & Mmu.TLB_MASK;
                        if (sTag[t] == ((va + 3) >>> 12)) I32.set(mem, (int) (va + sDelta[t]), Semantics.sw(x[rs2]));
                        else { n = nb + i; slowAt = i; break blocks; }
                        break;
                    }
                    case Op.SD: {
                        long va = Semantics.effectiveAddress(x[rs1], imm); int t = (int) (va >>> 12) & Mmu.TLB_MASK;
                        if (sTag[t] == ((va + 7) >>> 12)) I64.set(mem, (int) (va + sDelta[t]), Semantics.sd(x[rs2]));
                        else { n = nb + i; slowAt = i; break blocks; }
                        break;
                    }
                    case Op.ADDI: x[rd] = Semantics.addi(x[rs1], imm); break;
                    case Op.SLTI: x[rd] = Semantics.slti(x[rs1], imm); break;
                    case Op.SLTIU: x[rd] = Semantics.sltiu(x[rs1], imm); break;
                    case Op.XORI: x[rd] = Semantics.xori(x[rs1], imm); break;
                    case Op.ORI: x[rd] = Semantics.ori(x[rs1], imm); break;
                    case Op.ANDI: x[rd] = Semantics.andi(x[rs1], imm); break;
                    case Op.SLLI: x[rd] = Semantics.slli(x[rs1], imm); break;
                    case Op.SRLI: x[rd] = Semantics.srli(x[rs1], imm); break;
                    case Op.SRAI: x[rd] = Semantics.srai(x[rs1], imm); break;
                    case Op.ADD: x[rd] = Semantics.add(x[rs1], x[rs2]); break;
                    case Op.SUB: x[rd] = Semantics.sub(x[rs1], x[rs2]); break;
                    case Op.SLL: x[rd] = Semantics.sll(x[rs1], x[rs2]); break;
                    case Op.SLT: x[rd] = Semantics.slt(x[rs1], x[rs2]); break;
                    case Op.SLTU: x[rd] = Semantics.sltu(x[rs1], x[rs2]); break;
                    case Op.XOR: x[rd] = Semantics.xor(x[rs1], x[rs2]); break;
                    case Op.SRL: x[rd] = Semantics.srl(x[rs1], x[rs2]); break;
                    case Op.SRA: x[rd] = Semantics.sra(x[rs1], x[rs2]); break;
                    case Op.OR: x[rd] = Semantics.or(x[rs1], x[rs2]); break;
                    case Op.AND: x[rd] = Semantics.and(x[rs1], x[rs2]); break;
                    case Op.ADDIW: x[rd] = Semantics.addiw(x[rs1], imm); break;
                    case Op.SLLIW: x[rd] = Semantics.slliw(x[rs1], imm); break;
                    case Op.SRLIW: x[rd] = Semantics.srliw(x[rs1], imm); break;
                    case Op.SRAIW: x[rd] = Semantics.sraiw(x[rs1], imm); break;
                    case Op.ADDW: x[rd] = Semantics.addw(x[rs1], x[rs2]); break;
                    case Op.SUBW: x[rd] = Semantics.subw(x[rs1], x[rs2]); break;
                    case Op.SLLW: x[rd] = Semantics.sllw(x[rs1], x[rs2]); break;
                    case Op.SRLW: x[rd] = Semantics.srlw(x[rs1], x[rs2]); break;
                    case Op.SRAW: x[rd] = Semantics.sraw(x[rs1], x[rs2]); break;
                    case Op.MUL: x[rd] = Semantics.mul(x[rs1], x[rs2]); break;
                    case Op.MULW: x[rd] = Semantics.mulw(x[rs1], x[rs2]); break;
                    case Op.MULH: x[rd] = Semantics.mulh(x[rs1], x[rs2]); break;
                    case Op.MULHSU: x[rd] = Semantics.mulhsu(x[rs1], x[rs2]); break;
                    case Op.MULHU: x[rd] = Semantics.mulhu(x[rs1], x[rs2]); break;
                    case Op.DIV: x[rd] = Semantics.div(x[rs1], x[rs2]); break;
                    case Op.DIVU: x[rd] = Semantics.divu(x[rs1], x[rs2]); break;
                    case Op.REM: x[rd] = Semantics.rem(x[rs1], x[rs2]); break;
                    case Op.REMU: x[rd] = Semantics.remu(x[rs1], x[rs2]); break;
                    case Op.DIVW: x[rd] = Semantics.divw(x[rs1], x[rs2]); break;
                    case Op.DIVUW: x[rd] = Semantics.divuw(x[rs1], x[rs2]); break;
                    case Op.REMW: x[rd] = Semantics.remw(x[rs1], x[rs2]); break;
                    case Op.REMUW: x[rd] = Semantics.remuw(x[rs1], x[rs2]); break;
                    case Op.ILLEGAL:
                        n = nb + i;
                        slowAt = i;
                        break blocks;
                    default: { // the out-of-line ops (they all end their block)
                        long cur = pc + ((p >>> AT) & 0x7E);
                        h.pc = cur;
                        h.icount = base + nb + i;
                        pc = RareOps.exec(h, p & Packed.OP_MASK, rd, rs1, rs2, blocks.bImm[i], cur, cur + ((p >>> LEN) & 7));
                        fetchVpn = mmu.fetchVpn; // CSR writes and xRET may have flushed the TLBs
                        fetchDelta = mmu.fetchDelta;
                        n = nb + i + 1;
                        if (h.sliceEnd) max = n;
                        continue blocks;
                    }
                }
            }
            // fell off the block (page end, length limit, budget or slice end): pc after i - 1
            final int q = (int) bOps[i - 1];
            pc += ((q >>> AT) & 0x7E) + ((q >>> LEN) & 7);
            n = nb + i;
            chained = -2 - i;
        }
        mmu.fetchVpn = fetchVpn;
        mmu.fetchDelta = fetchDelta;
        if (slowAt >= 0) {
            exitEntry = slowAt;
            exitBlockPc = pc;
            h.pc = pc + Packed.at((int) bOps[slowAt]);
        } else {
            exitEntry = toRegion ? EXIT_REGION : lookup ? EXIT_LOOKUP : EXIT_DONE;
            exitLink = linkFrom;
            exitFellAt = chained <= -2 ? -2 - chained : -1;
            h.pc = pc;
        }
        return n;
    }
}
