package dev.tinyos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small recorded trace for the CLI's reliability tests: tiny-os on the virtual clock with typed
 * input and disk traffic (a 1 MiB image, {@code blkbench}), recorded by {@code tinyos run} itself.
 */
final class SmallTrace {
    static final String SCRIPT = "echo abc\nblkbench 8 1\npoweroff\n";

    private SmallTrace() {
    }

    /** Records the trace into {@code dir/trace} (its disk image is {@code dir/disk.img}); returns it. */
    static Path record(Path dir) throws Exception {
        Path kernel = Home.guestBuild().resolve("kernel.elf");
        assumeTrue(Files.isRegularFile(kernel), "guest/build/kernel.elf not built: make -C guest");
        Files.createDirectories(dir);
        Path img = dir.resolve("disk.img");
        Cli.Result mk = Cli.run("mkdisk", img.toString(), "--size", "1M");
        assertEquals(0, mk.status(), mk.err());
        Path trace = dir.resolve("trace");
        Cli.Result r = Cli.run(SCRIPT.getBytes(StandardCharsets.US_ASCII), 120, "run", "--clock", "virtual",
                "--disk", img.toString(), "--trace", trace.toString());
        assertEquals(0, r.status(), r.err());
        return trace;
    }
}
