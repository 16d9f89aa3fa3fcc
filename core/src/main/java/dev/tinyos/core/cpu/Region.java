package dev.tinyos.core.cpu;

/**
 * A region of hot code compiled to JVM bytecode by {@link RegionCompiler}: the hot decoded
 * blocks reachable from an entry block by branches, jumps, calls and returns, on the entry
 * block's 4 KiB page and up to three more, in one method of a hidden class, with the guest
 * registers in JVM locals across its blocks (a loop becomes a loop in the method, a call a
 * jump).
 *
 * <p>Invariants: {@link #run} computes exactly what {@code Interpreter.loop} computes for the
 * same blocks; it enters a block (the first one too) only if the whole block fits the budget
 * ({@code max - n >= its length}), so the step count at which it stops is one the interpreter
 * also stops at; it never throws, never touches anything but the registers and RAM through
 * the TLB fast path, allocates nothing, and leaves {@code x} holding every register it wrote.
 * It is valid only while its slot of the block cache holds the entry block it was compiled
 * from (the page's code generation is part of that key); {@link BlockCache} drops it whenever
 * it rebuilds or clears the slot. Its other pages it checks itself ({@link #entered}) each time
 * it goes to one of them.
 */
abstract class Region {
    /** Length of the entry block (the budget a call needs at least). */
    final int firstLen;
    /** Size of the class file (the compiler's bound on live code counts these). */
    final int bytes;
    /** Per page of the region (the entry block's first): the RAM offset it was compiled from, and its code generation then. */
    private final int[] pageOff, pageGen;

    protected Region(int firstLen, int bytes, int[] pageOff, int[] pageGen) {
        this.firstLen = firstLen;
        this.bytes = bytes;
        this.pageOff = pageOff;
        this.pageGen = pageGen;
    }

    /** Pages the region spans. */
    final int pages() {
        return pageOff.length;
    }

    /**
     * True if virtual page {@code va} (page {@code j} of the region) is now fetched from the
     * RAM page its code was compiled from, and that code is unchanged (same generation): the
     * region may go on in its blocks there. False also when the fetch TLB does not hold the
     * page (the driver then translates it).
     */
    final boolean entered(JitContext c, long va, int j) {
        final int t = (int) (va >>> 12) & Mmu.TLB_MASK, off = pageOff[j];
        return c.iTag[t] == va >>> 12 && va + c.iDelta[t] == off && c.codeGen[off >>> 12] == pageGen[j];
    }

    /**
     * Runs the region from its entry block, based at virtual address {@code pc}, with
     * {@code n} steps taken of a budget of {@code max}. Returns the steps taken then, with
     * {@code c.pc} and {@code c.exit} saying where to go on ({@link JitContext#exit}).
     * With {@code max < 0} it returns {@code n} at once and touches nothing ({@link #primeJvmCompiler}).
     */
    abstract long run(JitContext c, long pc, long n, long max);

    /**
     * Calls {@link #run} with {@code max < 0} (which returns at once, reading nothing: the
     * first thing its code checks) {@link #PRIME_CALLS} times, so that the JVM compiles the
     * new class's method now rather than after 60,000 loop iterations in its bytecode
     * interpreter, which runs region code about 20 times slower than {@code Interpreter.loop}
     * runs the same blocks (docs/engine.md, "Start-up and warm-up of a fresh process"). It
     * changes nothing the guest can see.
     */
    final void primeJvmCompiler() {
        for (int i = 0; i < PRIME_CALLS; i++) run(null, 0, 0, -1);
    }

    /**
     * Invocations that make HotSpot queue a method for its first compiler (C1): its threshold
     * is 200 calls, checked every 128.
     */
    static final int PRIME_CALLS = 256;
}
