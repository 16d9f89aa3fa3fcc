package dev.tinyos.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.core.ExitReason;
import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.input.VirtualClock;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Record → replay → compare for the programs of the shell issue: install (on the build's stage
 * image, at the boot prompt), then, from /bin, sh with pipelines, redirections, a background
 * job, kill, Ctrl-C, and the programs wc grep head cp (reflink and byte copy) kill sleep true
 * false forkbench shtests poweroff; and a boot of the installed disk, where init comes from
 * /bin/init and starts the shell. Each replay must reach the same end and icount with every
 * digest matching, and print the same console bytes.
 */
class ShellProgramsReplayTest {
    private static final long LIMIT = 4_000_000_000L;
    private static final long INTERVAL = 1L << 20;

    @TempDir
    Path tmp;

    private String roundTrip(String name, Path disk, String typed) throws Exception {
        RecordReplayTest.RoundTrip t = RecordReplayTest.roundTrip(tmp.resolve(name), Guest.require("kernel.elf"), disk,
                typed.getBytes(StandardCharsets.US_ASCII), LIMIT, INTERVAL);
        assertEquals(ExitReason.FINISHER_PASS, t.result().reason(), t.console());
        return t.console();
    }

    @Test
    void installAndEveryShellProgramReplay() throws Exception {
        Path stage = Files.copy(Guest.require("stage.img"), tmp.resolve("stage.img"), StandardCopyOption.REPLACE_EXISTING);
        String typed = "install\nsh\n"
                + "shtests\n"
                + "ls /bin | grep s | head -n 3 | wc -l\n"
                + "echo some words here > /tmp/a; cp /tmp/a /tmp/b; cp -n /tmp/a /tmp/c; cat /tmp/b /tmp/c | wc\n"
                + "sleep 50 &\n"
                + "ps | grep sleep\n"
                + "true && false || echo fallback $?\n"
                + "forkbench 20\n"
                + "sleep 100\n\u0003"
                + "poweroff\n";
        String c = roundTrip("session", stage, typed);
        assertTrue(c.contains("install: PASS"), c);
        assertTrue(c.contains("10 of 10 tests passed"), c);
        assertTrue(c.contains("2 6 32\n"), c);
        assertTrue(c.matches("(?s).*ps \\| grep sleep\n.*\n\\d+ +\\d+ +\\d+ +sleep +sleep .*"), c);
        assertTrue(c.contains("fallback 1\n"), c);
        assertTrue(c.contains("forkbench: 20 fork+exec of /bin/true"), c);
        assertTrue(c.contains("^C\n"), c);
    }

    @Test
    void bootingTheInstalledDiskStartsInitAndTheShellFromBin() throws Exception {
        Path disk = Files.copy(Guest.require("stage.img"), tmp.resolve("disk.img"), StandardCopyOption.REPLACE_EXISTING);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Machine m = new Machine(MachineConfig.builder().kernel(Guest.require("kernel.elf")).disk(disk).console(out)
                .input(VirtualClock.withInput("install\npoweroff\n".getBytes(StandardCharsets.US_ASCII))).build())) {
            assertEquals(ExitReason.FINISHER_PASS, m.run(LIMIT).reason(), out.toString(StandardCharsets.ISO_8859_1));
        }
        String c = roundTrip("boot", disk, "echo hi | cat\nkill 1; kill 999\nexit\npoweroff\n");
        assertTrue(c.contains("tiny-os init: starting /bin/sh"), c);
        assertTrue(c.contains("kill: 1: no such process\nkill: 999: no such process\n"), c);
        assertTrue(c.contains("init: sh exited with status 1; starting a new one"), c);
    }
}
