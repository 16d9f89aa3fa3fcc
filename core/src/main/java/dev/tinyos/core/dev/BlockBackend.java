package dev.tinyos.core.dev;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A raw disk image file seen as an array of 512-byte sectors. Reads and writes happen on the
 * calling (machine) thread; {@link #flush} forces written data to the storage device.
 *
 * <p>Invariant: {@link #sectors()} is fixed at open time (file length / 512, rounded down;
 * a trailing partial sector is not addressable); every access lies inside it.
 */
public final class BlockBackend implements Closeable {
    public static final int SECTOR_SIZE = 512;

    private final Path path;
    private final FileChannel channel;
    private final boolean readOnly;
    private final long sectors;

    private BlockBackend(Path path, FileChannel channel, boolean readOnly, long sectors) {
        this.path = path;
        this.channel = channel;
        this.readOnly = readOnly;
        this.sectors = sectors;
    }

    /** Opens {@code image}; read-only if asked or if the file is not writable. */
    public static BlockBackend open(Path image, boolean readOnly) throws IOException {
        boolean ro = readOnly || !image.toFile().canWrite();
        FileChannel ch = ro
                ? FileChannel.open(image, StandardOpenOption.READ)
                : FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new BlockBackend(image, ch, ro, ch.size() / SECTOR_SIZE);
    }

    public Path path() {
        return path;
    }

    public boolean readOnly() {
        return readOnly;
    }

    /** Capacity in 512-byte sectors. */
    public long sectors() {
        return sectors;
    }

    /** True if {@code len} bytes starting at sector {@code sector} lie inside the image. */
    public boolean inRange(long sector, long len) {
        return sector >= 0 && len >= 0 && sector <= sectors
                && len <= (sectors - sector) * SECTOR_SIZE;
    }

    /** Reads {@code len} bytes starting at sector {@code sector} into {@code dst[off..]}. */
    public void read(long sector, byte[] dst, int off, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(dst, off, len);
        long pos = sector * SECTOR_SIZE;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos);
            if (n < 0) {
                throw new IOException(path + ": unexpected end of image");
            }
            pos += n;
        }
    }

    /** Writes {@code len} bytes of {@code src[off..]} starting at sector {@code sector}. */
    public void write(long sector, byte[] src, int off, int len) throws IOException {
        if (readOnly) {
            throw new IOException(path + " is read-only");
        }
        ByteBuffer buf = ByteBuffer.wrap(src, off, len);
        long pos = sector * SECTOR_SIZE;
        while (buf.hasRemaining()) {
            pos += channel.write(buf, pos);
        }
    }

    /** Forces every write so far to the storage device. */
    public void flush() throws IOException {
        if (!readOnly) {
            channel.force(false);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
