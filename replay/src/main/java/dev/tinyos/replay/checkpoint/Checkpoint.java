package dev.tinyos.replay.checkpoint;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.tinyos.core.Machine;
import dev.tinyos.core.cpu.Ram;
import dev.tinyos.core.dev.BlockBackend;
import dev.tinyos.replay.Replay;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.BitSet;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FastDecompressor;

/**
 * A checkpoint of a replay in memory: everything that determines the replay's future at
 * {@link #icount}. The machine's and the replay's state ({@link Replay#saveState}) as bytes; RAM
 * as LZ4-compressed pages, either every nonzero page (a full checkpoint, {@link #base} null) or
 * the pages written since the checkpoint {@link #base} (an increment over it); the disk image
 * likewise: every sector written since the replay began (full) or since the base (increment),
 * with its bytes.
 *
 * <p>Invariant: restoring this checkpoint into the replay it was taken from ({@link #restore})
 * makes every later instruction, event and digest equal the straight replay's; an increment's
 * base chain ends at a full checkpoint of the same replay, and holds for every page its newest
 * version up to this checkpoint. What it restores never changes; how it holds it does once, when
 * thinning drops its base and folds the base's pages into it ({@link #absorbBase}).
 */
public final class Checkpoint {
    static final int PAGE = 1 << Ram.PAGE_SHIFT;
    private static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();

    final long icount;
    final byte[] state;
    Checkpoint base;
    int[] pages;
    byte[] pageData;
    int pageBytes;
    long[] sectors;
    byte[] sectorData;

    Checkpoint(long icount, byte[] state, Checkpoint base, int[] pages, byte[] pageData, int pageBytes,
               long[] sectors, byte[] sectorData) {
        this.icount = icount;
        this.state = state;
        this.base = base;
        this.pages = pages;
        this.pageData = pageData;
        this.pageBytes = pageBytes;
        this.sectors = sectors;
        this.sectorData = sectorData;
    }

    /** The icount this checkpoint restores. */
    public long icount() {
        return icount;
    }

    /** True if this checkpoint holds all of RAM (no base). */
    public boolean full() {
        return base == null;
    }

    /** Bytes this checkpoint holds itself (not its base's). */
    public long bytes() {
        return state.length + pageData.length + sectorData.length + 4L * pages.length + 8L * sectors.length;
    }

    /**
     * Takes a checkpoint of {@code replay} now, at an instruction boundary: a full one if
     * {@code previous} is null, else an increment over {@code previous}, which must be the last
     * checkpoint taken of this replay since it last restored one (or null).
     */
    public static Checkpoint take(Replay replay, Checkpoint previous) {
        Machine m = replay.machine();
        Output out = new Output(4096, -1);
        replay.saveState(new KryoStateWriter(out));
        Ram ram = m.ram();
        int[] changed = ram.takeCheckpointPages();
        int[] pages = previous == null ? nonzeroPages(ram) : changed;
        byte[] raw = new byte[pages.length * PAGE];
        for (int i = 0; i < pages.length; i++) {
            ram.read(pages[i] << Ram.PAGE_SHIFT, raw, i * PAGE, PAGE);
        }
        LZ4Compressor c = LZ4.fastCompressor();
        byte[] packed = new byte[c.maxCompressedLength(raw.length)];
        int n = c.compress(raw, 0, raw.length, packed, 0, packed.length);
        byte[] pageData = java.util.Arrays.copyOf(packed, n);
        long[] sectors = new long[0];
        byte[] sectorData = new byte[0];
        if (m.block() != null) {
            BlockBackend disk = m.block().cache().backend();
            long[] sinceLast = disk.takeSectorsSinceCheckpoint();
            sectors = previous == null ? disk.writtenSectors() : sinceLast;
            sectorData = readSectors(disk, sectors);
        }
        return new Checkpoint(m.view().icount(), out.toBytes(), previous, pages, pageData, raw.length, sectors,
                sectorData);
    }

