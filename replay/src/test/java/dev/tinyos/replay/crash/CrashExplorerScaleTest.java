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
 * At scale: at least 1,000 unique crash states of a crash-safe workload (crashdemo safe, 56
 * transactions, with the content oracle), every one consistent. Each worker image moves through
 * hundreds of states in place, so a sector it failed to rewrite or to undo would show here as a
 * failing state. Prints the throughput.
 */
class CrashExplorerScaleTest {
    @TempDir
    Path tmp;

    @Test
    void aThousandStatesOfACrashSafeRunAllPass() throws Exception {
        Path trace = tmp.resolve("t");
        CrashDemo.record(trace, CrashDemo.formatted(tmp), "crashdemo run 56 safe\npoweroff\n");
        try (DiskHistory h = DiskHistory.extract(trace, tmp, i -> { })) {
            Explorer.Options o = CrashDemo.options(tmp);
            o.committed = Pattern.compile("crashdemo: committed (\\d+)");
            o.checker.commands = List.of("crashdemo check {committed}");
            Explorer.Report r = new Explorer(h, o).run((d, t, f) -> { });
            System.out.printf(Locale.ROOT, "scale: %d generated, %d unique, %d checked in %.1f s (%.1f states per "
                    + "CPU-second), generated in %.2f s%n", r.generated, r.unique.size(), r.checked, r.checkNanos / 1e9,
                    r.checked / (r.checkCpuNanos() / 1e9), r.generateNanos / 1e9);
            assertTrue(r.unique.size() >= 1000, "unique states: " + r.unique.size());
            assertEquals(r.unique.size(), r.checked);
            assertEquals(0, r.failed, () -> r.failures().get(0).state + ": " + r.failures().get(0).verdict().console());
        }
    }
}
