package dev.tinyos.core.cpu;

import dev.tinyos.core.Bus;
import dev.tinyos.core.Device;

import java.util.ArrayList;
import java.util.List;

/**
 * A hart on 4 MiB of RAM at 0x8000_0000 plus a recording test device at {@link #DEV}, for unit
 * tests. Programs are poked into RAM as instruction words and run for a given number of steps.
 *
 * <p>Invariant: the device answers loads with {@code 0x1122334455667788 >>> offset*8} masked to
 * the size and records every store as "offset:size:value"; mtime is {@link #mtime}.
 */
final class HartFixture {
    static final long RAM = 0x8000_0000L;
    static final long DEV = 0x1000_0000L;

    final Ram ram = new Ram(RAM, 4 << 20);
    final Bus bus = new Bus(ram);
    final List<String> deviceStores = new ArrayList<>();
    long mtime = 1234;
    final Hart hart;

    HartFixture() {
        bus.map("testdev", DEV, new Device() {
            @Override public long size() { return 0x1000; }
            @Override public long load(long offset, int size) {
                long v = 0x1122334455667788L >>> (offset * 8);
                return size == 8 ? v : v & ((1L << (8 * size)) - 1);
            }
            @Override public void store(long offset, int size, long value) {
                deviceStores.add(offset + ":" + size + ":" + Long.toHexString(value));
            }
        });
        hart = new Hart(bus, () -> mtime);
        hart.reset(RAM);
        // open all of memory to S and U through PMP entry 0 (NAPOT over everything, RWX), as
        // firmware does: with no entry matching, S/U accesses fail
        hart.writeCsr(Csr.PMPADDR0, -1L >>> 10);
        hart.writeCsr(Csr.PMPCFG0, 0x1f);
    }

    /** Writes 32-bit instruction words starting at {@code addr}. */
    HartFixture put(long addr, int... words) {
        for (int k = 0; k < words.length; k++) ram.store32((int) (addr - RAM) + 4 * k, words[k]);
        return this;
    }

    /** Writes 16-bit parcels starting at {@code addr}. */
    HartFixture put16(long addr, int... halves) {
        for (int k = 0; k < halves.length; k++) ram.store16((int) (addr - RAM) + 2 * k, halves[k]);
        return this;
    }

    long load64(long addr) { return ram.load64((int) (addr - RAM)); }
    void store64(long addr, long v) { ram.store64((int) (addr - RAM), v); }

    /** Runs exactly {@code steps} steps, across slice ends (fails if the hart goes idle). */
    void steps(long steps) {
        long done = 0;
        int guard = 0;
        while (done < steps) {
            long n = hart.run(steps - done);
            done += n;
            if (n == 0 && ++guard > 1000) throw new AssertionError("hart makes no progress at pc " + Long.toHexString(hart.pc));
            bus.clearDeviceTouched();
        }
    }

    long x(int r) { return hart.x[r]; }
    long csr(int c) { return hart.readCsr(c); }
}