    /**
     * Folds this increment's base into it, so the base can be dropped: afterwards this holds every
     * page and sector of the base it did not hold itself (its own, newer, versions win), and its
     * base is the base's base. It restores exactly the same state as before.
     */
    void absorbBase() {
        Checkpoint b = base;
        if (b == null) {
            return;
        }
        java.util.TreeMap<Integer, byte[]> merged = new java.util.TreeMap<>();
        byte[] mine = rawPages();
        for (int i = 0; i < pages.length; i++) {
            merged.put(pages[i], java.util.Arrays.copyOfRange(mine, i * PAGE, (i + 1) * PAGE));
        }
        if (!Checkpoints.plantedLoseDroppedPages) {
            byte[] theirs = b.rawPages();
            for (int i = 0; i < b.pages.length; i++) {
                merged.putIfAbsent(b.pages[i], java.util.Arrays.copyOfRange(theirs, i * PAGE, (i + 1) * PAGE));
            }
        }
        int[] p = new int[merged.size()];
        byte[] raw = new byte[p.length * PAGE];
        int n = 0;
        for (var e : merged.entrySet()) {
            p[n] = e.getKey();
            System.arraycopy(e.getValue(), 0, raw, n * PAGE, PAGE);
            n++;
        }
        LZ4Compressor c = LZ4.fastCompressor();
        byte[] packed = new byte[c.maxCompressedLength(raw.length)];
        int len = c.compress(raw, 0, raw.length, packed, 0, packed.length);
        java.util.TreeMap<Long, byte[]> disk = new java.util.TreeMap<>();
        for (Checkpoint k : new Checkpoint[] {this, b}) {
            for (int i = 0; i < k.sectors.length; i++) {
                disk.putIfAbsent(k.sectors[i], java.util.Arrays.copyOfRange(k.sectorData, i * 512, (i + 1) * 512));
            }
        }
        long[] s = new long[disk.size()];
        byte[] sd = new byte[s.length * 512];
        n = 0;
        for (var e : disk.entrySet()) {
            s[n] = e.getKey();
            System.arraycopy(e.getValue(), 0, sd, n * 512, 512);
            n++;
        }
        this.pages = p;
        this.pageData = java.util.Arrays.copyOf(packed, len);
        this.pageBytes = raw.length;
        this.sectors = s;
        this.sectorData = sd;
        this.base = b.base;
    }

    /**
     * A full checkpoint uncompressed, as a file holds it: taken on the replay's thread in
     * {@link #capture} (copies only), so that compressing and writing it can happen on another.
     */
    record Capture(long icount, byte[] state, int[] pages, byte[] rawPages, long[] sectors, byte[] sectorData) {
    }

    /** Copies what a full checkpoint of {@code replay} holds, now, without compressing it. */
    static Capture capture(Replay replay) {
        Machine m = replay.machine();
        Output out = new Output(4096, -1);
        replay.saveState(new KryoStateWriter(out));
        Ram ram = m.ram();
        ram.takeCheckpointPages(); // keeps the in-memory increments' bookkeeping as a full checkpoint leaves it
        int[] pages = nonzeroPages(ram);
        byte[] raw = new byte[pages.length * PAGE];
        for (int i = 0; i < pages.length; i++) {
            ram.read(pages[i] << Ram.PAGE_SHIFT, raw, i * PAGE, PAGE);
        }
        long[] sectors = new long[0];
        byte[] sectorData = new byte[0];
        if (m.block() != null) {
            BlockBackend disk = m.block().cache().backend();
            disk.takeSectorsSinceCheckpoint();
            sectors = disk.writtenSectors();
            sectorData = readSectors(disk, sectors);
        }
        return new Capture(m.view().icount(), out.toBytes(), pages, raw, sectors, sectorData);
    }

    /** A full checkpoint from uncompressed pages (as a file holds them). */
    static Checkpoint fromRaw(long icount, byte[] state, int[] pages, byte[] rawPages, long[] sectors,
                              byte[] sectorData) {
        LZ4Compressor c = LZ4.fastCompressor();
        byte[] packed = new byte[c.maxCompressedLength(rawPages.length)];
        int n = c.compress(rawPages, 0, rawPages.length, packed, 0, packed.length);
        return new Checkpoint(icount, state, null, pages, java.util.Arrays.copyOf(packed, n), rawPages.length, sectors,
                sectorData);
    }

