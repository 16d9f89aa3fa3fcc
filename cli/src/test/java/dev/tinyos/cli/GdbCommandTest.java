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

    @Test
    void badPortsTracesAndCombinationsAreOneLine() throws Exception {
        Cli.run("replay", dir.resolve("none").toString(), "--gdb").assertOneLine("there is no trace");
        Cli.run("replay", dir.toString(), "--gdb", "70000").assertOneLine("0..65535");
        Cli.run("run", "--gdb", "--trace", dir.resolve("t").toString()).assertOneLine("leave out --trace");
        Cli.run("run", "--gdb", "-1").assertOneLine("0..65535");
    }

    @Test
    void aPortInUseIsNamed() throws Exception {
        Path trace = SmallTrace.record(dir);
        try (GdbListener busy = new GdbListener(0)) {
            Cli.Result r = Cli.run("replay", trace.toString(), "--gdb", Integer.toString(busy.port()));
            r.assertOneLine("cannot listen on localhost:" + busy.port());
        }
    }
}
