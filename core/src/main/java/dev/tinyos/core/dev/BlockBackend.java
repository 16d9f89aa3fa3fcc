package dev.tinyos.core.dev;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A raw disk image file seen as an array of 512-byte sectors. Reads and writes happen on the
 * calling (machine) thread; {@link #flush} forces written data to the storage device (unless
 * the image was opened as a scratch file nobody keeps: then the file's contents are the same,
 * only the host's crash-safety is skipped, and an image up to 1 GiB is memory-mapped, so that
 * a request costs a memory copy instead of a system call). This is
 * the image itself, with no cache: the drive's volatile write cache in front of it is
 * {@link WriteCache} (see docs/disk-model.md). To run without touching a user's image, open a
 * copy, or open it read-only (the device then offers VIRTIO_BLK_F_RO and fails writes).
 *
 * <p>Invariant: {@link #sectors()} is fixed at open time (file length / 512, rounded down;
 * a trailing partial sector is not addressable); every access lies inside it.
 */
public final class BlockBackend implements Closeable {
    public static final int SECTOR_SIZE = 512;

    private final Path path;
    private final FileChannel channel;
    private final boolean readOnly;
    private final boolean durable;
    private final long sectors;
    /**
     * Largest scratch image that is memory-mapped: 1 GiB. The mapping (and so the deleted
     * scratch file's blocks) is released when the garbage collector frees it, so a JVM that
     * replays many traces in a row does not hold much more than this.
     */
    static final long MAX_MAPPED = 1L << 30;
    /** The whole image mapped into memory (a scratch image of at most {@link #MAX_MAPPED}), or null. */
    private final MappedByteBuffer map;

    private BlockBackend(Path path, FileChannel channel, boolean readOnly, boolean durable, long sectors)
            throws IOException {
        this.path = path;
        this.channel = channel;
        this.readOnly = readOnly;
        this.durable = durable;
        this.sectors = sectors;
        long bytes = sectors * SECTOR_SIZE;
        this.map = durable || bytes == 0 || bytes > MAX_MAPPED ? null
                : channel.map(readOnly ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE, 0, bytes);
    }

    /** Opens {@code image}; read-only if asked or if the file is not writable. */
    public static BlockBackend open(Path image, boolean readOnly) throws IOException {
        return open(image, readOnly, true);
    }

    /**
     * Opens {@code image}; read-only if asked or if the file is not writable; {@code durable}
     * false for a scratch file nobody keeps ({@link #flush} then does not force it).
     */
    public static BlockBackend open(Path image, boolean readOnly, boolean durable) throws IOException {
        boolean ro = readOnly || !image.toFile().canWrite();
        FileChannel ch = ro
                ? FileChannel.open(image, StandardOpenOption.READ)
                : FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            return new BlockBackend(image, ch, ro, durable, ch.size() / SECTOR_SIZE);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Creates a blank raw image of {@code bytes} bytes (a positive multiple of 512) at
     * {@code image}: all zeros and sparse where the file system allows (nothing is written but
     * the length). Refuses an existing file unless {@code overwrite}, and never replaces
     * anything but a regular file.
     *
     * @throws java.nio.file.FileAlreadyExistsException if the file exists and {@code overwrite} is false
     */
    public static void create(Path image, long bytes, boolean overwrite) throws IOException {
        if (bytes <= 0 || bytes % SECTOR_SIZE != 0) {
            throw new IllegalArgumentException("image size " + bytes
                    + " is not a positive multiple of " + SECTOR_SIZE);
        }
        if (overwrite && java.nio.file.Files.exists(image) && !java.nio.file.Files.isRegularFile(image)) {
            throw new IOException(image + " exists and is not a regular file");
        }
        StandardOpenOption how = overwrite ? StandardOpenOption.CREATE : StandardOpenOption.CREATE_NEW;
        try (FileChannel ch = FileChannel.open(image, how, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SPARSE)) {
            ch.write(ByteBuffer.allocate(1), bytes - 1); // sets the length; the rest is a hole
        }
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
        if (map != null) {
            map.get((int) (sector * SECTOR_SIZE), dst, off, len);
            return;
        }
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
        if (map != null) {
            map.put((int) (sector * SECTOR_SIZE), src, off, len);
            return;
        }
        ByteBuffer buf = ByteBuffer.wrap(src, off, len);
        long pos = sector * SECTOR_SIZE;
        try {
            while (buf.hasRemaining()) {
                pos += channel.write(buf, pos);
            }
        } catch (IOException e) {
            if (hostFull(e)) {
                throw new HostDiskFullException(path + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /** True if {@code e} is the host's file system being full (ENOSPC, EDQUOT). */
    static boolean hostFull(IOException e) {
        String m = e.getMessage();
        return m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"));
    }

    /** Forces every write so far to the storage device (not for a scratch file). */
    public void flush() throws IOException {
        if (!readOnly && durable) {
            try {
                channel.force(false);
            } catch (IOException e) {
                if (hostFull(e)) {
                throw new HostDiskFullException(path + ": " + e.getMessage(), e);
            }
            throw e;
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
