package dev.tinyos.replay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Copies a disk image without writing its all-zero blocks: they become holes in the copy
 * (disk images are mostly zeros; a 64 MiB image with a small file system costs a few hundred
 * KiB). Invariant: the copy reads back byte for byte equal to the source and has its length.
 */
public final class SparseCopy {
    private static final int BLOCK = 64 << 10;

    private SparseCopy() {
    }

    /**
     * Writes everything {@code in} yields into the new file {@code to} (which must not exist),
     * leaving holes where whole blocks are zero; returns the number of bytes (the file's length).
     */
    static long copy(java.io.InputStream in, Path to) throws IOException {
        try (FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.SPARSE)) {
            byte[] block = new byte[BLOCK];
            long pos = 0;
            while (true) {
                int n = in.readNBytes(block, 0, BLOCK);
                if (n <= 0) {
                    break;
                }
                if (!isZero(block, n)) {
                    ByteBuffer buf = ByteBuffer.wrap(block, 0, n);
                    while (buf.hasRemaining()) {
                        out.write(buf, pos + buf.position());
                    }
                }
                pos += n;
            }
            if (out.size() < pos) {
                out.write(ByteBuffer.allocate(1), pos - 1); // the length, with a hole before it
            }
            return pos;
        }
    }

    /** Copies {@code from} to a new file {@code to} (which must not exist). */
    public static void copy(Path from, Path to) throws IOException {
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                     StandardOpenOption.SPARSE)) {
            ByteBuffer buf = ByteBuffer.allocate(BLOCK);
            long pos = 0;
            while (true) {
                buf.clear();
                int n = in.read(buf, pos);
                if (n <= 0) {
                    break;
                }
                buf.flip();
                if (!isZero(buf.array(), n)) {
                    while (buf.hasRemaining()) {
                        out.write(buf, pos + buf.position());
                    }
                }
                pos += n;
            }
            if (out.size() < pos) {
                out.write(ByteBuffer.allocate(1), pos - 1); // the length, with a hole before it
            }
        }
    }

    private static boolean isZero(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
