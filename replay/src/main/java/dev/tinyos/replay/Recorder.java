package dev.tinyos.replay;

import dev.tinyos.core.input.InputSink;
import dev.tinyos.core.input.InputSource;
import java.util.function.LongSupplier;

/**
 * An {@link InputSource} decorator that records a live source: it forwards every call and tees
 * into the {@link EventLog} whatever the guest could not compute itself — every input the live
 * source delivers (UART bytes, request completions, stop), stamped with the icount at which it
 * takes effect, and every change of the time base.
 *
 * <p>The time base of every recordable source is {@code mtime = (icount + skew) / ipt} with a
 * {@code skew} that never decreases (the {@code VirtualClock} and the host clock both work this
 * way); {@code skew} is read through the supplier given at construction after each
 * {@link #deliver} (logged as CLOCK) and each {@link #idle} (logged as IDLE) if it changed.
 * Invariant: replaying the log with a {@link Replayer} reproduces every call's answer that the
 * machine can observe: mtime, slice bounds and the inputs. When the log says the host disk is
 * full ({@link EventLog#full}) the recorder delivers (and logs) a stop at the next instruction
 * boundary, so the run ends with a complete, shorter trace.
 */
public final class Recorder implements InputSource {
    private final InputSource live;
    private final LongSupplier skew;
    private final EventLog log;
    private final TeeSink tee = new TeeSink();
    private long lastSkew;
    private boolean stoppedForSpace;

    /**
     * @param live the source to record
     * @param skew reads the live source's current time-base skew
     * @param log  where events go
     */
    public Recorder(InputSource live, LongSupplier skew, EventLog log) {
        this.live = live;
        this.skew = skew;
        this.log = log;
        this.lastSkew = skew.getAsLong();
        if (lastSkew != 0) {
            log.skew(EventKind.CLOCK, 0, lastSkew);
        }
    }

    @Override
    public long mtime(long icount) {
        return live.mtime(icount);
    }

    @Override
    public long icountForMtime(long icount, long target) {
        return live.icountForMtime(icount, target);
    }

    @Override
    public long nextInputAt(long icount) {
        return log.full() && !stoppedForSpace ? icount : live.nextInputAt(icount);
    }

    @Override
    public void deliver(long icount, InputSink sink) {
        tee.target = sink;
        tee.icount = icount;
        live.deliver(icount, tee);
        if (log.full() && !stoppedForSpace) {
            stoppedForSpace = true; // the host disk is full: stop here, while the stop and end still fit
            tee.stop();
        }
        tee.target = null;
        logSkew(EventKind.CLOCK, icount);
    }

    @Override
    public void idle(long icount, long wakeMtime) {
        live.idle(icount, wakeMtime);
        logSkew(EventKind.IDLE, icount);
    }

    private void logSkew(byte kind, long icount) {
        long s = skew.getAsLong();
        if (s != lastSkew) {
            lastSkew = s;
            log.skew(kind, icount, s);
        }
    }

    @Override
    public boolean exhausted() {
        return live.exhausted();
    }

    @Override
    public void requestStarted(int device, long tag, long icount) {
        live.requestStarted(device, tag, icount);
    }

    @Override
    public void close() {
        live.close();
    }

    /** The log being written. */
    public EventLog log() {
        return log;
    }

    /** Forwards to the machine's sink and logs each input at the icount being delivered. */
    private final class TeeSink implements InputSink {
        InputSink target;
        long icount;

        @Override
        public boolean uartCanReceive() {
            return target.uartCanReceive();
        }

        @Override
        public void uartByte(int b) {
            log.uart(icount, b);
            target.uartByte(b);
        }

        @Override
        public void requestCompleted(int device, long tag) {
            log.complete(icount, device, tag);
            target.requestCompleted(device, tag);
        }

        @Override
        public void stop() {
            log.stop(icount);
            target.stop();
        }
    }
}
