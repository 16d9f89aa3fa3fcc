package dev.tinyos.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.input.VirtualClock;
import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing the guest wrote to its disk during a recorded run is lost: the trace keeps the
 * guest's final disk ({@code disk-final.img}) — after a clean poweroff with every write, after a
 * power cut exactly as a plain run cut at the same icount leaves it — while the user's image
 * stays untouched and the replay still starts from the initial image.
 */
class FinalDiskTest {
    private static final byte[] INPUT = "blkbench 64 2\npoweroff\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tmp;

    @Test
    void cleanPoweroffKeepsEveryWriteInTheTrace() throws Exception {
        Path kernel = Guest.require("kernel.elf");
        Path user = zeroDisk("user.img");
        Path trace = tmp.resolve("t");
        RunResult r = RecordReplayTest.record(trace, kernel, user, VirtualClock.withInput(INPUT),
                new ByteArrayOutputStream(), 2_000_000_000L, Recording.DEFAULT_DIGEST_INTERVAL);
        assertEquals(0, r.exitCode());
        byte[] fin = Files.readAllBytes(trace.resolve(RecordSession.FINAL_DISK));
        assertEquals(1 << 20, fin.length);
        assertFalse(allZero(fin), "blkbench wrote blocks; the final disk must hold them");
        assertTrue(allZero(Files.readAllBytes(user)), "the user's image must not be modified");
        try (Replay replay = Replay.open(trace, new ByteArrayOutputStream())) {
            ReplayOutcome o = replay.run();
            assertEquals(ReplayOutcome.Status.MATCHED, o.status(), o.message());
        }
    }

    @Test
    void powerCutLeavesWhatAPlainPowerCutLeaves() throws Exception {
        Path kernel = Guest.require("kernel.elf");
        long cutAt = probeLength(kernel) * 2 / 3; // mid-benchmark, with writes in the cache or in flight
        Path trace = tmp.resolve("t");
        VirtualClock clock = VirtualClock.withInput(INPUT);
        RecordSession.Options o = RecordSession.Options.virtual(trace, MachineConfig.builder().kernel(kernel)
                .disk(zeroDisk("user.img")).input(clock).console(new ByteArrayOutputStream()).build(), clock);
        try (RecordSession s = RecordSession.start(o)) {
            assertEquals(cutAt, s.run(cutAt).icount());
            s.machine().powerCut();
        }
        Path plain = zeroDisk("plain.img");
        try (Machine m = new Machine(MachineConfig.builder().kernel(kernel).disk(plain)
                .input(VirtualClock.withInput(INPUT)).build())) {
            assertEquals(cutAt, m.run(cutAt).icount());
            m.powerCut();
        }
        assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(trace.resolve(RecordSession.FINAL_DISK)));
        try (Replay replay = Replay.open(trace, new ByteArrayOutputStream())) {
            ReplayOutcome r = replay.run();
            assertEquals(ReplayOutcome.Status.MATCHED, r.status(), r.message());
            assertEquals(cutAt, r.icount());
        }
    }

    @Test
    void sparseCopyIsByteForByteEqual() throws Exception {
        Random rnd = new Random(5);
        byte[] data = new byte[(3 << 16) + 123]; // zero blocks, a data block, a zero tail
        byte[] chunk = new byte[5000];
        rnd.nextBytes(chunk);
        System.arraycopy(chunk, 0, data, (1 << 16) + 77, chunk.length);
        Path src = tmp.resolve("src.img");
        Files.write(src, data);
        SparseCopy.copy(src, tmp.resolve("dst.img"));
        assertArrayEquals(data, Files.readAllBytes(tmp.resolve("dst.img")));
    }

    /** Instructions of the whole run (so the cut lands inside it). */
    private long probeLength(Path kernel) throws Exception {
        try (Machine m = new Machine(MachineConfig.builder().kernel(kernel).disk(zeroDisk("probe.img"))
                .input(VirtualClock.withInput(INPUT)).build())) {
            return m.run(2_000_000_000L).icount();
        }
    }

    private Path zeroDisk(String name) throws Exception {
        Path p = tmp.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(1 << 20);
        }
        return p;
    }

    private static boolean allZero(byte[] b) {
        for (byte v : b) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }
}
