package dev.tinyos.replay.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.core.dev.BlockBackend;
import dev.tinyos.replay.Replay;
import dev.tinyos.replay.ReplayOutcome;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The new guest program gets its record -> replay -> compare test: every mode of crashdemo on a disk. */
class CrashDemoReplayTest {
    @TempDir
    Path tmp;

    @Test
    void crashdemoRecordsAndReplays() throws Exception {
        Path disk = tmp.resolve("d.img");
        BlockBackend.create(disk, 1 << 20, false);
        Path trace = tmp.resolve("t");
        String recorded = CrashDemo.record(trace, disk, "crashdemo format\ncrashdemo run 2 safe\ncrashdemo run 2 nobarrier\n"
                + "crashdemo run 2 oneslot\ncrashdemo run 2 early\ncrashdemo check 2\ncrashdemo\npoweroff\n");
        assertTrue(recorded.contains("crashdemo: check: commit 2 (slot 0), data intact"), recorded);
        ByteArrayOutputStream replayed = new ByteArrayOutputStream();
        try (Replay r = Replay.open(trace, replayed)) {
            ReplayOutcome o = r.run();
            assertEquals(ReplayOutcome.Status.MATCHED, o.status(), o.message());
        }
        assertEquals(recorded, replayed.toString(StandardCharsets.US_ASCII), "console output differs");
    }
}
