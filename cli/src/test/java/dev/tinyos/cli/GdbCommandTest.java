package dev.tinyos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.replay.gdb.GdbListener;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The --gdb options' bad input: one line, exit 2, never a stack trace (the sessions themselves: GdbReplayTest). */
class GdbCommandTest {
    @TempDir
    Path dir;

    private static void assertOneLine(Cli.Result r, String fragment) {
        assertEquals(BadInputException.EXIT_CODE, r.status(), r.err());
        assertEquals(1, r.errLines(), r.err());
        assertTrue(r.err().startsWith("tinyos: ") && r.err().contains(fragment), r.err());
        assertFalse(r.leaksInternals(), r.err());
    }

    @Test
    void badPortsTracesAndCombinationsAreOneLine() throws Exception {
        assertOneLine(Cli.run("replay", dir.resolve("none").toString(), "--gdb"), "there is no trace");
        assertOneLine(Cli.run("replay", dir.toString(), "--gdb", "70000"), "0..65535");
        assertOneLine(Cli.run("run", "--gdb", "--trace", dir.resolve("t").toString()), "leave out --trace");
        assertOneLine(Cli.run("run", "--gdb", "-1"), "0..65535");
    }

    @Test
    void aPortInUseIsNamed() throws Exception {
        Path trace = SmallTrace.record(dir);
        try (GdbListener busy = new GdbListener(0)) {
            Cli.Result r = Cli.run("replay", trace.toString(), "--gdb", Integer.toString(busy.port()));
            assertOneLine(r, "cannot listen on localhost:" + busy.port());
        }
    }
}
