package dev.tinyos.core.cpu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Guest main memory: one little-endian byte array mapped at physical address {@link #base}.
 *
 * <p>Invariant: {@code data.length == size}; every access here is bounds-checked by the
 * caller (the hart's TLB or the bus) against {@code [base, base + size)}. Offsets are
 * {@code paddr - base}. Unaligned accesses are allowed at this level; alignment rules are
 * the hart's business.
 *
 * <p>Dirty tracking: invariant, a page's dirty bit is set, and the {@link WriteListener} (if
 * any) told, <em>before</em> any byte of the page changes. The {@code store*}, {@link #write}
 * and {@link #zero} methods do it themselves; code writing {@link #data} directly calls
 * {@link #markDirty(int, int)} first, and the hart keeps a store translation (writing
 * {@link #data} directly) only for a page it has just written through {@code store*} (so
 * {@link #takeDirtyPages} must be paired with dropping those translations). A listener may therefore read a clean page's bytes from
 * another thread until it is told of the page's first write.
 *
 * <p>Code tracking for the hart's decoded-block cache: {@link #markCode} records which 64-byte
 * lines of a page hold instructions the hart has decoded. Every write made through this class
 * ({@code store*}, {@link #write}, {@link #zero}, and {@link #markDirty(int, int)} for writes
 * made straight into {@link #data}) that overlaps such a line increments the page's {@link #codeGen} and
 * forgets the page's code lines, so a cached block whose recorded generation differs is stale.
 * Invariant: a page whose code lines are nonzero is never written except through this class
 * (the hart keeps no fast store translation for it).
 *
 * <p>Page-table tracking, for the hart's translations kept across address-space switches:
 * {@link #markTable} records a page the page-table walk read a PTE from; the first write made
 * through this class to such a page (other than the walk's own A/D update,
 * {@link #storeTableEntry}) forgets the mark and increments {@link #tableEpoch}, so a
 * translation made at an earlier epoch may be stale, and one made at the current epoch is
 * exactly what a new walk would give. Invariant: a marked page, like a code page, is never
 * written except through this class.
 */
public final class Ram {
    public static final int PAGE_SHIFT = 12;

    private static final VarHandle I16 =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Physical address of byte 0. */
    public final long base;
    /** Size in bytes. */
    public final int size;
    /**
     * The bytes themselves; the hart's engine (this package) reads and writes this array
     * directly on its fast path. Others read RAM through the methods here, observers through
     * {@code MachineView}.
     */
    final byte[] data;
    /** One bit per 4 KiB page, set when the page may have been written since the last clear. */
    private final long[] dirty;
    /**
     * Pages written since the last {@link #takeCheckpointPages}, as far as {@link #takeDirtyPages}
     * already consumed their dirty bits (the rest are still in {@link #dirty}).
     */
    private final long[] sinceCheckpoint;
    /** The same since the last {@link #takeWrittenSinceRestore} (a restore that rewrites only what changed). */
    private final long[] sinceRestore;
    /** Per page: generation of its code, incremented by each write that hits a code line. */
    final int[] codeGen;
    /** Per page: bit i set if bytes [64i, 64i+64) hold instructions the hart has decoded. */
    private final long[] codeLines;
    /**
     * Incremented whenever any decoded code may have gone stale: by every {@link #codeGen}
     * increment here, and by the hart when its translations change or it evicts a cached
     * block. The hart's links between cached blocks are valid only within one epoch.
     */
    int codeEpoch = 1;
    /** One bit per page: a PTE was read from it by the walk since its last write ({@link #markTable}). */
    private final long[] tablePages;
    /** Incremented by each write to a page marked by {@link #markTable} (see the class comment). */
    private int tableEpoch;
    /** The one page whose stores end the hart's slice ({@link #watchStores}), or -1. */
    private int watchedPage = -1;

    public Ram(long base, int size) {
        this(base, size, byte[]::new);
    }

    /**
     * RAM of {@code size} bytes at {@code base} whose bytes are the array {@code storage}
     * gives for that size: a new one, all zero, used by nothing else
     * ({@link dev.tinyos.core.MachineConfig.Builder#ramStorage}).
     */
    public Ram(long base, int size, java.util.function.IntFunction<byte[]> storage) {
        if (size <= 0 || (size & ((1 << PAGE_SHIFT) - 1)) != 0) {
            throw new IllegalArgumentException("RAM size must be a positive multiple of 4 KiB: " + size);
        }
        this.base = base;
        this.size = size;
        this.data = storage.apply(size);
        if (data.length != size) {
            throw new IllegalStateException("RAM storage of " + data.length + " bytes, not " + size);
        }
        this.dirty = new long[((size >>> PAGE_SHIFT) + 63) >>> 6];
        this.sinceCheckpoint = new long[dirty.length];
        this.sinceRestore = new long[dirty.length];
        this.codeGen = new int[size >>> PAGE_SHIFT];
        this.codeLines = new long[size >>> PAGE_SHIFT];
        this.tablePages = new long[dirty.length];
    }

    /** True if {@code [paddr, paddr + len)} lies inside RAM. */
    public boolean contains(long paddr, int len) {
        long off = paddr - base;
        return off >= 0 && off <= (long) size - len;
    }

    public int load8(int off) { return data[off]; }
    public int load16(int off) { return (short) I16.get(data, off); }
    public int load32(int off) { return (int) I32.get(data, off); }
    public long load64(int off) { return (long) I64.get(data, off); }

    public void store8(int off, int v) { markDirty(off, 1); data[off] = (byte) v; }
    public void store16(int off, int v) { markDirty(off, 2); I16.set(data, off, (short) v); }
    public void store32(int off, int v) { markDirty(off, 4); I32.set(data, off, v); }
    public void store64(int off, long v) { markDirty(off, 8); I64.set(data, off, v); }

    /** Loads {@code size} (1, 2, 4, 8) bytes at offset {@code off}, zero-extended. */
    public long load(int off, int size) {
        switch (size) {
            case 1: return data[off] & 0xFFL;
            case 2: return load16(off) & 0xFFFFL;
            case 4: return load32(off) & 0xFFFF_FFFFL;
            default: return load64(off);
        }
    }

    /** Stores the low {@code size} (1, 2, 4, 8) bytes of {@code v} at offset {@code off}. */
    public void store(int off, int size, long v) {
        switch (size) {
            case 1: store8(off, (int) v); break;
            case 2: store16(off, (int) v); break;
            case 4: store32(off, (int) v); break;
            default: store64(off, v); break;
        }
    }

    /**
     * Records that {@code [off, off + len)} (inside one page, len &gt; 0) holds decoded
     * instructions; returns true if the page held none before (it just became a code page).
     */
    public boolean markCode(int off, int len) {
        int page = off >>> PAGE_SHIFT;
        int lo = (off >>> 6) & 63, hi = ((off + len - 1) >>> 6) & 63;
        boolean fresh = codeLines[page] == 0;
        codeLines[page] |= (-1L >>> (63 - hi)) & (-1L << lo);
        return fresh;
    }

    /**
     * Makes every store to the page holding {@code off} end the hart's slice right after it
     * (the hart keeps no fast store translation for that page), so that the machine sees a
     * store to an HTIF {@code tohost} word at the next instruction boundary, as QEMU does.
     */
    public void watchStores(int off) {
        watchedPage = off >>> PAGE_SHIFT;
    }

    /** True if stores to the page holding {@code off} must end the slice ({@link #watchStores}). */
    public boolean isWatched(int off) {
        return off >>> PAGE_SHIFT == watchedPage;
    }

    /**
     * Records that the page-table walk read a PTE in the page holding {@code off}; returns true
     * if the page was not marked (the hart must then drop its fast store translations of it).
     */
    public boolean markTable(int off) {
        int page = off >>> PAGE_SHIFT;
        long bit = 1L << page;
        if ((tablePages[page >>> 6] & bit) != 0) return false;
        tablePages[page >>> 6] |= bit;
        return true;
    }

    /** The page-table epoch ({@link #markTable}): changes whenever a marked page is written. */
    public int tableEpoch() {
        return tableEpoch;
    }

    /**
     * True if stores to the page holding {@code off} must go through this class: it holds
     * decoded code or a PTE the walk read.
     */
    public boolean storesTracked(int off) {
        int page = off >>> PAGE_SHIFT;
        return codeLines[page] != 0 || (tablePages[page >>> 6] & (1L << page)) != 0;
    }

    /**
     * The walk's A/D update of the PTE at {@code off}: marks the page dirty and bumps code
     * generations like any store, but keeps the page's table mark and the epoch (translations
     * made before it stay exact: the walk sets A/D only in the PTE it then uses).
     */
    public void storeTableEntry(int off, long pte) {
        codeWritten(off, 8);
        markDirty(off);
        I64.set(data, off, pte);
    }

    /** True if the page holding offset {@code off} holds decoded instructions. */
    public boolean isCode(int off) {
        return codeLines[off >>> PAGE_SHIFT] != 0;
    }

    /** A write to {@code [off, off + len)}: bumps the generation of each code page it hits. */
    private void codeWritten(int off, int len) {
        int first = off >>> PAGE_SHIFT, last = (off + len - 1) >>> PAGE_SHIFT;
        for (int p = first; p <= last; p++) {
            long lines = codeLines[p];
            if (lines == 0) continue;
            int lo = p == first ? (off >>> 6) & 63 : 0;
            int hi = p == last ? ((off + len - 1) >>> 6) & 63 : 63;
            if ((lines & (-1L >>> (63 - hi)) & (-1L << lo)) != 0) {
                codeLines[p] = 0;
                codeGen[p]++;
                codeEpoch++;
            }
        }
    }

    /** A write to {@code [off, off + len)}: forgets the table mark of each page it hits, and bumps the epoch if any. */
    private void tableWritten(int off, int len) {
        for (int p = off >>> PAGE_SHIFT, last = (off + len - 1) >>> PAGE_SHIFT; p <= last; p++) {
            long bit = 1L << p;
            if ((tablePages[p >>> 6] & bit) != 0) {
                tablePages[p >>> 6] &= ~bit;
                tableEpoch++;
            }
        }
    }

    /**
     * Told before the first write to a page whose dirty bit is clear (see the class invariant),
     * on the thread that is about to write; the write waits until it returns.
     */
    public interface WriteListener {
        void beforeFirstWrite(int page);
    }

    private WriteListener listener;

    /** Installs (or with null removes) the one listener for first writes to clean pages. */
    public void setWriteListener(WriteListener l) {
        this.listener = l;
    }

    /** Records that the page holding offset {@code off} is about to be (or may be) written. */
    public void markDirty(int off) {
        int page = off >>> PAGE_SHIFT;
        long bit = 1L << page;
        if ((dirty[page >>> 6] & bit) == 0) {
            dirty[page >>> 6] |= bit;
            if (listener != null) {
                listener.beforeFirstWrite(page);
            }
        }
    }

    /**
     * Records that every page overlapping {@code [off, off + len)} is about to be written, and
     * bumps the code generations the write hits: call it before writing {@link #data} directly.
     */
    public void markDirty(int off, int len) {
        if (len <= 0) return;
        codeWritten(off, len);
        tableWritten(off, len);
        for (int p = off >>> PAGE_SHIFT, last = (off + len - 1) >>> PAGE_SHIFT; p <= last; p++) {
            markDirty(p << PAGE_SHIFT);
        }
    }

    /** True if the page holding offset {@code off} is marked dirty. */
    public boolean isDirty(int off) {
        int page = off >>> PAGE_SHIFT;
        return (dirty[page >>> 6] & (1L << page)) != 0;
    }

    /** Clears every dirty bit. The hart must drop its write translations at the same time. */
    public void clearDirty() {
        java.util.Arrays.fill(dirty, 0L);
    }

    /**
     * The indices of the dirty pages in ascending order; clears every dirty bit. The hart must
     * drop its write translations at the same time ({@code Machine.takeDirtyPages} does both).
     */
    public int[] takeDirtyPages() {
        int n = 0;
        for (long w : dirty) {
            n += Long.bitCount(w);
        }
        int[] pages = new int[n];
        int i = 0;
        for (int w = 0; w < dirty.length; w++) {
            for (long bits = dirty[w]; bits != 0; bits &= bits - 1) {
                pages[i++] = (w << 6) + Long.numberOfTrailingZeros(bits);
            }
            sinceCheckpoint[w] |= dirty[w];
            sinceRestore[w] |= dirty[w];
        }
        clearDirty();
        return pages;
    }

    /**
     * The pages written since the previous call (or power-on, or {@link #restoreDirty}),
     * ascending, for an incremental checkpoint. Leaves the dirty bits of {@link #takeDirtyPages}
     * alone: a page still dirty for it stays in the next checkpoint's set too.
     */
    public int[] takeCheckpointPages() {
        return takeWithDirty(sinceCheckpoint);
    }

    /**
     * Every page that may have been written since the previous call (a superset: the pages
     * dirty now, and those a {@link #takeDirtyPages} took since), ascending; starts a new period.
     * A restore of the checkpoint restored last rewrites only these.
     */
    public int[] takeWrittenSinceRestore() {
        return takeWithDirty(sinceRestore);
    }

    /** The pages set in {@code since} or dirty now, ascending; clears {@code since}. */
    private int[] takeWithDirty(long[] since) {
        int n = 0;
        for (int w = 0; w < dirty.length; w++) {
            n += Long.bitCount(dirty[w] | since[w]);
        }
        int[] pages = new int[n];
        int i = 0;
        for (int w = 0; w < dirty.length; w++) {
            for (long bits = dirty[w] | since[w]; bits != 0; bits &= bits - 1) {
                pages[i++] = (w << 6) + Long.numberOfTrailingZeros(bits);
            }
            since[w] = 0;
        }
        return pages;
    }

    /** The dirty bits of {@link #takeDirtyPages} (a copy), for a checkpoint. */
    public long[] dirtyBits() {
        return dirty.clone();
    }

    /**
     * Restores the dirty bits a checkpoint saved ({@link #dirtyBits}) and marks every page as
     * written since the last checkpoint (the next checkpoint after a restore is a full one).
     * The hart must drop its store translations at the same time.
     */
    public void restoreDirty(long[] bits) {
        if (bits.length != dirty.length) {
            throw new dev.tinyos.core.state.StateFormatException("the RAM dirty map has " + bits.length
                    + " words, not " + dirty.length + " (another RAM size)");
        }
        System.arraycopy(bits, 0, dirty, 0, bits.length);
        java.util.Arrays.fill(sinceCheckpoint, -1L);
        int pages = size >>> PAGE_SHIFT;
        if ((pages & 63) != 0) {
            sinceCheckpoint[sinceCheckpoint.length - 1] = (1L << (pages & 63)) - 1;
        }
    }

    /**
     * Copies {@code src[srcOff..]} into page {@code page} without marking anything (a restore:
     * the caller then restores the dirty bits and drops every decoded block).
     */
    public void restorePage(int page, byte[] src, int srcOff) {
        System.arraycopy(src, srcOff, data, page << PAGE_SHIFT, 1 << PAGE_SHIFT);
    }

    /** Zeroes page {@code page} without marking anything (a restore). */
    public void restoreZeroPage(int page) {
        java.util.Arrays.fill(data, page << PAGE_SHIFT, (page + 1) << PAGE_SHIFT, (byte) 0);
    }

    /**
     * Forgets which lines hold decoded code, as after RAM was rewritten by a restore: every
     * generation is bumped so no cached block can match, and the epoch ends every link.
     */
    public void forgetCode() {
        java.util.Arrays.fill(codeLines, 0L);
        java.util.Arrays.fill(tablePages, 0L); // and which held PTEs: no kept translation survives
        tableEpoch++;
        for (int p = 0; p < codeGen.length; p++) {
            codeGen[p]++;
        }
        codeEpoch++;
    }

    /**
     * The sum and the xor of the 64-bit little-endian words of page {@code page}, into
     * {@code sum[slot]} and {@code xor[slot]}: two reductions HotSpot vectorizes, so this runs
     * at memory speed (replay's page digest, {@code PageHasher}: boot dirties all of RAM once).
     * Any single changed word changes the sum; reordered words within a page are not detected.
     * It may run on another thread while the machine runs, for a page nothing writes meanwhile.
     */
    public void sumAndXorOfPage(int page, long[] sum, long[] xor, int slot) {
        long s = 0, x = 0;
        for (int i = page << PAGE_SHIFT, end = i + (1 << PAGE_SHIFT); i < end; i += 8) {
            long v = (long) I64.get(data, i);
            s += v;
            x ^= v;
        }
        sum[slot] = s;
        xor[slot] = x;
    }

    /** True if every byte of page {@code page} is zero. */
    public boolean isZeroPage(int page) {
        return isZeroPage(data, page << PAGE_SHIFT);
    }

    /** True if the 4 KiB of {@code b} at {@code off} are all zero (a page of RAM, or a copy of one). */
    public static boolean isZeroPage(byte[] b, int off) {
        for (int i = off, end = off + (1 << PAGE_SHIFT); i < end; i += 8) {
            if ((long) I64.get(b, i) != 0) return false;
        }
        return true;
    }

    /** Copies guest bytes out of RAM (device DMA read). */
    public void read(int off, byte[] dst, int dstOff, int len) {
        System.arraycopy(data, off, dst, dstOff, len);
    }

    /** Copies bytes into RAM (device DMA write) and marks the pages dirty. */
    public void write(int off, byte[] src, int srcOff, int len) {
        markDirty(off, len);
        System.arraycopy(src, srcOff, data, off, len);
    }

    /** Sets {@code [off, off + len)} to zero and marks the pages dirty. */
    public void zero(int off, int len) {
        markDirty(off, len);
        java.util.Arrays.fill(data, off, off + len, (byte) 0);
    }
}
