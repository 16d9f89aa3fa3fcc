package dev.tinyos.core.isa;

import dev.tinyos.core.testing.Qemu;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Cross-checks the ISA programs against the reference: each ELF must pass on
 * {@code qemu-system-riscv64 -machine virt -bios none} (process exit status 0, console
 * {@code PASS <name>}) and print exactly the same console bytes on our machine.
 *
 * <p>Invariant: skipped (JUnit assumption, with the reason) only when qemu-system-riscv64 is
 * not on the PATH; otherwise every ELF is run on both with a per-run timeout.
 */
class IsaOnQemuTest {
    private static final long TIMEOUT_SECONDS = 20;

    @TestFactory
    List<DynamicTest> everyIsaProgramBehavesAsOnQemu() throws IOException {
        assumeTrue(Qemu.available(),
                Qemu.EXE + " is not on the PATH: skipping the QEMU cross-check"
                        + " (install qemu-system-misc to run it)");
        return IsaPrograms.elfs().stream()
                .map(elf -> DynamicTest.dynamicTest(IsaPrograms.name(elf), () -> check(elf)))
                .toList();
    }

    private static void check(Path elf) throws Exception {
        String name = IsaPrograms.name(elf);
        Qemu.Run q = Qemu.run(elf, null, TIMEOUT_SECONDS);
        String why = name + " on QEMU: exit " + q.exit() + "; console:\n" + q.console() + q.stderr();
        assertEquals(0, q.exit(), why);
        assertEquals("PASS " + name + "\n", q.console(), why);
        IsaPrograms.Outcome ours = IsaPrograms.runOnMachine(elf);
        assertEquals(q.console(), ours.console(),
                name + ": console differs from QEMU; ours ended " + ours.result());
        assertTrue(ours.result().passed(), name + " on our machine: " + ours.result());
    }
}
