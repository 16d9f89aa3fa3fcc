package dev.tinyos.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tinyos.core.ExitReason;
import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tinyos mkdisk} and the power-cut side of {@code tinyos run} (--stop-at-icount). */
class StorageCommandsTest {
    @TempDir
    Path dir;

    private String out;
    private String err;

    private int tinyos(String... args) {
        Cli.Result r = Cli.runHere(args);
        out = r.out();
        err = r.err();
        return r.status();
    }

    private void assertOneLineError(int status, String fragment) {
        assertEquals(BadInputException.EXIT_CODE, status, err);
        assertEquals(1, err.lines().count(), "one line, no stack trace: " + err);
        assertTrue(err.startsWith("tinyos: ") && err.contains(fragment), err);
    }

    @Test
    void sizesTakeBinarySuffixes() throws BadInputException {
        assertEquals(64L << 20, MkdiskCommand.parseSize("64M"));
        assertEquals(64L << 20, MkdiskCommand.parseSize("64MiB"));
        assertEquals(1L << 30, MkdiskCommand.parseSize("1g"));
        assertEquals(512, MkdiskCommand.parseSize("512"));
        assertEquals(3 << 10, MkdiskCommand.parseSize("3K"));
        assertThrows(BadInputException.class, () -> MkdiskCommand.parseSize("1K5"));
        assertThrows(BadInputException.class, () -> MkdiskCommand.parseSize("100"));
        assertThrows(BadInputException.class, () -> MkdiskCommand.parseSize("0M"));
        assertThrows(BadInputException.class, () -> MkdiskCommand.parseSize("99999999999G"));
        assertThrows(BadInputException.class, () -> MkdiskCommand.parseSize("-1M"));
    }

    @Test
    void mkdiskMakesASparseZeroImage() throws IOException {
        Path img = dir.resolve("disk.img");
        assertEquals(0, tinyos("mkdisk", img.toString(), "--size", "64M"), err);
        assertEquals(64L << 20, Files.size(img));
        assertTrue(out.contains("131,072 sectors"), out);
        try (InputStream in = Files.newInputStream(img)) {
            byte[] head = in.readNBytes(1 << 16);
            assertArrayEquals(new byte[1 << 16], head);
        }
        long blocks = allocatedBlocks(img);
        assertTrue(blocks < 1024, "sparse: " + blocks + " blocks allocated");
    }

    /** 512-byte blocks the file system allocated for {@code file} (stat %b); skips without stat. */
    private static long allocatedBlocks(Path file) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder("stat", "-c", "%b", file.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "no stat command: " + e.getMessage());
            return 0;
        }
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assumeTrue(text.matches("\\d+"), "stat printed " + text);
        return Long.parseLong(text);
    }

    @Test
    void mkdiskNeverLosesDataWithoutForce() throws IOException {
        Path img = Files.write(dir.resolve("mine.img"), new byte[] {1, 2, 3});
        assertOneLineError(tinyos("mkdisk", img.toString(), "--size", "1M"), "--force");
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(img), "untouched");
        assertEquals(0, tinyos("mkdisk", img.toString(), "--size", "1K", "--force"), err);
        assertArrayEquals(new byte[1024], Files.readAllBytes(img));
        assertOneLineError(tinyos("mkdisk", dir.toString(), "--size", "1M", "--force"), "directory");
        assertOneLineError(tinyos("mkdisk", dir.resolve("x.img").toString(), "--size", "1000"), "512");
        assertOneLineError(tinyos("mkdisk", dir.resolve("x.img").toString(), "--size", "big"), "not a size");
        assertOneLineError(tinyos("mkdisk", dir.resolve("x.img").toString()), "--size");
        assertOneLineError(tinyos("mkdisk", dir.resolve("no/such/dir/x.img").toString(), "--size", "1M"),
                "cannot create");
        assertFalse(Files.exists(dir.resolve("x.img")));
    }

    @Test
    void helpListsMkdisk() {
        assertEquals(0, tinyos("--help"));
        assertTrue(out.contains("  mkdisk "), out);
        assertEquals(0, tinyos("run", "--help"));
        assertTrue(out.contains("--stop-at-icount"), out);
    }

    @Test
    void stopAtIcountMustBePositive() {
        Path blkcut = Home.guestBuild().resolve("board/blkcut.elf");
        assumeTrue(Files.isRegularFile(blkcut), "guest/build/board/blkcut.elf not built");
        assertOneLineError(tinyos("run", "--no-record", "--kernel", blkcut.toString(), "--stop-at-icount", "0"),
                "positive");
    }

    /** The icount at which guest/tests/board/blkcut.elf has printed "blkcut: unflushed". */
    private static long unflushedAt(Path elf, Path disk) throws IOException {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (Machine m = new Machine(MachineConfig.builder().kernel(elf).disk(disk).console(console).build())) {
            while (!console.toString(StandardCharsets.ISO_8859_1).contains("blkcut: unflushed")) {
                assertEquals(ExitReason.INSTRUCTION_LIMIT, m.run(100).reason());
            }
            m.powerCut();
            return m.hart().icount();
        }
    }

    private static byte[] sector(Path img, int s) throws IOException {
        return Arrays.copyOfRange(Files.readAllBytes(img), s * 512, s * 512 + 512);
    }

    private static byte[] filled(int v) {
        byte[] b = new byte[512];
        Arrays.fill(b, (byte) v);
        return b;
    }

    @Test
    void stopAtIcountCutsThePowerAndDropsUnflushedWrites() throws IOException {
        Path blkcut = Home.guestBuild().resolve("board/blkcut.elf");
        assumeTrue(Files.isRegularFile(blkcut), "guest/build/board/blkcut.elf not built");
        Path img = dir.resolve("cut.img");
        assertEquals(0, tinyos("mkdisk", img.toString(), "--size", "32K"), err);
        Path probe = dir.resolve("probe.img");
        Files.write(probe, new byte[32 << 10]);
        long n = unflushedAt(blkcut, probe);
        assertArrayEquals(filled(0x11), sector(probe, 1), "the probe cut after the flush of sector 1");
        assertArrayEquals(new byte[512], sector(probe, 2), "and before sector 2 reached the image");

        assertEquals(0, tinyos("run", "--no-record", "--kernel", blkcut.toString(), "--disk", img.toString(),
                "--stop-at-icount", Long.toString(n)), err);
        assertTrue(err.contains("POWER_CUT, exit 0: " + RunSummary.grouped(n) + " instructions"), err);
        assertTrue(err.contains("power cut at icount " + RunSummary.grouped(n)
                + ": 2 unflushed sectors (1.0 KiB) dropped, 0 requests in flight lost"), err);
        assertArrayEquals(filled(0x11), sector(img, 1), "flushed before the cut");
        assertArrayEquals(new byte[512], sector(img, 2), "completed, never flushed: lost");
        assertArrayEquals(new byte[512], sector(img, 3), "completed, never flushed: lost");

        assertEquals(0, tinyos("run", "--no-record", "--kernel", blkcut.toString(), "--disk", img.toString()), err);
        assertTrue(err.contains("FINISHER_PASS"), err);
        assertArrayEquals(filled(0x22), sector(img, 2), "a clean shutdown writes the cache back");
        assertArrayEquals(filled(0x33), sector(img, 3));
    }
}
