package dev.tinyos.core.dev;

import dev.tinyos.core.cpu.Ram;
import dev.tinyos.core.state.Saveable;
import dev.tinyos.core.state.StateReader;
import dev.tinyos.core.state.StateWriter;

/**
 * One split virtqueue (virtio 1.x, section 2.7) as the device sees it: the descriptor table,
 * the driver (available) ring and the device (used) ring in guest RAM, plus the device's
 * private {@code lastAvail} index.
 *
 * <p>Invariant: guest RAM is only touched through {@link Ram} (used-ring stores mark pages
 * dirty), and only on the machine thread; every guest address is bounds-checked and a bad
 * one raises {@link VirtqueueError} instead of a host exception.
 */
public final class Virtqueue implements Saveable {
    public static final int DESC_F_NEXT = 1;
    public static final int DESC_F_WRITE = 2;
    public static final int AVAIL_F_NO_INTERRUPT = 1;

    private final Ram ram;
    /** Queue size set by the driver (QueueNum); written by the transport ({@link VirtioMmio}) only. */
    int num;
    /** QueueReady. */
    boolean ready;
    /** Guest physical addresses of the descriptor table, driver area and device area. */
    long desc;
    long driver;
    long device;
    private int lastAvail;
    private int usedIdx;

    public Virtqueue(Ram ram) {
        this.ram = ram;
    }

    /** Queue size (QueueNum), as an observer of the queue reads it. */
    public int num() {
        return num;
    }

    /** Guest physical address of the driver area (the available ring). */
    public long driver() {
        return driver;
    }

    /** Guest physical address of the device area (the used ring). */
    public long device() {
        return device;
    }

    /** Back to the reset state (not ready, size 0, all addresses 0). */
    public void reset() {
        num = 0;
        ready = false;
        desc = driver = device = 0;
        lastAvail = 0;
        usedIdx = 0;
    }

    @Override
    public void save(StateWriter w) {
        w.writeInts(new int[] {num, lastAvail, usedIdx});
        w.writeBoolean(ready);
        w.writeLongs(new long[] {desc, driver, device});
    }

    @Override
    public void restore(StateReader r) {
        int[] v = new int[3];
        r.readIntsInto(v, "a virtqueue's indices");
        num = v[0];
        lastAvail = v[1];
        usedIdx = v[2];
        ready = r.readBoolean();
        long[] a = new long[3];
        r.readLongsInto(a, "a virtqueue's addresses");
        desc = a[0];
        driver = a[1];
        device = a[2];
    }

    private int offset(long paddr, int len) throws VirtqueueError {
        if (!ram.contains(paddr, len)) {
            throw new VirtqueueError(String.format("virtqueue address 0x%x is outside RAM", paddr));
        }
        return (int) (paddr - ram.base);
    }

    /** True if the driver has made buffers available that the device has not taken yet. */
    public boolean hasAvailable() throws VirtqueueError {
        int idx = ram.load16(offset(driver + 2, 2)) & 0xFFFF;
        return idx != lastAvail;
    }

    /** Takes the next available descriptor chain and returns its head index. */
    public int takeAvailable() throws VirtqueueError {
        int slot = lastAvail % num;
        int head = ram.load16(offset(driver + 4 + 2L * slot, 2)) & 0xFFFF;
        lastAvail = (lastAvail + 1) & 0xFFFF;
        if (head >= num) {
            throw new VirtqueueError("available ring names descriptor " + head + " beyond the queue size");
        }
        return head;
    }

    /** True if the driver asked not to be interrupted for used buffers. */
    public boolean interruptSuppressed() throws VirtqueueError {
        return (ram.load16(offset(driver, 2)) & AVAIL_F_NO_INTERRUPT) != 0;
    }

