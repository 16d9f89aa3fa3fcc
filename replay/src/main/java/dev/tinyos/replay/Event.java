package dev.tinyos.replay;

/**
 * One event read back from a trace (a mutable holder the reader refills). Invariant: only the
 * fields of {@link #kind}'s layout are meaningful: {@code value} is the UART byte or the device
 * number, {@code tag} the request tag or the skew, {@code digest} set for DIGEST and END,
 * {@code reason}/{@code exitCode} for END.
 */
public final class Event {
    /** Position in the queue, from 1. */
    public long seq;
    /** Byte offset in the queue file where reading this event began (a checkpoint resumes there). */
    public long pos;
    public byte kind;
    public long icount;
    public int value;
    public long tag;
    public int reason;
    public int exitCode;
    public Digest digest;

    /** Copies {@code o} into this holder. */
    public void copyFrom(Event o) {
        seq = o.seq;
        pos = o.pos;
        kind = o.kind;
        icount = o.icount;
        value = o.value;
        tag = o.tag;
        reason = o.reason;
        exitCode = o.exitCode;
        digest = o.digest;
    }

    @Override
    public String toString() {
        switch (kind) {
            case EventKind.UART: return "uart@" + icount + " byte " + value;
            case EventKind.COMPLETE: return "complete@" + icount + " device " + value + " tag " + tag;
            case EventKind.CLOCK:
            case EventKind.IDLE: return EventKind.name(kind) + "@" + icount + " skew " + tag;
            default: return EventKind.name(kind) + "@" + icount;
        }
    }
}
