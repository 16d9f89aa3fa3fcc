package dev.tinyos.core.isa;

import dev.tinyos.core.ExitReason;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs every ISA conformance program (guest/tests/isa, built into guest/build/isa) on our
 * machine with a {@link dev.tinyos.core.input.VirtualClock}: each must end through the test
 * finisher with "pass" and print {@code PASS <name>}.
 *
 * <p>Invariant: one dynamic test per ELF; an empty or missing build directory fails.
 */
class IsaTest {

    @TestFactory
    List<DynamicTest> everyIsaProgramPassesOnOurMachine() throws IOException {
        return IsaPrograms.elfs().stream()
                .map(elf -> DynamicTest.dynamicTest(IsaPrograms.name(elf), () -> check(elf)))
                .toList();
    }

    private static void check(Path elf) throws IOException {
        String name = IsaPrograms.name(elf);
        IsaPrograms.Outcome o = IsaPrograms.runOnMachine(elf);
        String why = name + ": " + o.result() + "; console:\n" + o.console();
        assertEquals(ExitReason.FINISHER_PASS, o.result().reason(), why);
        assertEquals(0, o.result().exitCode(), why);
        assertEquals("PASS " + name + "\n", o.console(), why);
    }
}