    /** Reads the descriptor chain starting at {@code head}. */
    public Chain readChain(int head) throws VirtqueueError {
        Chain c = new Chain(head);
        int i = head;
        for (int n = 0; ; n++) {
            if (n >= num) {
                throw new VirtqueueError("descriptor chain longer than the queue (a loop?)");
            }
            int off = offset(desc + 16L * i, 16);
            long addr = ram.load64(off);
            int len = ram.load32(off + 8);
            int flags = ram.load16(off + 12) & 0xFFFF;
            int next = ram.load16(off + 14) & 0xFFFF;
            if (len < 0) {
                throw new VirtqueueError("descriptor length above 2 GiB");
            }
            offset(addr, len); // the buffer itself must lie in RAM
            c.add(addr, len, (flags & DESC_F_WRITE) != 0);
            if ((flags & DESC_F_NEXT) == 0) {
                return c;
            }
            if (next >= num) {
                throw new VirtqueueError("descriptor " + i + " chains to " + next + " beyond the queue size");
            }
            i = next;
        }
    }

    /** Publishes a used element {@code (id, len)} and advances the used index. */
    public void pushUsed(int id, int len) throws VirtqueueError {
        int slot = usedIdx % num;
        int elem = offset(device + 4 + 8L * slot, 8);
        ram.store32(elem, id);
        ram.store32(elem + 4, len);
        usedIdx = (usedIdx + 1) & 0xFFFF;
        int idx = offset(device + 2, 2);
        ram.store16(idx, usedIdx);
    }

    /**
     * A descriptor chain: its segments in order, each a guest buffer that is either
     * device-readable or device-writable. Invariant: every segment lies inside RAM.
     */
    public static final class Chain {
        public final int head;
        private long[] addr = new long[4];
        private int[] len = new int[4];
        private boolean[] write = new boolean[4];
        private int count;

        Chain(int head) {
            this.head = head;
        }

        /** Writes the chain (head and segments) for a checkpoint. */
        public void save(StateWriter w) {
            w.writeInt(head);
            w.writeLongs(java.util.Arrays.copyOf(addr, count));
            w.writeInts(java.util.Arrays.copyOf(len, count));
            long[] wr = new long[count];
            for (int i = 0; i < count; i++) {
                wr[i] = write[i] ? 1 : 0;
            }
            w.writeLongs(wr);
        }

        /** Reads what {@link #save} wrote. */
        public static Chain restore(StateReader r) {
            Chain c = new Chain(r.readInt());
            long[] a = r.readLongs();
            int[] l = r.readInts();
            long[] wr = r.readLongs();
            if (a == null || l == null || wr == null || a.length != l.length || a.length != wr.length) {
                throw new dev.tinyos.core.state.StateFormatException("a descriptor chain's segments do not match");
            }
            for (int i = 0; i < a.length; i++) {
                c.add(a[i], l[i], wr[i] != 0);
            }
            return c;
        }

        void add(long a, int l, boolean w) {
            if (count == addr.length) {
                addr = java.util.Arrays.copyOf(addr, count * 2);
                len = java.util.Arrays.copyOf(len, count * 2);
                write = java.util.Arrays.copyOf(write, count * 2);
            }
            addr[count] = a;
            len[count] = l;
            write[count] = w;
            count++;
        }

        /** Total bytes of the device-readable ({@code writable == false}) or -writable segments. */
        public long total(boolean writable) {
            long t = 0;
            for (int i = 0; i < count; i++) {
                if (write[i] == writable) {
                    t += len[i];
                }
            }
            return t;
        }

        /** Copies {@code n} device-readable bytes, starting {@code skip} bytes in, to {@code dst}. */
        public void gather(Ram ram, long skip, byte[] dst, int dstOff, int n) {
            transfer(ram, false, skip, dst, dstOff, n);
        }

        /** Copies {@code n} bytes of {@code src} into the device-writable bytes at {@code skip}. */
        public void scatter(Ram ram, long skip, byte[] src, int srcOff, int n) {
            transfer(ram, true, skip, src, srcOff, n);
        }

        private void transfer(Ram ram, boolean writable, long skip, byte[] buf, int bufOff, int n) {
            for (int i = 0; i < count && n > 0; i++) {
                if (write[i] != writable) {
                    continue;
                }
                if (skip >= len[i]) {
                    skip -= len[i];
                    continue;
                }
                int chunk = (int) Math.min(len[i] - skip, n);
                int off = (int) (addr[i] + skip - ram.base);
                if (writable) {
                    ram.write(off, buf, bufOff, chunk);
                } else {
                    ram.read(off, buf, bufOff, chunk);
                }
                skip = 0;
                bufOff += chunk;
                n -= chunk;
            }
        }
    }
}
