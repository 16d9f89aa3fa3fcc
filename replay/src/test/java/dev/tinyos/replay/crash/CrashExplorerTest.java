package dev.tinyos.replay.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
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
        return explore(mode, txns, false);
    }

    private Explorer.Report explore(String mode, int txns, boolean oracle) throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory(tmp, mode);
        Path trace = dir.resolve("trace");
        CrashDemo.record(trace, CrashDemo.formatted(dir), "crashdemo run " + txns + " " + mode + "\npoweroff\n");
        try (DiskHistory h = DiskHistory.extract(trace, dir, i -> { })) {
            Explorer.Options o = CrashDemo.options(dir);
            if (oracle) {
                o.committed = Pattern.compile("crashdemo: committed (\\d+)");
                o.checker.commands = List.of("crashdemo check {committed}");
            }
            Explorer x = new Explorer(h, o);
            return x.run((d, t, f) -> { });
        }
    }

    @Test
    void safeProtocolPassesEveryStateWithTheContentOracle() throws Exception {
        Explorer.Report r = explore("safe", 3, true);
        System.out.println("safe: " + r.generated + " generated, " + r.unique.size() + " unique, " + r.checked
                + " checked in " + r.checkNanos / 1e9 + " s");
        assertTrue(r.checked > 20, "states checked: " + r.checked);
        assertEquals(0, r.failed, () -> r.failures().get(0).state + ": " + r.failures().get(0).verdict().reason());
    }

    @Test
    void aLostCommittedTransactionIsCaughtOnlyByTheOracle() throws Exception {
        Explorer.Report without = explore("early", 3, false);
        assertEquals(0, without.failed, "every state is consistent: only older than reported");
        Explorer.Report with = explore("early", 3, true);
        List<Explorer.StateResult> bad = with.failures();
        assertFalse(bad.isEmpty(), "a transaction reported committed can be lost: some state must fail");
        assertTrue(bad.get(0).verdict().console().contains("reported committed"), bad.get(0).verdict().console());
        assertTrue(bad.stream().anyMatch(s -> !s.state.torn()), "the commit write simply not reaching the disk "
                + "fails too, although the same image passed at an earlier crash point (other oracle value)");
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
