package dev.tinyos.replay.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The copy-on-write key/value store (guest/FORMAT.md) under the crash-state explorer: a
 * recorded kvstress run on a disk mkfs formatted, 1,000 of its unique crash states each booted
 * with fsck and kvcheck (which must find exactly a committed state, no older than the last
 * commit the run reported: the content oracle), every one consistent. And the planted bug: a
 * kernel built with KV_FAULT=1 (superblock written before the tree blocks are flushed) must
 * be caught by the same exploration.
 */
class KvCrashTest {
    @TempDir
    Path tmp;

    private static final CrashWorkload KVSTRESS = new CrashWorkload(16, "mkfs 6 1024",
            List.of("fsck", "kvcheck {committed}"), Pattern.compile("(?s)fsck: PASS.*kvcheck: PASS"),
            Pattern.compile("kvstress: commit (\\d+)"));

    @Test
    void aThousandCrashStatesOfKvstressAllMountConsistently() throws Exception {
        Path trace = tmp.resolve("t");
        Path kernel = CrashDemo.kernel();
        String console = CrashDemo.record(trace, KVSTRESS.formatted(tmp, "kv.img", kernel),
                "kvstress 7 200 10 48\npoweroff\n");
        assertTrue(console.contains("kvstress: PASS"), console);
        Explorer.Report r = KVSTRESS.explore(trace, tmp, kernel, 1000);
        System.out.printf(Locale.ROOT, "kvstress crash states: %d generated, %d unique, %d checked in %.1f s "
                + "(%.1f states per CPU-second), generated in %.2f s%n", r.generated, r.unique.size(), r.checked,
                r.checkNanos / 1e9, r.checked / (r.checkCpuNanos() / 1e9), r.generateNanos / 1e9);
        assertTrue(r.checked >= 1000, "checked " + r.checked + " of " + r.unique.size() + " unique states");
        assertEquals(0, r.failed, () -> r.failures().get(0).state + ": " + r.failures().get(0).verdict().console());
    }

    @Test
    void aSuperblockWrittenBeforeItsTreeIsFlushedIsCaught() throws Exception {
        Path faulty = CrashWorkload.faultyKernel(tmp, "fault1", "KV_FAULT=1");
        Path trace = tmp.resolve("t1");
        Path disk = KVSTRESS.formatted(tmp, "kv1.img", CrashDemo.kernel()); // formatted by the sound kernel
        CrashDemo.recordWith(faulty, trace, disk, "kvstress 3 40 5 24\npoweroff\n");
        Explorer.Report r = KVSTRESS.explore(trace, tmp, faulty, 400);
        assertTrue(r.failed > 0, "the explorer missed the planted bug in " + r.checked + " states");
    }
}
