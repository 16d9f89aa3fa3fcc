package dev.tinyos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The damaged traces of issue 11, one by one, through the commands a user types: each is refused
 * in one sentence that names the damage (exit 2), never with a stack trace, never as a divergence
 * of the emulator, never "verified".
 */
class TraceDamageTest {
    static final String QUEUE = "queue/19700101F.cq4";

    @TempDir
    static Path shared;
    static Path original;

    @TempDir
    Path dir;

    @BeforeAll
    static void record() throws Exception {
        original = SmallTrace.record(shared);
    }

    /** A copy of the recorded trace to damage. */
    Path copy(String name) throws IOException {
        Path to = dir.resolve(name);
        try (Stream<Path> s = Files.walk(original)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.naturalOrder())::iterator) {
                Path t = to.resolve(original.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return to;
    }

    /** Bytes of the queue file up to its last document (what the events really take). */
    static long usedBytes(Path trace) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(trace.resolve(QUEUE))).order(ByteOrder.LITTLE_ENDIAN);
        int p = 0;
        while (b.getInt(p) != 0) {
            p = (p + 4 + (b.getInt(p) & 0x3FFF_FFFF) + 3) & ~3;
        }
        return p;
    }

    static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    /** verify, replay and info all refuse {@code trace} with one line containing {@code words}. */
    static void refusedByAll(Path trace, String... words) throws Exception {
        for (String cmd : new String[] {"verify", "replay", "info"}) {
            Cli.Result r = Cli.run(cmd, trace.toString());
            assertEquals(BadInputException.EXIT_CODE, r.status(), cmd + ": " + r.err());
            assertEquals(1, r.errLines(), cmd + ", one line: " + r.err());
            assertFalse(r.leaksInternals(), cmd + ": " + r.err());
            assertFalse(r.err().contains("diverged"), cmd + " blames the emulator: " + r.err());
            for (String w : words) {
                assertTrue(r.err().contains(w), cmd + " should say '" + w + "': " + r.err());
            }
        }
    }

    @Test
    void theOriginalVerifies() throws Exception {
        Cli.Result r = Cli.run("verify", original.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("verified"), r.err());
    }

    @Test
    void aQueueCutTo10Or50PercentOfItsEventsIsRefusedAsTruncated() throws Exception {
        for (int percent : new int[] {10, 50, 90}) {
            Path t = copy("cut" + percent);
            truncate(t.resolve(QUEUE), usedBytes(t) * percent / 100);
            refusedByAll(t, "truncated");
        }
    }

    @Test
    void aQueueCutInsideARecordNamesTheEventNotADivergence() throws Exception {
        Path t = copy("mid");
        truncate(t.resolve(QUEUE), usedBytes(t) - 7); // inside the end record
        refusedByAll(t, "truncated", "event ");
    }

    @Test
    void aTraceWithoutEventsIsNotVerified() throws Exception {
        Path gone = copy("gone");
        Files.delete(gone.resolve(QUEUE));
        refusedByAll(gone, "no event file");
        Path renamed = copy("renamed");
        Files.move(renamed.resolve(QUEUE), renamed.resolve("queue/old.cq4"));
        refusedByAll(renamed, "no event file");
        Path empty = copy("empty");
        truncate(empty.resolve(QUEUE), 0);
        refusedByAll(empty, "truncated");
        Path noQueue = copy("noqueue");
        try (Stream<Path> s = Files.list(noQueue.resolve("queue"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.delete(p);
            }
        }
        Files.delete(noQueue.resolve("queue"));
        refusedByAll(noQueue, "no event queue");
    }

    @Test
    void aQueueCutBeforeItsFirstEventHoldsNoEvents() throws Exception {
        Path t = copy("first");
        // keep Chronicle's own header documents, zero everything from the first event on
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(t.resolve(QUEUE))).order(ByteOrder.LITTLE_ENDIAN);
        int p = 0;
        while ((b.getInt(p) & 0x4000_0000) != 0) {
            p = (p + 4 + (b.getInt(p) & 0x3FFF_FFFF) + 3) & ~3;
        }
        byte[] all = b.array();
        java.util.Arrays.fill(all, p, all.length, (byte) 0);
        Files.write(t.resolve(QUEUE), all);
        refusedByAll(t, "holds no events");
    }

    @Test
    void aDamagedOrMissingChronicleMetadataFileIsHarmless() throws Exception {
        Cli.Result good = Cli.run("verify", original.toString());
        Path empty = copy("meta0");
        truncate(empty.resolve("queue/metadata.cq4t"), 0);
        Path gone = copy("metagone");
        Files.delete(gone.resolve("queue/metadata.cq4t"));
        for (Path t : new Path[] {empty, gone}) {
            Cli.Result r = Cli.run("verify", t.toString());
            assertEquals(0, r.status(), r.err());
            assertEquals(good.err(), r.err().replace(t.toString(), original.toString()));
            assertFalse(r.leaksInternals(), r.err());
        }
    }

    @Test
    void aFlippedByteInAnEventIsNamedAsDamage() throws Exception {
        Path t = copy("flip");
        long at = usedBytes(t) - 40; // inside the end record's digest
        byte[] q = Files.readAllBytes(t.resolve(QUEUE));
        q[(int) at] ^= 0x10;
        Files.write(t.resolve(QUEUE), q);
        refusedByAll(t, "corrupt", "checksum");
    }

    @Test
    void impossibleHeaderValuesAreRefused() throws Exception {
        String[][] edits = {{"machine.revision", "-1"}, {"disk.bytes", "513"}, {"clock.mode", "hots"},
            {"digest.interval", "3"}, {"disk.readOnly", "maybe"}, {"kernel.sha256", "xyz"}};
        for (String[] e : edits) {
            Path t = copy("h-" + e[0]);
            HeaderFields.set(t, e[0], e[1], true);
            refusedByAll(t, "header", e[0]);
        }
        Path raw = copy("h-raw");
        HeaderFields.set(raw, "machine.revision", "1", false); // an edit without the checksum
        refusedByAll(raw, "header", "checksum");
    }

    @Test
    void infoRefusesADamagedInitialDiskAsVerifyDoes() throws Exception {
        Path t = copy("gz");
        byte[] gz = Files.readAllBytes(t.resolve("disk.img.gz"));
        gz[gz.length - 8] ^= 0x01; // the CRC-32 of the gzip trailer
        Files.write(t.resolve("disk.img.gz"), gz);
        refusedByAll(t, "disk image");
    }
}
