package dev.tinyos.core.cpu;

import dev.tinyos.core.Ram;

/**
 * Runs compiled {@link Region}s back to back, outside the interpreter's loop: from a pc, it
 * finds the block there through the fetch TLB and the block cache's key (the loop's own
 * lookup, no building, no fault), calls its region if it has one and its entry block fits the
 * budget, and goes on at the pc the region left at; it returns to the interpreter as soon as
 * the next block has no region, is not at hand, does not fit the budget, or a region handed
 * an entry back ({@link JitContext#exit}).
 *
 * <p>Invariant: it changes nothing but what the regions change (registers, RAM through the
 * TLB fast path) and the hart's current fetch page ({@link Mmu#fetchVpn}, which it keeps
 * exact); the step count it returns is one the interpreter would also have stopped at.
 */
final class RegionDriver {
    private final Mmu mmu;
    private final BlockCache blocks;
    final JitContext ctx;

    RegionDriver(Hart h, Mmu mmu, BlockCache blocks, Ram ram) {
        this.mmu = mmu;
        this.blocks = blocks;
        this.ctx = new JitContext(h.x, ram.data, mmu);
    }

    /** Statistics: drive() calls and region calls. */
    long drives, calls;

    /** After {@link #drive}: where the interpreter goes on. */
    long pc;
    /** After {@link #drive}: -1, or the entry of the block at {@link #pc} the interpreter must run next. */
    int exit;

    /**
     * Runs regions from {@code pc}, starting with the region of block {@code first} (the block
     * at {@code pc}, which the caller found and checked: it has a region and fits the budget),
     * with {@code n} of {@code max} steps taken; returns the steps taken then.
     */
    long drive(long pc, long n, long max, int first) {
        final JitContext c = ctx;
        final long[] iTag = mmu.iTag, iDelta = mmu.iDelta, bKey = blocks.bKey;
        final int[] codeGen = blocks.codeGen;
        final Region[] compiled = blocks.compiled;
        long fetchVpn = mmu.fetchVpn, fetchDelta = mmu.fetchDelta;
        int ex = -1;
        drives++;
        int blk = first;
        for (;;) {
            final Region r = compiled[blk];
            if (r == null || max - n < r.firstLen) break;
            calls++;
            n = r.run(c, pc, n, max);
            pc = c.pc;
            if ((ex = c.exit) >= 0) break;
            final long vpn = pc >>> 12;
            if (vpn != fetchVpn) {
                final int t = (int) vpn & Mmu.TLB_MASK;
                if (iTag[t] != vpn) break;
                fetchVpn = vpn; // another page already translated: switch to it
                fetchDelta = iDelta[t];
            }
            final int off = (int) (pc + fetchDelta);
            blk = ((off >>> 1) ^ (off >>> 14)) & BlockCache.BLOCK_MASK; // as BlockCache.blockIndex()
            if (bKey[blk] != ((long) codeGen[off >>> 12] << 32 | off)) break;
        }
        mmu.fetchVpn = fetchVpn;
        mmu.fetchDelta = fetchDelta;
        this.pc = pc;
        this.exit = ex;
        return n;
    }
}
