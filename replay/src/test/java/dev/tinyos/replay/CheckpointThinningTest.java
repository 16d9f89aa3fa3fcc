package dev.tinyos.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.replay.checkpoint.Checkpoints;
import dev.tinyos.replay.gdb.ReplayTarget;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints within a small memory budget ({@code tinyos.checkpoint.budgetMiB}): once the budget
 * is reached they are thinned (every other one dropped, the spacing doubled) and taking goes on,
 * so the whole trace stays covered at the final spacing; seeks from the thinned checkpoints,
 * late ones included, land on the straight replay's state. A thinning that drops a checkpoint
 * without folding its pages into the increment built on it (the planted bug) is caught.
 */
class CheckpointThinningTest {
    @TempDir
    static Path tmp;
    static Path trace;
    static long end;
    static long unlimitedBytes;
    static long[] at;
    static final Map<Long, String> straight = new LinkedHashMap<>();

    @BeforeAll
    static void recordAndReplayStraight() throws Exception {
        trace = tmp.resolve("t");
        RecordReplayTest.recordKstress(trace);
        try (Replay replay = Replay.open(trace, null)) {
            end = replay.summary().endIcount();
            at = new long[] {end / 10 + 7, end / 2 + 3, end * 3 / 4 + 11, end * 9 / 10 + 1, end - 5};
            for (long i : at) {
                assertTrue(replay.runTo(i).ok());
                straight.put(i, Fingerprint.of(replay));
            }
        }
        try (ReplayTarget target = new ReplayTarget(trace, OutputStream.nullOutputStream())) {
            target.seek(end);
            assertEquals(0, target.checkpoints().thinnings(), target.checkpoints().describe());
            unlimitedBytes = target.checkpoints().bytes();
        }
    }

    @Test
    void aSmallBudgetThinsAndKeepsTheWholeTraceCoveredAndRestoresExactly() throws Exception {
        withBudget(unlimitedBytes * 3 / 5, target -> {
            Checkpoints c = target.checkpoints();
            target.seek(end);
            String d = c.describe();
            System.out.println("unlimited " + unlimitedBytes + " bytes; within the budget: " + d);
            assertTrue(c.thinnings() >= 2, d);
            assertFalse(c.exhausted(), d);
            assertTrue(c.bytes() <= c.budget(), d);
            long spacing = c.spacing();
            assertEquals(Checkpoints.spacingFor(end) << c.thinnings(), spacing, d);
            NavigableSet<Long> icounts = c.icounts();
            assertTrue(end - icounts.last() < spacing, "covered to the end: newest at " + icounts.last() + "; " + d);
            for (long m = 0; m <= icounts.last(); m += spacing) {
                assertTrue(icounts.contains(m), "a checkpoint at every multiple of the spacing: " + m + " missing; " + d);
            }
            assertTrue(icounts.size() >= 3, d);
            for (int k = at.length - 1; k >= 0; k--) { // from the end back, each from its own checkpoint
                target.seek(at[k]);
                assertEquals(straight.get(at[k]), Fingerprint.of(target.replay()), "seek to " + at[k] + "; " + d);
            }
            assertTrue(c.restores() >= at.length - 1, c.describe());
        });
    }

    @Test
    void aThinningThatLosesTheDroppedPagesIsCaught() throws Exception {
        Checkpoints.plantedLoseDroppedPages = true;
        try {
            boolean[] caught = {false};
            withBudget(unlimitedBytes * 3 / 5, target -> {
                target.seek(end);
                for (int k = at.length - 1; k >= 0 && !caught[0]; k--) {
                    try {
                        target.seek(at[k]);
                        caught[0] = !straight.get(at[k]).equals(Fingerprint.of(target.replay()));
                    } catch (IOException e) { // the replay stopped following the trace (a digest differed)
                        caught[0] = true;
                    }
                }
            });
            assertTrue(caught[0], "the planted bug went unnoticed");
        } finally {
            Checkpoints.plantedLoseDroppedPages = false;
        }
    }

    @Test
    void aBadBudgetIsOneSentence() {
        System.setProperty("tinyos.checkpoint.budgetMiB", "lots");
        try {
            TraceException e = org.junit.jupiter.api.Assertions.assertThrows(TraceException.class,
                    () -> new ReplayTarget(trace, OutputStream.nullOutputStream()));
            assertTrue(e.getMessage().contains("tinyos.checkpoint.budgetMiB must be a positive number"), e.getMessage());
        } finally {
            System.clearProperty("tinyos.checkpoint.budgetMiB");
        }
    }

    interface TargetBody {
        void run(ReplayTarget target) throws Exception;
    }

    private static void withBudget(long bytes, TargetBody body) throws Exception {
        System.setProperty("tinyos.checkpoint.budgetMiB", String.format(Locale.ROOT, "%.6f", bytes / 1048576.0));
        try (ReplayTarget target = new ReplayTarget(trace, OutputStream.nullOutputStream())) {
            body.run(target);
        } finally {
            System.clearProperty("tinyos.checkpoint.budgetMiB");
        }
    }
}
