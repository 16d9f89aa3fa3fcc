package dev.tinyos.replay.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The crash model on hand-made write streams: epochs, enumeration, fingerprints, worker images. */
class CrashModelTest {
    @TempDir
    Path tmp;

    private static DiskOp write(long sector, int sectors, int fill, long start, long done) {
        byte[] d = new byte[sectors * 512];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) (fill + i / 512);
        }
        DiskOp w = new DiskOp(DiskOp.WRITE, sector, d, start, start * 10);
        if (done >= 0) {
            w.completed(done, done * 10);
        }
        return w;
    }

    private static DiskOp flush(long start, long done) {
        DiskOp f = new DiskOp(DiskOp.FLUSH, 0, null, start, start * 10);
        f.completed(done, done * 10);
        return f;
    }

    /** w0 flushed by F0; w1 and w2 in flight before F1; F1 started before w2 completed, so w2 stays at risk. */
    private static List<DiskOp> stream() {
        return List.of(write(0, 1, 1, 0, 1), flush(2, 3), write(1, 8, 10, 4, 6), write(0, 1, 2, 5, 8), flush(7, 9));
    }

    @Test
    void epochsFollowTheWriteCacheModel() {
        CrashModel m = new CrashModel(stream(), 1000);
        assertEquals(3, m.epochs().size());
        CrashModel.Epoch e0 = m.epochs().get(0);
        CrashModel.Epoch e1 = m.epochs().get(1);
        CrashModel.Epoch e2 = m.epochs().get(2);
        assertArrayEquals(new int[] {0}, e0.inFlight());
        assertEquals(30, e0.crashIcount);
        assertArrayEquals(new int[] {0}, e1.newlyDurable, "w0 completed before F0 started");
        assertArrayEquals(new int[] {1, 2}, e1.inFlight());
        assertArrayEquals(new int[] {1}, e2.newlyDurable, "w1 completed before F1 started, w2 after");
        assertArrayEquals(new int[] {2}, e2.inFlight());
        assertEquals(1000, e2.crashIcount);
        assertEquals(-1, e2.flush);
    }

    @Test
    void aWriteThatNeverCompletedStaysInFlight() {
        List<DiskOp> ops = List.of(write(0, 1, 1, 0, -1), flush(1, 2), write(1, 1, 1, 3, 4));
        CrashModel m = new CrashModel(ops, 50);
        assertArrayEquals(new int[] {1}, m.epochs().get(0).inFlight(), "apply order: completed writes first");
        assertArrayEquals(new int[0], m.epochs().get(1).newlyDurable);
        assertArrayEquals(new int[] {0, 1}, m.epochs().get(1).inFlight());
    }

    @Test
    void smallEpochsGetEverySubsetAndTornWrites() {
        CrashModel m = new CrashModel(stream(), 1000);
        StateEnumerator.Options o = new StateEnumerator.Options();
        List<CrashState> e1 = new StateEnumerator(m, o).states(1);
        long subsets = e1.stream().filter(s -> s.family.equals("subset")).count();
        long torn = e1.stream().filter(CrashState::torn).count();
        assertEquals(4, subsets);
        assertEquals(2 * 2 * 7, torn, "w1 has 8 sectors: 7 cuts, each kept as a prefix and as a suffix, with "
                + "each subset of the other write (w2, one sector, does not tear)");
        o.torn = false;
        assertEquals(4, new StateEnumerator(m, o).states(1).size());
    }

    @Test
    void midSizedEpochsTearAfterThePredecessorsAndWithAllOthers() {
        List<DiskOp> ops = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ops.add(write(8L * i, 8, i, 2L * i, 2L * i + 1));
        }
        CrashModel m = new CrashModel(ops, 100);
        List<CrashState> s = new StateEnumerator(m, new StateEnumerator.Options()).states(0);
        assertEquals(32, s.stream().filter(x -> !x.torn()).count());
        assertEquals(5 * 3 * 7, s.stream().filter(CrashState::torn).count());
        assertTrue(s.stream().anyMatch(x -> x.toString().equals("e0:0,1:t2@0-3")), "in-order drive cut inside w2");
        assertTrue(s.stream().anyMatch(x -> x.toString().equals("e0:0,1,3,4:t2@3-8")), "all others, a suffix of w2");
    }

    @Test
    void largeEpochsGetABoundedSeededSample() {
        List<DiskOp> ops = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ops.add(write(i, 1, i, 2L * i, 2L * i + 1));
        }
        CrashModel m = new CrashModel(ops, 100);
        StateEnumerator.Options o = new StateEnumerator.Options();
        o.random = 5;
        List<CrashState> a = new StateEnumerator(m, o).states(0);
        assertEquals(13 + 12 + 5, a.size(), "prefixes, single omissions, random subsets");
        assertEquals(a.toString(), new StateEnumerator(m, o).states(0).toString(), "same seed, same states");
        o.seed = 2;
        assertNotEquals(a.toString(), new StateEnumerator(m, o).states(0).toString(), "the seed picks the random ones");
    }

    @Test
    void statesPrintAndParseTheSame() {
        for (String s : List.of("e0:", "e3:5,7", "e12:1:t4@0-3", "e2::t0@7-8", "e4:0-254,256", "e1:3,4,6-8:t5@1-2")) {
            assertEquals(s, CrashState.parse(s).toString());
        }
        assertArrayEquals(new int[] {1, 2, 3, 5}, CrashState.parse("e0:5,1-3").kept());
        assertThrows(IllegalArgumentException.class, () -> CrashState.parse("e0:1-3,2"), "listed twice");
        assertThrows(IllegalArgumentException.class, () -> CrashState.parse("e0:1-"));
        assertThrows(IllegalArgumentException.class, () -> CrashState.parse("3:5"));
        assertThrows(IllegalArgumentException.class, () -> CrashState.parse("e1:2:t2@0-1"), "torn write also kept");
    }

    private Path blank(int sectors) throws IOException {
        Path p = tmp.resolve("init.img");
        Files.write(p, new byte[sectors * 512]);
        return p;
    }

    @Test
    void identicalImagesShareAFingerprint() throws IOException {
        // w0 writes X to sector 0 and is flushed; w1 writes Y, w2 writes X again: keeping only w2 is the durable image
        List<DiskOp> ops = List.of(write(0, 1, 7, 0, 1), flush(2, 3), write(0, 1, 9, 4, 5), write(0, 1, 7, 6, 7));
        CrashModel m = new CrashModel(ops, 100);
        SectorSpace space = new SectorSpace(m, blank(4));
        SectorSpace.Base b = space.base();
        long[] durable = b.fingerprint(new CrashState(1, new int[0], "t"));
        long[] onlyW2 = b.fingerprint(new CrashState(1, new int[] {2}, "t"));
        long[] both = b.fingerprint(new CrashState(1, new int[] {1, 2}, "t"));
        long[] onlyW1 = b.fingerprint(new CrashState(1, new int[] {1}, "t"));
        assertArrayEquals(durable, onlyW2);
        assertArrayEquals(durable, both, "w2 is applied after w1");
        assertTrue(!Arrays.equals(durable, onlyW1));
        long[] e0 = b.fingerprint(new CrashState(0, new int[0], "t"));
        assertArrayEquals(e0, space.base().fingerprint(new CrashState(0, new int[0], "t")), "moving back starts over");
        assertTrue(!Arrays.equals(e0, durable));
    }

    @Test
    void enumerationFoldsToDistinctImages() throws IOException {
        CrashModel m = new CrashModel(stream(), 1000);
        SectorSpace space = new SectorSpace(m, blank(16));
        SectorSpace.Base b = space.base();
        Set<String> fps = new HashSet<>();
        Set<String> images = new HashSet<>();
        StateEnumerator en = new StateEnumerator(m, new StateEnumerator.Options());
        for (int e = 0; e < m.epochs().size(); e++) {
            for (CrashState s : en.states(e)) {
                fps.add(Arrays.toString(b.fingerprint(s)));
                images.add(Arrays.stream(b.versions(s)).mapToObj(v -> Integer.toString(v))
                        .collect(Collectors.joining(",")));
            }
        }
        // distinct version vectors are distinct images here (every write has distinct content)
        assertEquals(images.size(), fps.size());
    }

    @Test
    void aWorkerImageMovesBetweenStatesAndUndoesTheChecker() throws IOException {
        CrashModel m = new CrashModel(stream(), 1000);
        Path init = blank(16);
        SectorSpace space = new SectorSpace(m, init);
        SectorSpace.Base b = space.base();
        try (WorkerImage img = new WorkerImage(space, init, tmp)) {
            for (CrashState s : List.of(CrashState.parse("e1:1,2"), CrashState.parse("e1::t1@2-5"),
                    CrashState.parse("e0:"), CrashState.parse("e2:2"))) {
                img.load(b.versions(s));
                assertArrayEquals(expected(space, b.versions(s), 16), Files.readAllBytes(img.file()), s.toString());
            }
            // a checker wrote sector 0 (written by the run) and sector 12 (never written by it)
            byte[] junk = new byte[1024];
            Arrays.fill(junk, (byte) 0x5A);
            try (var ch = java.nio.channels.FileChannel.open(img.file(), java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(junk, 0, 512), 0);
                ch.write(java.nio.ByteBuffer.wrap(junk, 512, 512), 12 * 512);
            }
            DiskOp c0 = write(0, 1, 0x5A, 0, 1);
            DiskOp c12 = write(12, 1, 0x5A, 2, 3);
            img.undo(List.of(c0, c12));
            CrashState s = CrashState.parse("e2:2");
            img.load(b.versions(s));
            assertArrayEquals(expected(space, b.versions(s), 16), Files.readAllBytes(img.file()));
            // unknown checker writes: the image starts over
            try (var ch = java.nio.channels.FileChannel.open(img.file(), java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(junk, 0, 512), 13 * 512);
            }
            img.reset();
            CrashState e1 = CrashState.parse("e1:1");
            img.load(b.versions(e1));
            assertArrayEquals(expected(space, b.versions(e1), 16), Files.readAllBytes(img.file()));
        }
    }

    private static byte[] expected(SectorSpace space, int[] v, int sectors) {
        byte[] img = new byte[sectors * 512];
        byte[] b = new byte[512];
        for (int i = 0; i < v.length; i++) {
            space.content(i, v[i], b);
            System.arraycopy(b, 0, img, (int) space.sector(i) * 512, 512);
        }
        return img;
    }
}
