package dev.tinyos.core.guest;

import dev.tinyos.core.testing.GuestBuild;
import dev.tinyos.core.ExitReason;
import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.input.VirtualClock;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The guest storage stack end to end: tiny-os's virtio-blk driver, buffer cache and the
 * {@code blkharness} program (guest/user/blkharness.c) on a raw image: write, then a new
 * machine on the same image verifies; a multi-process random stress run; power cuts at many
 * instruction counts followed by a verifying boot; no disk; and the same harness on QEMU with
 * the legacy and the modern virtio-mmio transport.
 *
 * <p>Invariant: every session must end in a clean power-off (no kernel panic), and a verify
 * report must account for every block: its BAD lines name exactly the blocks the summary
 * counts, each with a precise reason.
 */
class StorageTest {
    static final long LIMIT = 1_500_000_000L;
    static final int IMAGE_BYTES = 1 << 20; // 256 blocks of 4 KiB
    static final Pattern BAD = Pattern.compile("BAD block (\\d+): (\\w+) \\(([^)]*)\\)");
    static final Pattern VERIFY = Pattern.compile(
            "blkharness: verify: gen (\\d+), (\\d+) blocks, (\\d+) bad");

    private static Path kernel;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findKernel() {
        kernel = GuestBuild.kernel();
    }

    record Session(RunResult result, String console) {
    }

