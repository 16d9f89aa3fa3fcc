package dev.tinyos.replay;

import dev.tinyos.core.input.InputSink;
import dev.tinyos.core.input.InstructionTime;
import dev.tinyos.core.input.InputSource;
import java.util.ArrayDeque;

/**
 * An {@link InputSource} that reads a trace's event queue instead of the host: it needs no
 * terminal and no host timing. The time base is {@code mtime = (icount + skew) / ipt} with the
 * skew taken from CLOCK events (in {@link #deliver}) and IDLE events (in {@link #idle}); UART,
 * COMPLETE and STOP events are delivered at their icount; {@link #nextInputAt} is the icount of
 * the next logged event, so the machine's slices never run past one. DIGEST and END events are
 * set aside for the driver ({@link #nextMark}).
 *
 * <p>Invariant: as long as the guest does what it did while recording, every answer equals the
 * recorded source's answer at the same call; when it does not (an event's icount passes without
 * being consumed, or the hart idles where the recording did not), a {@link ReplayFailure}
 * names the icount.
 */
public final class Replayer implements InputSource {
    private EventStream reader;
    private final long ipt;
    private final ArrayDeque<Event> inputs = new ArrayDeque<>();
    private final ArrayDeque<Event> marks = new ArrayDeque<>();
    private boolean eof;
    private long skew;
    private long events;
    /** Byte offset of the last event read (where a checkpoint with nothing queued resumes). */
    private long lastPos;
    /** After a restore: inputs and marks below these sequence numbers were consumed already. */
    private long skipInputsBelow, skipMarksBelow;

    public Replayer(EventStream reader, long ipt) {
        this.reader = reader;
        this.ipt = ipt;
    }

    /** Reads one more event into the input or mark queue; false at the end of the queue. */
    private boolean fill() {
        if (eof) {
            return false;
        }
        Event e = new Event();
        try {
            if (!reader.next(e)) {
                eof = true;
                return false;
            }
        } catch (TraceException ex) {
            throw new ReplayFailure(ex.getMessage(), e.icount, true);
        }
        events++;
        e.seq = events;
        lastPos = e.pos;
        if (e.kind == EventKind.DIGEST || e.kind == EventKind.END) {
            if (e.seq >= skipMarksBelow) {
                marks.addLast(e);
            }
        } else if (e.seq >= skipInputsBelow) {
            inputs.addLast(e);
        }
        return true;
    }

    private Event headInput() {
        while (inputs.isEmpty() && fill()) {
            // keep reading past digests
        }
        return inputs.peekFirst();
    }

    /**
     * True if {@code e} was logged after a DIGEST or END the driver has not taken yet: it must
     * wait, since the recording delivered it only after that digest was captured.
     */
    private boolean blocked(Event e) {
        Event m = marks.peekFirst();
        return m != null && m.seq < e.seq;
    }

    /** The next DIGEST or END event, removed; null when the queue holds no more. */
    public Event nextMark() {
        while (marks.isEmpty() && fill()) {
            // keep reading past inputs (they stay queued)
        }
        return marks.pollFirst();
    }

    /** The next DIGEST or END event, left in place; null when the queue holds no more. */
    public Event peekMark() {
        while (marks.isEmpty() && fill()) {
            // keep reading past inputs (they stay queued)
        }
        return marks.peekFirst();
    }

    /** True if no DIGEST or END event is left. */
    public boolean marksExhausted() {
        while (marks.isEmpty() && fill()) {
            // read on
        }
        return marks.isEmpty();
    }

    /** Events read so far (inputs and marks). */
    public long eventsRead() {
        return events;
    }

    /**
     * This replayer's place in the log, for a checkpoint: {resume sequence number, its byte
     * offset, first unconsumed input, first unconsumed mark, skew}. Reading again from the
     * resume event and dropping what was consumed gives the same queues as now.
     */
    public long[] position() {
        long nextInput = inputs.isEmpty() ? events + 1 : inputs.peekFirst().seq;
        long nextMark = marks.isEmpty() ? events + 1 : marks.peekFirst().seq;
        long resume;
        long pos;
        if (events == 0) {
            resume = 1;
            pos = 0;
        } else if (Math.min(nextInput, nextMark) > events) {
            resume = events; // nothing queued: read the last event again, and drop it
            pos = lastPos;
        } else if (nextInput < nextMark) {
            resume = nextInput;
            pos = inputs.peekFirst().pos;
        } else {
            resume = nextMark;
            pos = marks.peekFirst().pos;
        }
        return new long[] {resume, pos, nextInput, nextMark, skew};
    }

    /**
     * Goes back (or forward) to a {@link #position}: {@code from} reads the queue from the
     * resume event's byte offset on; the old stream is closed.
     */
    public void restore(long[] position, EventStream from) {
        reader.close();
        reader = from;
        inputs.clear();
        marks.clear();
        eof = false;
        events = position[0] - 1;
        lastPos = position[1];
        skipInputsBelow = position[2];
        skipMarksBelow = position[3];
        skew = position[4];
    }

    @Override
    public long mtime(long icount) {
        return InstructionTime.mtime(icount, skew, ipt);
    }

    @Override
    public long icountForMtime(long icount, long target) {
        return InstructionTime.icountForMtime(icount, target, skew, ipt);
    }

    @Override
    public long nextInputAt(long icount) {
        Event e = headInput();
        return e == null ? Long.MAX_VALUE : Math.max(e.icount, icount);
    }

    @Override
    public void deliver(long icount, InputSink sink) {
        Event e;
        while ((e = headInput()) != null && e.icount <= icount && e.kind != EventKind.IDLE && !blocked(e)) {
            if (e.icount < icount) {
                throw missed(e, icount);
            }
            inputs.pollFirst();
            switch (e.kind) {
                case EventKind.UART: sink.uartByte(e.value); break;
                case EventKind.COMPLETE: sink.requestCompleted(e.value, e.tag); break;
                case EventKind.STOP: sink.stop(); break;
                case EventKind.CLOCK: skew = e.tag; break;
                default: break;
            }
        }
        if (e != null && e.icount < icount) {
            throw missed(e, icount);
        }
    }

    @Override
    public void idle(long icount, long wakeMtime) {
        Event e = headInput();
        if (e != null && e.kind == EventKind.IDLE && e.icount == icount) {
            inputs.pollFirst();
            skew = e.tag;
            return;
        }
        if (e != null && e.icount != icount) {
            throw new ReplayFailure("replay diverged at icount " + icount
                    + ": the guest idled where the recording did not", icount, false);
        }
    }

    private static ReplayFailure missed(Event e, long icount) {
        return new ReplayFailure("replay diverged at icount " + icount + ": the recorded "
                + EventKind.name(e.kind) + " event at icount " + e.icount + " was never reached", icount, false);
    }

    @Override
    public boolean exhausted() {
        return headInput() == null;
    }

    @Override
    public void requestStarted(int device, long tag, long icount) {
        // completions come from the log
    }

    @Override
    public void close() {
        reader.close();
    }
}
