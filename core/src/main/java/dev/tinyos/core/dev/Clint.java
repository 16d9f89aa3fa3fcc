package dev.tinyos.core.dev;

import dev.tinyos.core.Device;
import dev.tinyos.core.TimeSource;
import dev.tinyos.core.state.Saveable;
import dev.tinyos.core.state.StateReader;
import dev.tinyos.core.state.StateWriter;

/**
 * Core-local interruptor for one hart (SiFive CLINT layout as on QEMU {@code virt}):
 * {@code msip} at +0x0 (bit 0 only), {@code mtimecmp} at +0x4000 and {@code mtime} at +0xBFF8,
 * both 64-bit and also accessible as two 32-bit halves.
 *
 * <p>Invariant: {@code mtime()} is the platform time source's value plus {@link #mtimeOffset};
 * the time source is a pure function of the icount, so this is too. A guest write to mtime
 * does not touch the source: it changes the offset so that mtime reads back what was
 * written and keeps counting from there. {@code mtimecmp} resets to 0 as on QEMU 7.2, and
 * MTIP is simply {@link #timerPending()} (unsigned {@code mtime >= mtimecmp}), so MTIP is
 * pending from the first instruction - QEMU 7.2 shows {@code mip = 0x80} at reset too
 * (checked by guest/tests/board/reset.c on both).
 */
public final class Clint implements Device, Saveable {
    public static final long MSIP = 0x0;
    public static final long MTIMECMP = 0x4000;
    public static final long MTIME = 0xBFF8;

    private final TimeSource source;
    private long mtimeOffset;
    private long mtimecmp;
    private boolean msip;

    /** {@code source} answers the unadjusted platform mtime at the hart's current icount. */
    public Clint(TimeSource source) {
        this.source = source;
    }

    @Override
    public long size() {
        return 0x10000;
    }

    /** The guest-visible mtime now. */
    public long mtime() {
        return source.mtime() + mtimeOffset;
    }

    public long mtimecmp() {
        return mtimecmp;
    }

    /** Offset added to the time source's value by guest writes to mtime. */
    public long mtimeOffset() {
        return mtimeOffset;
    }

    /** True when the machine timer interrupt line (MTIP) is asserted. */
    public boolean timerPending() {
        return Long.compareUnsigned(mtime(), mtimecmp) >= 0;
    }

    /** True when the machine software interrupt line (MSIP) is asserted. */
    public boolean softwarePending() {
        return msip;
    }

    @Override
    public long load(long offset, int size) {
        if (offset >= MSIP && offset < MSIP + 4) {
            return slice(msip ? 1 : 0, offset - MSIP, size);
        }
        if (offset >= MTIMECMP && offset < MTIMECMP + 8) {
            return slice(mtimecmp, offset - MTIMECMP, size);
        }
        if (offset >= MTIME && offset < MTIME + 8) {
            return slice(mtime(), offset - MTIME, size);
        }
        return 0;
    }

    @Override
    public void store(long offset, int size, long value) {
        if (offset == MSIP) {
            msip = (value & 1) != 0;
        } else if (offset >= MTIMECMP && offset < MTIMECMP + 8) {
            mtimecmp = merge(mtimecmp, offset - MTIMECMP, size, value);
        } else if (offset >= MTIME && offset < MTIME + 8) {
            long wanted = merge(mtime(), offset - MTIME, size, value);
            mtimeOffset = wanted - source.mtime();
        }
    }

    @Override
    public void save(StateWriter w) {
        w.writeLong(mtimeOffset);
        w.writeLong(mtimecmp);
        w.writeBoolean(msip);
    }

    @Override
    public void restore(StateReader r) {
        mtimeOffset = r.readLong();
        mtimecmp = r.readLong();
        msip = r.readBoolean();
    }

    /** Restores the reset state: msip 0, mtimecmp 0, no mtime offset. */
    public void reset() {
        msip = false;
        mtimecmp = 0;
        mtimeOffset = 0;
    }

    /** The {@code size} bytes of {@code reg} starting at byte {@code at}, zero-extended. */
    static long slice(long reg, long at, int size) {
        long v = reg >>> (8 * at);
        return size >= 8 ? v : v & ((1L << (8 * size)) - 1);
    }

    /** {@code reg} with bytes {@code [at, at + size)} replaced by the low bytes of {@code value}. */
    static long merge(long reg, long at, int size, long value) {
        if (size + at > 8) {
            size = (int) (8 - at);
        }
        long mask = size >= 8 ? -1L : ((1L << (8 * size)) - 1);
        int shift = (int) (8 * at);
        return (reg & ~(mask << shift)) | ((value & mask) << shift);
    }
}
