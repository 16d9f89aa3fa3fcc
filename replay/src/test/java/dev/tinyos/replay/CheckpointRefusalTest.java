package dev.tinyos.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.core.input.VirtualClock;
import dev.tinyos.replay.checkpoint.Checkpoint;
import dev.tinyos.replay.checkpoint.CheckpointException;
import dev.tinyos.replay.checkpoint.CheckpointFile;
import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint file of another trace, of another format version, truncated, with a flipped
 * byte, or not a checkpoint at all is refused with one sentence, and the replay it was offered
 * to is untouched; the same file read for its own trace restores.
 */
class CheckpointRefusalTest {
    @TempDir
    Path tmp;

    private Path record(String name, String input) throws Exception {
        Path trace = tmp.resolve(name);
        RecordReplayTest.record(trace, Guest.require("board/echo.elf"), null,
                VirtualClock.withInput(input.getBytes(StandardCharsets.US_ASCII)), new ByteArrayOutputStream(),
                100_000_000L, 1L << 12);
        return trace;
    }

    @Test
    void foreignDamagedAndOtherVersionCheckpointsAreRefusedInOneSentence() throws Exception {
        Path a = record("a", "hello\n");
        Path b = record("b", "other input\n");
        Path file = tmp.resolve("a.ckpt");
        long at;
        try (Replay replay = Replay.open(a, null)) {
            replay.runTo(1001);
            at = replay.machine().view().icount();
            CheckpointFile.write(file, Checkpoint.take(replay, null), replay);
        }
        try (Replay other = Replay.open(b, null)) {
            String m = refused(file, other);
            assertTrue(m.contains("belongs to another trace"), m);
            assertEquals(0, other.machine().view().icount());
        }
        byte[] good = Files.readAllBytes(file);
        try (Replay replay = Replay.open(a, null)) {
            Path cut = tmp.resolve("cut.ckpt");
            Files.write(cut, java.util.Arrays.copyOf(good, good.length / 2));
            assertTrue(refused(cut, replay).contains("damaged"), refused(cut, replay));
            Path flipped = tmp.resolve("flipped.ckpt");
            byte[] f = good.clone();
            f[f.length - 40] ^= 0x55;
            Files.write(flipped, f);
            assertTrue(refused(flipped, replay).contains("damaged"), refused(flipped, replay));
            Path version = tmp.resolve("v.ckpt");
            byte[] v = good.clone();
            v[15] = 99;
            Files.write(version, v);
            assertTrue(refused(version, replay).contains("format version 99"), refused(version, replay));
            Path other = tmp.resolve("x.ckpt");
            Files.writeString(other, "hello");
            assertTrue(refused(other, replay).contains("is not a tiny-os checkpoint"), refused(other, replay));
            CheckpointFile.read(file, replay).restore(replay);
            assertEquals(at, replay.machine().view().icount());
            assertTrue(replay.run().ok());
        }
    }

    private static String refused(Path file, Replay replay) {
        String m = assertThrows(CheckpointException.class, () -> CheckpointFile.read(file, replay)).getMessage();
        assertTrue(m.endsWith(".") && !m.contains("\n"), "one sentence: " + m);
        return m;
    }
}
