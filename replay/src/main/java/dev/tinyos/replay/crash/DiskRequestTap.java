package dev.tinyos.replay.crash;

import dev.tinyos.core.Machine;
import dev.tinyos.core.cpu.Ram;
import dev.tinyos.core.dev.BlockBackend;
import dev.tinyos.core.dev.VirtioBlock;
import dev.tinyos.core.dev.Virtqueue;
import dev.tinyos.core.dev.VirtqueueError;
import dev.tinyos.core.input.InputSink;
import dev.tinyos.core.input.InputSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link InputSource} decorator that watches the block device's request stream without
 * changing the run: it forwards every call unchanged and, on the side, records each write
 * (OUT) and FLUSH request of the disk in virtio slot 0 as the device sees it.
 *
 * <p>How it sees a request: the device parses a chain and copies an OUT request's data out of
 * guest RAM inside the MMIO write that notifies the queue, then announces it
 * ({@code requestStarted}, through this source). At that moment guest RAM still holds exactly
 * what the device read, so this tap reads the same chain (the n-th announced request is the
 * n-th entry of the available ring) and takes the same bytes. A completion is seen when the
 * source delivers it; after the device has published it, the newest used-ring entry must name
 * the chain this tap parsed for that tag, which checks that the tap followed the device (it
 * cannot across a device reset in mid-run: {@link #error()} then says so).
 *
 * <p>Invariant: the machine's behaviour is exactly that of the wrapped source; {@link #ops()}
 * lists every well-formed OUT and FLUSH request in start order, each with the event sequence
 * numbers (one counter over starts and completions) and icounts of its start and completion.
 */
public final class DiskRequestTap implements InputSource {
    private static final int HEADER = 16;

    private final InputSource inner;
    private final Sink sink = new Sink();
    private final List<DiskOp> ops = new ArrayList<>();
    private final Map<Long, DiskOp> byTag = new HashMap<>();
    private final Map<Long, Integer> heads = new HashMap<>();
    private Machine machine;
    private InputSink real;
    private long deliveringAt;
    private int taken;
    private long seq;
    private String error;

    public DiskRequestTap(InputSource inner) {
        this.inner = inner;
    }

    /** Names the machine whose device this tap watches; call before the first instruction. */
    public void attach(Machine m) {
        this.machine = m;
    }

    /** The disk's OUT and FLUSH requests so far, in start order (live list: read it after the run). */
    public List<DiskOp> ops() {
        return ops;
    }

    /** Why the request stream could not be followed, or null if every request checked out. */
    public String error() {
        return error;
    }

    @Override
    public long mtime(long icount) {
        return inner.mtime(icount);
    }

    @Override
    public long icountForMtime(long icount, long target) {
        return inner.icountForMtime(icount, target);
    }

    @Override
    public long nextInputAt(long icount) {
        return inner.nextInputAt(icount);
    }

    @Override
    public void deliver(long icount, InputSink s) {
        real = s;
        deliveringAt = icount;
        inner.deliver(icount, sink);
    }

    @Override
    public void idle(long icount, long wakeMtime) {
        inner.idle(icount, wakeMtime);
    }

    @Override
    public boolean exhausted() {
        return inner.exhausted();
    }

    @Override
    public void requestStarted(int device, long tag, long icount) {
        if (device == 0 && machine != null && machine.block() != null) {
            try {
                taken(tag, icount);
            } catch (VirtqueueError | RuntimeException e) {
                fail("request " + tag + " at icount " + icount + " could not be read: " + e.getMessage());
            }
        }
        inner.requestStarted(device, tag, icount);
    }

    @Override
    public void close() {
        inner.close();
    }

    /** Reads the chain the device just took (the {@code taken}-th of the available ring). */
    private void taken(long tag, long icount) throws VirtqueueError {
        Ram ram = machine.ram();
        Virtqueue q = machine.virtio(0).queue(0);
        int slot = taken % q.num();
        taken = (taken + 1) & 0xFFFF;
        int head = ram.load16(offset(ram, q.driver() + 4 + 2L * slot, 2)) & 0xFFFF;
        heads.put(tag, head);
        Virtqueue.Chain chain = q.readChain(head);
        if (chain.total(false) < HEADER) {
            return; // the device fails it; nothing reaches the disk
        }
        byte[] header = new byte[HEADER];
        chain.gather(ram, 0, header, 0, HEADER);
        int type = (int) le(header, 0, 4);
        long sector = le(header, 8, 8);
        long seqNow = seq++;
        if (type == VirtioBlock.T_FLUSH) {
            add(tag, new DiskOp(DiskOp.FLUSH, 0, null, seqNow, icount));
        } else if (type == VirtioBlock.T_OUT) {
            long len = chain.total(false) - HEADER;
            BlockBackend disk = machine.block().cache().backend();
            if (len <= 0 || len > Integer.MAX_VALUE - 8 || len % BlockBackend.SECTOR_SIZE != 0
                    || !disk.inRange(sector, len) || disk.readOnly()) {
                return; // the device answers IOERR; nothing reaches the disk
            }
            byte[] data = new byte[(int) len];
            chain.gather(ram, HEADER, data, 0, data.length);
            add(tag, new DiskOp(DiskOp.WRITE, sector, data, seqNow, icount));
        }
    }

    private void add(long tag, DiskOp op) {
        ops.add(op);
        byTag.put(tag, op);
    }

    private static int offset(Ram ram, long paddr, int len) throws VirtqueueError {
        if (!ram.contains(paddr, len)) {
            throw new VirtqueueError(String.format("virtqueue address 0x%x is outside RAM", paddr));
        }
        return (int) (paddr - ram.base);
    }

    /** After the device published request {@code tag}: stamps it and checks the used ring. */
    private void completed(long tag) {
        Integer head = heads.remove(tag);
        DiskOp op = byTag.remove(tag);
        if (op != null) {
            op.completed(seq++, deliveringAt);
        }
        if (head == null) {
            return;
        }
        Ram ram = machine.ram();
        Virtqueue q = machine.virtio(0).queue(0);
        try {
            int idx = ram.load16(offset(ram, q.device() + 2, 2)) & 0xFFFF;
            int slot = (idx - 1 + 0x10000) % q.num();
            int id = ram.load32(offset(ram, q.device() + 4 + 8L * slot, 8));
            if (id != head) {
                fail("request " + tag + " completed at icount " + deliveringAt + " as chain " + id
                        + ", but the tap had read chain " + head + " for it (was the device reset mid-run?)");
            }
        } catch (VirtqueueError e) {
            fail("the used ring cannot be read at icount " + deliveringAt + ": " + e.getMessage());
        }
    }

    private void fail(String why) {
        if (error == null) {
            error = why;
        }
    }

    private static long le(byte[] b, int off, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    /** Forwards to the machine's sink; notes completions of device 0 after the device handled them. */
    private final class Sink implements InputSink {
        @Override
        public boolean uartCanReceive() {
            return real.uartCanReceive();
        }

        @Override
        public void uartByte(int b) {
            real.uartByte(b);
        }

        @Override
        public void requestCompleted(int device, long tag) {
            real.requestCompleted(device, tag);
            if (device == 0 && machine != null && machine.block() != null) {
                completed(tag);
            }
        }

        @Override
        public void stop() {
            real.stop();
        }
    }
}
