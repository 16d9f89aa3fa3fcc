package dev.tinyos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.replay.Replay;
import dev.tinyos.replay.checkpoint.CheckpointFile;
import dev.tinyos.replay.checkpoint.TraceIndex;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tinyos index} and {@code tinyos seekbench} from the command line: bad input is one
 * line; indexing twice adds nothing the second time and says so (what it keeps and adds:
 * TraceIndexTest); an index killed (SIGKILL) while it writes leaves only whole checkpoints, and
 * running it again completes it.
 */
class IndexCommandTest {
    @TempDir
    Path dir;

    @Test
    void badInputIsOneLineAndASecondIndexAddsNothing() throws Exception {
        Cli.run("index", dir.resolve("none").toString()).assertOneLine("there is no trace");
        Cli.run("seekbench", dir.resolve("none").toString()).assertOneLine("there is no trace");
        Path trace = SmallTrace.record(dir);
        Cli.run("index", trace.toString(), "--every", "0").assertOneLine("--every must be positive");
        Cli.run("seekbench", trace.toString(), "--seeks", "0").assertOneLine("--seeks must be at least 1");

        Cli.Result first = Cli.run("index", trace.toString(), "--every", "1000000");
        assertEquals(0, first.status(), first.err());
        assertTrue(first.err().matches("(?s)tinyos: \\d+ checkpoints every 1,000,000 instructions saved in .*\\(0 kept.*"),
                first.err());
        Cli.Result again = Cli.run("index", trace.toString(), "--every", "1000000");
        assertEquals(0, again.status(), again.err());
        assertTrue(again.err().startsWith("tinyos: 0 checkpoints") && again.err().contains("nothing was missing"),
                again.err());

        Path index = trace.resolve("checkpoints");
        try (var files = Files.list(index)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.delete(p);
            }
        }
        Files.delete(index);
        Files.writeString(index, "a file where the index's directory goes");
        Cli.run("index", trace.toString()).assertOneLine("cannot save checkpoints into");
    }

    @Test
    void aKilledIndexLeavesOnlyWholeCheckpointsAndRunningItAgainCompletesIt() throws Exception {
        Path trace = SmallTrace.record(dir);
        Path index = trace.resolve(TraceIndex.DIR);
        long every = 500_000;
        for (long delayMs : new long[] {0, 400}) {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(a -> a.startsWith("--add") || a.startsWith("-D") || a.startsWith("--enable")).toList());
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "index",
                    trace.toString(), "--every", Long.toString(every)));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (p.isAlive() && System.nanoTime() < deadline && !hasFiles(index)) {
                    Thread.sleep(5);
                }
                Thread.sleep(delayMs);
            } finally {
                p.destroyForcibly(); // SIGKILL, most likely in the middle of a file
                p.waitFor(30, TimeUnit.SECONDS);
            }
            try (Replay replay = Replay.open(trace, null)) {
                for (Path f : TraceIndex.files(trace).values()) {
                    CheckpointFile.read(f, replay); // whole, or it would be refused here
                }
            }
        }
        Cli.Result again = Cli.run("index", trace.toString(), "--every", Long.toString(every));
        assertEquals(0, again.status(), again.err());
        long end;
        try (Replay replay = Replay.open(trace, null)) {
            end = replay.summary().endIcount();
            for (long at = every; at < end; at += every) {
                Path f = TraceIndex.files(trace).get(at);
                assertTrue(f != null, "missing " + at + ": " + again.err());
                CheckpointFile.read(f, replay);
            }
        }
        try (var files = Files.list(index)) {
            assertEquals((end - 1) / every, files.count(), "no temporary file left: " + again.err());
        }
    }

    private static boolean hasFiles(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var s = Files.list(dir)) {
            return s.findAny().isPresent();
        }
    }
}
