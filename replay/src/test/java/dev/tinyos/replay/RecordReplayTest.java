package dev.tinyos.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.core.RunResult;
import dev.tinyos.core.input.VirtualClock;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Record a run with the virtual clock, replay it, compare console, icount and digests. */
class RecordReplayTest {
    @TempDir
    Path tmp;

    static RunResult record(Path dir, Path kernel, Path disk, VirtualClock clock, ByteArrayOutputStream out,
                            long max, long interval) throws Exception {
        RecordSession.Options o = new RecordSession.Options();
        o.traceDir = dir;
        o.kernel = kernel;
        o.disk = disk;
        o.live = clock;
        o.skew = clock::skew;
        o.ipt = clock.ipt();
        o.console = out;
        o.digestInterval = interval;
        try (RecordSession s = RecordSession.start(o)) {
            return s.run(max);
        }
    }

    @Test
    void kernelWithTypedInputReplaysByteForByte() throws Exception {
        Path kernel = Guest.require("kernel.elf");
        ByteArrayOutputStream rec = new ByteArrayOutputStream();
        VirtualClock clock = VirtualClock.withInput("echo hi\npoweroff\n".getBytes(StandardCharsets.US_ASCII));
        RunResult r = record(tmp.resolve("t"), kernel, null, clock, rec, 2_000_000_000L, 1L << 20);
        ByteArrayOutputStream rep = new ByteArrayOutputStream();
        try (Replay replay = Replay.open(tmp.resolve("t"), rep)) {
            ReplayOutcome o = replay.run();
            assertEquals(ReplayOutcome.Status.MATCHED, o.status(), o.message());
            assertEquals(r.icount(), o.icount());
            assertTrue(o.digests() > 1, "digests compared: " + o.digests());
        }
        assertArrayEquals(rec.toByteArray(), rep.toByteArray());
        assertTrue(rec.size() > 0);
    }
}
