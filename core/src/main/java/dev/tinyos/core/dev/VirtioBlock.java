package dev.tinyos.core.dev;

import dev.tinyos.core.Ram;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A virtio block device (virtio 1.x section 5.2) over a {@link BlockBackend}: one request
 * queue, features VERSION_1, FLUSH, BLK_SIZE (512) and RO for read-only images; request types
 * IN, OUT, FLUSH and GET_ID; anything else answers UNSUPP, an access beyond the capacity IOERR.
 *
 * <p>Determinism: when the driver notifies, every new chain is parsed at once; OUT data is
 * copied out of guest RAM and written to the image, IN data is read from the image into a
 * host buffer, FLUSH forces the image - all at that instruction, in submission order. Then the
 * request is announced through the {@link RequestPort}; nothing becomes visible to the guest
 * until {@link #complete} is called for its tag (driven by the input source). Only then is read
 * data copied into guest RAM (pages marked dirty), the status byte written, the used ring
 * advanced and the interrupt raised. Invariant: the guest never observes a request's effect
 * in RAM before its completion is delivered.
 */
public final class VirtioBlock implements VirtioDevice {
    public static final int DEVICE_ID = 2;
    public static final long F_RO = 1L << 5;
    public static final long F_BLK_SIZE = 1L << 6;
    public static final long F_FLUSH = 1L << 9;

    public static final int T_IN = 0;
    public static final int T_OUT = 1;
    public static final int T_FLUSH = 4;
    public static final int T_GET_ID = 8;

    public static final int S_OK = 0;
    public static final int S_IOERR = 1;
    public static final int S_UNSUPP = 2;

    /** The serial number GET_ID returns (at most 20 bytes, zero padded). */
    public static final String ID = "tinyos-virtio-blk";
    private static final int ID_BYTES = 20;
    private static final int QUEUE_NUM_MAX = 256;
    private static final int HEADER = 16;

    private final BlockBackend backend;
    private final int deviceNumber;
    private final RequestPort port;
    private final Map<Long, Request> inFlight = new HashMap<>();
    private VirtioMmio transport;
    private long nextTag;

    /** A block device over {@code backend}, announcing requests as device {@code deviceNumber}. */
    public VirtioBlock(BlockBackend backend, int deviceNumber, RequestPort port) {
        this.backend = backend;
        this.deviceNumber = deviceNumber;
        this.port = port;
    }

    /** A parsed request waiting for its completion. */
    private static final class Request {
        final Virtqueue.Chain chain;
        final byte[] data; // bytes to copy into the writable segments before the status byte
        final int status;

        Request(Virtqueue.Chain chain, byte[] data, int status) {
            this.chain = chain;
            this.data = data;
            this.status = status;
        }
    }

    @Override
    public int deviceId() {
        return DEVICE_ID;
    }

    @Override
    public long features() {
        return VirtioMmio.F_VERSION_1 | F_FLUSH | F_BLK_SIZE | (backend.readOnly() ? F_RO : 0);
    }

    @Override
    public int queueCount() {
        return 1;
    }

    @Override
    public int queueNumMax() {
        return QUEUE_NUM_MAX;
    }

    @Override
    public long configLoad(int offset, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | configByte(offset + i);
        }
        return v;
    }

    /** Byte {@code i} of struct virtio_blk_config: capacity at 0, blk_size at 20, rest 0. */
    private int configByte(int i) {
        if (i >= 0 && i < 8) {
            return (int) (backend.sectors() >>> (8 * i)) & 0xFF;
        }
        if (i >= 20 && i < 24) {
            return (BlockBackend.SECTOR_SIZE >>> (8 * (i - 20))) & 0xFF;
        }
        return 0;
    }

    @Override
    public void attach(VirtioMmio transport) {
        this.transport = transport;
    }

    /** Number of requests started but not yet completed. */
    public int inFlight() {
        return inFlight.size();
    }

    @Override
    public void queueNotify(int queue) throws VirtqueueError {
        Virtqueue q = transport.queue(queue);
        while (q.hasAvailable()) {
            Virtqueue.Chain chain = q.readChain(q.takeAvailable());
            long tag = nextTag++;
            inFlight.put(tag, start(chain));
            port.requestStarted(deviceNumber, tag);
        }
    }

    /** Parses and performs the host side of one request; the guest sees nothing yet. */
    private Request start(Virtqueue.Chain chain) throws VirtqueueError {
        Ram ram = transport.ram();
        long readable = chain.total(false);
        long writable = chain.total(true);
        if (readable < HEADER || writable < 1) {
            throw new VirtqueueError("block request without a 16-byte header or a status byte");
        }
        byte[] header = new byte[HEADER];
        chain.gather(ram, 0, header, 0, HEADER);
        int type = (int) load(header, 0, 4);
        long sector = load(header, 8, 8);
        switch (type) {
            case T_IN:
                return read(chain, sector, writable - 1);
            case T_OUT:
                return write(chain, sector, readable - HEADER);
            case T_FLUSH:
                return new Request(chain, new byte[0], flush());
            case T_GET_ID:
                return new Request(chain, id((int) Math.min(ID_BYTES, writable - 1)), S_OK);
            default:
                return new Request(chain, new byte[0], S_UNSUPP);
        }
    }

    private Request read(Virtqueue.Chain chain, long sector, long len) {
        if (len > Integer.MAX_VALUE - 8 || !backend.inRange(sector, len)) {
            return new Request(chain, new byte[0], S_IOERR);
        }
        byte[] data = new byte[(int) len];
        try {
            backend.read(sector, data, 0, data.length);
            return new Request(chain, data, S_OK);
        } catch (IOException e) {
            return new Request(chain, new byte[0], S_IOERR);
        }
    }

    private Request write(Virtqueue.Chain chain, long sector, long len) {
        if (backend.readOnly() || len > Integer.MAX_VALUE - 8 || !backend.inRange(sector, len)) {
            return new Request(chain, new byte[0], S_IOERR);
        }
        byte[] data = new byte[(int) len];
        chain.gather(transport.ram(), HEADER, data, 0, data.length);
        try {
            backend.write(sector, data, 0, data.length);
            return new Request(chain, new byte[0], S_OK);
        } catch (IOException e) {
            return new Request(chain, new byte[0], S_IOERR);
        }
    }

    private int flush() {
        try {
            backend.flush();
            return S_OK;
        } catch (IOException e) {
            return S_IOERR;
        }
    }

    private static byte[] id(int len) {
        byte[] id = new byte[len];
        byte[] text = ID.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, id, 0, Math.min(len, text.length));
        return id;
    }

    /**
     * The input source says request {@code tag} completed: publish its result to the guest.
     * Unknown tags (requests dropped by a device reset) are ignored.
     */
    public void complete(long tag) {
        Request r = inFlight.remove(tag);
        if (r == null) {
            return;
        }
        Ram ram = transport.ram();
        long writable = r.chain.total(true);
        r.chain.scatter(ram, 0, r.data, 0, r.data.length);
        r.chain.scatter(ram, writable - 1, new byte[] {(byte) r.status}, 0, 1);
        Virtqueue q = transport.queue(0);
        try {
            q.pushUsed(r.chain.head, r.data.length + 1);
            transport.usedBuffer(q);
        } catch (VirtqueueError e) {
            transport.fail(e);
        }
    }

    @Override
    public void reset() {
        inFlight.clear();
    }

    private static long load(byte[] b, int off, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
