package dev.tinyos.replay;

import dev.tinyos.core.MachineConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.core.ExitReason;
import dev.tinyos.core.RunResult;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * xv6-riscv, a kernel we did not write (../shared/thirdparty/xv6-riscv, unmodified), boots on a
 * copy of its file-system image to its shell, runs commands, and the recorded run replays with
 * identical console output and every digest matching. {@code -Dtinyos.xv6.usertests=true} also
 * runs {@code usertests -q} to ALL TESTS PASSED (several minutes; scripts/xv6-bench.sh times
 * it beside QEMU). Skipped with a message where the folder is absent.
 */
class Xv6Test {
    private static final long LIMIT = 400_000_000_000L;

    @TempDir
    Path tmp;

    static Path xv6() {
        Path dir = Path.of(System.getProperty("tinyos.thirdparty", "../../shared/thirdparty")).resolve("xv6-riscv");
        Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("kernel")) && Files.isRegularFile(dir.resolve("fs.img")),
                "xv6-riscv is not at " + dir.toAbsolutePath().normalize() + ": skipped");
        return dir;
    }

    /** Records xv6 on a fresh copy of fs.img until the console shows {@code marker}, then replays (trace in tmp/trace). */
    private String recordAndReplay(String typed, String marker) throws Exception {
        Path dir = xv6();
        Path disk = tmp.resolve("fs.img");
        Files.copy(dir.resolve("fs.img"), disk, StandardCopyOption.REPLACE_EXISTING);
        StopOnOutput src = new StopOnOutput(typed, marker);
        ByteArrayOutputStream rec = new ByteArrayOutputStream();
        RecordSession.Options o = RecordSession.Options.virtual(tmp.resolve("trace"), MachineConfig.builder()
                .kernel(dir.resolve("kernel")).disk(disk).input(src).console(new TeeStream(rec, src.console())).build(),
                src.clock());
        RunResult r;
        try (RecordSession s = RecordSession.start(o)) {
            r = s.run(LIMIT);
        }
        String console = src.output();
        assertEquals(ExitReason.STOPPED, r.reason(), "the marker never appeared; console:\n" + console);
        ByteArrayOutputStream rep = new ByteArrayOutputStream();
        try (Replay replay = Replay.open(o.traceDir, rep)) {
            ReplayOutcome out = replay.run();
            assertEquals(ReplayOutcome.Status.MATCHED, out.status(), out.message());
            assertEquals(r.icount(), out.icount());
        }
        assertArrayEquals(rec.toByteArray(), rep.toByteArray(), "replayed console output differs");
        return console;
    }

    @Test
    void bootsToTheShellRunsCommandsAndReplays() throws Exception {
        String console = recordAndReplay("ls\necho hello xv6\n", "hello xv6\n$ ");
        assertTrue(console.contains("xv6 kernel is booting"), console);
        assertTrue(console.contains("init: starting sh"), console);
        assertTrue(console.contains("usertests      2 15 180352"), "ls lists the file system: " + console);
        assertTrue(console.contains("$ hello xv6\n"), "echo ran: " + console);
        debugWithGdb();
    }

    /** The debugger tests' gdb script works on xv6's trace too (xv6's ELF needs the FPU registers described). */
    private void debugWithGdb() throws Exception {
        if (!GdbClient.available()) {
            return; // GdbReplayTest reports gdb-multiarch missing
        }
        String out = GdbClient.run(new dev.tinyos.replay.gdb.ReplayTarget(tmp.resolve("trace"),
                new ByteArrayOutputStream()), xv6().resolve("kernel"), GdbClient.script("proc[0].name"));
        GdbClient.checkScript(out, "syscall.c");
    }

    @Test
    void usertestsPass() throws Exception {
        Assumptions.assumeFalse("false".equals(System.getProperty("tinyos.xv6.usertests")),
                "usertests -q left out (-Dtinyos.xv6.usertests=false)");
        String console = recordAndReplay("usertests -q\n", "ALL TESTS PASSED\n");
        assertTrue(console.contains("ALL TESTS PASSED"), console);
    }
}
