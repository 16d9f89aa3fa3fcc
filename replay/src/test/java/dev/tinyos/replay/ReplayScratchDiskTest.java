package dev.tinyos.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.core.input.VirtualClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay's scratch copy of the trace's disk (unpacked into the temporary directory, memory
 * mapped) serves the guest's reads and writes like the recorded run's image did, and never
 * outlives the replay: not after a replay that matched, not after a trace refused at open.
 */
class ReplayScratchDiskTest {
    @TempDir
    Path tmp;
    /** Replay unpacks into java.io.tmpdir; pointed here for each test, so nothing else counts. */
    @TempDir
    Path scratch;
    private String savedTmpdir;

    @org.junit.jupiter.api.BeforeEach
    void pointScratchHere() {
        savedTmpdir = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", scratch.toString());
    }

    @org.junit.jupiter.api.AfterEach
    void restoreScratch() {
        System.setProperty("java.io.tmpdir", savedTmpdir);
    }

    private Path recordDiskRun() throws Exception {
        Path disk = tmp.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(1 << 20);
        }
        Path trace = tmp.resolve("trace");
        RecordReplayTest.record(trace, Guest.require("kernel.elf"), disk,
                VirtualClock.withInput("blkbench 64 2\npoweroff\n".getBytes(StandardCharsets.US_ASCII)),
                new ByteArrayOutputStream(), 2_000_000_000L, 1L << 20);
        return trace;
    }

    private long scratchDisks() throws IOException {
        try (Stream<Path> s = Files.list(scratch)) {
            return s.filter(p -> p.getFileName().toString().startsWith("tinyos-replay-")).count();
        }
    }

    @Test
    void aDiskRunReplaysAndLeavesNoScratchDisk() throws Exception {
        Path trace = recordDiskRun();
        try (Replay r = Replay.open(trace, null)) {
            assertEquals(0, scratchDisks(), "the unpacked disk is unlinked once the machine holds it open, "
                    + "so not even a SIGKILL of the replay can leave it behind");
            ReplayOutcome o = r.run();
            assertEquals(ReplayOutcome.Status.MATCHED, o.status(), o.message());
        }
        assertEquals(0, scratchDisks());
    }

    @Test
    void aTraceRefusedAtOpenLeavesNoScratchDisk() throws Exception {
        Path trace = recordDiskRun();
        CorruptTraceTest.garbleQueue(trace);
        TraceException e = assertThrows(TraceException.class, () -> Replay.open(trace, null).close());
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
        assertEquals(0, scratchDisks());
    }
}
