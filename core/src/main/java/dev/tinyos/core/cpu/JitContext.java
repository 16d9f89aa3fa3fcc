package dev.tinyos.core.cpu;

/**
 * What a {@link Region} needs from its hart, in one object so that a region is called with
 * four arguments: the register file, RAM, the loop's data TLBs (tags and deltas), and two
 * result fields the region writes before it returns.
 *
 * <p>Invariant: the array fields are the hart's own arrays (never replaced; their contents
 * change), so a region reads them afresh on each call; {@link #pc} and {@link #exit} are
 * meaningful only right after {@link Region#run} returned.
 */
final class JitContext {
    final long[] x;
    final byte[] mem;
    final long[] lTag, lDelta, sTag, sDelta;

    /** After a run: the next pc (left the region), or the start of the block to go on in. */
    long pc;
    /**
     * After a run: -1 if the region was left by a jump, a branch or a block's end whose
     * target it does not hold (or whose first block does not fit the budget); otherwise the
     * entry, in the block starting at {@link #pc}, that the interpreter must execute next (a
     * load or store that missed its TLB, or an op the compiler does not handle).
     */
    int exit;

    JitContext(long[] x, byte[] mem, Mmu mmu) {
        this.x = x;
        this.mem = mem;
        this.lTag = mmu.lTag;
        this.lDelta = mmu.lDelta;
        this.sTag = mmu.sTag;
        this.sDelta = mmu.sDelta;
    }
}
