package dev.tinyos.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.core.input.VirtualClock;
import dev.tinyos.replay.checkpoint.Checkpoint;
import dev.tinyos.replay.checkpoint.CheckpointFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof of checkpoints: for guest programs (the kernel running its tests, kstress, a disk
 * benchmark on a disk image, board programs) and several icounts N &lt; M, restoring the
 * checkpoint taken at N and replaying to M reaches exactly the state of the straight replay at M
 * (registers, CSRs, all of RAM, the disk, every device, the console; and every trace digest on the
 * way matches): restored into the same replay (going back), into a fresh replay of the trace,
 * and, from a file, in a fresh JVM.
 */
class CheckpointTest {
    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> restoredReplaysReachTheStraightReplaysState() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String program : new String[] {"tests", "kstress"}) {
            tests.add(DynamicTest.dynamicTest("kernel: " + program,
                    () -> prove(record(Guest.require("kernel.elf"), null, program))));
        }
        tests.add(DynamicTest.dynamicTest("kernel: blkbench 8 1 on a disk",
                () -> prove(record(Guest.require("kernel.elf"), zeroDisk(), "blkbench 8 1"))));
        for (String board : new String[] {"timer", "plicgate", "blk", "echo"}) {
            tests.add(DynamicTest.dynamicTest("board: " + board, () -> {
                boolean disk = board.equals("blk");
                prove(record(Guest.require("board/" + board + ".elf"), disk ? zeroDisk() : null, "hello"));
            }));
        }
        return tests.stream();
    }

    /**
     * The planted bug, kept as a test: a restore that leaves one device field out (here the
     * CLINT's mtimecmp, as if its restore forgot it) is caught, by a trace digest on the way or
     * by the final state.
     */
    @org.junit.jupiter.api.Test
    void aDeviceFieldLeftOutIsCaught() throws Exception {
        Path trace = record(Guest.require("kernel.elf"), null, "kstress");
        try (Replay replay = Replay.open(trace, null)) {
            long end = replay.summary().endIcount();
            long[] at = points(end);
            assertTrue(replay.runTo(at[3]).ok());
            String straight = Fingerprint.of(replay);
            replay.runTo(at[1]);
            Checkpoint c = Checkpoint.take(replay, null);
            c.restore(replay);
            replay.machine().clint().store(dev.tinyos.core.dev.Clint.MTIMECMP, 8, 0); // the field left out
            ReplayOutcome o = replay.runTo(at[3]);
            assertTrue(!o.ok() || !straight.equals(Fingerprint.of(replay)), "the left-out field went unnoticed");
        }
    }

    private Path zeroDisk() throws IOException {
        Path disk = tmp.resolve("disk-" + System.nanoTime() + ".img");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(1 << 20);
        }
        return disk;
    }

    private Path record(Path elf, Path disk, String command) throws Exception {
        Path trace = tmp.resolve("t-" + System.nanoTime());
        RecordReplayTest.record(trace, elf, disk,
                VirtualClock.withInput((command + "\npoweroff\n").getBytes(StandardCharsets.US_ASCII)),
                new ByteArrayOutputStream(), 3_000_000_000L, 1L << 16);
        return trace;
    }

    /** Icounts N < M spread over the trace (odd ones: not digest boundaries). */
    private static long[] points(long end) {
        return new long[] {end / 7 + 3, end * 2 / 5 + 11, end * 3 / 5 + 1, end * 5 / 6 + 7, end};
    }

    private void prove(Path trace) throws Exception {
        Map<Long, String> straight = new LinkedHashMap<>();
        Map<Long, Checkpoint> taken = new LinkedHashMap<>();
        Path file = tmp.resolve("c-" + System.nanoTime() + ".ckpt");
        long fileAt;
        long[] at;
        try (Replay replay = Replay.open(trace, null)) {
            long end = replay.summary().hasEnd() ? replay.summary().endIcount() : replay.summary().lastIcount();
            at = points(end);
            Checkpoint previous = null;
            for (long i : at) {
                ReplayOutcome o = replay.runTo(i);
                assertTrue(o.ok(), o.message());
                straight.put(i, Fingerprint.of(replay));
                if (i < end) {
                    previous = Checkpoint.take(replay, previous); // the first full, then increments
                    taken.put(i, previous);
                }
            }
            fileAt = at[1];
            CheckpointFile.write(file, taken.get(fileAt), replay);
            // back and forth in the same replay, from the end: every N, then every M > N
            for (long n : taken.keySet()) {
                for (long m : at) {
                    if (m <= n) {
                        continue;
                    }
                    taken.get(n).restore(replay);
                    assertEquals(n, replay.machine().view().icount());
                    ReplayOutcome o = replay.runTo(m);
                    assertTrue(o.ok(), "from " + n + " to " + m + ": " + o.message());
                    assertEquals(straight.get(m), Fingerprint.of(replay), "restored at " + n + ", replayed to " + m);
                }
            }
        }
        try (Replay fresh = Replay.open(trace, null)) { // a fresh replay, the newest increment
            long n = at[3];
            taken.get(n).restore(fresh);
            ReplayOutcome o = fresh.runTo(at[4]);
            assertTrue(o.ok(), o.message());
            assertEquals(straight.get(at[4]), Fingerprint.of(fresh), "fresh replay restored at " + n);
        }
        {
            String out = freshJvm(trace, file, at[3]);
            assertEquals("OK " + straight.get(at[3]), out, "fresh JVM restored the file at " + fileAt);
        }
    }

    /** Runs {@link RestoreMain} in a new JVM and returns its last line. */
    static String freshJvm(Path trace, Path file, long to) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RestoreMain.class.getName(), trace.toString(),
                file.toString(), Long.toString(to)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        String[] lines = out.split("\n");
        return lines[lines.length - 1];
    }
}
