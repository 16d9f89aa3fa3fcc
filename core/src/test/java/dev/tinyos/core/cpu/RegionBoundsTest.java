package dev.tinyos.core.cpu;

import dev.tinyos.core.Engine;
import org.junit.jupiter.api.Test;

import static dev.tinyos.core.cpu.Asm.addi;
import static dev.tinyos.core.cpu.Asm.jal;
import static dev.tinyos.core.cpu.Asm.sw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compiler's bound on code that rewrites itself: a loop that stores into its own page (and
 * runs FENCE.I) every iteration bumps the page's code generation each time; after
 * {@link BlockCache#FREE_REWRITES} rewrites the page is (practically) no longer compiled, and
 * the run computes exactly what the interpreter computes. Invariant: restores the engine
 * properties it sets.
 */
class RegionBoundsTest {
    private static final int FENCE_I = 0x0000100F;

    private static HartFixture fixture(boolean jit) {
        System.setProperty(Engine.PROPERTY, Boolean.toString(jit));
        System.setProperty(Engine.PROPERTY + ".threshold", "1");
        try {
            HartFixture f = new HartFixture();
            f.hart.x[2] = HartFixture.RAM + 0x100;
            f.hart.x[3] = addi(5, 5, 1);
            f.put(HartFixture.RAM, addi(1, 1, 1), sw(3, 2, 0), FENCE_I, jal(0, 0xF4));
            f.put(HartFixture.RAM + 0x100, addi(5, 5, 1), jal(0, -0x104));
            return f;
        } finally {
            System.clearProperty(Engine.PROPERTY);
            System.clearProperty(Engine.PROPERTY + ".threshold");
        }
    }

    @Test
    void aPageRewrittenAtEveryIterationStopsBeingCompiled() {
        HartFixture a = fixture(false), b = fixture(true);
        a.steps(60_000);
        b.steps(60_000);
        assertEquals(10_000, a.x(1));
        assertEquals(a.x(1), b.x(1));
        assertEquals(a.x(5), b.x(5));
        assertEquals(a.hart.pc, b.hart.pc);
        assertEquals(a.hart.icount(), b.hart.icount());
        BlockCache c = b.hart.blocks;
        assertTrue(c.compiledCount > 0, "compiled before the rewrites were counted");
        assertTrue(c.compiledCount < 4 * (BlockCache.FREE_REWRITES + 2), "compiled " + c.compiledCount + " regions");
        assertTrue(c.refusedCount > 1_000, "refused " + c.refusedCount);
    }
}
