package dev.tinyos.core.guest;

import dev.tinyos.core.ExitReason;
import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.input.VirtualClock;
import dev.tinyos.core.testing.GuestBuild;
import dev.tinyos.core.testing.Qemu;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The copy-on-write key/value store of tiny-os (guest/FORMAT.md) end to end: the in-guest test
 * table {@code kvtests}; {@code kvstress} followed, on a new machine, by {@code fsck} and
 * {@code kvcheck}; each planted corruption of {@code kvcorrupt} named by fsck; power cuts in the
 * middle of a {@code kvstress} run, after which the disk must hold exactly a committed state at
 * least as new as the last commit the run reported; and the same programs on QEMU, which must
 * print the same results as our emulator (the store is deterministic).
 */
class KvStoreTest {
    static final long LIMIT = 8_000_000_000L;
    static final Pattern COMMIT = Pattern.compile("kvstress: commit (\\d+) gen (\\d+)");
    static final Pattern CHECK = Pattern.compile("kvcheck: PASS commit (\\d+) gen (\\d+)");

    private static Path kernel;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findKernel() {
        kernel = GuestBuild.kernel();
    }

    record Session(RunResult result, String console) {
    }

    private Path blankImage(String name, int mib) throws IOException {
        Path img = tmp.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength((long) mib << 20);
        }
        return img;
    }

    private static Machine machine(Path elf, Path disk, String typed, ByteArrayOutputStream out) throws IOException {
        return new Machine(MachineConfig.builder().kernel(elf).console(out).disk(disk)
                .input(VirtualClock.withInput(typed.getBytes(StandardCharsets.US_ASCII))).build());
    }

    static Session boot(Path disk, String typed) throws IOException {
        return boot(kernel, disk, typed);
    }

    static Session boot(Path elf, Path disk, String typed) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Machine m = machine(elf, disk, typed, out)) {
            RunResult r = m.run(LIMIT);
            Session s = new Session(r, out.toString(StandardCharsets.ISO_8859_1));
            assertFalse(s.console().contains("panic"), s.console());
            assertEquals(ExitReason.FINISHER_PASS, r.reason(), s.console());
            return s;
        }
    }

    static String bootAndCut(Path disk, String typed, long budget) throws IOException {
        return bootAndCut(kernel, disk, typed, budget);
    }

    static String bootAndCut(Path elf, Path disk, String typed, long budget) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Machine m = machine(elf, disk, typed, out)) {
            RunResult r = m.run(budget);
            assertEquals(ExitReason.INSTRUCTION_LIMIT, r.reason(), "the cut came after the session ended");
            m.powerCut();
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static String line(String console, String prefix) {
        for (String l : console.split("\r?\n")) {
            if (l.startsWith(prefix)) {
                return l.trim();
            }
        }
        return "";
    }

    @Test
    void theInGuestTestTablePasses() throws Exception {
        Session s = boot(blankImage("kvtests.img", 16), "kvtests\npoweroff\n");
        assertTrue(s.console().contains("13 of 13 tests passed"), s.console());
        assertTrue(s.console().contains("ALL TESTS PASSED"), s.console());
    }

    /** A thousand transactions (a commit every 2 operations): no leak, no double allocation, all intact. */
    @Test
    void aThousandTransactionsThenANewMachineFindsTheLastCommitIntact() throws Exception {
        Path img = blankImage("stress.img", 16);
        Session w = boot(img, "mkfs 6 1024\nkvstress 7 2000 2 200 -q\nfsck\npoweroff\n");
        String c = w.console();
        assertTrue(c.contains("kvstress: PASS seed 7 ops 2000 commits 1000 gen 1001"), c);
        assertTrue(line(c, "fsck: ").startsWith("fsck: PASS gen 1001:"), c);
        Session r = boot(img, "kvcheck\nfsck\npoweroff\n");
        assertTrue(r.console().contains("kvcheck: PASS commit 1000 gen 1001"), r.console());
        assertTrue(line(r.console(), "fsck: ").startsWith("fsck: PASS gen 1001:"), r.console());
    }

    @Test
    void fsckNamesEveryPlantedCorruption() throws Exception {
        Map<String, String> expected = Map.of(
                "leaf", "bad checksum", "order", "(key order)", "stale", "generation",
                "data", "extent", "leak", "(leaked)", "double", "(double allocation)");
        Path base = blankImage("base.img", 16);
        assertTrue(boot(base, "mkfs 8 1024\nkvstress 5 300 10 64 -q\nfsck\npoweroff\n").console()
                .contains("fsck: PASS"));
        for (var e : expected.entrySet()) {
            Path img = Files.copy(base, tmp.resolve(e.getKey() + ".img"), StandardCopyOption.REPLACE_EXISTING);
            Session s = boot(img, "kvcorrupt " + e.getKey() + "\nfsck\npoweroff\n");
            String fail = line(s.console(), "fsck: FAIL");
            assertTrue(s.console().contains("kvcorrupt: " + e.getKey() + ": block"), s.console());
            assertTrue(fail.contains(e.getValue()), e.getKey() + ": " + s.console());
            assertTrue(s.console().contains("fsck exited with status 1"), s.console());
        }
    }

    /**
     * A kvstress run (commit every 4 operations) is cut at many instruction counts; the drive
     * drops whatever was not flushed. Each cut disk must mount, pass fsck, and hold exactly the
     * state of the last commit reported before the cut or of the one in progress.
     */
    @Test
    void powerCutsDuringKvstressLeaveExactlyACommittedState() throws Exception {
        Path base = blankImage("cutbase.img", 16);
        boot(base, "mkfs 5 1024\npoweroff\n");
        String stress = "kvstress 9 240 4 64\n";
        Path full = copy(base, "full.img");
        long start = boot(copy(base, "idle.img"), "poweroff\n").result().icount();
        long end = boot(full, stress + "poweroff\n").result().icount();
        List<Integer> seen = new ArrayList<>();
        int cuts = 8;
        for (int i = 1; i <= cuts; i++) {
            long budget = start + (end - start) * i / (cuts + 1);
            Path img = copy(base, "cut" + i + ".img");
            String before = bootAndCut(img, stress, budget);
            int last = 0;
            for (Matcher m = COMMIT.matcher(before); m.find(); ) {
                last = Integer.parseInt(m.group(1));
            }
            Session v = boot(img, "fsck\nkvcheck\npoweroff\n");
            assertTrue(line(v.console(), "fsck: ").startsWith("fsck: PASS"), "cut at " + budget + ":\n" + v.console());
            Matcher m = CHECK.matcher(v.console());
            assertTrue(m.find(), "cut at " + budget + ":\n" + v.console());
            int found = Integer.parseInt(m.group(1));
            assertTrue(found == last || found == last + 1,
                    "cut at " + budget + ": last reported commit " + last + ", disk holds " + found);
            seen.add(found);
        }
        assertTrue(seen.stream().distinct().count() >= 4, "cuts should land in different commits: " + seen);
    }

    /** Instruction counts at which each commit wrote its superblock and at which it became durable. */
    record Barriers(List<Long> superWrites, List<Long> durable) {
    }

    private Barriers barriers(Path elf, Path disk, String typed) throws IOException {
        List<Long> writes = new ArrayList<>();
        List<Long> durable = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Machine m = machine(elf, disk, typed, out)) {
            m.probes().atSymbol("trace_kv_super_write", (h, pc) -> writes.add(h.icount()));
            m.probes().atSymbol("trace_kv_commit", (h, pc) -> durable.add(h.icount()));
            assertEquals(ExitReason.FINISHER_PASS, m.run(LIMIT).reason(), out.toString(StandardCharsets.ISO_8859_1));
        }
        return new Barriers(writes, durable);
    }

    /**
     * Cuts at the commit protocol's critical instants: just after commit k handed its superblock
     * to the cache (its tree blocks are flushed, the superblock is not) the disk must hold commit
     * k - 1 exactly; just after the superblock's FLUSH completed, commit k exactly. Returns the
     * first violation, or "" if there is none.
     */
    private String cutAtBarriers(Path elf, Path base, String stress, int every) throws IOException {
        Barriers b = barriers(elf, copy(base, "probe.img"), stress + "poweroff\n");
        assertTrue(b.durable().size() >= 20, "too few commits: " + b);
        for (int k = 1; k < b.durable().size(); k += every) {
            long[] cuts = {b.superWrites().get(k - 1) + 1, b.durable().get(k - 1) + 1};
            for (int j = 0; j < 2; j++) {
                Path img = copy(base, "barrier" + k + "-" + j + ".img");
                bootAndCut(elf, img, stress, cuts[j]);
                Session v = boot(elf, img, "fsck\nkvcheck\npoweroff\n");
                int expect = k - 1 + j;
                String fsck = line(v.console(), "fsck: ");
                if (!fsck.startsWith("fsck: PASS") || !v.console().contains("kvcheck: PASS commit " + expect + " ")) {
                    return "cut at icount " + cuts[j] + " (commit " + k + (j == 0 ? ", before" : ", after")
                            + " its superblock flush): expected commit " + expect + "\n" + v.console();
                }
            }
        }
        return "";
    }

    @Test
    void cutsAtTheCommitBarriersFindExactlyTheOldOrTheNewCommit() throws Exception {
        Path base = blankImage("barrier-base.img", 16);
        boot(base, "mkfs 5 1024\npoweroff\n");
        assertEquals("", cutAtBarriers(kernel, base, "kvstress 12 120 4 64\n", 3));
    }

    /**
     * The same cuts on a kernel built with KV_FAULT=2 (frees never deferred, kernel/kvsuper.c):
     * commit k overwrites blocks of commit k - 1 before its own superblock is durable, so some
     * cut before a superblock flush must find a damaged store. Proves the check above can fail.
     */
    @Test
    void aKernelWithImmediateFreesIsCaughtByTheSameCuts() throws Exception {
        Path guest = GuestBuild.dir().getParent();
        Path build = tmp.resolve("fault2");
        Process p = new ProcessBuilder("make", "-s", "-C", guest.resolve("kernel").toString(),
                "BUILD=" + build.toAbsolutePath(), "KV_FAULT=2").redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assumeTrue(p.waitFor() == 0, "cannot build the KV_FAULT=2 kernel: " + log);
        Path faulty = build.resolve("kernel.elf");
        Path base = blankImage("fault-base.img", 16);
        boot(faulty, base, "mkfs 5 1024\npoweroff\n");
        String violation = cutAtBarriers(faulty, base, "kvstress 12 120 4 64\n", 3);
        assertFalse(violation.isEmpty(), "the broken kernel survived every cut");
        assertTrue(violation.contains("before its superblock flush"), violation);
    }

    @Test
    void qemuRunsTheSameProgramsToTheSameResults() throws Exception {
        assumeTrue(Qemu.available(), Qemu.EXE + " is not on the PATH: skipping the QEMU cross-check");
        String typed = "mkfs 6 1024\nkvstress 3 800 10 200 -q\nfsck\nkvcheck\n";
        Session ours = boot(blankImage("ours.img", 16), typed + "poweroff\n");
        Path qimg = blankImage("qemu.img", 16);
        Qemu.Run q = Qemu.run(kernel, (typed + "poweroff\n").getBytes(StandardCharsets.US_ASCII), "poweroff to stop",
                300, "-global", "virtio-mmio.force-legacy=false",
                "-drive", "file=" + qimg + ",if=none,format=raw,id=d",
                "-device", "virtio-blk-device,drive=d,bus=virtio-mmio-bus.0");
        assertEquals(0, q.exit(), q.console() + q.stderr());
        for (String prefix : List.of("mkfs: ", "kvstress: ", "fsck: ", "kvcheck: ")) {
            String mine = line(ours.console(), prefix);
            assertTrue(mine.contains(prefix.equals("mkfs: ") ? "generation 1" : "PASS"), ours.console());
            assertEquals(mine, line(q.console(), prefix), "qemu differs:\n" + q.console());
        }
        Qemu.Run t = Qemu.run(kernel, "kvtests\npoweroff\n".getBytes(StandardCharsets.US_ASCII), "poweroff to stop",
                300, "-drive", "file=" + blankImage("qemu-tests.img", 16) + ",if=none,format=raw,id=d",
                "-device", "virtio-blk-device,drive=d,bus=virtio-mmio-bus.0");
        assertTrue(t.console().contains("ALL TESTS PASSED"), "qemu (legacy transport):\n" + t.console());
    }

    private Path copy(Path from, String name) throws IOException {
        return Files.copy(from, tmp.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
