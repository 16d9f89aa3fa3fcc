package dev.tinyos.core.cpu;

import dev.tinyos.core.Ram;

import java.util.Arrays;

import static dev.tinyos.core.cpu.Hart.I16;
import static dev.tinyos.core.cpu.Hart.I32;

/**
 * The decoded-block cache: direct-mapped, keyed by the physical RAM offset of a block's first
 * instruction and the code generation of its page ({@link Ram#codeGen}). A block is the run of
 * decoded instructions ({@link Packed} entries) from a start address up to and including the
 * first jump, illegal or out-of-line instruction, the end of its 4 KiB page, a probed page
 * offset, or {@link #MAX_BLOCK} instructions. Entries are flat preallocated arrays the
 * interpreter loop reads directly; nothing is allocated after construction.
 *
 * <p>Invariants: a cached block is valid iff its key equals (generation of its page, offset of
 * its start), the {@link #PROBED} bit aside; a block link is valid iff it was recorded in the
 * current {@link Ram#codeEpoch}, which every code write, eviction and translation flush ends;
 * while pc probes are attached no block extends past a probed page offset and a block starting
 * at one carries {@link #PROBED} in its key, which the loop never matches.
 */
final class BlockCache {
    private final Hart h;
    private final Mmu mmu;
    private final Ram ram;
    private final byte[] mem;
    private final long ramBase;

    BlockCache(Hart h, Mmu mmu, Ram ram) {
        this.h = h;
        this.mmu = mmu;
        this.ram = ram;
        this.mem = ram.data;
        this.ramBase = ram.base;
        this.codeGen = ram.codeGen;
        Arrays.fill(bKey, -1L);
    }

    /** Drops every block, and sets the probed pcs at whose page offsets blocks must start. */
    void setProbedPcs(long[] pcs) {
        Arrays.fill(probedOffsets, 0);
        for (long p : pcs) {
            int k = (int) (p & 0xFFF) >>> 1;
            probedOffsets[k >>> 6] |= 1L << k;
        }
        probing = pcs.length > 0;
        Arrays.fill(bKey, -1L);
        Arrays.fill(compiled, null);
        Arrays.fill(heat, 0);
        ram.codeEpoch++; // no link may lead into a block that is now probed
    }

    /** Drops every block (after a restore rewrote RAM). */
    void clear() {
        Arrays.fill(bKey, -1L);
        ram.codeEpoch++;
    }

    /** log2 of the number of cached blocks. */
    static final int BLOCK_BITS = 13;
    static final int BLOCK_MASK = (1 << BLOCK_BITS) - 1;
    /** Block slot used for an instruction that straddles a page (never cached). */
    static final int SCRATCH = BLOCK_MASK + 1;
    static final int MAX_BLOCK_SHIFT = 5;
    /** Maximum number of instructions in a block. */
    static final int MAX_BLOCK = 1 << MAX_BLOCK_SHIFT;


    // ---- block cache: block b holds bLen[b] instructions at [b << MAX_BLOCK_SHIFT, ...) of
    // bOps (Packed entries: imm as an int, pack with its offset in the block) and bImm (the
    // full 64-bit imm, read only by ops whose imm may not fit an int: ILLEGAL and rare ops);
    // bKey[b] = codeGen << 32 | RAM offset of its first instruction, or -1 if empty
    final long[] bKey = new long[SCRATCH + 1];
    final int[] bLen = new int[SCRATCH + 1];
    final long[] bOps = new long[(SCRATCH + 1) << MAX_BLOCK_SHIFT];
    final long[] bImm = new long[(SCRATCH + 1) << MAX_BLOCK_SHIFT];
    private final int[] decodedPack = new int[1];
    private final long[] decodedImm = new long[1];
    /** {@link Ram#codeGen}: a block's key holds the generation of its page when it was built. */
    final int[] codeGen;
    /**
     * Block links, per entry of a taken branch (whose target lies in the same page, so the
     * link holds for every virtual alias of the block), JAL or JALR: the block it last led
     * to, as {@link Ram#codeEpoch} &lt;&lt; 32 | block, valid only in that epoch; for JAL and
     * JALR only when the target equals {@code bLinkPc} (the target it was recorded for).
     */
    final long[] bLink = new long[(SCRATCH + 1) << MAX_BLOCK_SHIFT];
    final long[] bLinkPc = new long[(SCRATCH + 1) << MAX_BLOCK_SHIFT];

    /**
     * The compiled form of each block ({@link BlockCompiler}), or null: valid exactly as long as
     * the slot holds the block it was compiled from, so it is dropped wherever the slot is
     * rebuilt or cleared (the same keys and epochs as the decoded block, no second scheme).
     */
    final CompiledBlock[] compiled = new CompiledBlock[SCRATCH + 1];
    /** Entries into each block through the loop since it was built (the compiler's trigger). */
    final int[] heat = new int[SCRATCH + 1];

    /** Blocks compiled so far (statistics: tests check the compiler ran). */
    long compiledCount;

    /** Compiles block {@code blk} (null if its first op is not compilable) and keeps it. */
    CompiledBlock compile(int blk) {
        if (blk == SCRATCH) return null;
        CompiledBlock c = BlockCompiler.compile(this, blk);
        if (c != null) compiledCount++;
        return compiled[blk] = c;
    }

