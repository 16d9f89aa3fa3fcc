package dev.tinyos.core.guest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.input.VirtualClock;
import dev.tinyos.core.testing.GuestBuild;
import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** blkbench on a read-only disk says it cannot run instead of reporting a write throughput. */
class ReadOnlyDiskTest {
    @TempDir
    Path tmp;

    @Test
    void blkbenchRefusesAReadOnlyDisk() throws Exception {
        Path img = tmp.resolve("ro.img");
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(1 << 20);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MachineConfig c = MachineConfig.builder().kernel(GuestBuild.kernel()).console(out).disk(img).diskReadOnly(true)
                .input(VirtualClock.withInput("blkbench 16 1\npoweroff\n".getBytes(StandardCharsets.US_ASCII)))
                .build();
        try (Machine m = new Machine(c)) {
            m.run(1_000_000_000L);
        }
        String console = out.toString(StandardCharsets.ISO_8859_1);
        assertTrue(console.contains("blkbench: the disk is read-only"), console);
        assertFalse(console.contains("KiB/s"), "no throughput of writes that failed: " + console);
    }
}
