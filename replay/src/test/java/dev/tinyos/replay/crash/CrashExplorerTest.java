package dev.tinyos.replay.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The explorer against guest/user/crashdemo: the crash-safe protocol passes every state; the
 * protocol without a barrier between data and commit, and the one that overwrites its only
 * commit slot, are caught (the second only through torn writes).
 */
class CrashExplorerTest {
    @TempDir
    Path tmp;

    private Explorer.Report explore(String mode, int txns) throws Exception {
        Path trace = tmp.resolve(mode);
        CrashDemo.record(trace, CrashDemo.formatted(tmp), "crashdemo run " + txns + " " + mode + "\npoweroff\n");
        try (DiskHistory h = DiskHistory.extract(trace, tmp, i -> { })) {
            Explorer x = new Explorer(h, CrashDemo.options(tmp));
            return x.run((d, t, f) -> { });
        }
    }

    @Test
    void safeProtocolPassesEveryState() throws Exception {
        Explorer.Report r = explore("safe", 3);
        System.out.println("safe: " + r.generated + " generated, " + r.unique.size() + " unique, " + r.checked
                + " checked in " + r.checkNanos / 1e9 + " s");
        assertTrue(r.checked > 20, "states checked: " + r.checked);
        assertEquals(0, r.failed, () -> r.failures().get(0).state + ": " + r.failures().get(0).verdict().reason());
    }

    @Test
    void missingBarrierIsCaught() throws Exception {
        Explorer.Report r = explore("nobarrier", 3);
        List<Explorer.StateResult> bad = r.failures();
        assertFalse(bad.isEmpty(), "the commit can reach the disk before its data: some state must fail");
        assertTrue(bad.stream().anyMatch(s -> !s.state.torn()), "a whole-write subset shows it");
        assertTrue(bad.get(0).verdict().console().contains("names data slot"), bad.get(0).verdict().console());
    }

    @Test
    void tornCommitIsCaughtOnlyByTornStates() throws Exception {
        Explorer.Report r = explore("oneslot", 2);
        List<Explorer.StateResult> bad = r.failures();
        assertFalse(bad.isEmpty(), "a torn commit leaves no valid commit record: some state must fail");
        assertTrue(bad.stream().allMatch(s -> s.state.torn()), "only torn states can show it");
        assertTrue(bad.get(0).verdict().console().contains("no valid commit record"), bad.get(0).verdict().console());
    }
}
