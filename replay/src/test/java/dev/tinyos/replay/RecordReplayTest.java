package dev.tinyos.replay;

import dev.tinyos.core.MachineConfig;
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
        RecordSession.Options o = RecordSession.Options.virtual(dir,
                MachineConfig.builder().kernel(kernel).disk(disk).input(clock).console(out).build(), clock);
        o.digestInterval = interval;
        try (RecordSession s = RecordSession.start(o)) {
            return s.run(max);
        }
    }

    /**
     * Records into {@code trace} the small kernel-stress run the checkpoint tests seek in: tiny-os
     * running {@code kstress 2 200} then powering off, virtual clock, a digest every 2^20
     * instructions.
     */
    static void recordKstress(Path trace) throws Exception {
        record(trace, Guest.require("kernel.elf"), null,
                VirtualClock.withInput("kstress 2 200\npoweroff\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                new ByteArrayOutputStream(), 2_000_000_000L, 1L << 20);
    }

    /** What a record -> replay -> compare round trip recorded: the run's result and its console. */
    record RoundTrip(RunResult result, String console) {}

    /**
     * Records {@code elf} (with {@code disk}, may be null) on the virtual clock with
     * {@code typed} as console input into {@code trace}, replays it, and requires the replay to
     * match: every digest, the final icount and the console bytes.
     */
    static RoundTrip roundTrip(Path trace, Path elf, Path disk, byte[] typed, long max, long interval)
            throws Exception {
        ByteArrayOutputStream rec = new ByteArrayOutputStream();
        RunResult r = record(trace, elf, disk, VirtualClock.withInput(typed), rec, max, interval);
        ByteArrayOutputStream rep = new ByteArrayOutputStream();
        try (Replay replay = Replay.open(trace, rep)) {
            ReplayOutcome o = replay.run();
            assertEquals(ReplayOutcome.Status.MATCHED, o.status(), o.message());
            assertEquals(r.icount(), o.icount());
        }
        assertArrayEquals(rec.toByteArray(), rep.toByteArray(), "console output differs");
        return new RoundTrip(r, rec.toString(StandardCharsets.ISO_8859_1));
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
