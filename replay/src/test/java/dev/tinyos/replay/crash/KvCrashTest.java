package dev.tinyos.replay.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tinyos.core.dev.BlockBackend;
import java.nio.charset.StandardCharsets;
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

    private Path formatted(String name) throws Exception {
        Path img = tmp.resolve(name);
        BlockBackend.create(img, 16 << 20, false);
        CrashDemo.boot(img, "mkfs 6 1024\npoweroff\n");
        return img;
    }

    private Explorer.Options options(Path kernel, int maxStates) {
        Explorer.Options o = CrashDemo.options(tmp);
        o.checker.kernel = kernel;
        o.checker.commands = List.of("fsck", "kvcheck {committed}");
        o.checker.pass = Pattern.compile("(?s)fsck: PASS.*kvcheck: PASS");
        o.committed = Pattern.compile("kvstress: commit (\\d+)");
        o.maxStates = maxStates;
        return o;
    }

    @Test
    void aThousandCrashStatesOfKvstressAllMountConsistently() throws Exception {
        Path trace = tmp.resolve("t");
        String console = CrashDemo.record(trace, formatted("kv.img"), "kvstress 7 200 10 48\npoweroff\n");
        assertTrue(console.contains("kvstress: PASS"), console);
        try (DiskHistory h = DiskHistory.extract(trace, tmp, i -> { })) {
            Explorer.Report r = new Explorer(h, options(CrashDemo.kernel(), 1000)).run((d, t, f) -> { });
            System.out.printf(Locale.ROOT, "kvstress crash states: %d generated, %d unique, %d checked in %.1f s "
                    + "(%.1f states per CPU-second), generated in %.2f s%n", r.generated, r.unique.size(), r.checked,
                    r.checkNanos / 1e9, r.checked / (r.checkCpuNanos() / 1e9), r.generateNanos / 1e9);
            assertTrue(r.checked >= 1000, "checked " + r.checked + " of " + r.unique.size() + " unique states");
            assertEquals(0, r.failed, () -> r.failures().get(0).state + ": " + r.failures().get(0).verdict().console());
        }
    }

    @Test
    void aSuperblockWrittenBeforeItsTreeIsFlushedIsCaught() throws Exception {
        Path guest = CrashDemo.kernel().getParent().getParent();
        Path build = tmp.resolve("fault1");
        Process p = new ProcessBuilder("make", "-s", "-C", guest.resolve("kernel").toString(),
                "BUILD=" + build.toAbsolutePath(), "KV_FAULT=1").redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assumeTrue(p.waitFor() == 0, "cannot build the KV_FAULT=1 kernel: " + log);
        Path faulty = build.resolve("kernel.elf");
        Path trace = tmp.resolve("t1");
        CrashDemo.recordWith(faulty, trace, formatted("kv1.img"), "kvstress 3 40 5 24\npoweroff\n");
        try (DiskHistory h = DiskHistory.extract(trace, tmp, i -> { })) {
            Explorer.Report r = new Explorer(h, options(faulty, 400)).run((d, t, f) -> { });
            assertTrue(r.failed > 0, "the explorer missed the planted bug in " + r.checked + " states");
        }
    }
}
