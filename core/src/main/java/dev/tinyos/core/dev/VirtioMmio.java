package dev.tinyos.core.dev;

import dev.tinyos.core.Device;
import dev.tinyos.core.cpu.Ram;
import dev.tinyos.core.state.Saveable;
import dev.tinyos.core.state.StateReader;
import dev.tinyos.core.state.StateWriter;

/**
 * A virtio-mmio transport, version 2 ("modern", virtio 1.x section 4.2.2), as one of the eight
 * slots of QEMU {@code virt}. Without a device it answers MagicValue, Version 2 and VendorID
 * with DeviceID 0 and everything else 0, like an empty QEMU slot.
 *
 * <p>Invariants: registers are 32-bit (other widths read 0 / are ignored, as on QEMU); the
 * configuration space at +0x100 accepts any width. FEATURES_OK sticks only if the driver
 * accepted a subset of the offered features. VIRTIO_F_VERSION_1 is not required: the
 * specification lets a device refuse a driver without it ("MAY fail to operate further"), QEMU
 * accepts one, and so do we (drivers written for the legacy transport, such as xv6's, clear it;
 * the split virtqueue and the little-endian block requests are the same either way). Writing 0 to
 * Status resets the transport, its queues and the device. The interrupt line is high
 * exactly while InterruptStatus is nonzero. Queue notifications reach the device only for a
 * ready queue with DRIVER_OK set; a driver error sets DEVICE_NEEDS_RESET and raises a
 * configuration-change interrupt. {@link #lineUpdates()} counts the moments the transport
 * updates its interrupt line, as QEMU's does: a used-buffer or configuration-change
 * notification, an InterruptACK write and a reset.
 */
public final class VirtioMmio implements Device, Saveable {
    public static final int MAGIC = 0x74726976; // "virt"
    public static final int VERSION = 2;
    public static final int VENDOR_QEMU = 0x554D4551; // "QEMU"
    public static final long F_VERSION_1 = 1L << 32;

    public static final int STATUS_ACKNOWLEDGE = 1;
    public static final int STATUS_DRIVER = 2;
    public static final int STATUS_DRIVER_OK = 4;
    public static final int STATUS_FEATURES_OK = 8;
    public static final int STATUS_NEEDS_RESET = 64;
    public static final int STATUS_FAILED = 128;

    public static final int INT_USED_BUFFER = 1;
    public static final int INT_CONFIG_CHANGE = 2;

    private final Ram ram;
    private final VirtioDevice device;
    private final Virtqueue[] queues;

    private int deviceFeaturesSel;
    private int driverFeaturesSel;
    private long driverFeatures;
    private int queueSel;
    private int interruptStatus;
    private int status;
    private String lastError;
    private int lineUpdates;

    /** A transport over {@code ram}; {@code device == null} makes an empty slot. */
    public VirtioMmio(Ram ram, VirtioDevice device) {
        this.ram = ram;
        this.device = device;
        int n = device == null ? 0 : device.queueCount();
        this.queues = new Virtqueue[n];
        for (int i = 0; i < n; i++) {
            queues[i] = new Virtqueue(ram);
            queues[i].num = device.queueNumMax();
        }
        if (device != null) {
            device.attach(this);
        }
    }

    /** Registers, queues and (if any) the device's own state. */
    @Override
    public void save(StateWriter w) {
        w.writeInts(new int[] {deviceFeaturesSel, driverFeaturesSel, queueSel, interruptStatus, status, lineUpdates,
            queues.length});
        w.writeLong(driverFeatures);
        w.writeString(lastError);
        for (Virtqueue q : queues) {
            q.save(w);
        }
        if (device instanceof Saveable s) {
            s.save(w);
        }
    }

    @Override
    public void restore(StateReader r) {
        int[] v = new int[7];
        r.readIntsInto(v, "a virtio-mmio slot's registers");
        if (v[6] != queues.length) {
            throw new dev.tinyos.core.state.StateFormatException("a virtio slot has " + v[6] + " queues, not "
                    + queues.length + " (another disk configuration)");
        }
        deviceFeaturesSel = v[0]; driverFeaturesSel = v[1]; queueSel = v[2]; interruptStatus = v[3]; status = v[4];
        lineUpdates = v[5];
        driverFeatures = r.readLong();
        lastError = r.readString();
        for (Virtqueue q : queues) {
            q.restore(r);
        }
        if (device instanceof Saveable s) {
            s.restore(r);
        }
    }

    public Ram ram() {
        return ram;
    }

    public VirtioDevice device() {
        return device;
    }

    /** Queue {@code i} of this transport. */
    public Virtqueue queue(int i) {
        return queues[i];
    }

    /** How many times the transport has updated its interrupt line (wraps; compare for change). */
    public int lineUpdates() {
        return lineUpdates;
    }

    /** True while the interrupt line is asserted (InterruptStatus != 0). */
    public boolean interruptPending() {
        return interruptStatus != 0;
    }

    /** Called by the device after it pushed used buffers to queue {@code q}. */
    public void usedBuffer(Virtqueue q) throws VirtqueueError {
        if (!q.interruptSuppressed()) {
            interruptStatus |= INT_USED_BUFFER;
            lineUpdates++;
        }
    }

