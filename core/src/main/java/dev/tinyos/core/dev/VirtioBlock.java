package dev.tinyos.core.dev;

import dev.tinyos.core.cpu.Ram;
import dev.tinyos.core.state.Saveable;
import dev.tinyos.core.state.StateFormatException;
import dev.tinyos.core.state.StateReader;
import dev.tinyos.core.state.StateWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A virtio block device (virtio 1.x section 5.2) over a {@link BlockBackend} with a volatile
 * {@link WriteCache}: one request queue, features VERSION_1, FLUSH, BLK_SIZE (512) and RO for
 * read-only images; request types IN, OUT, FLUSH and GET_ID; anything else answers UNSUPP, an
 * access beyond the capacity or of a length that is not a whole number of sectors IOERR.
 *
 * <p>Timing and determinism. When the driver notifies, every new chain is parsed at once, at
 * that instruction, in submission order: an OUT request's data is copied out of guest RAM then
 * (a later change of the buffer does not matter), and the request is announced through the
 * {@link RequestPort}. Nothing else happens inside the MMIO write. The request takes effect
 * only when {@link #complete} is called for its tag, which the machine's input source decides
 * (the replay boundary; the virtual clock uses a fixed latency):
 * <ul>
 *   <li>OUT: the data enters the drive's write cache (not the image);</li>
 *   <li>IN: the data is read through the cache (cache over image) and copied into guest RAM;</li>
 *   <li>FLUSH: the cache is written to the image and the image forced to host storage;</li>
 * </ul>
 * then the status byte is written, the used ring advanced and the interrupt raised.
 *
 * <p>Write model (docs/disk-model.md): like a disk with a volatile write cache and
 * VIRTIO_BLK_F_FLUSH. What reaches the image is exactly what the device completed: a clean
 * shutdown ({@link #shutdown}) writes every completed write back; a power cut
 * ({@link #powerCut}) drops the completed but unflushed writes, and requests still in flight
 * never reach the image. The cache is {@value WriteCache#DEFAULT_CAPACITY_MIB} MiB; older
 * writes may reach the image before a flush when it overflows.
 *
 * <p>Invariant: the guest never observes a request's effect (in RAM or on the image) before
 * its completion is delivered; the image changes only at a FLUSH completion, a cache overflow
 * at an OUT completion, or {@link #shutdown}.
 */
public final class VirtioBlock implements VirtioDevice, Saveable {
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
    private static final byte[] NONE = new byte[0];

    private final BlockBackend backend;
    private final WriteCache cache;
    private final int deviceNumber;
    private final RequestPort port;
    private final Map<Long, Request> inFlight = new HashMap<>();
    private VirtioMmio transport;
    private long nextTag;
    private boolean poweredOff;

    /** A block device over {@code backend} with the default write cache. */
    public VirtioBlock(BlockBackend backend, int deviceNumber, RequestPort port) {
        this(new WriteCache(backend), deviceNumber, port);
    }

    /** A block device over {@code cache}'s image, announcing requests as device {@code deviceNumber}. */
    public VirtioBlock(WriteCache cache, int deviceNumber, RequestPort port) {
        this.backend = cache.backend();
        this.cache = cache;
        this.deviceNumber = deviceNumber;
        this.port = port;
    }

    /**
     * A parsed request waiting for its completion: its type and first sector, the OUT data
     * taken from guest RAM at submission, the IN length, or an error status decided at parse.
     */
    private static final class Request {
        final Virtqueue.Chain chain;
        final int type;
        final long sector;
        final byte[] data;
        final int length;
        final int error;

        Request(Virtqueue.Chain chain, int type, long sector, byte[] data, int length, int error) {
            this.chain = chain;
            this.type = type;
            this.sector = sector;
            this.data = data;
            this.length = length;
            this.error = error;
        }

        static Request failed(Virtqueue.Chain chain, int status) {
            return new Request(chain, -1, 0, NONE, 0, status);
        }
    }

    /** Requests in flight (by tag), the next tag, power, and the write cache. */
    @Override
    public void save(StateWriter w) {
        w.writeLong(nextTag);
        w.writeBoolean(poweredOff);
        Long[] tags = inFlight.keySet().toArray(new Long[0]);
        java.util.Arrays.sort(tags);
        w.writeInt(tags.length);
        for (Long tag : tags) {
            Request q = inFlight.get(tag);
            w.writeLong(tag);
            q.chain.save(w);
            w.writeInt(q.type);
            w.writeLong(q.sector);
            w.writeBytes(q.data);
            w.writeInt(q.length);
            w.writeInt(q.error);
        }
        cache.save(w);
    }

    @Override
    public void restore(StateReader r) {
        nextTag = r.readLong();
        poweredOff = r.readBoolean();
        int n = r.readInt(0, 1 << 16, "the number of block requests in flight");
        inFlight.clear();
        for (int i = 0; i < n; i++) {
            long tag = r.readLong();
            Virtqueue.Chain chain = Virtqueue.Chain.restore(r);
            int type = r.readInt();
            long sector = r.readLong();
            byte[] data = r.readBytes();
            int length = r.readInt();
            int error = r.readInt();
            inFlight.put(tag, new Request(chain, type, sector, data == null ? NONE : data, length, error));
        }
        cache.restore(r);
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

    /** The drive's write cache (completed, unflushed writes). */
    public WriteCache cache() {
        return cache;
    }

    @Override
    public void queueNotify(int queue) throws VirtqueueError {
        if (poweredOff) {
            return;
        }
        Virtqueue q = transport.queue(queue);
        while (q.hasAvailable()) {
            Virtqueue.Chain chain = q.readChain(q.takeAvailable());
            long tag = nextTag++;
            inFlight.put(tag, parse(chain));
            port.requestStarted(deviceNumber, tag);
        }
    }

    /** Parses one request and takes an OUT request's data; neither guest nor image sees anything. */
    private Request parse(Virtqueue.Chain chain) throws VirtqueueError {
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
                return transfer(chain, T_IN, sector, writable - 1);
            case T_OUT:
                return transfer(chain, T_OUT, sector, readable - HEADER);
            case T_FLUSH:
                return new Request(chain, T_FLUSH, 0, NONE, 0, S_OK);
            case T_GET_ID:
                return new Request(chain, T_GET_ID, 0, NONE, (int) Math.min(ID_BYTES, writable - 1), S_OK);
            default:
                return Request.failed(chain, S_UNSUPP);
        }
    }

    private Request transfer(Virtqueue.Chain chain, int type, long sector, long len) {
        boolean bad = len > Integer.MAX_VALUE - 8 || len % BlockBackend.SECTOR_SIZE != 0
                || !backend.inRange(sector, len) || (type == T_OUT && backend.readOnly());
        if (bad) {
            return Request.failed(chain, S_IOERR);
        }
        byte[] data = NONE;
        if (type == T_OUT) {
            data = new byte[(int) len];
            chain.gather(transport.ram(), HEADER, data, 0, data.length);
        }
        return new Request(chain, type, sector, data, (int) len, S_OK);
    }

    /**
     * The input source says request {@code tag} completed: perform it against the write cache
     * and publish its result to the guest. Unknown tags (requests dropped by a device reset or
     * a power cut) are ignored.
     */
    public void complete(long tag) {
        Request r = inFlight.remove(tag);
        if (r == null) {
            return;
        }
        byte[] reply = NONE;
        int status = r.error;
        if (status == S_OK) {
            try {
                reply = perform(r);
            } catch (IOException e) {
                reply = NONE;
                status = S_IOERR;
            }
        }
        publish(r, reply, status);
    }

    /** Does the device side of a well-formed request now; returns the bytes for the guest. */
    private byte[] perform(Request r) throws IOException {
        switch (r.type) {
            case T_IN: {
                byte[] data = new byte[r.length];
                cache.read(r.sector, data, 0, data.length);
                return data;
            }
            case T_OUT:
                cache.write(r.sector, r.data, 0, r.data.length);
                return NONE;
            case T_FLUSH:
                cache.flush();
                return NONE;
            case T_GET_ID:
                return id(r.length);
            default:
                throw new IllegalStateException("request type " + r.type);
        }
    }

    private void publish(Request r, byte[] reply, int status) {
        Ram ram = transport.ram();
        long writable = r.chain.total(true);
        r.chain.scatter(ram, 0, reply, 0, reply.length);
        r.chain.scatter(ram, writable - 1, new byte[] {(byte) status}, 0, 1);
        Virtqueue q = transport.queue(0);
        try {
            q.pushUsed(r.chain.head, reply.length + 1);
            transport.usedBuffer(q);
        } catch (VirtqueueError e) {
            transport.fail(e);
        }
    }

    private static byte[] id(int len) {
        byte[] id = new byte[len];
        byte[] text = ID.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, id, 0, Math.min(len, text.length));
        return id;
    }

    /**
     * Clean shutdown: writes every completed write back to the image and forces it (the drive
     * empties its cache on an orderly power-down). Requests still in flight were never
     * completed and are discarded. Returns the number of sectors written back.
     */
    public int shutdown() throws IOException {
        inFlight.clear();
        return cache.flush();
    }

    /**
     * Power cut: completed but unflushed writes are dropped, requests in flight are forgotten
     * and never complete, and the device ignores any further notification. The image keeps
     * exactly what FLUSH completions (and cache overflows) wrote to it.
     */
    public PowerCut powerCut() {
        PowerCut cut = new PowerCut(cache.drop(), inFlight.size());
        inFlight.clear();
        poweredOff = true;
        return cut;
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
