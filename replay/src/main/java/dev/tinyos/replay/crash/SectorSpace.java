package dev.tinyos.replay.crash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The sectors a run wrote, and how to turn a {@link CrashState} into an image without copying
 * whole disks: every sector any write touched gets a dense index {@code 0..K-1}; a state's
 * image is the initial image except at those sectors, where it holds one <b>version</b> (the
 * initial content, -1, or the content write {@code w} gave it). Each version has a content id
 * (SHA-256 of its 512 bytes, two 64-bit lanes), so
 * <ul>
 *   <li>two states are the same image iff their fingerprints match — the sum over the K sectors
 *       of a mix of (sector number, content id), 128 bits, kept incrementally, so identical
 *       images are checked once whichever writes produced them;</li>
 *   <li>a worker moves its scratch image from one state to the next by rewriting only the
 *       sectors whose content differs ({@link WorkerImage}).</li>
 * </ul>
 * Invariant: immutable after construction; safe to share between threads ({@link Base} is not).
 */
final class SectorSpace {
    static final int SECTOR = 512;
    static final int INITIAL = -1;

    private final CrashModel model;
    /** Dense index to sector number, ascending. */
    private final long[] sectors;
    /** Per write id, per sector of the write: dense index. */
    private final int[][] dense;
    /** Per write id, per sector of the write: content id lanes. */
    private final long[][] id0;
    private final long[][] id1;
    private final byte[] initData;
    private final long[] init0;
    private final long[] init1;

