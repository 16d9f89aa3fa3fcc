package dev.tinyos.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.core.input.VirtualClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupts one event in a copy of a recorded trace and checks that verify pinpoints it, and
 * that damaged traces are refused with one sentence.
 */
class CorruptTraceTest {
    private static final long INTERVAL = 1L << 16;

    @TempDir
    Path tmp;
    Path original;

    @BeforeEach
    void record() throws Exception {
        original = tmp.resolve("orig");
        RecordReplayTest.record(original, Guest.require("kernel.elf"), null,
                VirtualClock.withInput("echo abc\npoweroff\n".getBytes(StandardCharsets.US_ASCII)),
                new ByteArrayOutputStream(), 2_000_000_000L, INTERVAL);
    }

    /** Copies the trace, rewriting its queue; {@code edit} may change the n-th event (from 1). */
    private Path rewrite(String name, Editor edit) throws Exception {
        Path copy = tmp.resolve(name);
        Files.createDirectories(copy);
        for (String f : List.of(TraceHeader.FILE, Trace.KERNEL)) {
            Files.copy(original.resolve(f), copy.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        try (EventReader r = new EventReader(original); EventLog log = new EventLog(copy)) {
            Event e = new Event();
            long n = 0;
            while (r.next(e)) {
                n++;
                edit.edit(n, e);
                log.event(e);
            }
        }
        return copy;
    }

    interface Editor {
        void edit(long n, Event e);
    }

    private static ReplayOutcome verify(Path trace) throws TraceException {
        try (Replay r = Replay.open(trace, null)) {
            return r.run();
        }
    }

    @Test
    void unchangedCopyVerifies() throws Exception {
        assertEquals(ReplayOutcome.Status.MATCHED, verify(rewrite("same", (n, e) -> { })).status());
    }

    @Test
    void changedTypedByteIsPinpointedAtTheNextDigest() throws Exception {
        long[] at = {-1};
        Path bad = rewrite("byte", (n, e) -> {
            if (e.kind == EventKind.UART && e.value == 'b' && at[0] < 0) {
                e.value = 'x';
                at[0] = e.icount;
            }
        });
        assertTrue(at[0] > 0);
        ReplayOutcome o = verify(bad);
        assertEquals(ReplayOutcome.Status.DIVERGED, o.status(), o.message());
        long firstDigestAfter = Recording.nextBoundary(at[0], INTERVAL);
        assertTrue(o.icount() >= at[0] && o.icount() <= firstDigestAfter,
                "diverged at " + o.icount() + ", byte changed at " + at[0] + ": " + o.message());
        assertTrue(o.message().contains("diverged at icount " + o.icount()), o.message());
    }

    @Test
    void changedDigestNamesTheRegister() throws Exception {
        long[] at = {-1};
        Path bad = rewrite("digest", (n, e) -> {
            if (e.kind == EventKind.DIGEST && at[0] < 0 && e.icount >= 4 * INTERVAL) {
                e.digest.x[10] ^= 1;
                at[0] = e.icount;
            }
        });
        ReplayOutcome o = verify(bad);
        assertEquals(ReplayOutcome.Status.DIVERGED, o.status());
        assertEquals(at[0], o.icount());
        assertEquals(1, o.differences().size(), o.differences().toString());
        assertTrue(o.differences().get(0).startsWith("x10 (a0)"), o.differences().toString());
    }

    @Test
    void changedMemoryHashIsReportedAtItsOwnDigestBeforeALaterRegisterDifference() throws Exception {
        long[] at = {-1, -1};
        Path bad = rewrite("memory", (n, e) -> {
            if (e.kind != EventKind.DIGEST || e.icount < 4 * INTERVAL) {
                return;
            }
            if (at[0] < 0) {
                e.digest.memory ^= 1; // judged while the replay runs on to the next digest
                at[0] = e.icount;
            } else if (at[1] < 0) {
                e.digest.x[10] ^= 1;
                at[1] = e.icount;
            }
        });
        assertTrue(at[1] > at[0] && at[0] > 0);
        ReplayOutcome o = verify(bad);
        assertEquals(ReplayOutcome.Status.DIVERGED, o.status(), o.message());
        assertEquals(at[0], o.icount(), o.message());
        assertEquals(List.of("memory written between icount " + (at[0] - INTERVAL) + " and " + at[0] + " differs"),
                o.differences());
    }

    @Test
    void changedMemoryHashInTheLastDigestIsReportedAtTheEnd() throws Exception {
        long last = 0;
        try (EventReader r = new EventReader(original)) {
            Event e = new Event();
            while (r.next(e)) {
                if (e.kind == EventKind.DIGEST) {
                    last = e.icount;
                }
            }
        }
        long lastDigest = last;
        Path bad = rewrite("lastmemory", (n, e) -> {
            if (e.kind == EventKind.DIGEST && e.icount == lastDigest) {
                e.digest.memory ^= 1;
            }
        });
        ReplayOutcome o = verify(bad);
        assertEquals(ReplayOutcome.Status.DIVERGED, o.status(), o.message());
        assertEquals(lastDigest, o.icount(), o.message());
    }

    @Test
    void otherFormatVersionIsRefusedWithOneSentence() throws Exception {
        Path copy = rewrite("version", (n, e) -> { });
        HeaderEdit.set(copy, "format.version", "99");
        TraceException e = assertThrows(TraceException.class, () -> Replay.open(copy, null));
        assertTrue(e.getMessage().contains("format version 99"), e.getMessage());
    }

    @Test
    void differentKernelIsRefused() throws Exception {
        Path copy = rewrite("kernel", (n, e) -> { });
        Files.write(copy.resolve(Trace.KERNEL), new byte[] {1}, StandardOpenOption.APPEND);
        TraceException e = assertThrows(TraceException.class, () -> Replay.open(copy, null));
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    }

    @Test
    void anotherDeviceTreeIsRefusedButATraceWithoutItsHashStillReplays() throws Exception {
        Path h = original.resolve(TraceHeader.FILE);
        String header = Files.readString(h);
        assertTrue(header.contains("machine.dtb.sha256=" + Trace.dtbSha256(128, TraceHeader.MACHINE_REVISION)), header);
        Path other = rewrite("dtb", (n, e) -> { });
        HeaderEdit.set(other, "machine.dtb.sha256", "0".repeat(64));
        TraceException e = assertThrows(TraceException.class, () -> Replay.open(other, null));
        assertTrue(e.getMessage().contains("another device tree"), e.getMessage());
        Path old = rewrite("nodtb", (n, ev) -> { }); // as recorded before the hash was kept
        HeaderEdit.set(old, "machine.dtb.sha256", null);
        assertEquals(ReplayOutcome.Status.MATCHED, verify(old).status());
    }

    @Test
    void aNewerMachineRevisionIsRefusedAndAnOlderOneIsNamedWhenItDiverges() throws Exception {
        Path h = original.resolve(TraceHeader.FILE);
        String header = Files.readString(h);
        assertTrue(header.contains("machine.revision=" + TraceHeader.MACHINE_REVISION), header);
        Path newer = rewrite("newer", (n, e) -> { });
        HeaderEdit.set(newer, "machine.revision", "99");
        TraceException e = assertThrows(TraceException.class, () -> Replay.open(newer, null));
        assertTrue(e.getMessage().contains("newer tinyos (machine revision 99"), e.getMessage());
        long[] at = {-1};
        Path older = rewrite("older", (n, ev) -> {
            if (ev.kind == EventKind.DIGEST && at[0] < 0) {
                ev.digest.x[10] ^= 1;
                at[0] = ev.icount;
            }
        });
        HeaderEdit.set(older, "machine.revision", "3"); // its tree too: revision 3's, as then recorded
        HeaderEdit.set(older, "machine.dtb.sha256", Trace.dtbSha256(128, 3));
        ReplayOutcome o = verify(older);
        assertEquals(ReplayOutcome.Status.DIVERGED, o.status());
        assertEquals(at[0], o.icount());
        assertTrue(o.message().contains("recorded on machine revision 3"), o.message());
        assertTrue(o.message().endsWith(")."), o.message());
    }

    @Test
    void garbageQueueIsRefused() throws Exception {
        Path copy = rewrite("garbage", (n, e) -> { });
        garbleQueue(copy);
        TraceException e = assertThrows(TraceException.class, () -> verifyOrThrow(copy));
        assertTrue(e.getMessage().endsWith("."), e.getMessage());
    }

    /** Overwrites every 7th byte of trace {@code trace}'s queue files (shared with other tests). */
    static void garbleQueue(Path trace) throws IOException {
        try (Stream<Path> s = Files.list(trace.resolve(Queues.DIR))) {
            for (Path f : (Iterable<Path>) s::iterator) {
                if (f.toString().endsWith(".cq4")) {
                    byte[] b = Files.readAllBytes(f);
                    for (int i = 0; i < b.length; i += 7) {
                        b[i] = (byte) 0x5A;
                    }
                    Files.write(f, b);
                }
            }
        }
    }

    private static void verifyOrThrow(Path trace) throws TraceException, IOException {
        ReplayOutcome o = verify(trace);
        if (o.status() == ReplayOutcome.Status.CORRUPT) {
            throw new TraceException(o.message());
        }
        throw new AssertionError("garbage queue accepted: " + o.message());
    }
}
