package dev.tinyos.core.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualClockTest {

    /** Records what the clock delivers; the UART takes bytes while {@code room > 0}. */
    static final class Recorder implements InputSink {
        int room = Integer.MAX_VALUE;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<String> events = new ArrayList<>();

        @Override
        public boolean uartCanReceive() {
            return room > 0;
        }

        @Override
        public void uartByte(int b) {
            room--;
            bytes.write(b);
            events.add("byte " + (char) b);
        }

        @Override
        public void requestCompleted(int device, long tag) {
            events.add("done " + device + ":" + tag);
        }

        @Override
        public void stop() {
            events.add("stop");
        }
    }

    @Test
    void mtimeIsIcountOverIpt() {
        VirtualClock c = new VirtualClock();
        assertEquals(0, c.mtime(99));
        assertEquals(1, c.mtime(100));
        assertEquals(12345, c.mtime(1_234_567));
        assertEquals(500, c.icountForMtime(0, 5));
        assertEquals(700, c.icountForMtime(700, 5), "already reached: now");
        assertEquals(Long.MAX_VALUE, c.icountForMtime(0, -1L), "all-ones mtimecmp is never");
        assertEquals(Long.MAX_VALUE, c.nextInputAt(0));
    }

    @Test
    void idleJumpsToTheTimerAndTimeNeverGoesBack() {
        VirtualClock c = new VirtualClock();
        c.idle(1000, 50_000);
        assertEquals(50_000, c.mtime(1000));
        assertEquals(1000, c.icountForMtime(1000, 50_000));
        assertFalse(c.exhausted());
        c.idle(1000, 10);
        assertEquals(50_000, c.mtime(1000), "an earlier deadline does not move time back");
        c.idle(1000, Long.MAX_VALUE);
        assertTrue(c.exhausted(), "no timer, no requests, no input");
    }

    @Test
    void requestsCompleteAfterTheLatencyInOrder() {
        VirtualClock c = new VirtualClock(100, 20_000, 100_000, new byte[0]);
        Recorder r = new Recorder();
        c.requestStarted(0, 7, 1000);
        c.requestStarted(0, 8, 1500);
        assertEquals(21_000, c.nextInputAt(0));
        c.deliver(20_999, r);
        assertTrue(r.events.isEmpty());
        c.deliver(21_000, r);
        assertEquals(List.of("done 0:7"), r.events);
        c.idle(21_000, Long.MAX_VALUE);
        assertEquals(21_000, c.nextInputAt(21_000), "idle skipped ahead to the next completion");
        assertFalse(c.exhausted());
        c.deliver(21_000, r);
        assertEquals(List.of("done 0:7", "done 0:8"), r.events);
        assertEquals(21_500 / 100, c.mtime(21_000));
    }

    @Test
    void scriptedBytesArePacedAndHeldBackWhenTheUartIsFull() {
        VirtualClock c = VirtualClock.withInput("abc".getBytes());
        Recorder r = new Recorder();
        assertEquals(100_000, c.nextInputAt(0));
        c.idle(10, Long.MAX_VALUE);
        assertEquals(10, c.nextInputAt(10), "an idle guest gets the next byte at once");
        c.deliver(10, r);
        assertEquals("a", r.bytes.toString());
        assertEquals(100_010, c.nextInputAt(11));
        r.room = 0;
        c.deliver(100_010, r);
        assertEquals("a", r.bytes.toString(), "held back, not dropped");
        c.idle(100_010, Long.MAX_VALUE);
        assertTrue(c.exhausted(), "idle, UART full, nothing else: nothing can happen");
        r.room = 5;
        c.idle(100_020, Long.MAX_VALUE);
        c.deliver(100_020, r);
        c.idle(100_030, Long.MAX_VALUE);
        c.deliver(100_030, r);
        assertEquals("abc", r.bytes.toString());
        assertEquals(0, c.remainingInput());
        c.idle(100_040, Long.MAX_VALUE);
        assertTrue(c.exhausted());
    }

    @Test
    void sameCallsSameAnswers() {
        VirtualClock a = VirtualClock.withInput("xy".getBytes());
        VirtualClock b = VirtualClock.withInput("xy".getBytes());
        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        for (VirtualClock c : List.of(a, b)) {
            Recorder r = c == a ? ra : rb;
            c.requestStarted(1, 1, 5);
            c.idle(5, 900);
            c.deliver(c.nextInputAt(5), r);
            c.idle(6, Long.MAX_VALUE);
            c.deliver(c.nextInputAt(6), r);
        }
        assertEquals(ra.events, rb.events);
        assertEquals(a.mtime(1000), b.mtime(1000));
    }
}
