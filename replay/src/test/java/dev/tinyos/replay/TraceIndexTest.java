package dev.tinyos.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.replay.checkpoint.CheckpointFile;
import dev.tinyos.replay.checkpoint.TraceIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tinyos index} on a trace that has an index already: the valid files are kept as they
 * are (not rewritten), only the missing multiples of the spacing are added, refused files and
 * the temporary files of a killed index are deleted, anything else in the directory is left
 * alone; every file then restores the straight replay's state.
 */
class TraceIndexTest {
    @TempDir
    Path tmp;

    @Test
    void indexingAgainKeepsWhatIsThereAddsWhatIsMissingAndDeletesOnlyWhatCanNeverBeRead() throws Exception {
        Path trace = tmp.resolve("t");
        RecordReplayTest.recordKstress(trace);
        long end;
        try (Replay r = Replay.open(trace, null)) {
            end = r.summary().endIcount();
        }
        long s = end / 8;
        TraceIndex.Written first = TraceIndex.write(trace, 2 * s);
        assertTrue(first.ok(), first.outcome().message());
        assertEquals((end - 1) / (2 * s), first.count());
        TreeMap<Long, Path> files = TraceIndex.files(trace);
        assertEquals(first.count(), files.size());

        TraceIndex.Written again = TraceIndex.write(trace, 2 * s);
        assertEquals(0, again.count(), "nothing missing: nothing written");
        assertEquals(first.count(), again.kept());
        assertNull(again.outcome(), "nothing missing: nothing replayed");

        Path dir = trace.resolve(TraceIndex.DIR);
        Map<Path, byte[]> before = new HashMap<>();
        Map<Path, FileTime> stamps = new HashMap<>();
        for (Path p : files.values()) {
            before.put(p, Files.readAllBytes(p));
            stamps.put(p, Files.getLastModifiedTime(p));
        }
        long gone = files.firstKey();
        Files.delete(files.get(gone));                                   // a file lost
        Path junk = dir.resolve((3 * s) + ".ckpt");                       // an odd multiple: not a checkpoint
        Files.writeString(junk, "not a checkpoint");
        Path partial = dir.resolve(CheckpointFile.TEMP_PREFIX + "4242-" + (5 * s) + ".ckpt"); // a killed write
        Files.write(partial, new byte[100]);
        Path truncated = dir.resolve((7 * s) + ".ckpt");                  // an old writer killed halfway
        byte[] whole = before.get(files.lastEntry().getValue());
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
        Path notes = dir.resolve("notes.txt");                            // the user's: never touched
        Files.writeString(notes, "mine");

        TraceIndex.Written finer = TraceIndex.write(trace, s);
        assertTrue(finer.ok(), finer.outcome().message());
        assertEquals(3, finer.deleted(), "the junk, the truncated file and the partial one");
        assertEquals(first.count() - 1, finer.kept());
        TreeMap<Long, Path> now = TraceIndex.files(trace);
        for (long at = s; at < end; at += s) {
            assertTrue(now.containsKey(at), "missing " + at + " in " + now.keySet());
        }
        assertEquals((end - 1) / s, now.size());
        assertEquals(finer.count() + finer.kept(), now.size());
        assertFalse(Files.exists(partial));
        assertEquals("mine", Files.readString(notes));
        for (Path p : before.keySet()) {
            if (!p.equals(files.get(gone))) {
                assertArrayEquals(before.get(p), Files.readAllBytes(p), "kept as it was: " + p);
                assertEquals(stamps.get(p), Files.getLastModifiedTime(p), "not rewritten: " + p);
            }
        }
        // every file, old and new, restores the straight replay's state
        Map<Long, String> straight = new HashMap<>();
        try (Replay r = Replay.open(trace, null)) {
            for (long at : now.keySet()) {
                assertTrue(r.runTo(at + 1001).ok());
                straight.put(at, Fingerprint.of(r));
            }
        }
        for (long at : now.keySet()) {
            try (Replay r = Replay.open(trace, null)) {
                CheckpointFile.read(now.get(at), r).restore(r);
                assertTrue(r.runTo(at + 1001).ok());
                assertEquals(straight.get(at), Fingerprint.of(r), "restored from " + now.get(at));
            }
        }
    }
}
