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
    /** Entries of the block this unit runs before it leaves (its compiled prefix). */
    final int length;

    protected CompiledBlock(int length) {
        this.length = length;
    }

    /**
     * Runs the block based at virtual address {@code pc} with the given data TLBs. Returns
     * {@code k >= 0} when control left the block after {@code k} instructions (a taken branch,
     * a jump, or the block's end), with the next pc in {@code out[0]}; or {@code -1 - k} when
     * the interpreter must go on at entry {@code k} of the block (after {@code k} instructions):
     * a TLB miss or an op the compiler does not handle.
     */
    abstract int run(long[] x, byte[] mem, long[] lTag, long[] lDelta, long[] sTag, long[] sDelta,
                     long pc, long[] out);
}
