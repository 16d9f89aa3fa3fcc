package dev.tinyos.core.cpu;

import dev.tinyos.core.Engine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link BlockCacheTest} (self-modifying code, DMA, links, budgets and traps inside blocks)
 * with the compiler on, compiling every region at its first entry: the same assertions hold under either engine.
 * Invariant: restores the engine properties it sets.
 */
class BlockCacheCompiledTest extends BlockCacheTest {
    @BeforeAll
    static void engine() {
        System.setProperty(Engine.PROPERTY, "true");
        System.setProperty(Engine.PROPERTY + ".threshold", "1");
    }

    @AfterAll
    static void restore() {
        System.clearProperty(Engine.PROPERTY);
        System.clearProperty(Engine.PROPERTY + ".threshold");
    }
}
