package dev.tinyos.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.core.input.VirtualClock;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read-ahead thread yields exactly what reading the queue directly yields, errors included. */
class EventPrefetcherTest {
    @TempDir
    Path tmp;

    private Path record() throws Exception {
        Path trace = tmp.resolve("t");
        RecordReplayTest.record(trace, Guest.require("kernel.elf"), null,
                VirtualClock.withInput("echo hello there\npoweroff\n".getBytes(StandardCharsets.US_ASCII)),
                new ByteArrayOutputStream(), 2_000_000_000L, 1L << 16);
        return trace;
    }

    private static List<String> drain(EventStream s) throws TraceException {
        List<String> out = new ArrayList<>();
        Event e = new Event();
        while (s.next(e)) {
            out.add(e + (e.digest != null && e.kind >= EventKind.DIGEST ? " pc " + e.digest.pc : ""));
        }
        assertFalse(s.next(e), "the end stays the end");
        return out;
    }

    @Test
    void sameEventsInTheSameOrderWhateverTheRingSize() throws Exception {
        Path trace = record();
        List<String> direct;
        try (EventReader r = new EventReader(trace)) {
            direct = drain(r);
        }
        assertTrue(direct.size() > 50, "a trace with some events: " + direct.size());
        for (int capacity : new int[] {1, 4, 64, EventPrefetcher.CAPACITY}) {
            try (EventPrefetcher p = new EventPrefetcher(trace, TraceHeader.FORMAT_VERSION, capacity)) {
                assertEquals(direct, drain(p), "ring of " + capacity);
            }
        }
    }

    @Test
    void aDamagedQueueGivesTheReadersError() throws Exception {
        Path trace = tmp.resolve("bad");
        try (EventLog log = new EventLog(trace)) {
            for (long icount : new long[] {10, 20, 30, 5}) { // the last one goes back in time
                log.uart(icount, 'x');
            }
        }
        String direct = assertThrows(TraceException.class, () -> {
            try (EventReader r = new EventReader(trace)) {
                drain(r);
            }
        }).getMessage();
        assertTrue(direct.contains("event 4"), direct);
        for (int capacity : new int[] {1, 2, 16}) {
            try (EventPrefetcher p = new EventPrefetcher(trace, TraceHeader.FORMAT_VERSION, capacity)) {
                Event e = new Event();
                for (int i = 0; i < 3; i++) {
                    assertTrue(p.next(e));
                }
                assertEquals(direct, assertThrows(TraceException.class, () -> p.next(e)).getMessage());
            }
        }
    }
}
