package dev.tinyos.core.dev;

/**
 * The device-type half of a virtio device (block, ...), plugged into the {@link VirtioMmio}
 * transport that owns the registers, feature negotiation and the queues.
 *
 * <p>Invariant: called only on the machine thread; a device touches guest RAM only inside
 * {@link #queueNotify} and inside its own completion callbacks driven by the machine's input
 * source, never from a host thread.
 */
public interface VirtioDevice {

    /** Virtio device ID (2 = block). */
    int deviceId();

    /** Feature bits offered (including VIRTIO_F_VERSION_1, bit 32). */
    long features();

    /** Number of virtqueues. */
    int queueCount();

    /** Largest queue size the device supports. */
    int queueNumMax();

    /** Reads {@code size} bytes of device configuration space at {@code offset}. */
    long configLoad(int offset, int size);

    /** The transport this device is plugged into; called once before any other call. */
    void attach(VirtioMmio transport);

    /** The driver notified queue {@code queue} (which is ready and DRIVER_OK is set). */
    void queueNotify(int queue) throws VirtqueueError;

    /** The driver reset the device (Status = 0): forget in-flight requests. */
    void reset();
}
