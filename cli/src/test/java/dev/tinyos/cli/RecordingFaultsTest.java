package dev.tinyos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recording when the host misbehaves: the host disk fills up at different moments, SIGINT and
 * SIGTERM arrive at different moments, --stop-at-icount cuts the power. Each time the run stops
 * with its summary and one line saying why, the user's image is unchanged, and what was written
 * is a trace that verifies up to where it stops.
 */
class RecordingFaultsTest {
    private static final boolean DEFAULT_SIGNALS = LauncherSignalsTest.envResetsSignals();
    private static final String BUSY = "blkbench 512 4\nblkbench 512 4\nblkbench 512 4\npoweroff\n";

    @TempDir
    Path dir;

    private Path kernelOrSkip() {
        Path kernel = Home.guestBuild().resolve("kernel.elf");
        assumeTrue(Files.isRegularFile(kernel), "guest/build/kernel.elf not built: make -C guest");
        return kernel;
    }

    private Path image(String name, String size) throws Exception {
        Path img = dir.resolve(name);
        assertEquals(0, Cli.run("mkdisk", img.toString(), "--size", size).status());
        return img;
    }

    /** verify exits 0 with one line and no stack trace. */
    private static void verifies(Path trace) throws Exception {
        Cli.Result v = Cli.run("verify", trace.toString());
        assertEquals(0, v.status(), v.err());
        assertFalse(v.leaksInternals(), v.err());
        assertTrue(v.err().startsWith("tinyos: verified: "), v.err());
    }

