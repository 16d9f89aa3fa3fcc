package dev.tinyos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.dev.BlockBackend;
import dev.tinyos.core.input.VirtualClock;
import dev.tinyos.replay.RecordSession;
import dev.tinyos.replay.Replay;
import dev.tinyos.replay.ReplayOutcome;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tinyos crash} on a crashdemo run without a barrier between data and commit: exit 1,
 * the failing states named, states.csv written, a failing state reproduced alone with --state,
 * and --keep-failing's image and checker trace show the failure again; bad input is one line
 * and exit 2.
 */
class CrashCommandTest {
    @TempDir
    Path dir;

    private String out;
    private String err;

    private int tinyos(String... args) {
        Cli.Result r = Cli.runHere(args);
        out = r.out();
        err = r.err();
        return r.status();
    }

    private static Path kernel() {
        Path k = Path.of(System.getProperty("tinyos.guest.build", "../guest/build")).resolve("kernel.elf");
        assumeTrue(Files.isRegularFile(k), "guest not built: " + k);
        return k;
    }

    private static String boot(Path disk, String input) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (Machine m = new Machine(MachineConfig.builder().kernel(kernel()).disk(disk).console(console)
                .input(VirtualClock.withInput(input.getBytes(StandardCharsets.US_ASCII))).build())) {
            RunResult r = m.run(1_000_000_000L);
            assertEquals(0, r.exitCode());
        }
        return console.toString(StandardCharsets.US_ASCII);
    }

    /** A trace of {@code crashdemo run 2 nobarrier} on a formatted disk. */
    private Path nobarrierTrace() throws Exception {
        Path img = dir.resolve("f.img");
        BlockBackend.create(img, 1 << 20, false);
        boot(img, "crashdemo format\npoweroff\n");
        VirtualClock clock = VirtualClock.withInput("crashdemo run 2 nobarrier\npoweroff\n".getBytes(StandardCharsets.US_ASCII));
        RecordSession.Options o = RecordSession.Options.virtual(dir.resolve("t"), MachineConfig.builder().kernel(kernel())
                .disk(img).input(clock).console(new ByteArrayOutputStream()).build(), clock);
        try (RecordSession s = RecordSession.start(o)) {
            assertEquals(0, s.run(1_000_000_000L).exitCode());
        }
        return o.traceDir;
    }

    @Test
    void findsKeepsAndReproducesAFailingState() throws Exception {
        Path t = nobarrierTrace();
        Path keep = dir.resolve("keep");
        Path o = dir.resolve("o");
        int rc = tinyos("crash", t.toString(), "--check", "crashdemo check", "--pass", "crashdemo: PASS", "--no-torn",
                "-j", "2", "-o", o.toString(), "--keep-failing", keep.toString(), "--keep-max", "1");
        assertEquals(1, rc, out + err);
        assertTrue(out.contains("crash: states: "), out);
        Matcher fail = Pattern.compile("(?m)^FAIL (e\\S+) ").matcher(out);
        assertTrue(fail.find(), out);
        String id = fail.group(1);
        List<String> csv = Files.readAllLines(o.resolve("states.csv"));
        assertTrue(csv.get(0).startsWith("state,id,epoch,crash_icount,"), csv.get(0));
        assertTrue(csv.stream().anyMatch(l -> l.contains("," + id + ",") && l.contains(",fail,")), String.join("\n", csv));
        assertTrue(csv.stream().anyMatch(l -> l.contains(",pass,")), "the durable states pass");

        Path img;
        try (var files = Files.list(keep)) {
            img = files.filter(p -> p.toString().endsWith(".img")).findFirst().orElseThrow();
        }
        assertTrue(boot(img, "crashdemo check\npoweroff\n").contains("crashdemo: FAIL"), "the kept image fails again");
        Path checkerTrace = Path.of(img.toString().replace(".img", ".trace"));
        try (Replay r = Replay.open(checkerTrace, null)) {
            ReplayOutcome ro = r.run();
            assertEquals(ReplayOutcome.Status.MATCHED, ro.status(), ro.message());
        }

        Path o2 = dir.resolve("o2");
        assertEquals(1, tinyos("crash", t.toString(), "--check", "crashdemo check", "--pass", "crashdemo: PASS",
                "--state", id, "-o", o2.toString()), out + err);
        assertTrue(out.contains("1 checked, 0 passed, 1 failed"), out);
        assertTrue(Files.isDirectory(o2.resolve("failing").resolve("state-0.trace")), "kept by default: " + out);
        assertEquals(0, tinyos("crash", t.toString(), "--check", "crashdemo check", "--pass", "crashdemo: PASS",
                "--state", "e0:", "-o", o.toString(), "--keep-max", "0"), out + err);

        // two shards check every state once between them, with the same verdicts
        long failing = csv.stream().filter(l -> l.contains(",fail,")).count();
        long checked = 0;
        long failed = 0;
        for (String k : new String[] {"0/2", "1/2"}) {
            Path so = dir.resolve("shard" + k.charAt(0));
            tinyos("crash", t.toString(), "--check", "crashdemo check", "--pass", "crashdemo: PASS", "--no-torn",
                    "--shard", k, "-o", so.toString(), "--keep-max", "0");
            List<String> rows = Files.readAllLines(so.resolve("states.csv"));
            checked += rows.stream().filter(l -> l.contains(",pass,") || l.contains(",fail,")).count();
            failed += rows.stream().filter(l -> l.contains(",fail,")).count();
        }
        assertEquals(csv.size() - 1, checked);
        assertEquals(failing, failed);
    }

    @Test
    void aCheckerThatFailsOnTheRunsOwnDiskIsPointedOut() throws Exception {
        Path t = nobarrierTrace();
        assertEquals(1, tinyos("crash", t.toString(), "--check", "crashdemo chekc", "--pass", "crashdemo: PASS",
                "--no-torn", "--keep-max", "0", "-o", dir.resolve("o").toString()), out + err);
        assertTrue(err.contains("the checker fails on the disk the run itself left"), err);
        assertEquals(1, tinyos("crash", t.toString(), "--check", "crashdemo check", "--pass", "crashdemo: PASS",
                "--no-torn", "--keep-max", "0", "-o", dir.resolve("o2").toString()), out + err);
        assertTrue(!err.contains("note:"), "the real bug fails other states only: " + err);
    }

    private void assertOneLineError(int status, String fragment) {
        assertEquals(BadInputException.EXIT_CODE, status, out + err);
        assertEquals(1, err.lines().count(), "one line, no stack trace: " + err);
        assertTrue(err.startsWith("tinyos: ") && err.contains(fragment), err);
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws Exception {
        assertOneLineError(tinyos("crash", dir.resolve("none").toString(), "--check", "x"), "there is no trace");
        assertOneLineError(tinyos("crash", dir.toString()), "--check");
        assertOneLineError(tinyos("crash", dir.toString(), "--check", "x", "--pass", "("), "not a regular expression");
        assertOneLineError(tinyos("crash", dir.toString(), "--check", "x", "--exhaustive", "30"), "--exhaustive");
        assertOneLineError(tinyos("crash", dir.toString(), "--check", "x", "--shard", "2/2"), "--shard");
        Path t = nobarrierTrace();
        assertOneLineError(tinyos("crash", t.toString(), "--check", "x", "--state", "e99:"), "epochs 0..");
        assertOneLineError(tinyos("crash", t.toString(), "--check", "x", "--state", "bogus"), "not a crash state");
    }
}
