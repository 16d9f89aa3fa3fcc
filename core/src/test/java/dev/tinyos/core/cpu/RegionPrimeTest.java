package dev.tinyos.core.cpu;

import dev.tinyos.core.Engine;
import org.junit.jupiter.api.Test;

import static dev.tinyos.core.cpu.Asm.addi;
import static dev.tinyos.core.cpu.Asm.jal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The calls that make HotSpot compile a new region early ({@link Region#primeJvmCompiler}):
 * {@code run} with a negative budget returns at once, reads nothing (not even its context) and
 * changes nothing. Invariant: restores the engine properties it sets.
 */
class RegionPrimeTest {
    private static HartFixture compiledLoop() {
        System.setProperty(Engine.PROPERTY, "true");
        System.setProperty(Engine.PROPERTY + ".threshold", "1");
        try {
            HartFixture f = new HartFixture();
            f.put(HartFixture.RAM, addi(1, 1, 1), addi(2, 2, 3), jal(0, -8));
            f.steps(1_000);
            return f;
        } finally {
            System.clearProperty(Engine.PROPERTY);
            System.clearProperty(Engine.PROPERTY + ".threshold");
        }
    }

    private static Region someRegion(BlockCache c) {
        for (Region r : c.compiled) {
            if (r != null) return r;
        }
        return null;
    }

    @Test
    void aNegativeBudgetReturnsAtOnceWithoutItsContext() {
        HartFixture f = compiledLoop();
        Region r = someRegion(f.hart.blocks);
        assertNotNull(r, "the loop was compiled");
        assertEquals(7, r.run(null, 0, 7, -1));
    }

    @Test
    void primingChangesNothingTheGuestSees() {
        HartFixture f = compiledLoop();
        long[] x = f.hart.x.clone();
        long pc = f.hart.pc, icount = f.hart.icount();
        someRegion(f.hart.blocks).primeJvmCompiler();
        assertArrayEquals(x, f.hart.x);
        assertEquals(pc, f.hart.pc);
        assertEquals(icount, f.hart.icount());
        f.steps(100);
        HartFixture plain = compiledLoop();
        plain.steps(100);
        assertArrayEquals(plain.hart.x, f.hart.x);
    }
}
