package dev.tinyos.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        String console = RecordReplayTest.roundTrip(tmp.resolve("trace"), Guest.require("kernel.elf"), disk,
                typed.getBytes(StandardCharsets.US_ASCII), LIMIT, INTERVAL).console();
        assertTrue(console.contains("kvstress: PASS seed 4 ops 300"), console);
        assertTrue(console.contains("kvcheck: PASS commit 30"), console);
        assertTrue(console.contains("fsck: FAIL block"), console);
        assertTrue(console.contains("ALL TESTS PASSED"), console);
    }
}
