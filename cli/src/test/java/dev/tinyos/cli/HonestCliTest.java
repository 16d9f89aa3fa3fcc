package dev.tinyos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tinyos.core.dev.BlockBackend;
import dev.tinyos.core.dev.ImageInUseException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The small lies and silent surprises of issue 11: every option that would be ignored is
 * refused, every refusal is one line in the user's units naming the reason, and the commands
 * that look at a trace or an image respect the locks of the processes using them.
 */
class HonestCliTest {
    @TempDir
    static Path shared;
    static Path trace;

    @TempDir
    Path dir;

    @BeforeAll
    static void record() throws Exception {
        trace = SmallTrace.record(shared);
    }

    private static void refused(Cli.Result r, String fragment) {
        assertEquals(BadInputException.EXIT_CODE, r.status(), r.err());
        assertEquals(1, r.errLines(), "one line: " + r.err());
        assertFalse(r.leaksInternals(), r.err());
        assertTrue(r.err().startsWith("tinyos: ") && r.err().contains(fragment), r.err());
    }

    @Test
    void noCommandOrNoJobIsAUsageErrorNotASuccess() throws Exception {
        refused(Cli.run(), "no command");
        refused(Cli.run("analyze"), "needs a job");
    }

    @Test
    void everyCommandAnswersVersion() throws Exception {
        for (String cmd : new String[] {"run", "verify", "replay", "info", "mkdisk", "bench"}) {
            Cli.Result r = Cli.run(cmd, "-V");
            assertEquals(0, r.status(), cmd);
            assertEquals(Main.VERSION, r.out().strip(), cmd);
        }
    }

    @Test
    void optionsThatWouldBeIgnoredAreRefused() throws Exception {
        refused(Cli.run("run", "--stop-at-icount", "-1"), "--stop-at-icount must be positive");
        refused(Cli.run("run", "--trace", dir.resolve("x").toString(), "--no-record"), "contradict");
        refused(Cli.run("run", "--trace", ""), "--trace needs a directory");
        refused(Cli.run("run", "--disk-writeback"), "--disk-writeback needs --disk");
        refused(Cli.run("replay", trace.toString(), "--until-panic", "--until", "5"), "not both");
        refused(Cli.run("analyze", "bench", trace.toString(), "--runs", "0"), "--runs must be at least 1");
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void messagesSpeakTheUsersUnits() throws Exception {
        refused(Cli.run("analyze", "cache", trace.toString(), "--tlb", "3"), "powers of two");
        refused(Cli.run("analyze", "cache", trace.toString(), "--window-ms", "0"), "guest milliseconds");
        refused(Cli.run("analyze", "cache", trace.toString(), "--l1i", "16Q:4:64"), "SIZE:WAYS:LINE");
        assertEquals("1024M:1:64", AnalyzeCacheCommand.geometry("--l1i", "1G:1:64"), "G is a unit too");
        Path img = dir.resolve("huge.img");
        Cli.Result r = Cli.run("mkdisk", img.toString(), "--size", "9999999G");
        refused(r, "cannot create");
        assertFalse(r.err().endsWith(img + System.lineSeparator()), "says why, not the path again: " + r.err());
        assertFalse(Files.exists(img), "no 0-byte image left behind");
        Cli.Result rec = Cli.run("run", "--trace", "/proc/nope/trace");
        refused(rec, "cannot record to /proc/nope/trace: ");
        assertFalse(rec.err().strip().endsWith("/proc/nope/trace"), rec.err());
    }

    @Test
    void analyzeChecksItsOutputBeforeReplaying() throws Exception {
        Path file = Files.writeString(dir.resolve("existing.csv"), "keep me");
        for (String job : new String[] {"sched", "cache"}) {
            long t0 = System.nanoTime();
            refused(Cli.run("analyze", job, trace.toString(), "-o", file.toString()), "not a directory");
            refused(Cli.run("analyze", job, trace.toString(), "-o", "/proc/foo"), "cannot create the output directory");
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "refused before any replay");
        }
        refused(Cli.run("analyze", "compare", trace.toString(), trace.toString(), "-o", file.toString()),
                "not a directory");
        assertEquals("keep me", Files.readString(file));
        refused(Cli.run("analyze", "sched", dir.resolve("nosuch").toString()), "no trace");
        assertFalse(Files.exists(dir.resolve("nosuch")), "nothing created for a trace that is not there");
    }

    @Test
    void untilPanicSaysWhenNoPanicWasReached() throws Exception {
        Cli.Result r = Cli.run("replay", trace.toString(), "--until-panic");
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("no panic was reached"), r.err());
        assertFalse(r.err().contains("pc "), "no register dump of a place that is not a panic: " + r.err());
    }

    @Test
    void aSecondUserOfAnImageIsRefused() throws Exception {
        Path img = dir.resolve("d.img");
        assertEquals(0, Cli.run("mkdisk", img.toString(), "--size", "1M").status());
        try (BlockBackend first = BlockBackend.open(img, false)) {
            assertThrows(ImageInUseException.class, () -> BlockBackend.open(img, false).close());
            assertThrows(ImageInUseException.class, () -> BlockBackend.open(img, true).close());
        }
        BlockBackend.open(img, false).close(); // free again once closed
        Process holder = lockInAnotherProcess(img);
        try {
            refused(Cli.run("run", "--no-record", "--disk", img.toString()), "in use by another process");
            refused(Cli.run("run", "--trace", dir.resolve("t").toString(), "--disk", img.toString()),
                    "in use by another process");
            assertFalse(Files.exists(dir.resolve("t")), "no half-made trace");
        } finally {
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aTraceStillBeingRecordedIsNotReadAsAKilledOne() throws Exception {
        Process holder = lockInAnotherProcess(trace.resolve("header.properties"));
        try {
            for (String cmd : new String[] {"verify", "info", "replay"}) {
                refused(Cli.run(cmd, trace.toString()), "still being recorded");
            }
        } finally {
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertEquals(0, Cli.run("verify", trace.toString()).status(), "the recorder's lock goes with its process");
    }

    @Test
    void ctrlCAtThePromptDropsTheLineInsteadOfStoringIt() throws Exception {
        assumeTrue(Files.isRegularFile(Home.guestBuild().resolve("kernel.elf")), "make -C guest first");
        Cli.Result r = Cli.run("ech\u0003echo fine\npoweroff\n".getBytes(StandardCharsets.US_ASCII), 60, "run",
                "--no-record", "--clock", "virtual");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("\nfine\n"), r.out());
        assertFalse(r.out().contains("ech\u0003") || r.out().contains("echecho"), r.out());
    }

    /** A python3 process holding a POSIX write lock on {@code file} (as QEMU or a recorder would). */
    private static Process lockInAnotherProcess(Path file) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c", "import fcntl,sys,time\nf=open(sys.argv[1],'r+')\n"
                    + "fcntl.lockf(f, fcntl.LOCK_EX)\nprint('locked', flush=True)\ntime.sleep(120)", file.toString())
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "python3 is needed to hold a lock from another process");
            throw e;
        }
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("locked", r.readLine());
        return p;
    }
}
