package dev.tinyos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./tinyos} launcher starts its JVM (and Maven, for {@code tinyos test}) with SIGINT
 * and SIGTERM at their default actions, even when it was itself started with them ignored, as a
 * non-interactive shell starts its background jobs. A JVM started with a signal ignored takes no
 * Java handler for it, so {@code tinyos run &} in a script did not stop on SIGINT, and a test
 * suite run in the background could not see {@code run} stop on SIGINT at all.
 */
class LauncherSignalsTest {
    private static final int SIGINT = 2;
    private static final int SIGTERM = 15;

    @TempDir
    Path dir;

    /** True if this host's {@code env} can reset signals to their defaults (coreutils 8.31+). */
    static boolean envResetsSignals() {
        try {
            Process p = new ProcessBuilder("env", "--default-signal=INT,TERM", "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void theLauncherUndoesAnInheritedIgnoreOfSigintAndSigterm() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs /proc (Linux)");
        assumeTrue(envResetsSignals(), "env --default-signal needs coreutils 8.31 or later");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        // the tools `tinyos test` looks for; its "mvn" shows the signal dispositions it was started with
        stub(bin, "mvn", "exec grep '^SigIgn:' /proc/self/status");
        for (String tool : new String[] {"riscv64-unknown-elf-gcc", "qemu-system-riscv64", "gdb-multiarch"}) {
            stub(bin, tool, "exit 0");
        }
        Path launcher = Home.root().resolve("tinyos").toAbsolutePath().normalize();
        assumeTrue(Files.isExecutable(launcher), "no launcher at " + launcher);

        long direct = ignoredMask(bin, bin.resolve("mvn").toString()); // the setup: both ignored
        assertTrue(ignores(direct, SIGINT) && ignores(direct, SIGTERM), Long.toHexString(direct));

        long viaLauncher = ignoredMask(bin, launcher.toString(), "test");
        assertFalse(ignores(viaLauncher, SIGINT), "SigIgn " + Long.toHexString(viaLauncher));
        assertFalse(ignores(viaLauncher, SIGTERM), "SigIgn " + Long.toHexString(viaLauncher));
    }

    private static void stub(Path bin, String name, String body) throws IOException {
        Path f = bin.resolve(name);
        Files.writeString(f, "#!/bin/sh\n" + body + "\n", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Runs {@code command} from a shell that ignores SIGINT and SIGTERM; the SigIgn mask it prints. */
    private static long ignoredMask(Path bin, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "trap '' INT TERM; exec \"$@\"", "bash"));
        cmd.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("TINYOS_BUILD_SUFFIX", "-launchertest"); // nothing is built: mvn is the stub
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        String line = out.lines().filter(l -> l.startsWith("SigIgn:")).findFirst().orElseThrow(
                () -> new AssertionError("no SigIgn line from " + String.join(" ", command) + ": " + out));
        return Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
    }

    private static boolean ignores(long mask, int signal) {
        return (mask >>> (signal - 1) & 1) != 0;
    }
}
