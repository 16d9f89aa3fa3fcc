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
 * The file system (guest/FORMAT.md, "The file system") under the crash-state explorer: a
 * recorded {@code fscrash run} (create + write + fsync, rename over an existing file, unlink,
 * snapshot, reflink then overwrite, fsynced appends) on a disk {@code mkfs -f} formatted; at
 * least 1,000 of its unique crash states are each booted with {@code fsck} and the oracle
 * {@code fscrash check {committed}} (after fsync the data is there, rename is atomic, snapshots
 * and reflinks share no modification), every one consistent. And the planted bug: a kernel
 * built with FS_FAULT=1 (a rename that commits between removing the old name and adding the
 * new one) must be caught by the same exploration.
 */
class FsCrashTest {
    @TempDir
    Path tmp;

    private static final CrashWorkload FSCRASH = new CrashWorkload(4, "mkfs -f 6 1024",
            List.of("fsck", "fscrash check {committed}"), Pattern.compile("(?s)fsck: PASS.*fscrash: PASS"),
            Pattern.compile("fscrash: step (\\d+)"));

    @Test
    void aThousandCrashStatesOfTheFileSystemWorkloadKeepEveryGuarantee() throws Exception {
        Path trace = tmp.resolve("t");
        Path kernel = CrashDemo.kernel();
        String console = CrashDemo.record(trace, FSCRASH.formatted(tmp, "fs.img", kernel), "fscrash run\npoweroff\n");
        assertTrue(console.contains("fscrash: PASS run"), console);
        long t0 = System.nanoTime();
        Explorer.Report r = FSCRASH.explore(trace, tmp, kernel, 1000);
        System.out.printf(Locale.ROOT, "fscrash crash states: %d generated, %d unique, %d checked in %.1f s "
                + "(%.1f states per CPU-second), generated in %.2f s, %.1f s in all%n", r.generated,
                r.unique.size(), r.checked, r.checkNanos / 1e9, r.checked / (r.checkCpuNanos() / 1e9),
                r.generateNanos / 1e9, (System.nanoTime() - t0) / 1e9);
        assertTrue(r.checked >= 1000, "checked " + r.checked + " of " + r.unique.size() + " unique states");
        assertEquals(0, r.failed, () -> r.failures().get(0).state + ": " + r.failures().get(0).verdict().console());
    }

    @Test
    void aRenameThatCommitsHalfwayIsCaught() throws Exception {
        Path faulty = CrashWorkload.faultyKernel(tmp, "fsfault1", "FS_FAULT=1");
        Path trace = tmp.resolve("t1");
        Path disk = FSCRASH.formatted(tmp, "fs1.img", faulty);
        CrashDemo.recordWith(faulty, trace, disk, "fscrash run\npoweroff\n");
        Explorer.Report r = FSCRASH.explore(trace, tmp, faulty, 1000);
        assertTrue(r.failed > 0, "the explorer missed the planted bug in " + r.checked + " states");
        String first = r.failures().get(0).verdict().console();
        assertTrue(first.contains("fscrash: FAIL /c/a in a state the steps exclude"), first);
    }
}