    /** Marks the device broken: DEVICE_NEEDS_RESET plus a configuration-change interrupt. */
    public void fail(VirtqueueError e) {
        lastError = e.getMessage();
        status |= STATUS_NEEDS_RESET;
        interruptStatus |= INT_CONFIG_CHANGE;
        lineUpdates++;
    }

    /** The last driver error that set DEVICE_NEEDS_RESET, or null (for diagnostics). */
    public String lastError() {
        return lastError;
    }

    /** Current Status register. */
    public int status() {
        return status;
    }

    @Override
    public long size() {
        return 0x1000;
    }

    @Override
    public long load(long offset, int size) {
        if (offset >= 0x100) {
            return device == null ? 0 : device.configLoad((int) offset - 0x100, size);
        }
        if (size != 4) {
            return 0;
        }
        return readRegister((int) offset) & 0xFFFF_FFFFL;
    }

    private int readRegister(int off) {
        switch (off) {
            case 0x000: return MAGIC;
            case 0x004: return VERSION;
            case 0x00c: return VENDOR_QEMU;
            default: break;
        }
        if (device == null) {
            return 0;
        }
        switch (off) {
            case 0x008: return device.deviceId();
            case 0x010: return deviceFeaturesSel > 1 ? 0 : (int) (device.features() >>> (32 * deviceFeaturesSel));
            case 0x034: return queueSel < queues.length ? device.queueNumMax() : 0;
            case 0x044: return queueSel < queues.length && queues[queueSel].ready ? 1 : 0;
            case 0x060: return interruptStatus;
            case 0x070: return status;
            case 0x0fc: return 0; // ConfigGeneration: the configuration never changes
            default: return 0;
        }
    }

    @Override
    public void store(long offset, int size, long value) {
        if (device == null || offset >= 0x100 || size != 4) {
            return; // the block configuration space is read-only
        }
        int v = (int) value;
        switch ((int) offset) {
            case 0x014: deviceFeaturesSel = v; break;
            case 0x020: writeDriverFeatures(v); break;
            case 0x024: driverFeaturesSel = v; break;
            case 0x030: queueSel = v; break;
            case 0x050: notifyQueue(v); break;
            case 0x064: interruptStatus &= ~v; lineUpdates++; break;
            case 0x070: writeStatus(v); break;
            default: writeQueueRegister((int) offset, v); break;
        }
    }

    private void writeDriverFeatures(int v) {
        if (driverFeaturesSel > 1 || (status & STATUS_FEATURES_OK) != 0) {
            return;
        }
        int shift = 32 * driverFeaturesSel;
        driverFeatures = (driverFeatures & ~(0xFFFF_FFFFL << shift)) | ((v & 0xFFFF_FFFFL) << shift);
    }

    private void writeStatus(int v) {
        if (v == 0) {
            reset();
            return;
        }
        if ((v & STATUS_FEATURES_OK) != 0 && (status & STATUS_FEATURES_OK) == 0 && !featuresAcceptable()) {
            v &= ~STATUS_FEATURES_OK;
        }
        status = v | (status & STATUS_NEEDS_RESET);
    }

    private boolean featuresAcceptable() {
        return (driverFeatures & ~device.features()) == 0;
    }

    /** The features both sides agreed on (valid once FEATURES_OK is set). */
    public long negotiatedFeatures() {
        return driverFeatures;
    }

    private void writeQueueRegister(int off, int v) {
        if (queueSel >= queues.length) {
            return;
        }
        Virtqueue q = queues[queueSel];
        long u = v & 0xFFFF_FFFFL;
        switch (off) {
            case 0x038:
                if (!q.ready && v > 0 && v <= device.queueNumMax()) {
                    q.num = v;
                }
                break;
            case 0x044:
                q.ready = (v & 1) != 0;
                break;
            case 0x080: q.desc = (q.desc & ~0xFFFF_FFFFL) | u; break;
            case 0x084: q.desc = (q.desc & 0xFFFF_FFFFL) | (u << 32); break;
            case 0x090: q.driver = (q.driver & ~0xFFFF_FFFFL) | u; break;
            case 0x094: q.driver = (q.driver & 0xFFFF_FFFFL) | (u << 32); break;
            case 0x0a0: q.device = (q.device & ~0xFFFF_FFFFL) | u; break;
            case 0x0a4: q.device = (q.device & 0xFFFF_FFFFL) | (u << 32); break;
            default: break;
        }
    }

    private void notifyQueue(int index) {
        if (index < 0 || index >= queues.length || !queues[index].ready || queues[index].num == 0
                || (status & STATUS_DRIVER_OK) == 0 || (status & STATUS_NEEDS_RESET) != 0) {
            return;
        }
        try {
            device.queueNotify(index);
        } catch (VirtqueueError e) {
            fail(e);
        }
    }

    /** Device reset: registers, queues and the device's in-flight requests are forgotten. */
    public void reset() {
        deviceFeaturesSel = 0;
        driverFeaturesSel = 0;
        driverFeatures = 0;
        queueSel = 0;
        interruptStatus = 0;
        status = 0;
        lineUpdates++;
        for (Virtqueue q : queues) {
            q.reset();
            q.num = device.queueNumMax(); // QueueNum defaults to the maximum, as on QEMU
        }
        if (device != null) {
            device.reset();
        }
    }
}
