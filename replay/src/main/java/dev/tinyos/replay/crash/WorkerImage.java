package dev.tinyos.replay.crash;

import dev.tinyos.replay.SparseCopy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * One worker's scratch disk image, moved from crash state to crash state in place: made once
 * as a sparse copy of the initial image, then each {@link #load} rewrites only the written
 * sectors whose content differs from what the file holds, and {@link #undo} puts back the
 * sectors a checker wrote. So a state costs the sectors it changes, not a disk copy.
 *
 * <p>Invariant: between calls, the file equals the initial image except at dense sectors
 * {@code i}, where it holds version {@code cur[i]} ({@link #UNKNOWN}: rewritten at the next load).
 */
final class WorkerImage implements AutoCloseable {
    static final int UNKNOWN = -2;

    private final SectorSpace space;
    private final Path initial;
    private final Path file;
    private final FileChannel ch;
    private final int[] cur;
    private final byte[] sector = new byte[SectorSpace.SECTOR];

    WorkerImage(SectorSpace space, Path initial, Path scratchDir) throws IOException {
        this.space = space;
        this.initial = initial;
        Path f = Files.createTempFile(scratchDir, "tinyos-crash-", ".img");
        f.toFile().deleteOnExit();
        Files.delete(f);
        SparseCopy.copy(initial, f);
        this.file = f;
        this.ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.cur = new int[space.size()];
        Arrays.fill(cur, SectorSpace.INITIAL);
    }

    Path file() {
        return file;
    }

    /** Makes the file hold the image with versions {@code target}; returns the sectors rewritten. */
    int load(int[] target) throws IOException {
        int n = 0;
        for (int i = 0; i < cur.length; i++) {
            if (cur[i] == target[i] || cur[i] != UNKNOWN && space.sameContent(i, cur[i], target[i])) {
                cur[i] = target[i];
                continue;
            }
            space.content(i, target[i], sector);
            writeSector(space.sector(i), sector);
            cur[i] = target[i];
            n++;
        }
        return n;
    }

    /**
     * Starts over from a fresh copy of the initial image: for when the checker's writes are not
     * known (its request stream could not be followed, or the boot failed half-way).
     */
    void reset() throws IOException {
        ch.truncate(0);
        try (FileChannel in = FileChannel.open(initial, StandardOpenOption.READ)) {
            long size = in.size();
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            for (long pos = 0; pos < size; ) {
                buf.clear();
                int n = in.read(buf, pos);
                if (n <= 0) {
                    break;
                }
                buf.flip();
                while (buf.hasRemaining()) {
                    ch.write(buf, pos + buf.position());
                }
                pos += n;
            }
        }
        Arrays.fill(cur, SectorSpace.INITIAL);
    }

    /** The checker may have written these requests' sectors: restore or forget them. */
    void undo(Iterable<DiskOp> checkerOps) throws IOException {
        for (DiskOp op : checkerOps) {
            if (!op.isWrite()) {
                continue;
            }
            for (int j = 0; j < op.sectors(); j++) {
                long s = op.sector + j;
                int i = space.indexOf(s);
                if (i >= 0) {
                    cur[i] = UNKNOWN;
                } else {
                    restore(s);
                }
            }
        }
    }

    private void restore(long s) throws IOException {
        try (FileChannel in = FileChannel.open(initial, StandardOpenOption.READ)) {
            SectorSpace.readFully(in, ByteBuffer.wrap(sector), s * SectorSpace.SECTOR);
        }
        writeSector(s, sector);
    }

    private void writeSector(long s, byte[] b) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b);
        long pos = s * SectorSpace.SECTOR;
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
    }

    @Override
    public void close() {
        try {
            ch.close();
        } catch (IOException e) {
            // a scratch file, deleted next
        }
        DiskHistory.deleteQuietly(file);
    }
}
