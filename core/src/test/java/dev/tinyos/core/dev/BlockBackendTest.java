package dev.tinyos.core.dev;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image file: a durable image and a scratch (memory-mapped) one behave the same. */
class BlockBackendTest {
    @TempDir
    Path dir;

    /** The same writes and reads on both kinds of image; returns what the file holds afterwards. */
    private byte[] exercise(boolean durable) throws IOException {
        Path image = dir.resolve(durable ? "durable.img" : "scratch.img");
        byte[] initial = new byte[64 * 512 + 100]; // a trailing partial sector is not addressable
        new Random(7).nextBytes(initial);
        Files.write(image, initial);
        try (BlockBackend b = BlockBackend.open(image, false, durable)) {
            assertEquals(64, b.sectors());
            byte[] first = new byte[1024];
            b.read(0, first, 0, first.length);
            assertArrayEquals(java.util.Arrays.copyOf(initial, 1024), first);
            byte[] data = new byte[3 * 512];
            new Random(8).nextBytes(data);
            b.write(61, data, 0, data.length); // the last three sectors
            b.write(5, data, 512, 512);
            b.flush();
            byte[] back = new byte[3 * 512 + 4];
            b.read(61, back, 4, 3 * 512);
            assertArrayEquals(data, java.util.Arrays.copyOfRange(back, 4, back.length));
        }
        return Files.readAllBytes(image);
    }

    @Test
    void scratchImageIsMappedAndEndsUpWithTheSameBytes() throws IOException {
        byte[] durable = exercise(true);
        byte[] scratch = exercise(false);
        assertEquals(64 * 512 + 100, scratch.length);
        assertArrayEquals(durable, scratch);
    }

    @Test
    void readOnlyScratchImageRefusesWrites() throws IOException {
        Path image = dir.resolve("ro.img");
        Files.write(image, new byte[4096]);
        try (BlockBackend b = BlockBackend.open(image, true, false)) {
            byte[] buf = new byte[512];
            b.read(7, buf, 0, 512);
            assertThrows(IOException.class, () -> b.write(0, buf, 0, 512));
        }
    }
}
