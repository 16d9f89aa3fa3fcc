package dev.tinyos.core.cpu;


/**
 * Runs compiled {@link Region}s back to back, outside the interpreter's loop: from a pc, it
 * finds the block there through the fetch TLB and the block cache's key (the loop's own
 * lookup, no building, no fault), calls its region if it has one and its entry block fits the
 * budget, and goes on at the pc the region left at. When a region hands back an out-of-line
 * op (CSR, atomic, xRET, FENCE, ECALL...: {@link RareOps}, which ends its block), the driver
 * executes it itself, exactly as the loop's {@code default} case does (pc and icount synced
 * first, so a trap propagates to {@code Interpreter.run} as from the loop), and goes on; kernel
 * code, where such ops come every few instructions, then stays out of the loop. It returns to
 * the interpreter as soon as the next block has no region, is not at hand, does not fit the
 * budget, the slice must end, or a region handed back a load or store that missed its TLB
 * ({@link JitContext#exit}).
 *
 * <p>Regions run some CSR instructions, FENCE and AMOs themselves (those their compiler takes
 * in); after a CSR write that ended the slice or flushed the TLBs a region leaves at once
 * ({@link JitContext#leave}) and the driver reads the fetch page again and, if the slice must
 * end, returns.
 *
 * <p>Invariant: it changes nothing but what the regions and the out-of-line ops change, and
 * the hart's current fetch page ({@link Mmu#fetchVpn}, which it keeps exact at every moment,
 * also when an op throws); the step count it returns is one the interpreter would also have
 * stopped at.
 */
final class RegionDriver {
    private final Hart h;
    private final Mmu mmu;
    private final BlockCache blocks;
    final JitContext ctx;

    RegionDriver(Hart h, Mmu mmu, BlockCache blocks, Ram ram) {
        this.h = h;
        this.mmu = mmu;
        this.blocks = blocks;
        this.ctx = new JitContext(h, ram.data, ram.codeGen, mmu);
    }

    /** Statistics: drive() calls, region calls and out-of-line ops executed here. */
    long drives, calls, rareOps;

    /** After {@link #drive}: where the interpreter goes on. */
    long pc;
    /** After {@link #drive}: -1, or the entry of the block at {@link #pc} the interpreter must run next. */
    int exit;

    /**
     * Runs regions from {@code pc}, starting with the region of block {@code first} (the block
     * at {@code pc}, which the caller found and checked: it has a region and fits the budget),
     * with {@code n} of {@code max} steps taken since icount {@code base}; returns the steps
     * taken then.
     */
    long drive(long pc, long n, long max, int first, long base) {
        final JitContext c = ctx;
        final long[] iTag = mmu.iTag, iDelta = mmu.iDelta, bOps = blocks.bOps;
        final Region[] compiled = blocks.compiled;
        long fetchVpn = mmu.fetchVpn, fetchDelta = mmu.fetchDelta; // written through to mmu's
        int ex = -1;
        drives++;
        c.base = base;
        int blk = first;
        for (;;) {
            final Region r = compiled[blk];
            int e; // the block entry of an out-of-line op to execute here
            if (r != null) {
                if (max - n < r.firstLen) break;
                calls++;
                n = r.run(c, pc, n, max);
                pc = c.pc;
                ex = c.exit;
                if (c.leave) { // after a CSR instruction it ran: the TLBs may be flushed, the slice may end
                    c.leave = false;
                    fetchVpn = mmu.fetchVpn;
                    fetchDelta = mmu.fetchDelta;
                    if (h.sliceEnd) break; // the loop ends the slice at once
                }
                if (ex >= 0) { // it stopped before entry ex of its block at pc (same page)
                    final int b = blocks.cachedAt((int) (pc + fetchDelta));
                    if (b < 0) break;
                    e = (b << BlockCache.MAX_BLOCK_SHIFT) + ex;
                } else {
                    e = -1;
                }
            } else { // no region: a block that starts with an out-of-line op never has one
                e = blk << BlockCache.MAX_BLOCK_SHIFT;
                if (!Op.outOfLine(Packed.op((int) bOps[e]))) break; // the loop runs it (and counts its heat)
            }
            if (e >= 0) {
                final int p = (int) bOps[e], op = Packed.op(p);
                if (!Op.outOfLine(op) || n >= max) break; // a load or store that missed: the loop runs it
                final long cur = pc + Packed.at(p);
                h.pc = cur; // synced as the loop's default case syncs them: a trap leaves from here
                h.icount = base + n;
                rareOps++;
                pc = RareOps.exec(h, op, Packed.rd(p), Packed.rs1(p), Packed.rs2(p), blocks.bImm[e], cur, cur + Packed.len(p));
                n++;
                ex = -1;
                fetchVpn = mmu.fetchVpn; // CSR writes and xRET may have flushed the TLBs
                fetchDelta = mmu.fetchDelta;
                if (h.sliceEnd) break; // the loop ends the slice at once
            }
            final long vpn = pc >>> 12;
            if (vpn != fetchVpn) {
                final int t = (int) vpn & Mmu.TLB_MASK;
                if (iTag[t] != vpn) break;
                fetchVpn = vpn; // another page already translated: switch to it
                fetchDelta = iDelta[t];
                mmu.fetchVpn = fetchVpn;
                mmu.fetchDelta = fetchDelta;
            }
            if ((blk = blocks.cachedAt((int) (pc + fetchDelta))) < 0) break;
        }
        this.pc = pc;
        this.exit = ex;
        return n;
    }
}
