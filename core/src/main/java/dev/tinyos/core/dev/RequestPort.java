package dev.tinyos.core.dev;

/**
 * Where a device announces that it started an asynchronous request. The machine implements it
 * by stamping the hart's current icount and handing the request to the input source, which
 * alone decides when it completes (the replay boundary).
 *
 * <p>Invariant: called only on the machine thread from inside the MMIO access that started
 * the request; {@code (device, tag)} is unique for the life of the machine.
 */
public interface RequestPort {
    void requestStarted(int device, long tag);
}
