package dev.tinyos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.core.dev.BlockBackend;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A large --disk is announced before the long copy into the trace, and its progress shown. */
class BigDiskTest {
    @TempDir
    Path dir;

    private static String stderrOf(Runnable body) {
        PrintStream old = System.err;
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            body.run();
        } finally {
            System.setErr(old);
        }
        return e.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aLargeImageIsAnnouncedWithAnEstimateAndItsProgressShown() throws Exception {
        Path img = dir.resolve("big.img");
        BlockBackend.create(img, 3L << 30, false); // sparse: costs nothing
        LongConsumer[] p = new LongConsumer[1];
        String warning = stderrOf(() -> p[0] = BigDisk.progress(img));
        assertTrue(warning.contains("big.img is 3.0 GiB") && warning.contains("about 17 s")
                && warning.contains("--no-record"), warning);
        String progress = stderrOf(() -> {
            for (long done = 64L << 20; done <= 3L << 30; done += 64L << 20) {
                p[0].accept(done);
            }
        });
        assertTrue(progress.contains("(100 %)"), progress);
        long lines = progress.lines().count();
        assertTrue(lines >= 10 && lines <= 21, "about every 5 %: " + lines);
    }

    @Test
    void aSmallImageSaysNothing() throws Exception {
        Path img = dir.resolve("small.img");
        BlockBackend.create(img, 64L << 20, false);
        assertEquals("", stderrOf(() -> BigDisk.progress(img).accept(64L << 20)));
        assertEquals("", stderrOf(() -> BigDisk.progress(null).accept(0)));
    }
}
