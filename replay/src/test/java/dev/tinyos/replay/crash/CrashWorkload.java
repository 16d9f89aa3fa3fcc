package dev.tinyos.replay.crash;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tinyos.core.dev.BlockBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A guest workload under the crash-state explorer, as its tests describe it: how a disk is
 * formatted for it, the checker commands booted on every crash state with the console line
 * that says the state is consistent, and the line by which the recorded run reports what it
 * committed. It turns that into explorer options and runs one exploration; it also builds the
 * kernel with a planted fault that the same exploration must catch.
 *
 * <p>Invariant: immutable; every exploration runs in the test's scratch directory with the
 * crashdemo defaults ({@link CrashDemo#options}) for everything the workload does not name.
 */
record CrashWorkload(int diskMiB, String format, List<String> commands, Pattern pass, Pattern committed) {
    /** A new {@code diskMiB} MiB image {@code scratch/name}, formatted by {@code kernel} running {@link #format}. */
    Path formatted(Path scratch, String name, Path kernel) throws Exception {
        Path img = scratch.resolve(name);
        BlockBackend.create(img, (long) diskMiB << 20, false);
        CrashDemo.bootWith(kernel, img, format + "\npoweroff\n");
        return img;
    }

    /** Explorer options checking at most {@code maxStates} states with this workload's checker on {@code kernel}. */
    Explorer.Options options(Path scratch, Path kernel, int maxStates) {
        Explorer.Options o = CrashDemo.options(scratch);
        o.checker.kernel = kernel;
        o.checker.commands = commands;
        o.checker.pass = pass;
        o.committed = committed;
        o.maxStates = maxStates;
        return o;
    }

    /** Explores the crash states of recorded {@code trace}, checking them on {@code kernel}. */
    Explorer.Report explore(Path trace, Path scratch, Path kernel, int maxStates) throws Exception {
        try (DiskHistory h = DiskHistory.extract(trace, scratch, i -> { })) {
            return new Explorer(h, options(scratch, kernel, maxStates)).run((d, t, f) -> { });
        }
    }

    /**
     * The guest kernel built into {@code scratch/dir} with the make variable {@code fault}
     * (e.g. {@code FS_FAULT=1}); the test is skipped if it cannot be built.
     */
    static Path faultyKernel(Path scratch, String dir, String fault) throws Exception {
        Path guest = CrashDemo.kernel().getParent().getParent();
        Path build = scratch.resolve(dir);
        Process p = new ProcessBuilder("make", "-s", "-C", guest.resolve("kernel").toString(),
                "BUILD=" + build.toAbsolutePath(), fault).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assumeTrue(p.waitFor() == 0, "cannot build the " + fault + " kernel: " + log);
        return build.resolve("kernel.elf");
    }
}