    private static int[] nonzeroPages(Ram ram) {
        int count = ram.size >>> Ram.PAGE_SHIFT;
        int[] out = new int[count];
        int n = 0;
        for (int p = 0; p < count; p++) {
            if (!ram.isZeroPage(p)) {
                out[n++] = p;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** This checkpoint's own pages, uncompressed (in the order of {@link #pages}). */
    byte[] rawPages() {
        LZ4FastDecompressor d = LZ4.fastDecompressor();
        byte[] raw = new byte[pageBytes];
        d.decompress(pageData, 0, raw, 0, pageBytes);
        return raw;
    }

    /**
     * Puts {@code replay} (the one this checkpoint was taken of, or a fresh replay of the same
     * trace) back at this checkpoint: RAM, disk, machine and the replay's place in the log.
     */
    public void restore(Replay replay) {
        restore(replay, null);
    }

    /**
     * The pages of this checkpoint's chain, newest version of each ({@code pages[p]} null: zero),
     * so that restoring it again rewrites only the pages written since.
     */
    static final class Materialized {
        final Checkpoint of;
        final byte[][] pages;

        Materialized(Checkpoint of, byte[][] pages) {
            this.of = of;
            this.pages = pages;
        }
    }

    private Materialized materialize(int ramPages) {
        byte[][] newest = new byte[ramPages][];
        BitSet done = new BitSet(ramPages);
        for (Checkpoint c = this; c != null; c = c.base) {
            byte[] raw = c.rawPages();
            for (int i = 0; i < c.pages.length; i++) {
                int p = c.pages[i];
                if (!done.get(p)) {
                    done.set(p);
                    newest[p] = Ram.isZeroPage(raw, i * PAGE) ? null : java.util.Arrays.copyOfRange(raw, i * PAGE, (i + 1) * PAGE);
                }
            }
        }
        return new Materialized(this, newest);
    }

    /**
     * As {@link #restore(Replay)}; {@code again}, if it is this checkpoint's materialized form and
     * this checkpoint was the last one restored into {@code replay}, makes RAM cost only the
     * pages written since. Returns this checkpoint's materialized form for the next time.
     */
    Materialized restore(Replay replay, Materialized again) {
        Machine m = replay.machine();
        Ram ram = m.ram();
        int ramPages = ram.size >>> Ram.PAGE_SHIFT;
        int[] written = ram.takeWrittenSinceRestore();
        boolean quick = again != null && again.of == this;
        Materialized mat = quick ? again : materialize(ramPages);
        if (quick) {
            for (int p : written) {
                put(ram, p, mat.pages[p]);
            }
        } else {
            for (int p = 0; p < ramPages; p++) {
                put(ram, p, mat.pages[p]);
            }
        }
        if (m.block() != null) {
            try {
                long[][] s = new long[1][];
                byte[] data = chainSectors(s);
                m.block().cache().backend().restoreSectors(s[0], data);
            } catch (IOException e) {
                throw new UncheckedIOException("the replay's disk cannot be restored from a checkpoint", e);
            }
        }
        replay.restoreState(new KryoStateReader(new Input(state), Integer.MAX_VALUE));
        return mat;
    }

    /** The disk sectors of the whole chain, newest version of each: sectors into {@code out[0]}, bytes returned. */
    private byte[] chainSectors(long[][] out) {
        if (base == null) {
            out[0] = sectors;
            return sectorData;
        }
        java.util.TreeMap<Long, byte[]> newest = new java.util.TreeMap<>();
        for (Checkpoint c = this; c != null; c = c.base) {
            for (int i = 0; i < c.sectors.length; i++) {
                if (!newest.containsKey(c.sectors[i])) {
                    newest.put(c.sectors[i], java.util.Arrays.copyOfRange(c.sectorData, i * 512, (i + 1) * 512));
                }
            }
        }
        long[] s = new long[newest.size()];
        byte[] data = new byte[s.length * 512];
        int i = 0;
        for (var e : newest.entrySet()) {
            s[i] = e.getKey();
            System.arraycopy(e.getValue(), 0, data, i * 512, 512);
            i++;
        }
        out[0] = s;
        return data;
    }

    private static void put(Ram ram, int page, byte[] bytes) {
        if (bytes == null) {
            ram.restoreZeroPage(page);
        } else {
            ram.restorePage(page, bytes, 0);
        }
    }

    /** The same checkpoint with every page of its base chain folded in: a full one. */
    Checkpoint flattened(int ramPages) {
        if (base == null) {
            return this;
        }
        BitSet done = new BitSet(ramPages);
        byte[][] newest = new byte[ramPages][];
        for (Checkpoint c = this; c != null; c = c.base) {
            byte[] raw = c.rawPages();
            for (int i = 0; i < c.pages.length; i++) {
                int p = c.pages[i];
                if (!done.get(p)) {
                    done.set(p);
                    newest[p] = java.util.Arrays.copyOfRange(raw, i * PAGE, (i + 1) * PAGE);
                }
            }
        }
        int n = 0;
        int[] pages = new int[done.cardinality()];
        for (int p = done.nextSetBit(0); p >= 0; p = done.nextSetBit(p + 1)) {
            if (!Ram.isZeroPage(newest[p], 0)) {
                pages[n++] = p;
            }
        }
        pages = java.util.Arrays.copyOf(pages, n);
        byte[] raw = new byte[n * PAGE];
        for (int i = 0; i < n; i++) {
            System.arraycopy(newest[pages[i]], 0, raw, i * PAGE, PAGE);
        }
        LZ4Compressor c = LZ4.fastCompressor();
        byte[] packed = new byte[c.maxCompressedLength(raw.length)];
        int len = c.compress(raw, 0, raw.length, packed, 0, packed.length);
        long[][] s = new long[1][];
        byte[] data = chainSectors(s);
        return new Checkpoint(icount, state, null, pages, java.util.Arrays.copyOf(packed, len), raw.length, s[0], data);
    }

    /** The bytes of {@code sectors} of the replay's disk, one sector after another. */
    private static byte[] readSectors(BlockBackend disk, long[] sectors) {
        byte[] data = new byte[sectors.length * BlockBackend.SECTOR_SIZE];
        try {
            for (int i = 0; i < sectors.length; i++) {
                disk.read(sectors[i], data, i * BlockBackend.SECTOR_SIZE, BlockBackend.SECTOR_SIZE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the replay's disk cannot be read for a checkpoint", e);
        }
        return data;
    }
}
