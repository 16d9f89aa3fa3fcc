package dev.tinyos.core;

/**
 * A memory-mapped device as the bus sees it: a window of {@code size()} bytes answering
 * loads and stores at offsets relative to its base address.
 *
 * <p>Invariant: a device is only ever called on the machine's thread, at an instruction
 * boundary or from inside the instruction that accesses it; it never reads the host clock,
 * never starts threads and never touches guest RAM except through {@link dev.tinyos.core.cpu.Ram} at those
 * deterministic moments. Sizes are 1, 2, 4 or 8 bytes; {@code offset + size <= size()}.
 */
public interface Device {

    /** Number of bytes of physical address space this device decodes. */
    long size();

    /**
     * Reads {@code size} bytes at {@code offset}; returns the value zero-extended.
     *
     * @throws BusFault if the device refuses the access (the hart raises an access fault)
     */
    long load(long offset, int size);

    /**
     * Writes the low {@code size} bytes of {@code value} at {@code offset}.
     *
     * @throws BusFault if the device refuses the access (the hart raises an access fault)
     */
    void store(long offset, int size, long value);
}
