package dev.tinyos.replay.checkpoint;

import dev.tinyos.replay.Replay;
import dev.tinyos.replay.ReplayOutcome;
import dev.tinyos.replay.TraceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Checkpoints saved into a trace ({@code tinyos index TRACE}): one {@link CheckpointFile} per
 * checkpoint in {@code TRACE/checkpoints/ICOUNT.ckpt}, so a later session seeks at once. The
 * trace stays valid without them: nothing else reads that directory, and a file that does not
 * fit the trace is refused, never used.
 *
 * <p>Invariant: a file named {@code N.ckpt} there holds the checkpoint at icount N.
 */
public final class TraceIndex {
    public static final String DIR = "checkpoints";
    private static final String SUFFIX = ".ckpt";

    private TraceIndex() {
    }

    /** Result of {@link #write}: how many files, their bytes, the replay's outcome. */
    public record Written(int count, long bytes, ReplayOutcome outcome) {
    }

    /**
     * Replays trace {@code dir} and saves a checkpoint every {@code spacing} instructions (the
     * old index is replaced).
     */
    public static Written write(Path dir, long spacing) throws TraceException, IOException {
        Path out = dir.resolve(DIR);
        if (Files.isDirectory(out)) {
            try (Stream<Path> s = Files.list(out)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(out);
        int count = 0;
        long bytes = 0;
        try (Replay replay = Replay.open(dir, null)) {
            long end = replay.summary().hasEnd() ? replay.summary().endIcount() : replay.summary().lastIcount();
            ReplayOutcome o = null;
            for (long at = spacing; at < end; at += spacing) {
                o = replay.runTo(at);
                if (!o.ok() || replay.machine().view().icount() != at) {
                    return new Written(count, bytes, o);
                }
                Path f = out.resolve(at + SUFFIX);
                CheckpointFile.write(f, Checkpoint.take(replay, null), replay);
                count++;
                bytes += Files.size(f);
            }
            return new Written(count, bytes, replay.run());
        }
    }

    /** The indexed checkpoint files of trace {@code dir} by icount (empty without an index). */
    public static TreeMap<Long, Path> files(Path dir) throws IOException {
        TreeMap<Long, Path> m = new TreeMap<>();
        Path d = dir.resolve(DIR);
        if (!Files.isDirectory(d)) {
            return m;
        }
        try (Stream<Path> s = Files.list(d)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (n.endsWith(SUFFIX) && n.substring(0, n.length() - SUFFIX.length()).matches("\\d{1,18}")) {
                    m.put(Long.parseLong(n.substring(0, n.length() - SUFFIX.length())), p);
                }
            }
        }
        return m;
    }

    /**
     * Puts {@code replay} at the indexed checkpoint nearest at or before {@code icount}, if its
     * trace has one; returns its icount, or -1 if none was usable (the replay is untouched).
     *
     * @throws CheckpointException if the nearest file is refused (another trace, damaged)
     */
    public static long restoreNearest(Replay replay, long icount) throws IOException, CheckpointException {
        var e = files(replay.trace().dir()).floorEntry(icount);
        if (e == null || e.getKey() <= replay.machine().view().icount()) {
            return -1;
        }
        CheckpointFile.read(e.getValue(), replay).restore(replay);
        return e.getKey();
    }
}
