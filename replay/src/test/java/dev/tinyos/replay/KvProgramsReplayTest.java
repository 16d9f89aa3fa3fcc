package dev.tinyos.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.core.RunResult;
import dev.tinyos.core.input.VirtualClock;
import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Record → replay → compare for the key/value store's programs (mkfs, kvstress, fsck, kvcheck,
 * kvcorrupt, kvtests) in one session on a blank 16 MiB disk: the replay must reach the same end
 * and icount with every digest matching, and print the same console bytes.
 */
class KvProgramsReplayTest {
    private static final long LIMIT = 4_000_000_000L;
    private static final long INTERVAL = 1L << 20;

    @TempDir
    Path tmp;

    @Test
    void everyKvProgramReplays() throws Exception {
        Path disk = tmp.resolve("kv.img");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(16L << 20);
        }
        String typed = "mkfs 6 1024\nkvstress 4 300 10 64\nfsck\nkvcheck\nkvcorrupt leak\nfsck\n"
                + "kvtests deferred_free\npoweroff\n";
        Path trace = tmp.resolve("trace");
        ByteArrayOutputStream rec = new ByteArrayOutputStream();
        RunResult r = RecordReplayTest.record(trace, Guest.require("kernel.elf"), disk,
                VirtualClock.withInput(typed.getBytes(StandardCharsets.US_ASCII)), rec, LIMIT, INTERVAL);
        String console = rec.toString(StandardCharsets.ISO_8859_1);
        assertTrue(console.contains("kvstress: PASS seed 4 ops 300"), console);
        assertTrue(console.contains("kvcheck: PASS commit 30"), console);
        assertTrue(console.contains("fsck: FAIL block"), console);
        assertTrue(console.contains("ALL TESTS PASSED"), console);
        ByteArrayOutputStream rep = new ByteArrayOutputStream();
        try (Replay replay = Replay.open(trace, rep)) {
            ReplayOutcome o = replay.run();
            assertEquals(ReplayOutcome.Status.MATCHED, o.status(), o.message());
            assertEquals(r.icount(), o.icount());
        }
        assertArrayEquals(rec.toByteArray(), rep.toByteArray(), "console output differs");
    }
}
