package dev.tinyos.replay;

import dev.tinyos.core.input.InputSink;
import dev.tinyos.core.input.InputSource;
import dev.tinyos.core.input.VirtualClock;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A virtual clock with typed input that also asks the machine to stop once the console has
 * printed a marker: for guests that never power off (xv6). The console stream it hands out
 * collects the output; the stop is an input like any other, so a recording logs it and a
 * replay stops at the same icount. Invariant: at most one stop is delivered, at the first
 * slice boundary after the marker's last byte was written.
 */
final class StopOnOutput implements InputSource {
    private final VirtualClock clock;
    private final byte[] marker;
    private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
    private int matched;
    private boolean due;
    private boolean sent;

    StopOnOutput(String typed, String marker) {
        this.clock = VirtualClock.withInput(typed.getBytes(StandardCharsets.US_ASCII));
        this.marker = marker.getBytes(StandardCharsets.US_ASCII);
    }

    /** The console to give the machine: records the output and watches for the marker. */
    OutputStream console() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                seen.write(b);
                watch((byte) b);
            }
        };
    }

    private void watch(byte b) {
        if (due || sent) {
            return;
        }
        matched = b == marker[matched] ? matched + 1 : (b == marker[0] ? 1 : 0);
        if (matched == marker.length) {
            due = true;
        }
    }

    String output() {
        return seen.toString(StandardCharsets.ISO_8859_1);
    }

    VirtualClock clock() {
        return clock;
    }

    @Override public long mtime(long icount) { return clock.mtime(icount); }
    @Override public long icountForMtime(long icount, long target) { return clock.icountForMtime(icount, target); }
    @Override public long nextInputAt(long icount) { return due && !sent ? icount : clock.nextInputAt(icount); }
    @Override public void idle(long icount, long wake) { clock.idle(icount, wake); }
    @Override public boolean exhausted() { return clock.exhausted() && (sent || !due); }
    @Override public void requestStarted(int d, long tag, long icount) { clock.requestStarted(d, tag, icount); }

    @Override
    public void deliver(long icount, InputSink sink) {
        if (due && !sent) {
            sent = true;
            sink.stop();
        }
        if (clock.nextInputAt(icount) <= icount) {
            clock.deliver(icount, sink);
        }
    }
}
