package dev.tinyos.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.replay.checkpoint.TraceIndex;
import dev.tinyos.replay.gdb.ReplayTarget;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The users of checkpoints: the gdb target's seeks, in any order, land on the straight
 * replay's state (and go back through its checkpoints, not from icount 0); checkpoints saved
 * into the trace ({@link TraceIndex}) start a replay near its target with the same result.
 */
class CheckpointSeekTest {
    @TempDir
    Path tmp;

    @Test
    void seeksBackAndForthLandOnTheStraightReplaysStateAndIndexedCheckpointsToo() throws Exception {
        Path trace = tmp.resolve("t");
        RecordReplayTest.recordKstress(trace);
        long end;
        Map<Long, String> straight = new LinkedHashMap<>();
        long[] at;
        try (Replay replay = Replay.open(trace, null)) {
            end = replay.summary().endIcount();
            at = new long[] {end / 9 + 5, end / 3 + 1, end / 2 + 77, end * 4 / 5 + 3};
            for (long i : new long[] {at[0] - 3, at[0] - 2, at[0] - 1, at[0], at[1], at[2], at[3]}) {
                assertTrue(replay.runTo(i).ok());
                straight.put(i, Fingerprint.of(replay));
            }
        }
        try (ReplayTarget target = new ReplayTarget(trace, OutputStream.nullOutputStream())) {
            for (int k : new int[] {3, 0, 2, 1, 3, 0}) {
                target.seek(at[k]);
                assertEquals(at[k], target.icount());
                assertEquals(straight.get(at[k]), Fingerprint.of(target.replay()), "seek to " + at[k]);
            }
            assertTrue(target.checkpoints().count() > 3, target.checkpoints().describe());
            assertTrue(target.checkpoints().restores() >= 3, target.checkpoints().describe());
            for (int back = 1; back <= 3; back++) { // the near checkpoint, then quick restores of it
                target.reverseStep();
                assertEquals(at[0] - back, target.icount());
                assertEquals(straight.get(at[0] - back), Fingerprint.of(target.replay()), "reverse-stepi " + back);
            }
        }
        TraceIndex.Written w = TraceIndex.write(trace, end / 4);
        assertTrue(w.outcome().ok(), w.outcome().message());
        assertEquals((end - 1) / (end / 4), w.count(), "one file per multiple of the spacing before the end");
        try (Replay replay = Replay.open(trace, null)) {
            assertEquals(end / 4 * 2, TraceIndex.restoreNearest(replay, at[2]));
            assertTrue(replay.runTo(at[2]).ok());
            assertEquals(straight.get(at[2]), Fingerprint.of(replay));
            assertTrue(replay.run().ok(), "and on to the end, every digest matching");
        }
        try (ReplayTarget target = new ReplayTarget(trace, OutputStream.nullOutputStream())) {
            target.seek(at[3]); // a new gdb session starts from the checkpoint saved in the trace
            assertEquals(1, target.checkpoints().restores(), target.checkpoints().describe());
            assertEquals(straight.get(at[3]), Fingerprint.of(target.replay()));
            target.seek(at[1]);
            assertEquals(straight.get(at[1]), Fingerprint.of(target.replay()));
        }
    }
}
