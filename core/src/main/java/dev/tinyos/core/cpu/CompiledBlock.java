package dev.tinyos.core.cpu;

/**
 * One decoded block of {@link BlockCache} compiled to JVM bytecode by {@link BlockCompiler}:
 * a hidden class whose {@link #run} executes a prefix of the block's entries (all of them when
 * every op is compilable) with the guest registers in JVM locals.
 *
 * <p>Invariant: {@link #run} computes exactly what {@code Interpreter.loop} computes for the
 * same entries, never throws, never touches anything but {@code x} and RAM through the TLB
 * fast path, and leaves {@code x} holding every register it wrote before it returns. It is
 * valid only while its slot of the block cache holds the block it was compiled from
 * ({@link BlockCache} drops it whenever it rebuilds or clears the slot).
 */
abstract class CompiledBlock {
    /** {@link #run}'s result when the block's end was reached: {@code FELL | steps}. */
    static final int FELL = 1 << 16;
    /** The steps in a non-negative result of {@link #run}. */
    static final int STEPS = FELL - 1;

    /** Entries of the block this unit runs before it leaves (its compiled prefix). */
    final int length;

    protected CompiledBlock(int length) {
        this.length = length;
    }

    /**
     * Runs the block based at virtual address {@code pc} with the given data TLBs. Returns
     * {@code k > 0} when a taken branch or a jump at entry {@code k - 1} left the block, or
     * {@code FELL | k} when execution ran off the block's end after its {@code k} entries, with
     * the next pc in {@code out[0]} either way; or {@code -1 - k} when
     * the interpreter must go on at entry {@code k} of the block (after {@code k} instructions):
     * a TLB miss or an op the compiler does not handle.
     */
    abstract int run(long[] x, byte[] mem, long[] lTag, long[] lDelta, long[] sTag, long[] sDelta,
                     long pc, long[] out);
}
