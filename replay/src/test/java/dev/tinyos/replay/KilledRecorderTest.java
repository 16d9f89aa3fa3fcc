package dev.tinyos.replay;

import dev.tinyos.core.MachineConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.core.input.VirtualClock;
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
 * A recorder killed with SIGKILL mid-run still leaves a replayable trace: a child JVM records
 * the kernel running {@code spin} forever; the test kills it once digests are being written and
 * checks that the trace replays up to its last event with every digest matching.
 */
class KilledRecorderTest {
    @TempDir
    Path tmp;

    /** Child process: records until killed. Args: trace dir, kernel. */
    public static void main(String[] args) throws Exception {
        VirtualClock clock = VirtualClock.withInput("spin\n".getBytes(StandardCharsets.US_ASCII));
        RecordSession.Options o = RecordSession.Options.virtual(Path.of(args[0]),
                MachineConfig.builder().kernel(Path.of(args[1])).input(clock).build(), clock);
        o.digestInterval = 1L << 18;
        RecordSession s = RecordSession.start(o);
        System.out.println("recording");
        System.out.flush();
        s.run(Long.MAX_VALUE);
    }

    @Test
    void sigkillLeavesAReplayableTrace() throws Exception {
        Path kernel = Guest.require("kernel.elf");
        Path trace = tmp.resolve("killed");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add") || a.startsWith("-D") || a.startsWith("--enable")
                        || a.startsWith("--sun")).toList());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(KilledRecorderTest.class.getName());
        cmd.add(trace.toString());
        cmd.add(kernel.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && digests(trace) < 5) {
                Thread.sleep(200);
                assertTrue(p.isAlive(), () -> "recorder died: " + read(tmp.resolve("child.log")));
            }
            String busy = org.junit.jupiter.api.Assertions.assertThrows(TraceException.class, () -> Trace.open(trace))
                    .getMessage();
            assertTrue(busy.contains("still being recorded"), "a live recorder's trace is refused as such: " + busy);
        } finally {
            p.destroyForcibly(); // SIGKILL on Unix
            p.waitFor(10, TimeUnit.SECONDS);
        }
        try (Replay r = Replay.open(trace, null)) {
            assertFalse(r.summary().hasEnd());
            ReplayOutcome o = r.run();
            assertEquals(ReplayOutcome.Status.TRUNCATED_MATCHED, o.status(), o.message());
            assertTrue(o.digests() >= 5, o.message());
            assertTrue(o.message().contains("without an end record"), o.message());
        }
    }

    private static long digests(Path trace) {
        if (!Files.isDirectory(trace.resolve(Queues.DIR))) {
            return 0;
        }
        // the trace is still being recorded (Trace.open refuses it): count its digests directly
        long n = 0;
        try (EventReader r = new EventReader(trace)) {
            Event e = new Event();
            while (r.next(e)) {
                n += e.kind == EventKind.DIGEST ? 1 : 0;
            }
        } catch (TraceException e) {
            // the event being written right now; the ones before it count
        }
        return n;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
