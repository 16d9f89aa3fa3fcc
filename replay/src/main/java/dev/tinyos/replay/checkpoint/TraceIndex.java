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
 * <p>Indexing a trace that has an index already adds only what is missing: the files there
 * that this tinyos reads for this trace are kept (whatever their spacing), the replay starts
 * from the newest of them before the first missing multiple of the spacing, and each missing
 * one is written atomically ({@link CheckpointFile#write}). Files there that are refused
 * (another trace or format version, damaged) are deleted, since nothing could ever use them,
 * and so are the temporary files of a killed index; nothing else in the directory, and nothing
 * else of the trace, is touched. So an index killed at any moment leaves only whole checkpoints,
 * and running it again finishes the job.
 *
 * <p>Invariant: a file named {@code N.ckpt} there holds the checkpoint at icount N, whole.
 */
public final class TraceIndex {
    public static final String DIR = "checkpoints";
    private static final String SUFFIX = ".ckpt";

    private TraceIndex() {
    }

    /**
     * Result of {@link #write}: files written now, valid files kept, refused or temporary files
     * deleted, the bytes of all the index's files, and the outcome of the replay that took the
     * new ones (null if none were missing and nothing was replayed).
     */
    public record Written(int count, int kept, int deleted, long bytes, ReplayOutcome outcome) {
        /** True unless the replay (if any) stopped following the trace. */
        public boolean ok() {
            return outcome == null || outcome.ok();
        }
    }

    /** The default spacing of an index of a trace of {@code end} instructions: a 16th, at least four in-memory spacings. */
    public static long defaultSpacing(long end) {
        return Math.max(Checkpoints.spacingFor(end) * 4, end / 16);
    }

    /** As {@link #write(Path, long, Path)} into the trace's own {@code checkpoints/}. */
    public static Written write(Path dir, long spacing) throws TraceException, IOException {
        return write(dir, spacing, dir.resolve(DIR));
    }

    /**
     * Replays trace {@code dir} and saves into directory {@code out} a checkpoint at every
     * multiple of {@code spacing} before the end that {@code out} does not hold yet (see the class
     * comment for what it keeps, deletes and where the replay starts); then replays on to the end,
     * so the outcome says whether the whole trace still matched.
     */
    public static Written write(Path dir, long spacing, Path out) throws TraceException, IOException {
        Files.createDirectories(out);
        int deleted = 0;
        try (Stream<Path> s = Files.list(out)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().startsWith(CheckpointFile.TEMP_PREFIX)) {
                    Files.deleteIfExists(p); // left by an index killed while it wrote
                    deleted++;
                }
            }
        }
        try (Replay replay = Replay.open(dir, null)) {
            long end = replay.summary().hasEnd() ? replay.summary().endIcount() : replay.summary().lastIcount();
            TreeMap<Long, Path> valid = new TreeMap<>();
            for (var e : filesIn(out).entrySet()) {
                try {
                    CheckpointFile.read(e.getValue(), replay);
                    valid.put(e.getKey(), e.getValue());
                } catch (CheckpointException refused) {
                    Files.deleteIfExists(e.getValue());
                    deleted++;
                }
            }
            java.util.List<Long> missing = new java.util.ArrayList<>();
            for (long at = spacing; at < end && at > 0; at += spacing) {
                if (!valid.containsKey(at)) {
                    missing.add(at);
                }
            }
            if (missing.isEmpty()) {
                return new Written(0, valid.size(), deleted, sizes(out), null);
            }
            var from = valid.floorEntry(missing.get(0));
            if (from != null) {
                try {
                    CheckpointFile.read(from.getValue(), replay).restore(replay);
                } catch (CheckpointException e) {
                    throw new IOException(e.getMessage(), e); // it was read a moment ago
                }
            }
            try (Writer writer = new Writer(TraceIdentity.of(replay))) {
                for (long at : missing) {
                    ReplayOutcome o = replay.runTo(at);
                    if (!o.ok() || replay.machine().view().icount() != at) {
                        writer.finish();
                        return new Written(writer.written, valid.size(), deleted, sizes(out), o);
                    }
                    writer.submit(out.resolve(at + SUFFIX), Checkpoint.capture(replay));
                }
                ReplayOutcome o = replay.run();
                writer.finish();
                return new Written(writer.written, valid.size(), deleted, sizes(out), o);
            }
        }
    }

    /**
     * Compresses and writes captured checkpoints on a thread of its own, while the replay goes
     * on; at most {@link #IN_FLIGHT} captures wait (each up to the size of RAM), the replay waits
     * for a slot beyond that. Invariant: {@code written} counts the files written whole; the first
     * failure is thrown by the next {@link #submit} or {@link #finish}.
     */
    private static final class Writer implements AutoCloseable {
        static final int IN_FLIGHT = 2;
        private final String identity;
        private final java.util.concurrent.ExecutorService thread = java.util.concurrent.Executors.newSingleThreadExecutor(
                r -> {
                    Thread t = new Thread(r, "tinyos-index-writer");
                    t.setDaemon(true);
                    return t;
                });
        private final java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(IN_FLIGHT);
        private final java.util.List<java.util.concurrent.Future<?>> pending = new java.util.ArrayList<>();
        int written;

        Writer(String identity) {
            this.identity = identity;
        }

        void submit(Path file, Checkpoint.Capture c) throws IOException {
            check(false);
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting to write " + file);
            }
            pending.add(thread.submit(() -> {
                try {
                    CheckpointFile.write(file, identity, c);
                    return null;
                } finally {
                    slots.release();
                }
            }));
        }

        /** Waits for every file submitted; throws the first failure. */
        void finish() throws IOException {
            check(true);
        }

        private void check(boolean all) throws IOException {
            for (var it = pending.iterator(); it.hasNext(); ) {
                var f = it.next();
                if (!all && !f.isDone()) {
                    continue;
                }
                try {
                    f.get();
                    written++;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while writing checkpoints");
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable c = e.getCause();
                    throw c instanceof IOException io ? io : new IOException(String.valueOf(c.getMessage()), c);
                } finally {
                    it.remove();
                }
            }
        }

        @Override
        public void close() {
            thread.shutdown();
            try {
                thread.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES); // after a failure: let writes end whole
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static long sizes(Path out) throws IOException {
        long bytes = 0;
        for (Path p : filesIn(out).values()) {
            bytes += Files.size(p);
        }
        return bytes;
    }

    /** The indexed checkpoint files of trace {@code dir} by icount (empty without an index). */
    public static TreeMap<Long, Path> files(Path dir) throws IOException {
        return filesIn(dir.resolve(DIR));
    }

    /** The checkpoint files {@code N.ckpt} in directory {@code d} by icount (empty if there is none). */
    static TreeMap<Long, Path> filesIn(Path d) throws IOException {
        TreeMap<Long, Path> m = new TreeMap<>();
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
