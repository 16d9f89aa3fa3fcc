package dev.tinyos.core.cpu;


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
    final Mmu mmu;
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
        compiledGen = new int[ram.size >>> 12];
        rewrites = new int[ram.size >>> 12];
        maxPages = Integer.getInteger(PAGES_PROPERTY, 1);
    }

    /** The system property that sets {@link #maxPages}. */
    static final String PAGES_PROPERTY = "tinyos.jit.pages";
    /**
     * Pages a compiled region may span, 1 to {@link RegionCompiler#MAX_PAGES} (system property
     * {@value #PAGES_PROPERTY} when the hart was built; default 1: measured on xv6, regions
     * that follow calls into other pages ran its kernel code no faster and warmed up slower,
     * docs/engine.md).
     */
    final int maxPages;

    /** Drops every block, and sets the probed pcs at whose page offsets blocks must start. */
    void setProbedPcs(long[] pcs) {
        Arrays.fill(probedOffsets, 0);
        for (long p : pcs) {
            int k = (int) (p & 0xFFF) >>> 1;
            probedOffsets[k >>> 6] |= 1L << k;
        }
        probing = pcs.length > 0;
        Arrays.fill(bKey, -1L);
        dropAll();
        ram.codeEpoch++; // no link may lead into a block that is now probed
    }

    /** Drops every block (after a restore rewrote RAM). */
    void clear() {
        Arrays.fill(bKey, -1L);
        dropAll();
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
     * The compiled region entered at each block ({@link RegionCompiler}), or null: valid
     * exactly as long as the slot holds the block it was compiled from, so it is dropped
     * wherever the slot is rebuilt or cleared (the same keys and epochs as the decoded block,
     * no second scheme: every block of a region lies in the entry block's page, whose code
     * generation is in the key).
     */
    final Region[] compiled = new Region[SCRATCH + 1];
    /** Entries into each block through the loop since it was built (the compiler's trigger). */
    final int[] heat = new int[SCRATCH + 1];

    /** Regions compiled so far (statistics: tests check the compiler ran). */
    long compiledCount;
    /** Regions compiled so far that span more than one page (statistics: tests check calls are followed). */
    long multiPageCount;
    /** Class-file bytes compiled so far (statistics). */
    long compiledBytes;
    /** Regions refused by the bounds below (statistics). */
    long refusedCount;
    /** Live regions (held by a slot) and their class-file bytes. */
    int liveRegions;
    long liveBytes;

    /** Bound: at most this many live regions. */
    static final int MAX_LIVE_REGIONS = 4096;
    /** Bound: at most this many class-file bytes of live regions. */
    static final long MAX_LIVE_BYTES = 16L << 20;
    /** Code rewrites of a page tolerated before each further one doubles the entries it needs. */
    static final int FREE_REWRITES = 8;
    /** The code generation of each RAM page when code on it was last compiled, plus 1 (0: never). */
    private final int[] compiledGen;
    /** How often each RAM page's code was found rewritten when compiling on it. */
    private final int[] rewrites;
    /** The slot's heat was set back once since it was built (see {@link #compile}). */
    private final boolean[] backedOff = new boolean[SCRATCH + 1];

    /**
     * Compiles the region entered at block {@code blk} (at virtual address {@code pc}) and keeps it in its slot; null if the
     * block's first op is not compilable or a bound refuses it. Bounds: live regions and their
     * bytes are capped ({@link #MAX_LIVE_REGIONS}, {@link #MAX_LIVE_BYTES}); a page whose code
     * was rewritten more than {@link #FREE_REWRITES} times needs twice as many entries per
     * further rewrite before it is compiled again (the heat is set back), so code that rewrites
     * itself constantly stays interpreted instead of thrashing the compiler.
     */
    Region compile(int blk, int threshold, long pc) {
        if (blk == SCRATCH) return null;
        final int off = (int) bKey[blk] & 0x7FFF_FFFF, page = off >>> 12;
        if (compiledGen[page] != 0 && compiledGen[page] != codeGen[page] + 1) {
            compiledGen[page] = 0;
            if (rewrites[page] < Integer.MAX_VALUE) rewrites[page]++;
        }
        int extra = rewrites[page] - FREE_REWRITES;
        if (extra > 0 && !backedOff[blk]) { // ask for threshold << extra entries in all
            backedOff[blk] = true;
            heat[blk] = (int) Math.max(Integer.MIN_VALUE + 1L, 2L * threshold - ((long) threshold << Math.min(extra, 30)));
            refusedCount++;
            return null;
        }
        if (liveRegions >= MAX_LIVE_REGIONS || liveBytes >= MAX_LIVE_BYTES) {
            refusedCount++;
            return null;
        }
        compiledGen[page] = codeGen[page] + 1;
        Region r = RegionCompiler.compile(this, blk, off, pc, Math.max(1, threshold / MIN_HEAT_DIVISOR));
        if (r == null) return null;
        compiledCount++;
        if (r.pages() > 1) multiPageCount++;
        compiledBytes += r.bytes;
        liveRegions++;
        liveBytes += r.bytes;
        return compiled[blk] = r;
    }

    /**
     * A block joins a region only if the loop entered it at least threshold / this many times
     * (at least once): cold blocks stay exits, so the JVM compiles less code that never runs.
     */
    static final int MIN_HEAT_DIVISOR = 16;

    /** Entries through the loop into the block at RAM offset {@code off} while cached (0 if it is not). */
    int heatAt(int off) {
        int b = blockIndex(off);
        return bKey[b] == ((long) codeGen[off >>> 12] << 32 | off) ? heat[b] : 0;
    }

    /** Drops the region of slot {@code b}, if any. */
    private void drop(int b) {
        Region r = compiled[b];
        if (r != null) {
            compiled[b] = null;
            liveRegions--;
            liveBytes -= r.bytes;
        }
    }

    private void dropAll() {
        for (int b = 0; b <= SCRATCH; b++) drop(b);
        Arrays.fill(heat, 0);
        Arrays.fill(backedOff, false);
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
        int k = decodeBlock(off, bOps, bImm, first);
        if (k == 0) return straddlingInstruction(pc, off);
        if (bKey[b] != -1) ram.codeEpoch++; // links may lead to the block this one replaces
        Arrays.fill(bLink, first, first + k, 0L);
        drop(b);
        heat[b] = 0;
        backedOff[b] = false;
        markCode(off, decodedEnd - off);
        bKey[b] = (long) codeGen[off >>> 12] << 32 | off | (probing && pcProbedAt(off) ? PROBED : 0);
        bLen[b] = k;
        return b;
    }

    /** Marks [off, off + len) as code (stores to the page then go through Ram). */
    void markCode(int off, int len) {
        if (ram.markCode(off, len)) mmu.dropStoreTranslations(off >>> 12);
    }

    /** After {@link #decodeBlock}: the RAM offset just past the block's last instruction. */
    int decodedEnd;

    /**
     * Decodes the block starting at RAM offset {@code off} into {@code ops[first..]} and
     * {@code imms[first..]} by the block rules (above) and returns its length, with its end in
     * {@link #decodedEnd}; 0 if its first instruction straddles the page. Marks nothing.
     */
    int decodeBlock(int off, long[] ops, long[] imms, int first) {
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
            int p = decodeOp(word, ops, imms, first + k++, o - off);
            o += len;
            if (endsBlock(Packed.op(p))) break;
        }
        decodedEnd = o;
        return k;
    }

    /** The 32-bit instruction at the last halfword of a page: both halves translated. */
    private int straddlingInstruction(long pc, int off) {
        int word = (short) I16.get(mem, off) & 0xFFFF;
        long pa2 = mmu.translate(pc + 2, Sv39.FETCH);
        mmu.pmpCheck(pc + 2, pa2, 2, Sv39.FETCH, h.priv);
        if (!ram.contains(pa2, 2)) throw h.fault(Cause.FETCH_ACCESS, pc + 2);
        word |= ((short) I16.get(mem, (int) (pa2 - ramBase))) << 16;
        decodeOp(word, bOps, bImm, SCRATCH << MAX_BLOCK_SHIFT, 0);
        bLink[SCRATCH << MAX_BLOCK_SHIFT] = 0; // a branch link is only good for one instruction
        bLen[SCRATCH] = 1;
        return SCRATCH;
    }

    /**
     * Decodes {@code word}, at byte offset {@code at} in its block, into entry {@code e}. The
     * loop takes the imm of inline ops from the high half of bOps: the Decoder's imm of every
     * op below {@link Op#FIRST_RARE} but ILLEGAL fits an int (BlockCacheTest checks it).
     */
    private int decodeOp(int word, long[] ops, long[] imms, int e, int at) {
        Decoder.decode(word, 0, decodedPack, decodedImm);
        int p = Packed.withAt(decodedPack[0], at);
        int op = Packed.op(p);
        if (Packed.rd(p) == 0) { // rd = x0: forms that need not write x[0] and reset it
            if (op == Op.JAL) p = Packed.withOp(p, Op.J);
            else if (op == Op.JALR) p = Packed.withOp(p, Op.JR);
            else if (op >= Op.LB && op <= Op.LWU) p = Packed.withRs2(Packed.withOp(p, Op.LOAD_X0), Op.accessSize(op));
        }
        long imm = decodedImm[0];
        ops[e] = Packed.entry(p, imm);
        imms[e] = imm;
        return p;
    }

    /** The block starting at pc: translates it if needed, builds it if not cached. Requires pc and icount synced (the fetch may fault). */
    int blockAt(long pc) {
        if ((pc >>> 12) != mmu.fetchVpn) mmu.fetchSlow(pc);
        int off = (int) (pc + mmu.fetchDelta);
        int blk = blockIndex(off);
        return (bKey[blk] & ~PROBED) == ((long) codeGen[off >>> 12] << 32 | off) ? blk : buildBlock(pc, off, blk);
    }

    /**
     * The slot of the block cached at RAM offset {@code off}, or -1 if none is (nor one with a
     * probed pc): the loop's own lookup, which builds nothing and cannot fault.
     */
    int cachedAt(int off) {
        int blk = blockIndex(off);
        return bKey[blk] == ((long) codeGen[off >>> 12] << 32 | off) ? blk : -1;
    }

    /** The cache slot of the block at RAM offset {@code off} (folded: 16 KiB apart do not collide). */
    private static int blockIndex(int off) {
        return ((off >>> 1) ^ (off >>> 14)) & BLOCK_MASK;
    }
}