    SectorSpace(CrashModel model, Path initialImage) throws IOException {
        this.model = model;
        int n = model.writeCount();
        long[] all = new long[0];
        int count = 0;
        for (int w = 0; w < n; w++) {
            DiskOp op = model.write(w);
            for (int j = 0; j < op.sectors(); j++) {
                if (count == all.length) {
                    all = Arrays.copyOf(all, Math.max(16, count * 2));
                }
                all[count++] = op.sector + j;
            }
        }
        long[] sorted = Arrays.copyOf(all, count);
        Arrays.sort(sorted);
        int k = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                sorted[k++] = sorted[i];
            }
        }
        this.sectors = Arrays.copyOf(sorted, k);
        this.dense = new int[n][];
        this.id0 = new long[n][];
        this.id1 = new long[n][];
        MessageDigest md = sha256();
        for (int w = 0; w < n; w++) {
            DiskOp op = model.write(w);
            int s = op.sectors();
            dense[w] = new int[s];
            id0[w] = new long[s];
            id1[w] = new long[s];
            for (int j = 0; j < s; j++) {
                dense[w][j] = Arrays.binarySearch(sectors, op.sector + j);
                long[] id = contentId(md, op.data, j * SECTOR);
                id0[w][j] = id[0];
                id1[w][j] = id[1];
            }
        }
        this.initData = new byte[k * SECTOR];
        this.init0 = new long[k];
        this.init1 = new long[k];
        try (FileChannel ch = FileChannel.open(initialImage, StandardOpenOption.READ)) {
            for (int i = 0; i < k; i++) {
                readFully(ch, ByteBuffer.wrap(initData, i * SECTOR, SECTOR), sectors[i] * SECTOR);
                long[] id = contentId(md, initData, i * SECTOR);
                init0[i] = id[0];
                init1[i] = id[1];
            }
        }
    }

    static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) {
                throw new IOException("unexpected end of image");
            }
            pos += r;
        }
    }

    private static long[] contentId(MessageDigest md, byte[] b, int off) {
        md.update(b, off, SECTOR);
        byte[] d = md.digest();
        return new long[] {ByteBuffer.wrap(d, 0, 8).getLong(), ByteBuffer.wrap(d, 8, 8).getLong()};
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    CrashModel model() {
        return model;
    }

    /** Number of distinct sectors written (K). */
    int size() {
        return sectors.length;
    }

    long sector(int i) {
        return sectors[i];
    }

    /** Dense index of sector {@code s}, or a negative number if no write touched it. */
    int indexOf(long s) {
        return Arrays.binarySearch(sectors, s);
    }

    /** True if versions {@code a} and {@code b} of dense sector {@code i} hold the same bytes. */
    boolean sameContent(int i, int a, int b) {
        return a == b || lane0(i, a) == lane0(i, b) && lane1(i, a) == lane1(i, b);
    }

    private long lane0(int i, int ver) {
        return ver == INITIAL ? init0[i] : id0[ver][(int) (sectors[i] - model.write(ver).sector)];
    }

    private long lane1(int i, int ver) {
        return ver == INITIAL ? init1[i] : id1[ver][(int) (sectors[i] - model.write(ver).sector)];
    }

    /** Copies the bytes of version {@code ver} of dense sector {@code i} into {@code dst}. */
    void content(int i, int ver, byte[] dst) {
        if (ver == INITIAL) {
            System.arraycopy(initData, i * SECTOR, dst, 0, SECTOR);
        } else {
            int j = (int) (sectors[i] - model.write(ver).sector);
            System.arraycopy(model.write(ver).data, j * SECTOR, dst, 0, SECTOR);
        }
    }

    private long mix0(int i, int ver) {
        return mix(lane0(i, ver) ^ sectors[i] * 0x9E3779B97F4A7C15L);
    }

    private long mix1(int i, int ver) {
        return mix(lane1(i, ver) + sectors[i] * 0xC2B2AE3D27D4EB4FL);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A fresh rolling base (initial image, before epoch 0). */
    Base base() {
        return new Base();
    }

    /**
     * The durable image of one epoch as versions per dense sector, with its fingerprint; moves
     * forward by applying the newly durable writes of each epoch (backward by starting over).
     * Not thread-safe: one per thread.
     */
    final class Base {
        final int[] ver = new int[sectors.length];
        long fp0;
        long fp1;
        int epoch = -1;
        private int[] scratch = new int[0];
        private final int[] touched = new int[sectors.length];
        private final boolean[] isTouched = new boolean[sectors.length];

        Base() {
            reset();
        }

        private void reset() {
            Arrays.fill(ver, INITIAL);
            fp0 = 0;
            fp1 = 0;
            for (int i = 0; i < sectors.length; i++) {
                fp0 += mix0(i, INITIAL);
                fp1 += mix1(i, INITIAL);
            }
            epoch = -1;
        }

        void moveTo(int e) {
            if (e < epoch) {
                reset();
            }
            while (epoch < e) {
                epoch++;
                for (int w : model.epochs().get(epoch).newlyDurable) {
                    for (int j = 0; j < dense[w].length; j++) {
                        int i = dense[w][j];
                        fp0 += mix0(i, w) - mix0(i, ver[i]);
                        fp1 += mix1(i, w) - mix1(i, ver[i]);
                        ver[i] = w;
                    }
                }
            }
        }

        /** The versions of state {@code s} (this base moved to its epoch): a fresh array. */
        int[] versions(CrashState s) {
            moveTo(s.epoch);
            int[] v = ver.clone();
            overlay(s, v, null);
            return v;
        }

        /** Fingerprint (two lanes) of state {@code s}'s image, without building it. */
        long[] fingerprint(CrashState s) {
            moveTo(s.epoch);
            if (scratch.length != ver.length) {
                scratch = ver.clone();
            }
            int n = overlay(s, scratch, this);
            long f0 = fp0;
            long f1 = fp1;
            for (int t = 0; t < n; t++) {
                int i = touched[t];
                f0 += mix0(i, scratch[i]) - mix0(i, ver[i]);
                f1 += mix1(i, scratch[i]) - mix1(i, ver[i]);
                scratch[i] = ver[i];
                isTouched[i] = false;
            }
            return new long[] {f0, f1};
        }

        /** Applies s's kept and torn writes to {@code v} in apply order; records touched sectors if {@code track}. */
        private int overlay(CrashState s, int[] v, Base track) {
            int n = 0;
            int k = 0;
            boolean tornDone = s.tornWrite < 0;
            while (k < s.kept.length || !tornDone) {
                int w;
                int from = 0;
                int to;
                if (!tornDone && (k >= s.kept.length || s.tornWrite < s.kept[k])) {
                    w = s.tornWrite;
                    from = s.tornFrom;
                    to = Math.min(s.tornTo, dense[w].length);
                    tornDone = true;
                } else {
                    w = s.kept[k++];
                    to = dense[w].length;
                }
                for (int j = from; j < to; j++) {
                    int i = dense[w][j];
                    if (track != null && !isTouched[i]) {
                        isTouched[i] = true;
                        touched[n++] = i;
                    }
                    v[i] = w;
                }
            }
            return n;
        }
    }
}
