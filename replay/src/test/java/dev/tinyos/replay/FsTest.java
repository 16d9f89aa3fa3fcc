package dev.tinyos.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.core.ExitReason;
import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.input.VirtualClock;
import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file system of tiny-os (guest/FORMAT.md, "The file system") end to end on our machine: a
 * file written and synced by one boot is read back by the next; fsstress rounds, each on a
 * freshly booted machine, find everything the earlier rounds synced and leave fsck clean; the
 * in-guest test table passes; a reflink's blocks written do not grow with the file's size while
 * a byte copy's do, and a snapshot keeps the contents it was taken of; and every file-system
 * program, recorded, replays to the same icount and console bytes.
 */
class FsTest {
    private static final long LIMIT = 6_000_000_000L;

    @TempDir
    Path tmp;

    private Path blank(String name, int mib) throws Exception {
        Path img = tmp.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength((long) mib << 20);
        }
        return img;
    }

    /** Boots tiny-os on disk with typed input (under 128 bytes pending); the console. */
    static String boot(Path disk, String typed) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Machine m = new Machine(MachineConfig.builder().kernel(Guest.require("kernel.elf")).console(out)
                .disk(disk).input(VirtualClock.withInput(typed.getBytes(StandardCharsets.US_ASCII))).build())) {
            RunResult r = m.run(LIMIT);
            String c = out.toString(StandardCharsets.ISO_8859_1);
            assertFalse(c.contains("panic"), c);
            assertEquals(ExitReason.FINISHER_PASS, r.reason(), c);
            return c;
        }
    }

    @Test
    void aFileWrittenBeforeARebootIsReadBackAfterIt() throws Exception {
        Path img = blank("reboot.img", 16);
        String first = boot(img, "mkfs -f\nmkdir /home\nput -s /home/note written before the reboot\npoweroff\n");
        assertTrue(first.contains("put: /home/note synced"), first);
        String second = boot(img, "cat /home/note\nls /home\nfsck\npoweroff\n");
        assertTrue(second.contains("\nwritten before the reboot\n"), second);
        assertTrue(second.contains("-       26    258 note"), second);
        assertTrue(second.contains("fsck: PASS"), second);
    }

    @Test
    void fsstressRoundsAcrossRebootsThenFsckIsClean() throws Exception {
        Path img = blank("stress.img", 16);
        boot(img, "mkfs -f 5 1024\npoweroff\n");
        for (int round = 0; round < 4; round++) {
            String c = boot(img, "fsstress 11 " + round + " 250\nfsck\npoweroff\n");
            assertTrue(c.contains("fsstress: PASS seed 11 round " + round + " ops 250"), c);
            assertTrue(c.contains("fsck: PASS"), c);
        }
    }

    @Test
    void theInGuestTestTablePasses() throws Exception {
        String c = boot(blank("tests.img", 16), "fstests\npoweroff\n");
        assertTrue(c.contains("13 of 13 tests passed, fsck clean"), c);
        assertTrue(c.contains("ALL TESTS PASSED"), c);
        assertTrue(c.contains("bad data checksum"), "the kernel names a checksum failure:\n" + c);
    }

    private static long blocks(String console, String prefix) {
        Matcher m = Pattern.compile(Pattern.quote(prefix) + ".*: (\\d+) bytes, (\\d+) blocks written").matcher(console);
        assertTrue(m.find(), prefix + " in\n" + console);
        return Long.parseLong(m.group(2));
    }

    @Test
    void aReflinkWritesTheSameFewBlocksForAnySizeAndNeverSharesAChange() throws Exception {
        Path img = blank("reflink.img", 32);
        boot(img, "mkfs -f\nfill /small 128 1\nfill /big 8192 2\npoweroff\n");
        String c = boot(img, "reflink /small /s2\nreflink /big /b2\nreflink -c /big /b3\npoweroff\n");
        long small = blocks(c, "reflink: cloned /small"), big = blocks(c, "reflink: cloned /big");
        long copy = blocks(c, "reflink: copied /big");
        System.out.printf("reflink of 128 KiB: %d blocks written; of 8 MiB: %d; byte copy of 8 MiB: %d%n", small, big, copy);
        assertTrue(big <= small + 4 && big < 30, c);
        assertTrue(copy > 2048, c);
        String d = boot(img, "poke /b2 5000 CHANGED\nfill -v /big 8192 2\ncat /b2\npoweroff\n");
        assertTrue(d.contains("fill: PASS /big verified 8192 KiB seed 2"), d);
        assertTrue(d.contains("CHANGED"), d);
    }

    @Test
    void aSnapshotStillShowsTheContentsItWasTakenOf() throws Exception {
        Path img = blank("snap.img", 16);
        boot(img, "mkfs -f\nmkdir /w\nput /w/a version one\nput /w/b stays\nsnapshot / /before\npoweroff\n");
        String c = boot(img, "put -s /w/a version two\nrm /w/b\ncat /w/a /before/w/a /before/w/b\nfsck\npoweroff\n");
        assertTrue(c.contains("\nversion two\nversion one\nstays\n"), c);
        assertTrue(c.contains("fsck: PASS"), c);
    }

    /**
     * Snapshots of a tree fsstress keeps changing: each side diverges by copy on write (the
     * stress runs on the snapshot too, and reflinks files there), each keeps exactly its own
     * state, and fsck (shared tree blocks and extent references included) is clean throughout.
     */
    @Test
    void snapshotsOfAStressedTreeDivergeIndependently() throws Exception {
        Path img = blank("snapstress.img", 16);
        String[] sessions = {
            "mkfs -f 5 1024\nfsstress 4 0 200\nsnapshot / /sA\npoweroff\n",
            "fsstress 4 1 200\nfsstress 4 1 200 -v -r /sA\nfsck\npoweroff\n",
            "fsstress 4 1 200 -r /sA\nfsstress 4 2 200 -v\nfsck\npoweroff\n",
            "fsstress 4 2 200\nfsstress 4 2 200 -v -r /sA\nfsck\npoweroff\n",
        };
        String[][] expect = {
            {"fsstress: PASS seed 4 round 0", "snapshot: /sA of /"},
            {"fsstress: PASS seed 4 round 1", "fsstress: PASS seed 4: /sA/s holds round 0's state", "fsck: PASS"},
            {"fsstress: PASS seed 4 round 1", "fsstress: PASS seed 4: /s holds round 1's state", "fsck: PASS"},
            {"fsstress: PASS seed 4 round 2", "fsstress: PASS seed 4: /sA/s holds round 1's state", "fsck: PASS"},
        };
        for (int i = 0; i < sessions.length; i++) {
            String c = boot(img, sessions[i]);
            for (String e : expect[i]) {
                assertTrue(c.contains(e), e + " in\n" + c);
            }
        }
    }

    /** fsck's file-system checks can fail: each planted damage (kvcorrupt fs*) is named. */
    @Test
    void fsckNamesEveryPlantedFileSystemCorruption() throws Exception {
        Path base = blank("fsck-base.img", 16);
        assertTrue(boot(base, "mkfs -f 6 1024\nfsstress 3 0 120\nfsck\npoweroff\n").contains("fsck: PASS"));
        String[][] modes = {{"fsrefs", "refs 2, referenced 1 times"}, {"fsdir", "has no matching hash entry"},
            {"fsdata", "bad data checksum"}};
        for (String[] m : modes) {
            Path img = java.nio.file.Files.copy(base, tmp.resolve(m[0] + ".img"));
            String c = boot(img, "kvcorrupt " + m[0] + "\nfsck\ncat /s/f0 /s/f1 /s/f2 /s/f3\npoweroff\n");
            assertTrue(c.contains("kvcorrupt: " + m[0] + ": block"), c);
            assertTrue(c.contains("fsck: FAIL") && c.contains(m[1]), m[0] + ":\n" + c);
        }
    }

    private void recordAndReplay(Path disk, String typed, String... expect) throws Exception {
        String console = RecordReplayTest.roundTrip(tmp.resolve("trace" + Integer.toHexString(typed.hashCode())),
                Guest.require("kernel.elf"), disk, typed.getBytes(StandardCharsets.US_ASCII), LIMIT, 1L << 20).console();
        for (String e : expect) {
            assertTrue(console.contains(e), e + " in\n" + console);
        }
    }

    @Test
    void everyFileSystemProgramReplays() throws Exception {
        Path img = blank("programs.img", 16);
        boot(img, "mkfs -f 6 1024\nfill /big 256\nmkdir /d\nput -s /d/f hi there\npoweroff\n");
        recordAndReplay(img, "ls /d\ncat /d/f\nstat /d/f\nmv /d/f /d/g\nrm /d/g\nrm -d /d\nmkdir /e\ndf\nsync\npoweroff\n",
                "hi there", "stat: /d/f: file", "df: ", "sync: generation");
        recordAndReplay(img, "reflink /big /c\npoke /c 9 XY\nsnapshot / /s\nfill -v /s/big 256\nfsck\npoweroff\n",
                "reflink: cloned", "snapshot: /s of /", "fill: PASS", "fsck: PASS");
        recordAndReplay(img, "fsstress 2 0 80\nfscrash run\nfsck\npoweroff\n", "fsstress: PASS", "fscrash: PASS run",
                "fsck: PASS");
        recordAndReplay(img, "put -a -s /log one two\nfsbench 1 20\npoweroff\n", "put: /log synced",
                "fsbench: write amplification");
        recordAndReplay(blank("t.img", 16), "fstests rename\npoweroff\n", "ALL TESTS PASSED");
    }
}
