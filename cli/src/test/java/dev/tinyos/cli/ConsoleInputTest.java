package dev.tinyos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.core.input.InputSink;
import dev.tinyos.core.input.VirtualClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleInputTest {

    /** An InputSink that records what it is given and accepts at most {@code room} UART bytes. */
    static final class RecordingSink implements InputSink {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int room;
        boolean stopped;

        RecordingSink(int room) {
            this.room = room;
        }

        @Override
        public boolean uartCanReceive() {
            return room > 0;
        }

        @Override
        public void uartByte(int b) {
            room--;
            bytes.write(b);
        }

        @Override
        public void requestCompleted(int device, long tag) {
        }

        @Override
        public void stop() {
            stopped = true;
        }
    }

    private final ByteArrayOutputStream messages = new ByteArrayOutputStream();

    private ConsoleInput source(java.io.InputStream in, boolean interactive) {
        ConsoleInput c = new ConsoleInput(new VirtualClock(), in, interactive, () -> { },
                new PrintStream(messages, true, StandardCharsets.UTF_8));
        c.start();
        return c;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void pipedBytesRespectUartFlowControlThenExhaust() {
        ConsoleInput c = source(new ByteArrayInputStream(ascii("ls\n")), false);
        RecordingSink sink = new RecordingSink(2);
        c.idle(1000, Long.MAX_VALUE); // waits until the reader thread has queued the bytes
        assertEquals(1000, c.nextInputAt(1000));
        c.deliver(1000, sink);
        assertEquals("ls", sink.bytes.toString(StandardCharsets.US_ASCII));
        assertEquals(1000 + ConsoleInput.POLL, c.nextInputAt(1001), "blocked bytes wait for the next poll");
        sink.room = 16;
        c.deliver(1000 + ConsoleInput.POLL, sink);
        assertEquals("ls\n", sink.bytes.toString(StandardCharsets.US_ASCII));
        c.idle(2_000_000, Long.MAX_VALUE); // input ended, no timer, nothing pending
        assertTrue(c.exhausted());
    }

    @Test
    void scriptedIdleWithTimerJumpsAtOnce() {
        ConsoleInput c = source(new ByteArrayInputStream(new byte[0]), false);
        long wake = c.mtime(0) + 10_000_000; // one second of guest time
        long t0 = System.nanoTime();
        c.idle(0, wake);
        assertTrue(System.nanoTime() - t0 < 500_000_000L, "scripted runs are not paced");
        assertTrue(c.mtime(0) >= wake);
        assertFalse(c.exhausted(), "a timer was armed");
    }

    @Test
    void idleIsPacedOnceTheScriptIsLongOver() {
        ConsoleInput c = source(new ByteArrayInputStream(new byte[0]), false);
        c.idle(0, Long.MAX_VALUE); // waits for the end of input
        long second = 10_000_000; // mtime ticks
        for (int i = 1; i <= 10; i++) {
            c.idle(0, i * second); // ten seconds of guest time pass at once
        }
        long wake = c.mtime(0) + 300_000; // then 30 ms more
        long t0 = System.nanoTime();
        c.idle(0, wake);
        assertTrue(System.nanoTime() - t0 >= 25_000_000L, "idle after the script is paced");
        assertTrue(c.mtime(0) >= wake);
    }

    @Test
    void ctrlAxStopsTheMachineAndCtrlAhPrintsHelp() {
        ConsoleInput c = source(new ByteArrayInputStream(new byte[] {'a', 1, 1, 1, 'h', 1, 'x'}), true);
        RecordingSink sink = new RecordingSink(16);
        c.idle(500, Long.MAX_VALUE);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!c.stopRequested() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(500, c.nextInputAt(500), "a stop is delivered at once");
        c.deliver(500, sink);
        assertTrue(sink.stopped);
        assertEquals("a\u0001", sink.bytes.toString(StandardCharsets.US_ASCII));
        assertTrue(messages.toString(StandardCharsets.UTF_8).contains("C-a x"));
    }

    @Test
    void interactiveIdleIsPacedAndWokenByAKey() throws IOException {
        PipedOutputStream keys = new PipedOutputStream();
        ConsoleInput c = source(new PipedInputStream(keys), true);
        long wake = c.mtime(0) + 300_000; // 30 ms of guest time
        long t0 = System.nanoTime();
        c.idle(0, wake);
        long slept = System.nanoTime() - t0;
        assertTrue(slept >= 25_000_000L, "slept " + slept + " ns for 30 ms of guest time");
        assertTrue(c.mtime(0) >= wake);

        long before = c.mtime(10);
        long far = before + 100_000_000; // ten seconds of guest time
        new Thread(() -> {
            try {
                Thread.sleep(50);
                keys.write('k');
                keys.flush();
            } catch (IOException | InterruptedException e) {
                throw new RuntimeException(e);
            }
        }).start();
        t0 = System.nanoTime();
        c.idle(10, far);
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "a key ends the sleep");
        assertEquals(before, c.mtime(10), "guest time does not jump when a key wakes it");
        assertEquals(10, c.nextInputAt(10));
        RecordingSink sink = new RecordingSink(16);
        c.deliver(10, sink);
        assertEquals("k", sink.bytes.toString(StandardCharsets.US_ASCII));
        keys.close();
    }

    /** --bios pacing: a line at a time, each once the guest's console has been quiet long enough. */
    @Test
    void typeWhenQuietTypesALineAfterEachQuietPeriod() {
        ConsoleInput c = source(new ByteArrayInputStream(ascii("ab\ncd\n")), false);
        long[] out = {0};
        c.typeWhenQuiet(1000, () -> out[0]);
        RecordingSink sink = new RecordingSink(16);
        c.idle(1000, Long.MAX_VALUE); // waits until the reader thread has queued the bytes
        c.deliver(1000, sink);
        assertEquals("", sink.bytes.toString(StandardCharsets.US_ASCII), "nothing before the console was quiet");
        long quietAt = c.icountForMtime(1000, c.mtime(1000) + 1000);
        c.deliver(quietAt - 1, sink);
        assertEquals("", sink.bytes.toString(StandardCharsets.US_ASCII));
        c.deliver(quietAt, sink);
        assertEquals("ab\n", sink.bytes.toString(StandardCharsets.US_ASCII), "one line, then wait again");
        out[0] += 3; // the guest echoes
        c.deliver(quietAt + 1, sink);
        assertFalse(c.exhausted(), "a held line is still to come");
        long next = c.icountForMtime(quietAt + 1, c.mtime(quietAt + 1) + 1000);
        c.deliver(next - 1, sink);
        assertEquals("ab\n", sink.bytes.toString(StandardCharsets.US_ASCII));
        c.deliver(next, sink);
        assertEquals("ab\ncd\n", sink.bytes.toString(StandardCharsets.US_ASCII));
    }
}