    @Test
    void stopAtIcountIsRecordedAsThePowerCutTheRunReported() throws Exception {
        kernelOrSkip();
        Path img = image("d.img", "1M");
        Path trace = dir.resolve("cut");
        Cli.Result r = Cli.run(SmallTrace.SCRIPT.getBytes(StandardCharsets.US_ASCII), 120, "run", "--clock",
                "virtual", "--disk", img.toString(), "--trace", trace.toString(), "--stop-at-icount", "3000000");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("POWER_CUT, exit 0: 3,000,000 instructions"), r.err());
        Cli.Result info = Cli.run("info", trace.toString());
        assertTrue(info.out().contains("end:          POWER_CUT, exit 0"), info.out());
        assertTrue(info.out().contains("3,000,000 instructions"), info.out());
        Cli.Result v = Cli.run("verify", trace.toString());
        assertEquals(0, v.status(), v.err());
        assertTrue(v.err().contains("POWER_CUT exit 0 at icount 3,000,000"), v.err());
    }

    @Test
    void aFullHostDiskStopsTheRunCleanlyAndLeavesATraceThatVerifies() throws Exception {
        kernelOrSkip();
        Path img = image("big.img", "8M");
        byte[] before = Files.readAllBytes(img);
        int tried = 0;
        for (String size : new String[] {"1400k", "1800k", "2200k", "2600k", "3000k"}) {
            Path mnt = Files.createDirectories(dir.resolve("fs-" + size));
            if (!mountTmpfs(mnt, size)) {
                System.out.println("RecordingFaultsTest: skipped the full-disk cases: cannot mount a small tmpfs "
                        + "here (needs root)");
                assumeTrue(false, "cannot mount a small tmpfs (needs root)");
            }
            try {
                Path trace = mnt.resolve("t");
                Cli.Result r = Cli.run(BUSY.getBytes(StandardCharsets.US_ASCII), 120, "run", "--clock", "virtual",
                        "--disk", img.toString(), "--trace", trace.toString());
                assertFalse(r.leaksInternals(), size + ": " + r.err());
                if (r.status() == BadInputException.EXIT_CODE) { // too small even to start: refused in one line
                    assertEquals(1, r.errLines(), r.err());
                    assertTrue(r.err().contains("full") || r.err().contains("No space"), r.err());
                    continue;
                }
                if (r.status() == 0) { // room enough for this run: an ordinary trace
                    verifies(trace);
                    continue;
                }
                assertEquals(RunCommand.HOST_FULL_EXIT, r.status(), size + ": " + r.err());
                assertTrue(r.err().contains("tinyos: the host disk is full ("), r.err());
                assertTrue(r.err().contains("POWER_CUT"), "the summary line: " + r.err());
                verifies(trace);
                tried++;
            } finally {
                unmount(mnt);
            }
        }
        assertTrue(tried >= 2, "the disk filled during at least two runs");
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(img)), "the user's image is unchanged");
    }

    @Test
    void aFullTemporaryDirectoryIsNamedAsTheHostsNotTheTraces() throws Exception {
        kernelOrSkip();
        Path img = image("w.img", "8M");
        Path trace = dir.resolve("w");
        assertEquals(0, Cli.run(BUSY.getBytes(StandardCharsets.US_ASCII), 120, "run", "--clock", "virtual", "--disk",
                img.toString(), "--trace", trace.toString()).status());
        Path tmp = Files.createDirectories(dir.resolve("smalltmp"));
        assumeTrue(mountTmpfs(tmp, "300k"), "cannot mount a small tmpfs (needs root)");
        String saved = System.getProperty("java.io.tmpdir");
        try {
            System.setProperty("java.io.tmpdir", tmp.toString());
            Cli.Result r = Cli.run("verify", trace.toString());
            assertTrue(r.status() == RunCommand.HOST_FULL_EXIT || r.status() == BadInputException.EXIT_CODE, r.err());
            assertEquals(1, r.errLines(), r.err());
            assertFalse(r.leaksInternals(), r.err());
            assertTrue(r.err().contains("host disk") && r.err().contains("full"), r.err());
            assertFalse(r.err().contains("corrupt"), "the trace is not to blame: " + r.err());
        } finally {
            System.setProperty("java.io.tmpdir", saved);
            unmount(tmp);
        }
        verifies(trace);
    }

    private static boolean mountTmpfs(Path mnt, String size) throws Exception {
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mnt.toString())
                .redirectErrorStream(true).start();
        return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    private static void unmount(Path mnt) throws Exception {
        new ProcessBuilder("umount", mnt.toString()).redirectErrorStream(true).start().waitFor(20, TimeUnit.SECONDS);
    }

    @Test
    void sigintAndSigtermStopLikeCtrlAXWithSummaryAndEndRecord() throws Exception {
        Path kernel = kernelOrSkip();
        int n = 0;
        for (String sig : new String[] {"INT", "TERM"}) {
            for (long delayMs : new long[] {300, 1500}) {
                Path trace = dir.resolve("sig-" + sig + "-" + delayMs);
                Path log = dir.resolve("child-" + (n++) + ".log");
                Process p = childRun(kernel, trace, log);
                try {
                    waitFor(log, "recording to", 60, p);
                    Thread.sleep(delayMs);
                    new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).start().waitFor();
                    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run ends after SIG" + sig + " sent "
                            + delayMs + " ms after the announcement; its stderr: " + Files.readString(log));
                } finally {
                    p.destroyForcibly();
                }
                String err = Files.readString(log);
                assertEquals(sig.equals("INT") ? 130 : 143, p.exitValue(), err);
                assertTrue(err.contains("POWER_CUT (SIG" + sig + ")"), "the summary line: " + err);
                assertFalse(err.contains("\tat "), err);
                Cli.Result info = Cli.run("info", trace.toString());
                assertTrue(info.out().contains("end:          POWER_CUT, exit 0"), info.out());
                verifies(trace);
            }
        }
    }

    @Test
    void sigkillAtAnyMomentLeavesATraceThatVerifiesUpToItsLastEvent() throws Exception {
        Path kernel = kernelOrSkip();
        int n = 0;
        for (long delayMs : new long[] {0, 700, 2000}) {
            Path trace = dir.resolve("kill-" + delayMs);
            Path log = dir.resolve("killed-" + (n++) + ".log");
            Process p = childRun(kernel, trace, log);
            try {
                waitFor(log, "recording to", 60, p);
                Thread.sleep(delayMs);
            } finally {
                p.destroyForcibly(); // SIGKILL
                p.waitFor(30, TimeUnit.SECONDS);
            }
            Cli.Result v = Cli.run("verify", trace.toString());
            assertFalse(v.leaksInternals(), v.err());
            if (v.status() == BadInputException.EXIT_CODE) { // killed before its first event was written
                assertEquals(1, v.errLines(), v.err());
                assertTrue(v.err().contains("holds no events") || v.err().contains("no event"), v.err());
                continue;
            }
            assertEquals(0, v.status(), v.err());
            assertTrue(v.err().contains("without an end record"), v.err());
        }
    }

    /**
     * A child JVM running {@code tinyos run} whose standard input stays open (a script still
     * typing), started as {@code ./tinyos} starts it: with SIGINT and SIGTERM at their default
     * actions. Without that it would inherit this JVM's, and a suite started in the background of
     * a shell script runs with SIGINT ignored, which no JVM takes a handler for
     * (LauncherSignalsTest).
     */
    private static Process childRun(Path kernel, Path trace, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (DEFAULT_SIGNALS) {
            cmd.addAll(List.of("env", "--default-signal=INT,TERM"));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add") || a.startsWith("-D") || a.startsWith("--enable")
                        || a.startsWith("--sun")).toList());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", "--clock",
                "virtual", "--kernel", kernel.toString(), "--trace", trace.toString()));
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        p.getOutputStream().write("echo still typing\n".getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().flush(); // and left open
        return p;
    }

    private static void waitFor(Path log, String text, int seconds, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(50);
        }
        if (Files.exists(log) && Files.readString(log).contains(text)) {
            return;
        }
        throw new AssertionError("no '" + text + "' in " + (Files.exists(log) ? Files.readString(log) : "(no log)"));
    }
}