    static final long PROBED = 1L << 31;
    /** Pc probes attached: blocks end before probed page offsets and blocks there carry PROBED. */
    boolean probing;
    /** Bit h: some probed pc has page offset 2h. */
    private final long[] probedOffsets = new long[32];
    /** True if a pc probe may sit at the page offset of {@code addr} (meaningful while probing). */
    boolean pcProbedAt(long addr) {
        return (probedOffsets[(int) (addr & 0xFFF) >>> 7] >>> ((addr >>> 1) & 63) & 1) != 0;
    }

    /**
     * True for the ops that end a block: jumps, ILLEGAL and out-of-line ops. A conditional
     * branch does not: when taken it leaves the block, otherwise execution goes on inside it.
     */
    private static boolean endsBlock(int op) {
        return op == Op.ILLEGAL || op == Op.JAL || op == Op.JALR || op >= Op.FIRST_RARE;
    }

    /**
     * Decodes the block starting at pc (RAM offset {@code off}) into slot {@code b} and returns
     * it; or, if its first instruction straddles the page, decodes that one alone into
     * {@link #SCRATCH}. Requires pc and icount synced (fetching the second half may fault).
     */
    private int buildBlock(long pc, int off, int b) {
        final int first = b << MAX_BLOCK_SHIFT;
        final int pageEnd = (off | 0xFFF) + 1;
        int o = off, k = 0;
        while (k < MAX_BLOCK && o + 2 <= pageEnd) {
            if (k > 0 && probing && pcProbedAt(o)) break; // a probed pc starts its own block
            int word = (short) I16.get(mem, o) & 0xFFFF;
            int len = 2; // from the bits: ILLEGAL packs carry no length
            if ((word & 3) == 3) {
                if (o + 4 > pageEnd) break;
                word = (int) I32.get(mem, o);
                len = 4;
            }
            int p = decodeOp(word, first + k++, o - off);
            o += len;
            if (endsBlock(Packed.op(p))) break;
        }
        if (k == 0) return straddlingInstruction(pc, off);
        if (bKey[b] != -1) ram.codeEpoch++; // links may lead to the block this one replaces
        Arrays.fill(bLink, first, first + k, 0L);
        compiled[b] = null;
        heat[b] = 0;
        if (ram.markCode(off, o - off)) mmu.dropStoreTranslations(off >>> 12);
        bKey[b] = (long) codeGen[off >>> 12] << 32 | off | (probing && pcProbedAt(off) ? PROBED : 0);
        bLen[b] = k;
        return b;
    }

    /** The 32-bit instruction at the last halfword of a page: both halves translated. */
    private int straddlingInstruction(long pc, int off) {
        int word = (short) I16.get(mem, off) & 0xFFFF;
        long pa2 = mmu.translate(pc + 2, Sv39.FETCH);
        mmu.pmpCheck(pc + 2, pa2, 2, Sv39.FETCH, h.priv);
        if (!ram.contains(pa2, 2)) throw h.fault(Cause.FETCH_ACCESS, pc + 2);
        word |= ((short) I16.get(mem, (int) (pa2 - ramBase))) << 16;
        decodeOp(word, SCRATCH << MAX_BLOCK_SHIFT, 0);
        bLink[SCRATCH << MAX_BLOCK_SHIFT] = 0; // a branch link is only good for one instruction
        bLen[SCRATCH] = 1;
        return SCRATCH;
    }

    /**
     * Decodes {@code word}, at byte offset {@code at} in its block, into entry {@code e}. The
     * loop takes the imm of inline ops from the high half of bOps: the Decoder's imm of every
     * op below {@link Op#FIRST_RARE} but ILLEGAL fits an int (BlockCacheTest checks it).
     */
    private int decodeOp(int word, int e, int at) {
        Decoder.decode(word, 0, decodedPack, decodedImm);
        int p = Packed.withAt(decodedPack[0], at);
        int op = Packed.op(p);
        if (Packed.rd(p) == 0) { // rd = x0: forms that need not write x[0] and reset it
            if (op == Op.JAL) p = Packed.withOp(p, Op.J);
            else if (op == Op.JALR) p = Packed.withOp(p, Op.JR);
            else if (op >= Op.LB && op <= Op.LWU) p = Packed.withRs2(Packed.withOp(p, Op.LOAD_X0), Op.accessSize(op));
        }
        long imm = decodedImm[0];
        bOps[e] = Packed.entry(p, imm);
        bImm[e] = imm;
        return p;
    }

    /** The block starting at pc: translates it if needed, builds it if not cached. Requires pc and icount synced (the fetch may fault). */
    int blockAt(long pc) {
        if ((pc >>> 12) != mmu.fetchVpn) mmu.fetchSlow(pc);
        int off = (int) (pc + mmu.fetchDelta);
        int blk = blockIndex(off);
        return (bKey[blk] & ~PROBED) == ((long) codeGen[off >>> 12] << 32 | off) ? blk : buildBlock(pc, off, blk);
    }

    /** The cache slot of the block at RAM offset {@code off} (folded: 16 KiB apart do not collide). */
    private static int blockIndex(int off) {
        return ((off >>> 1) ^ (off >>> 14)) & BLOCK_MASK;
    }
}
