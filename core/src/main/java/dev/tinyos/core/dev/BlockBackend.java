package dev.tinyos.core.dev;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
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
 * <p>The image is locked while open, as QEMU locks its images: exclusively for a writer,
 * shared for a reader; a second writer is refused with {@link ImageInUseException}.
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

    private BlockBackend(Path path, FileChannel channel, boolean readOnly, boolean durable, long sectors,
                         boolean mapped) throws IOException {
        this.path = path;
        this.channel = channel;
        this.readOnly = readOnly;
        this.durable = durable;
        this.sectors = sectors;
        long bytes = sectors * SECTOR_SIZE;
        this.map = !mapped || bytes == 0 ? null
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
            lock(image, ch, ro);
            return new BlockBackend(image, ch, ro, durable, ch.size() / SECTOR_SIZE, mappable(image, ch, durable));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Locks the image as QEMU does: a writer exclusively, a reader shared, held until the
     * channel closes. Two writers (or a writer and a reader) on one image would corrupt each
     * other's view; the second one is refused instead.
     *
     * @throws ImageInUseException if another process (or another machine of this JVM) holds it
     */
    static void lock(Path image, FileChannel ch, boolean shared) throws IOException {
        FileLock l;
        try {
            l = ch.tryLock(0, Long.MAX_VALUE, shared);
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            throw new ImageInUseException(image + " is in use by another process (tinyos or QEMU holds a lock on it"
                    + (shared ? " for writing" : "") + ")");
        }
    }

    /**
     * True if a scratch image may be memory-mapped: not durable, at most {@link #MAX_MAPPED},
     * and its file system has room for all of it (a write to a mapped page the host cannot
     * allocate is a fault, not an error; unmapped, a full host disk is an I/O error).
     */
    private static boolean mappable(Path image, FileChannel ch, boolean durable) throws IOException {
        long bytes = ch.size();
        if (durable || bytes == 0 || bytes > MAX_MAPPED) {
            return false;
        }
        try {
            return java.nio.file.Files.getFileStore(image).getUsableSpace() > bytes;
        } catch (IOException e) {
            return false;
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

    /** Sectors written to the image since it was opened (a checkpoint saves their contents). */
    private final java.util.BitSet written = new java.util.BitSet();

    /** Original bytes of each sector before its first write, if {@link #keepOriginals} was called; else null. */
    private java.util.HashMap<Long, byte[]> originals;

    /**
     * From now on keeps each sector's bytes as they were before its first write, so that
     * {@link #restoreSectors} can put the image back as of any checkpoint. Call it before the
     * first write (a replay does, at open).
     */
    public void keepOriginals() {
        if (originals == null) {
            originals = new java.util.HashMap<>();
        }
    }

    /**
     * Makes the image hold exactly {@code data} (512 bytes each, in order) at {@code sectors}, and
     * its original bytes at every other sector written since it was opened: the image as it was
     * when a checkpoint listed {@code sectors}. Requires {@link #keepOriginals}.
     */
    public void restoreSectors(long[] sectors, byte[] data) throws IOException {
        if (originals == null) {
            throw new IllegalStateException("the image keeps no original sectors to restore from");
        }
        java.util.BitSet target = new java.util.BitSet();
        for (long s : sectors) {
            target.set((int) s);
        }
        for (long s : writtenSectors()) {
            if (!target.get((int) s)) {
                write(s, originals.get(s), 0, SECTOR_SIZE);
            }
        }
        for (int i = 0; i < sectors.length; i++) {
            write(sectors[i], data, i * SECTOR_SIZE, SECTOR_SIZE);
        }
    }

    /** Sectors written since the last {@link #takeSectorsSinceCheckpoint} (an incremental checkpoint). */
    private final java.util.BitSet sinceCheckpoint = new java.util.BitSet();

    /** The sectors written since the previous call (or the open), ascending; starts a new period. */
    public long[] takeSectorsSinceCheckpoint() {
        long[] s = sinceCheckpoint.stream().asLongStream().toArray();
        sinceCheckpoint.clear();
        return s;
    }

    /** The sectors written to the image since it was opened, ascending. */
    public long[] writtenSectors() {
        return written.stream().asLongStream().toArray();
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
        if (sector >= 0 && sector + len / SECTOR_SIZE <= Integer.MAX_VALUE) {
            int first = (int) sector, end = (int) (sector + (len + SECTOR_SIZE - 1) / SECTOR_SIZE);
            if (originals != null) {
                for (int s = written.nextClearBit(first); s < end; s = written.nextClearBit(s + 1)) {
                    byte[] old = new byte[SECTOR_SIZE];
                    read(s, old, 0, SECTOR_SIZE);
                    originals.put((long) s, old);
                }
            }
            written.set(first, end);
            sinceCheckpoint.set(first, end);
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
