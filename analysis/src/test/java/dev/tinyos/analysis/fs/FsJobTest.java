package dev.tinyos.analysis.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.analysis.Analysis;
import dev.tinyos.analysis.TestTraces;
import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.input.VirtualClock;
import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file-system job on a recorded {@code fscrash run} (guest/user/fscrash.c), whose calls and
 * bytes are known: 15 fsyncs, one rename, snapshot, reflink and unlink, 38,000 bytes written
 * by the program, a commit per durable step; the same trace twice gives identical files.
 */
class FsJobTest {
    @TempDir
    static Path tmp;
    static Path trace;
    static String console;

    @BeforeAll
    static void record() throws Exception {
        Path disk = tmp.resolve("fs.img");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(4 << 20);
        }
        try (Machine m = new Machine(MachineConfig.builder().kernel(TestTraces.guest("kernel.elf")).disk(disk)
                .console(new ByteArrayOutputStream())
                .input(VirtualClock.withInput("mkfs -f 6 1024\npoweroff\n".getBytes(StandardCharsets.US_ASCII))).build())) {
            m.run(2_000_000_000L);
        }
        trace = tmp.resolve("fscrash");
        console = TestTraces.record(trace, TestTraces.guest("kernel.elf"), disk, "fscrash run\npoweroff\n");
    }

    private static FsJob analyse() throws Exception {
        FsJob j = new FsJob();
        Analysis.run(trace, List.of(j), false);
        return j;
    }

    @Test
    void countsTheWorkloadsCallsCommitsAndBytes() throws Exception {
        assertTrue(console.contains("fscrash: PASS run"), console);
        FsJob j = analyse();
        assertEquals(15, j.calls("fsync"));
        assertEquals(1, j.calls("rename"));
        assertEquals(1, j.calls("snapshot"));
        assertEquals(1, j.calls("reflink"));
        assertEquals(1, j.calls("unlink"));
        assertEquals(15, j.calls("write"));
        assertEquals(38_000, j.programBytes());
        assertTrue(j.commits().size() >= 19, "commits: " + j.commits().size());
        long gen = 0;
        for (FsJob.Commit c : j.commits()) {
            assertTrue(c.gen() > gen && c.blocksWritten() >= 0 && c.height(0) >= 1 && c.height(4) >= 1, c.toString());
            gen = c.gen();
        }
        assertTrue(j.commits().stream().mapToLong(FsJob.Commit::blocksWritten).sum() > 19, "blocks written");
        assertTrue(j.writeAmplification() > 1, "write amplification " + j.writeAmplification());
    }

    @Test
    void reanalysisGivesIdenticalFiles() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a")), b = Files.createDirectories(tmp.resolve("b"));
        List<Path> fa = analyse().write(a), fb = analyse().write(b);
        assertEquals(4, fa.size());
        for (int i = 0; i < fa.size(); i++) {
            assertArrayEquals(Files.readAllBytes(fa.get(i)), Files.readAllBytes(fb.get(i)), fa.get(i).toString());
        }
        assertTrue(Files.readString(a.resolve("fs-syscalls.csv")).contains("fsync,15,0,"));
    }
}
