package dev.tinyos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RunSummaryTest {

    @Test
    void formatsOneLine() {
        assertEquals("tinyos: FINISHER_PASS, exit 0: 250,000,000 instructions in 1.000 s, 250.0 MIPS",
                RunSummary.line("FINISHER_PASS", 0, 250_000_000L, 1_000_000_000L));
    }

    @Test
    void mipsOfNoTimeIsZero() {
        assertEquals(0.0, RunSummary.mips(5, 0));
        assertEquals(2.0, RunSummary.mips(2_000, 1_000_000));
    }
}
