package dev.tinyos.core.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tinyos.core.ExitReason;
import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.input.VirtualClock;
import dev.tinyos.core.testing.GuestBuild;
import dev.tinyos.core.testing.Qemu;
import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file system on QEMU with the same ELF: a file synced by one QEMU boot is read back by the
 * next; mkfs and fsstress print exactly what they print on our emulator, fsck passes on both,
 * and the in-guest test table gives the same verdicts (figures that depend on when the
 * periodic commit ran, which QEMU times by the host clock, are left out of the comparison).
 */
class FsQemuTest {
    @TempDir
    Path tmp;

    private Path blank(String name) throws Exception {
        Path img = tmp.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(16L << 20);
        }
        return img;
    }

    private static String ours(Path disk, String typed) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Machine m = new Machine(MachineConfig.builder().kernel(GuestBuild.kernel()).console(out).disk(disk)
                .input(VirtualClock.withInput(typed.getBytes(StandardCharsets.US_ASCII))).build())) {
            RunResult r = m.run(6_000_000_000L);
            assertEquals(ExitReason.FINISHER_PASS, r.reason(), out.toString(StandardCharsets.ISO_8859_1));
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static String qemu(Path disk, String typed) throws Exception {
        Qemu.Run q = Qemu.run(GuestBuild.kernel(), typed.getBytes(StandardCharsets.US_ASCII), "poweroff to stop", 600,
                "-global", "virtio-mmio.force-legacy=false", "-drive", "file=" + disk + ",if=none,format=raw,id=d",
                "-device", "virtio-blk-device,drive=d,bus=virtio-mmio-bus.0");
        assertEquals(0, q.exit(), q.console() + q.stderr());
        assertFalse(q.console().contains("panic"), q.console());
        return q.console();
    }

    /** The lines of console that start with one of the prefixes, in order. */
    private static List<String> lines(String console, String... prefixes) {
        List<String> out = new ArrayList<>();
        for (String l : console.split("\r?\n")) {
            for (String p : prefixes) {
                if (l.startsWith(p)) {
                    out.add(l.trim());
                }
            }
        }
        return out;
    }

    @Test
    void aFileSyncedOnQemuIsThereAfterAQemuReboot() throws Exception {
        assumeTrue(Qemu.available(), Qemu.EXE + " is not on the PATH: skipping the QEMU cross-check");
        Path img = blank("q.img");
        assertTrue(qemu(img, "mkfs -f\nput -s /note from qemu\npoweroff\n").contains("put: /note synced"));
        String c = qemu(img, "cat /note\nfsck\npoweroff\n");
        assertTrue(c.contains("from qemu"), c);
        assertTrue(c.contains("fsck: PASS"), c);
    }

    @Test
    void qemuRunsTheFileSystemProgramsToTheSameResults() throws Exception {
        assumeTrue(Qemu.available(), Qemu.EXE + " is not on the PATH: skipping the QEMU cross-check");
        String typed = "mkfs -f 6 1024\nfsstress 9 0 300\nfsck\npoweroff\n";
        String mine = ours(blank("ours.img"), typed), theirs = qemu(blank("qemu.img"), typed);
        // The periodic commit runs on guest time, which QEMU takes from the host clock: fsck's
        // generation and block counts may differ, its verdict may not.
        List<String> want = lines(mine, "mkfs: ", "fsstress: ", "fsck: PASS", "fsck: FAIL");
        assertEquals(3, want.size(), mine);
        assertTrue(want.get(1).startsWith("fsstress: PASS"), mine);
        List<String> got = lines(theirs, "mkfs: ", "fsstress: ", "fsck: PASS", "fsck: FAIL");
        assertEquals(want.subList(0, 2), got.subList(0, 2), "qemu differs:\n" + theirs);
        assertTrue(got.get(2).startsWith("fsck: PASS"), theirs);
        String t = "fstests\npoweroff\n";
        List<String> tm = lines(ours(blank("t1.img"), t), "fstest ", "ALL TESTS", "SOME TESTS");
        tm.removeIf(l -> l.contains(" wrote "));
        assertTrue(tm.contains("ALL TESTS PASSED"), tm.toString());
        List<String> tq = lines(qemu(blank("t2.img"), t), "fstest ", "ALL TESTS", "SOME TESTS");
        tq.removeIf(l -> l.contains(" wrote "));
        assertEquals(tm, tq);
    }

    /** fsbench on both machines: the figures are printed side by side (guest time differs by design). */
    @Test
    void fsbenchRunsOnBothMachines() throws Exception {
        assumeTrue(Qemu.available(), Qemu.EXE + " is not on the PATH: skipping the QEMU cross-check");
        String typed = "mkfs -f\nfsbench 2 200\npoweroff\n";
        List<String> mine = lines(ours(blank("b1.img"), typed), "fsbench: ");
        List<String> theirs = lines(qemu(blank("b2.img"), typed), "fsbench: ");
        assertEquals(6, mine.size(), mine.toString());
        assertEquals(6, theirs.size(), theirs.toString());
        for (int i = 0; i < mine.size(); i++) {
            assertFalse(mine.get(i).contains("FAIL") || theirs.get(i).contains("FAIL"), mine + "\n" + theirs);
            System.out.printf("ours: %-70s qemu: %s%n", mine.get(i), theirs.get(i));
        }
    }
}
