package dev.tinyos.replay.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.core.dev.BlockBackend;
import dev.tinyos.replay.Replay;
import dev.tinyos.replay.ReplayOutcome;
import dev.tinyos.replay.TraceException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk stream extracted from a replay is the device's: on a virtual-clock run with
 * concurrent requests (blkharness stress, 4 processes) and on the golden host-clock trace
 * disk-heavy (completions by a host I/O thread), applying the completed writes in completion
 * order gives what the replayed drive holds; a stream that differs by one byte is refused.
 */
class DiskHistoryTest {
    @TempDir
    Path tmp;

    @Test
    void concurrentRequestsOfAVirtualClockRun() throws Exception {
        Path disk = tmp.resolve("d.img");
        BlockBackend.create(disk, 1 << 20, false);
        Path trace = tmp.resolve("t");
        CrashDemo.record(trace, disk, "blkharness stress 7 400 64 4\npoweroff\n");
        try (DiskHistory h = DiskHistory.extract(trace, tmp, i -> { })) {
            assertTrue(h.writes() > 100, "writes: " + h.writes());
            assertTrue(h.flushes() >= 4, "each worker syncs: " + h.flushes());
            CrashModel m = new CrashModel(h.ops(), h.endIcount());
            assertEquals(m.writeCount(), h.writes());
            int maxInFlight = m.epochs().stream().mapToInt(CrashModel.Epoch::inFlightCount).max().orElse(0);
            assertTrue(maxInFlight > 1, "several writes at risk at some crash point");
            assertTrue(Files.isRegularFile(h.initialImage()));
        }
    }

    @Test
    void aStreamThatDiffersFromTheDriveIsRefused() throws Exception {
        Path disk = tmp.resolve("d.img");
        BlockBackend.create(disk, 1 << 20, false);
        Path trace = tmp.resolve("t");
        CrashDemo.record(trace, disk, "blkharness write 3 8 2\npoweroff\n");
        DiskRequestTap[] tap = new DiskRequestTap[1];
        try (Replay r = Replay.open(trace, null, src -> tap[0] = new DiskRequestTap(src))) {
            tap[0].attach(r.machine());
            ReplayOutcome o = r.run();
            assertTrue(o.ok(), o.message());
            assertNull(tap[0].error());
            List<DiskOp> ops = new ArrayList<>(tap[0].ops());
            assertNull(DiskHistory.compareWithDevice(r.machine(), ops));
            DiskOp last = ops.stream().filter(DiskOp::isWrite).reduce((a, b) -> b).orElseThrow();
            last.data[100] ^= 1;
            assertNotNull(DiskHistory.compareWithDevice(r.machine(), ops));
        }
    }

    @Test
    void goldenHostClockDiskTrace() throws Exception {
        Path trace = unzipGolden("disk-heavy");
        try (DiskHistory h = DiskHistory.extract(trace, tmp, i -> { })) {
            assertTrue(h.writes() > 200, "blkbench writes: " + h.writes());
            assertTrue(h.flushes() > 0);
        }
    }

    @Test
    void aTraceWithoutADiskIsRefusedInOneSentence() throws Exception {
        Path trace = unzipGolden("interactive");
        TraceException e = assertThrows(TraceException.class, () -> DiskHistory.extract(trace, tmp, i -> { }));
        assertTrue(e.getMessage().contains("without a disk"), e.getMessage());
    }

    private Path unzipGolden(String name) throws Exception {
        Path dest = tmp.resolve("golden");
        try (InputStream in = Files.newInputStream(Path.of("src/test/resources/traces/golden.zip"));
             ZipInputStream z = new ZipInputStream(in)) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                if (!e.getName().startsWith(name + "/") || e.isDirectory()) {
                    continue;
                }
                Path p = dest.resolve(e.getName()).normalize();
                Files.createDirectories(p.getParent());
                Files.copy(z, p);
            }
        }
        return dest.resolve(name);
    }
}
