package dev.tinyos.core;

import dev.tinyos.core.cpu.Ram;
import java.util.ArrayList;
import java.util.List;

/**
 * The physical address space: RAM plus memory-mapped devices at fixed address ranges.
 *
 * <p>Invariant: ranges never overlap; RAM is reached by the hart's fast path directly and by
 * everything else through {@link #load}/{@link #store}. An address that maps to nothing raises
 * {@link BusFault}. Each device access sets {@link #deviceTouched()}, which the hart uses to end
 * its slice so the machine re-evaluates interrupts and halt requests at the next boundary.
 */
public final class Bus {
    private final Ram ram;
    private long[] bases = new long[0];
    private long[] limits = new long[0];
    private Device[] devices = new Device[0];
    private final List<String> names = new ArrayList<>();

    /** Set whenever a device (not RAM) was loaded from or stored to; cleared by the machine. */
    private boolean deviceTouched;

    public Bus(Ram ram) {
        this.ram = ram;
    }

    /** True if a device (not RAM) was loaded from or stored to since {@link #clearDeviceTouched}. */
    public boolean deviceTouched() {
        return deviceTouched;
    }

    /** Forgets earlier device accesses: the machine calls it before each slice (and so do hart tests). */
    public void clearDeviceTouched() {
        deviceTouched = false;
    }

    public Ram ram() {
        return ram;
    }

    /** Maps {@code device} at {@code base}; throws if the range overlaps RAM or another device. */
    public void map(String name, long base, Device device) {
        long limit = base + device.size();
        if (overlaps(base, limit, ram.base, ram.base + ram.size)) {
            throw new IllegalArgumentException(name + " overlaps RAM");
        }
        for (int i = 0; i < devices.length; i++) {
            if (overlaps(base, limit, bases[i], limits[i])) {
                throw new IllegalArgumentException(name + " overlaps " + names.get(i));
            }
        }
        int n = devices.length;
        bases = java.util.Arrays.copyOf(bases, n + 1);
        limits = java.util.Arrays.copyOf(limits, n + 1);
        devices = java.util.Arrays.copyOf(devices, n + 1);
        bases[n] = base;
        limits[n] = limit;
        devices[n] = device;
        names.add(name);
    }

    private static boolean overlaps(long a0, long a1, long b0, long b1) {
        return a0 < b1 && b0 < a1;
    }

    /** Loads {@code size} bytes at physical address {@code paddr}, zero-extended. */
    public long load(long paddr, int size) {
        if (ram.contains(paddr, size)) {
            return ram.load((int) (paddr - ram.base), size);
        }
        for (int i = 0; i < devices.length; i++) {
            if (paddr >= bases[i] && paddr + size <= limits[i]) {
                deviceTouched = true;
                return devices[i].load(paddr - bases[i], size);
            }
        }
        throw BusFault.INSTANCE;
    }

    /** Stores the low {@code size} bytes of {@code value} at physical address {@code paddr}. */
    public void store(long paddr, int size, long value) {
        if (ram.contains(paddr, size)) {
            int off = (int) (paddr - ram.base);
            ram.store(off, size, value);
            return;
        }
        for (int i = 0; i < devices.length; i++) {
            if (paddr >= bases[i] && paddr + size <= limits[i]) {
                deviceTouched = true;
                devices[i].store(paddr - bases[i], size, value);
                return;
            }
        }
        throw BusFault.INSTANCE;
    }

    /** True if {@code paddr} is in RAM (cacheable, executable memory). */
    public boolean isRam(long paddr, int size) {
        return ram.contains(paddr, size);
    }
}
