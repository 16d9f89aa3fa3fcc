package dev.tinyos.core.cpu;

/**
 * A region of hot code compiled to JVM bytecode by {@link RegionCompiler}: the decoded blocks
 * of one 4 KiB physical page reachable from an entry block by direct branches, direct jumps
 * and fall-through, in one method of a hidden class, with the guest registers in JVM locals
 * across its blocks (a loop inside the page becomes a loop in the method).
 *
 * <p>Invariants: {@link #run} computes exactly what {@code Interpreter.loop} computes for the
 * same blocks; it enters a block (the first one too) only if the whole block fits the budget
 * ({@code max - n >= its length}), so the step count at which it stops is one the interpreter
 * also stops at; it never throws, never touches anything but the registers and RAM through
 * the TLB fast path, allocates nothing, and leaves {@code x} holding every register it wrote.
 * It is valid only while its slot of the block cache holds the entry block it was compiled
 * from (the page's code generation is part of that key); {@link BlockCache} drops it whenever
 * it rebuilds or clears the slot.
 */
abstract class Region {
    /** Length of the entry block (the budget a call needs at least). */
    final int firstLen;
    /** Size of the class file (the compiler's bound on live code counts these). */
    final int bytes;

    protected Region(int firstLen, int bytes) {
        this.firstLen = firstLen;
        this.bytes = bytes;
    }

    /**
     * Runs the region from its entry block, based at virtual address {@code pc}, with
     * {@code n} steps taken of a budget of {@code max}. Returns the steps taken then, with
     * {@code c.pc} and {@code c.exit} saying where to go on ({@link JitContext#exit}).
     */
    abstract long run(JitContext c, long pc, long n, long max);
}
