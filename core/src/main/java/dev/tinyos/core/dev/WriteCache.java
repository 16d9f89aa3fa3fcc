package dev.tinyos.core.dev;

import dev.tinyos.core.state.Saveable;
import dev.tinyos.core.state.StateFormatException;
import dev.tinyos.core.state.StateReader;
import dev.tinyos.core.state.StateWriter;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The volatile write cache of the emulated drive: 512-byte sectors the device has completed
 * writing but not yet written back to the {@link BlockBackend} image. It is what makes a power
 * cut lose data the way a real disk with a write cache does (see docs/disk-model.md).
 *
 * <ul>
 *   <li>{@link #write} puts sectors into the cache; reads go through it ({@link #read} overlays
 *       cached sectors on the image), so the guest always reads its own writes.</li>
 *   <li>{@link #flush} writes every cached sector back to the image in sector order and forces
 *       the image to the host's storage (FileChannel.force); the cache is then empty.</li>
 *   <li>{@link #drop} forgets every cached sector without writing it: a power cut.</li>
 *   <li>The cache holds at most {@link #capacitySectors()} sectors (default
 *       {@value #DEFAULT_CAPACITY_MIB} MiB). When a write would exceed that, the sectors written
 *       longest ago are written back to the image (not forced) first: "older writes may reach
 *       the disk before a flush".</li>
 * </ul>
 *
 * <p>Invariant: the bytes the guest sees at sector {@code s} are {@code cache[s]} if cached,
 * otherwise the image's; the cache never holds more than its capacity; iteration order (and so
 * the order of write-back) is a pure function of the sequence of calls — no host state, no
 * clock. Used only on the machine thread.
 */
public final class WriteCache implements Saveable {
    public static final int DEFAULT_CAPACITY_MIB = 16;
    private static final int SECTOR = BlockBackend.SECTOR_SIZE;

    private final BlockBackend backend;
    private final int capacitySectors;
    /** Cached sectors, least recently written first. */
    private final LinkedHashMap<Long, byte[]> sectors = new LinkedHashMap<>();
    /** True when the image was written since the last force. */
    private boolean unforced;
    private long writtenBack;

    /** A cache of {@value #DEFAULT_CAPACITY_MIB} MiB over {@code backend}. */
    public WriteCache(BlockBackend backend) {
        this(backend, DEFAULT_CAPACITY_MIB << 20 >> 9);
    }

    /** A cache of {@code capacitySectors} sectors (at least 1) over {@code backend}. */
    public WriteCache(BlockBackend backend, int capacitySectors) {
        if (capacitySectors < 1) {
            throw new IllegalArgumentException("write cache needs room for at least one sector");
        }
        this.backend = backend;
        this.capacitySectors = capacitySectors;
    }

    /** The cached sectors in write order, their bytes, and the counters. */
    @Override
    public void save(StateWriter w) {
        long[] keys = new long[sectors.size()];
        byte[] bytes = new byte[keys.length * SECTOR];
        int i = 0;
        for (Map.Entry<Long, byte[]> e : sectors.entrySet()) {
            keys[i] = e.getKey();
            System.arraycopy(e.getValue(), 0, bytes, i * SECTOR, SECTOR);
            i++;
        }
        w.writeLongs(keys);
        w.writeBytes(bytes);
        w.writeBoolean(unforced);
        w.writeLong(writtenBack);
    }

    @Override
    public void restore(StateReader r) {
        long[] keys = r.readLongs();
        byte[] bytes = r.readBytes();
        if (keys == null || bytes == null || bytes.length != (long) keys.length * SECTOR || keys.length > capacitySectors) {
            throw new StateFormatException("the disk's write cache does not hold whole sectors within its capacity");
        }
        sectors.clear();
        for (int i = 0; i < keys.length; i++) {
            sectors.put(keys[i], Arrays.copyOfRange(bytes, i * SECTOR, (i + 1) * SECTOR));
        }
        unforced = r.readBoolean();
        writtenBack = r.readLong();
    }

    public BlockBackend backend() {
        return backend;
    }

    public int capacitySectors() {
        return capacitySectors;
    }

    /** Sectors written but not yet on the image (what a power cut would lose now). */
    public int dirtySectors() {
        return sectors.size();
    }

    /** Sectors written back early because the cache was full (since creation). */
    public long evictedSectors() {
        return writtenBack;
    }

    /**
     * Caches {@code len} bytes (a multiple of 512) of {@code src[off..]} as sectors starting at
     * {@code sector}, evicting the oldest sectors to the image if the cache overflows.
     */
    public void write(long sector, byte[] src, int off, int len) throws IOException {
        requireWhole(len);
        for (int i = 0; i < len / SECTOR; i++) {
            byte[] copy = Arrays.copyOfRange(src, off + i * SECTOR, off + (i + 1) * SECTOR);
            sectors.remove(sector + i); // re-inserting makes it the most recent write
            sectors.put(sector + i, copy);
        }
        while (sectors.size() > capacitySectors) {
            Iterator<Map.Entry<Long, byte[]>> oldest = sectors.entrySet().iterator();
            Map.Entry<Long, byte[]> e = oldest.next();
            backend.write(e.getKey(), e.getValue(), 0, SECTOR);
            unforced = true;
            writtenBack++;
            oldest.remove();
        }
    }

    /** Reads {@code len} bytes (a multiple of 512) from {@code sector} on: image plus cache. */
    public void read(long sector, byte[] dst, int off, int len) throws IOException {
        requireWhole(len);
        backend.read(sector, dst, off, len);
        if (sectors.isEmpty()) {
            return;
        }
        for (int i = 0; i < len / SECTOR; i++) {
            byte[] cached = sectors.get(sector + i);
            if (cached != null) {
                System.arraycopy(cached, 0, dst, off + i * SECTOR, SECTOR);
            }
        }
    }

    /**
     * Writes every cached sector to the image (in ascending sector order), forces the image to
     * storage if anything was written since the last force, and empties the cache.
     *
     * @return the number of sectors written back
     */
    public int flush() throws IOException {
        int n = sectors.size();
        if (n > 0) {
            long[] keys = new long[n];
            int i = 0;
            for (long s : sectors.keySet()) {
                keys[i++] = s;
            }
            Arrays.sort(keys);
            for (long s : keys) {
                backend.write(s, sectors.get(s), 0, SECTOR);
                sectors.remove(s); // a failed write leaves the rest cached
            }
            unforced = true;
        }
        if (unforced) {
            backend.flush();
            unforced = false;
        }
        return n;
    }

    /** Power cut: forgets every cached sector. Returns how many were lost. */
    public int drop() {
        int n = sectors.size();
        sectors.clear();
        return n;
    }

    private static void requireWhole(int len) {
        if (len < 0 || len % SECTOR != 0) {
            throw new IllegalArgumentException("cache access of " + len + " bytes is not whole sectors");
        }
    }
}
