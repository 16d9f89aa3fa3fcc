package dev.tinyos.core.guest;

import dev.tinyos.core.testing.GuestBuild;
import dev.tinyos.core.ExitReason;
import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.input.VirtualClock;
import dev.tinyos.core.testing.Qemu;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Boots tiny-os (guest/build/kernel.elf) with a scripted console session that runs the in-guest
 * test table and every stress program, then powers off; on our machine, on QEMU, and twice on
 * our machine to show the run is deterministic.
 *
 * <p>Invariant: a session passes only if the guest printed every expected verdict line, no
 * failure or panic line, and stopped through the finisher with status 0.
 */
class KernelTest {
    /** What a user would type at the boot prompt. */
    static final String SESSION =
            "tests\nspin\nsleeper\nshortlived\nforkstorm\nkstress\npoweroff\n";
    static final List<String> EXPECTED = List.of(
            "ALL TESTS PASSED", "spin: done", "sleeper: PASS", "shortlived: PASS",
            "forkstorm: PASS", "tiny-os: power off (code 0)");
    static final List<String> FORBIDDEN = List.of(
            "FAIL", "panic", "exited with status", "no such program");
    static final long LIMIT = 2_000_000_000L;

    private static Path kernel;

    @BeforeAll
    static void findKernel() {
        kernel = GuestBuild.kernel();
    }

    record Session(RunResult result, String console) {
    }

    static Session boot(String typed) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MachineConfig cfg = MachineConfig.builder()
                .kernel(kernel)
                .console(out)
                .input(VirtualClock.withInput(typed.getBytes(StandardCharsets.US_ASCII)))
                .build();
        try (Machine m = new Machine(cfg)) {
            RunResult r = m.run(LIMIT);
            return new Session(r, out.toString(StandardCharsets.ISO_8859_1));
        }
    }

    static void assertCleanSession(String where, String console) {
        for (String line : EXPECTED) {
            assertTrue(console.contains(line), where + ": missing '" + line + "' in:\n" + console);
        }
        for (String bad : FORBIDDEN) {
            assertFalse(console.contains(bad), where + ": found '" + bad + "' in:\n" + console);
        }
    }

    @Test
    void testsAndStressProgramsPassOnOurMachine() throws Exception {
        Session s = boot(SESSION);
        assertCleanSession("tinyos", s.console());
        assertEquals(ExitReason.FINISHER_PASS, s.result().reason(), s.console());
        assertEquals(0, s.result().exitCode());
    }

    @Test
    void sameSessionTwiceGivesTheSameRun() throws Exception {
        String typed = "tests\npoweroff\n";
        Session a = boot(typed);
        Session b = boot(typed);
        assertEquals(a.console(), b.console());
        assertEquals(a.result(), b.result());
    }

    @Test
    void sameElfGivesTheSameResultsOnQemu() throws Exception {
        assumeTrue(Qemu.available(), Qemu.EXE + " is not on the PATH: skipping the QEMU cross-check");
        Qemu.Run q = Qemu.run(kernel, SESSION.getBytes(StandardCharsets.US_ASCII), "poweroff to stop", 300);
        assertCleanSession("qemu", q.console());
        assertEquals(0, q.exit(), q.console() + q.stderr());
    }
}
