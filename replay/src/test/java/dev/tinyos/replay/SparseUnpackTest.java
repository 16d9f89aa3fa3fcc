package dev.tinyos.replay;

import dev.tinyos.core.input.TimeBase;
import dev.tinyos.core.MachineConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tinyos.core.dev.BlockBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay's scratch copy of a trace's disk is unpacked sparse: a large, mostly empty image costs
 * the temporary directory what its data takes, not its size.
 */
class SparseUnpackTest {
    @TempDir
    Path dir;

    @Test
    void aMostlyEmptyImageUnpacksIntoAFewBlocks() throws Exception {
        Path img = dir.resolve("d.img");
        BlockBackend.create(img, 256L << 20, false);
        byte[] data = new byte[4096];
        java.util.Arrays.fill(data, (byte) 0x5a);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(img,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(data), 100L << 20);
        }
        TraceHeader h = TraceHeader.forRun(MachineConfig.builder().memoryMiB(128).kernel(Guest.require("kernel.elf"))
                .disk(img).build(), TimeBase.virtual(), 1L << 22, "");
        Trace t = Trace.create(dir.resolve("t"), h);
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        Path out = t.unpackDisk(scratch);
        assertEquals(256L << 20, Files.size(out));
        byte[] back = new byte[4096];
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(out)) {
            ch.read(java.nio.ByteBuffer.wrap(back), 100L << 20);
        }
        assertArrayEquals(data, back);
        long blocks = allocatedBlocks(out);
        assertTrue(blocks < 2048, "sparse: " + blocks + " blocks of 512 bytes for 4 KiB of data");
    }

    private static long allocatedBlocks(Path file) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("stat", "-c", "%b", file.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "stat is needed to count allocated blocks");
            throw e;
        }
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return Long.parseLong(new String(p.getInputStream().readAllBytes()).trim());
    }
}
