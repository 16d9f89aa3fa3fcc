package dev.tinyos.replay.crash;

/**
 * One write (virtio-blk OUT) or FLUSH request of a recorded run, as the device saw it: the
 * first sector and the data of a write (copied from guest RAM when the request was taken), the
 * moment it started (the guest notified the queue) and the moment it completed (its completion
 * was delivered; never, if the run ended first). Moments are event sequence numbers (one
 * counter over the starts and completions of the disk's writes and flushes, so their order is
 * exact) and icounts (for people).
 *
 * <p>Invariant: {@code startSeq < completeSeq} when completed; {@code data.length} is a
 * positive multiple of 512 for a write and 0 for a flush.
 */
public final class DiskOp {
    public static final int WRITE = 1;
    public static final int FLUSH = 4;
    static final long NEVER = Long.MAX_VALUE;

    public final int type;
    public final long sector;
    final byte[] data;
    public final long startSeq;
    public final long startIcount;
    private long completeSeq = NEVER;
    private long completeIcount = -1;

    public DiskOp(int type, long sector, byte[] data, long startSeq, long startIcount) {
        if (type != WRITE && type != FLUSH) {
            throw new IllegalArgumentException("disk op type " + type);
        }
        if (type == WRITE && (data == null || data.length == 0 || data.length % 512 != 0)) {
            throw new IllegalArgumentException("a write needs whole sectors of data");
        }
        this.type = type;
        this.sector = sector;
        this.data = type == WRITE ? data : new byte[0];
        this.startSeq = startSeq;
        this.startIcount = startIcount;
    }

    void completed(long seq, long icount) {
        if (seq <= startSeq) {
            throw new IllegalArgumentException("completion before start");
        }
        completeSeq = seq;
        completeIcount = icount;
    }

    public boolean isWrite() {
        return type == WRITE;
    }

    /** Sectors written (0 for a flush). */
    public int sectors() {
        return data.length / 512;
    }

    public boolean isCompleted() {
        return completeSeq != NEVER;
    }

    /** Sequence number of the completion, or {@link Long#MAX_VALUE} if it never completed. */
    public long completeSeq() {
        return completeSeq;
    }

    /** icount of the completion, or -1 if it never completed. */
    public long completeIcount() {
        return completeIcount;
    }

    @Override
    public String toString() {
        return (type == WRITE ? "write sectors " + sector + "+" + sectors() : "flush") + " started at icount "
                + startIcount + (isCompleted() ? ", completed at " + completeIcount : ", never completed");
    }
}
