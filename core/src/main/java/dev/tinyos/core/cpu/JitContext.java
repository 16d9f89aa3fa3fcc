package dev.tinyos.core.cpu;

/**
 * What a {@link Region} needs from its hart, in one object so that a region is called with
 * four arguments: the hart (for the CSR instructions it runs), the register file, RAM, the
 * loop's data TLBs (tags and deltas), the icount its step count counts from, and the result
 * fields the region writes before it returns.
 *
 * <p>Invariant: the array fields are the hart's own arrays (never replaced; their contents
 * change), so a region reads them afresh on each call; {@link #pc} and {@link #exit} are
 * meaningful only right after {@link Region#run} returned.
 */
final class JitContext {
    final Hart hart;
    final long[] x;
    final byte[] mem;
    final long[] lTag, lDelta, sTag, sDelta;
    /** The fetch TLB and the code generation of each RAM page (a region checks its other pages with them). */
    final long[] iTag, iDelta;
    final int[] codeGen;

    /** After a run: the next pc (left the region), or the start of the block to go on in. */
    long pc;
    /**
     * After a run: -1 if the region was left by a jump, a branch or a block's end whose
     * target it does not hold (or whose first block does not fit the budget); otherwise the
     * entry, in the block starting at {@link #pc}, that the driver or the interpreter must
     * execute next (a load or store that missed its TLB, an op the compiler does not handle,
     * or a CSR instruction or AMO that could trap where the region stands).
     */
    int exit;
    /** The hart's icount at step 0 of the run of the driver (icount = base + the region's step count). */
    long base;
    /**
     * Set by a CSR instruction a region ran when the region must stop right after it (the slice
     * must end, or the TLBs were flushed): the region then leaves with {@link #exit} -1 at the
     * next pc, and the driver reads the fetch page again and clears it.
     */
    boolean leave;

    JitContext(Hart hart, byte[] mem, int[] codeGen, Mmu mmu) {
        this.hart = hart;
        this.x = hart.x;
        this.mem = mem;
        this.lTag = mmu.lTag;
        this.lDelta = mmu.lDelta;
        this.sTag = mmu.sTag;
        this.sDelta = mmu.sDelta;
        this.iTag = mmu.iTag;
        this.iDelta = mmu.iDelta;
        this.codeGen = codeGen;
    }
}