    private Path blankImage(String name) throws IOException {
        Path img = tmp.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(IMAGE_BYTES);
        }
        return img;
    }

    private static Machine machine(Path disk, String typed, ByteArrayOutputStream out) throws IOException {
        MachineConfig.Builder b = MachineConfig.builder()
                .kernel(kernel)
                .console(out)
                .input(VirtualClock.withInput(typed.getBytes(StandardCharsets.US_ASCII)));
        if (disk != null) {
            b.disk(disk);
        }
        return new Machine(b.build());
    }

    /** Boots, types {@code typed}, runs to the end and shuts down cleanly. */
    static Session boot(Path disk, String typed) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Machine m = machine(disk, typed, out)) {
            RunResult r = m.run(LIMIT);
            return new Session(r, out.toString(StandardCharsets.ISO_8859_1));
        }
    }

    /** Boots, types {@code typed}, and cuts the power after {@code budget} instructions. */
    static String bootAndCut(Path disk, String typed, long budget) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Machine m = machine(disk, typed, out)) {
            RunResult r = m.run(budget);
            assertEquals(ExitReason.INSTRUCTION_LIMIT, r.reason(), "the cut came after the session ended");
            m.powerCut();
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    static void assertPoweredOff(Session s) {
        assertFalse(s.console().contains("panic"), s.console());
        assertEquals(ExitReason.FINISHER_PASS, s.result().reason(), s.console());
    }

    /** The BAD lines of one verify report and its summary; checks that they agree. */
    record Report(int gen, int blocks, List<Integer> badBlocks, List<String> reasons) {
        static Report parse(String console) {
            Matcher v = VERIFY.matcher(console);
            assertTrue(v.find(), "no verify summary in:\n" + console);
            List<Integer> blocks = new ArrayList<>();
            List<String> reasons = new ArrayList<>();
            Matcher m = BAD.matcher(console);
            while (m.find()) {
                blocks.add(Integer.parseInt(m.group(1)));
                reasons.add(m.group(2) + " (" + m.group(3) + ")");
            }
            assertEquals(Integer.parseInt(v.group(3)), blocks.size(), "summary disagrees with BAD lines:\n" + console);
            Report r = new Report(Integer.parseInt(v.group(1)), Integer.parseInt(v.group(2)), blocks, reasons);
            assertFalse(v.find(), "one verify per session expected");
            return r;
        }
    }

    @Test
    void writeThenRebootAndVerifyTheSameImage() throws Exception {
        Path img = blankImage("wv.img");
        Session w = boot(img, "blkharness write 5 128\npoweroff\n");
        assertPoweredOff(w);
        assertTrue(w.console().contains("blkharness: write: gen 5, 128 blocks"), w.console());
        assertTrue(w.console().contains("blkharness: PASS"), w.console());

        Session v = boot(img, "blkharness verify 5 128\npoweroff\n");
        assertPoweredOff(v);
        Report r = Report.parse(v.console());
        assertEquals(List.of(), r.badBlocks(), v.console());
        assertTrue(v.console().contains("blkharness: PASS"), v.console());

        // The same image checked for a generation it does not hold: every block is named.
        Session stale = boot(img, "blkharness verify 6 4\npoweroff\n");
        assertPoweredOff(stale);
        Report s = Report.parse(stale.console());
        assertEquals(List.of(0, 1, 2, 3), s.badBlocks());
        assertEquals(List.of("stale (gen 5, expected 6)"), s.reasons().stream().distinct().toList());
        assertTrue(stale.console().contains("blkharness: FAIL"), stale.console());
    }

    @Test
    void verifyNamesNeverWrittenTornAndCorruptBlocks() throws Exception {
        Path img = blankImage("damage.img");
        assertPoweredOff(boot(img, "blkharness write 3 8\npoweroff\n"));
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.seek(2 * 4096 + 5 * 512); // block 2, sectors 5..7: zeroed as if never written
            f.write(new byte[3 * 512]);
            f.seek(4 * 4096 + 1000); // block 4: one payload byte flipped
            int b = f.read();
            f.seek(4 * 4096 + 1000);
            f.write(b ^ 0x40);
        }
        Session v = boot(img, "blkharness verify 3 10\npoweroff\n");
        assertPoweredOff(v);
        Report r = Report.parse(v.console());
        assertEquals(List.of(2, 4, 8, 9), r.badBlocks(), v.console());
        assertEquals("torn (sector gens 3 3 3 3 3 - - -)", r.reasons().get(0));
        assertTrue(r.reasons().get(1).startsWith("checksum (gen 3, stored "), r.reasons().get(1));
        assertEquals("stale (never written, expected gen 3)", r.reasons().get(2));
    }

    @Test
    void randomStressWithSeveralProcessesAndTheBenchmark() throws Exception {
        Path img = blankImage("stress.img");
        Session s = boot(img, "blkharness stress 42 1200 96 4\nblkharness info\nblkbench 96 4\npoweroff\n");
        assertPoweredOff(s);
        String c = s.console();
        assertTrue(c.contains("blkharness: stress: seed 42, 1200 ops, 96 blocks, 4 procs, 0 failed workers"), c);
        assertTrue(c.contains("blkharness: PASS"), c);
        assertFalse(c.contains("BAD block"), c);
        Matcher inflight = Pattern.compile("max in flight (\\d+)").matcher(c);
        assertTrue(inflight.find(), c);
        assertTrue(Integer.parseInt(inflight.group(1)) >= 4, "requests never overlapped:\n" + c);
        Matcher info = Pattern.compile("blkinfo: hits (\\d+) misses (\\d+) evictions (\\d+) writebacks (\\d+)").matcher(c);
        assertTrue(info.find(), c);
        for (int g = 1; g <= 4; g++) {
            assertTrue(Long.parseLong(info.group(g)) > 0, "counter " + g + " is zero:\n" + c);
        }
        for (String phase : List.of("seq-write", "seq-read", "rand-read", "rand-write")) {
            assertTrue(Pattern.compile("blkbench: " + phase + ": 96 ops, 384 KiB, \\d+ ticks, \\d+ KiB/s")
                    .matcher(c).find(), phase + " missing:\n" + c);
        }
        assertTrue(c.contains("blkbench: done"), c);
    }

    @Test
    void aStorageSessionIsDeterministic() throws Exception {
        String typed = "blkharness stress 9 300 32 3\nblkbench 32 2\npoweroff\n";
        Session a = boot(blankImage("det-a.img"), typed);
        Session b = boot(blankImage("det-b.img"), typed);
        assertPoweredOff(a);
        assertEquals(a.console(), b.console());
        assertEquals(a.result(), b.result());
        assertTrue(Files.mismatch(tmp.resolve("det-a.img"), tmp.resolve("det-b.img")) < 0, "images differ");
    }

    /**
     * Generation 1 is written and synced; then "write 2" (a sync every 8 blocks) is cut at
     * many instruction counts, and each time a new boot verifies generation 2. The drive drops
     * what was not flushed, so the blocks written since the last completed sync must be
     * reported stale (gen 1) - exactly a suffix starting at a multiple of 8 - and nothing else.
     */
    @Test
    void powerCutAtManyPointsThenVerifyReportsCorruptionPrecisely() throws Exception {
        int n = 48;
        Path base = blankImage("base.img");
        assertPoweredOff(boot(base, "blkharness write 1 " + n + "\npoweroff\n"));
        String write2 = "blkharness write 2 " + n + " 8\n";
        Path full = copy(base, "full.img");
        long start = boot(full, "poweroff\n").result().icount();
        long end = boot(full, write2 + "poweroff\n").result().icount();
        List<Integer> firstBad = new ArrayList<>();
        int cuts = 10;
        for (int i = 0; i < cuts; i++) {
            long budget = start + (end - start) * i / cuts;
            Path img = copy(base, "cut" + i + ".img");
            String before = bootAndCut(img, write2, budget);
            assertFalse(before.contains("panic"), before);
            Session v = boot(img, "blkharness verify 2 " + n + "\npoweroff\n");
            assertPoweredOff(v);
            Report r = Report.parse(v.console());
            int p = n - r.badBlocks().size();
            assertEquals(p % 8 == 0 ? p : -1, p, "good prefix not a sync boundary (cut at " + budget + "):\n" + v.console());
            for (int k = 0; k < r.badBlocks().size(); k++) {
                assertEquals(p + k, r.badBlocks().get(k), v.console());
                assertEquals("stale (gen 1, expected 2)", r.reasons().get(k), v.console());
            }
            if (!firstBad.isEmpty()) {
                assertTrue(p >= firstBad.get(firstBad.size() - 1), "a later cut lost more blocks");
            }
            firstBad.add(p);
        }
        assertEquals(0, (int) firstBad.get(0), "the earliest cut should lose every block: " + firstBad);
        assertTrue(firstBad.stream().distinct().count() >= 3, "cuts should land between syncs: " + firstBad);
    }

    @Test
    void withoutADiskTheKernelBootsAndTheHarnessSaysSo() throws Exception {
        Session s = boot(null, "blkharness info\nblkbench\npoweroff\n");
        assertPoweredOff(s);
        assertTrue(s.console().contains("tiny-os: no disk"), s.console());
        assertTrue(s.console().contains("blkharness: no disk"), s.console());
        assertTrue(s.console().contains("blkbench: no disk"), s.console());
    }

    @Test
    void harnessPassesOnQemuWithTheLegacyAndTheModernTransport() throws Exception {
        assumeTrue(Qemu.available(), Qemu.EXE + " is not on the PATH: skipping the QEMU cross-check");
        for (boolean modern : new boolean[] {false, true}) {
            Path img = blankImage(modern ? "qemu2.img" : "qemu1.img");
            List<String> args = new ArrayList<>(List.of(
                    "-drive", "file=" + img + ",if=none,format=raw,id=d",
                    "-device", "virtio-blk-device,drive=d,bus=virtio-mmio-bus.0"));
            if (modern) {
                args.addAll(List.of("-global", "virtio-mmio.force-legacy=false"));
            }
            String typed = "blkharness write 7 64\nblkharness verify 7 64\nblkharness stress 3 400 64 4\npoweroff\n";
            Qemu.Run q = Qemu.run(kernel, typed.getBytes(StandardCharsets.US_ASCII), "poweroff to stop", 120,
                    args.toArray(String[]::new));
            String where = modern ? "qemu (modern): " : "qemu (legacy): ";
            assertEquals(0, q.exit(), where + q.console() + q.stderr());
            assertTrue(q.console().contains(modern ? "(version 2)" : "(version 1, legacy)"), where + q.console());
            assertTrue(q.console().contains("blkharness: verify: gen 7, 64 blocks, 0 bad"), where + q.console());
            assertTrue(q.console().contains("0 failed workers"), where + q.console());
            assertFalse(q.console().contains("FAIL") || q.console().contains("panic"), where + q.console());
        }
    }

    private Path copy(Path from, String name) throws IOException {
        return Files.copy(from, tmp.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
