package dev.tinyos.replay.checkpoint;

import dev.tinyos.replay.Replay;
import java.util.TreeMap;

/**
 * The checkpoints of one replay, taken during its first pass forward and kept in memory, so
 * that going back (a seek, a reverse step or continue) restores the nearest earlier one and
 * replays only the stretch after it.
 *
 * <p>Spacing and budget (docs/checkpoints.md): one checkpoint at icount 0 and then at every
 * multiple of the spacing ({@link #spacingFor}: a 64th of the trace, at least 2^20 and at most
 * 2^23 instructions) the first time the replay passes it; every {@link #FULL_EVERY}-th holds all
 * of RAM, the others the pages written since the previous one. When the next one would take the
 * memory held past the budget ({@link #DEFAULT_BUDGET}, system property
 * {@code tinyos.checkpoint.budgetMiB}), no more are taken: seeks beyond the last one replay
 * from it.
 *
 * <p>Invariant: {@code taken} maps icounts to checkpoints of this replay; {@code last} is the
 * checkpoint taken last since the replay last restored one (null after a restore), so an
 * increment is always over the state it was computed against.
 */
public final class Checkpoints {
    /** Default memory budget for the checkpoints of one replay: 1 GiB. */
    public static final long DEFAULT_BUDGET = Long.getLong("tinyos.checkpoint.budgetMiB", 1024) << 20;
    /** Every this many checkpoints, a full one (bounds the chain a restore walks). */
    static final int FULL_EVERY = 16;

    private final Replay replay;
    private final long spacing;
    private final long budget;
    private final TreeMap<Long, Checkpoint> taken = new TreeMap<>();
    private Checkpoint last;
    private int sinceFull;
    private long frontier;
    private long bytes;
    private boolean exhausted;
    private long restores;
    /** The checkpoint restored last, materialized (restoring it again rewrites only what changed); or null. */
    private Checkpoint.Materialized lastRestored;
    /**
     * A checkpoint taken close before a target the replay went back to (reverse steps go back
     * by one instruction at a time): outside the budget, replaced by the next one, or null.
     */
    private Checkpoint near;
    /** Checkpoint files saved into the trace ({@link TraceIndex}) not loaded yet, by icount. */
    private final TreeMap<Long, java.nio.file.Path> indexed;
    /** How far behind a target a {@link #near} checkpoint is worth taking. */
    static final long NEAR = 1L << 16;

    /** Checkpoints of {@code replay}, which must stand at icount 0: the first is taken now. */
    public Checkpoints(Replay replay, long spacing, long budget) {
        this.replay = replay;
        this.spacing = spacing;
        this.budget = budget;
        TreeMap<Long, java.nio.file.Path> files;
        try {
            files = TraceIndex.files(replay.trace().dir());
        } catch (java.io.IOException e) {
            files = new TreeMap<>(); // no usable index: the replay takes its own checkpoints
        }
        this.indexed = files;
        take();
    }

    /** The documented spacing for a trace of {@code end} instructions. */
    public static long spacingFor(long end) {
        return Math.max(1L << 20, Math.min(1L << 23, end / 64));
    }

    public long spacing() {
        return spacing;
    }

    /** The next icount after {@code now} at which a checkpoint is due, or MAX_VALUE. */
    public long nextDue(long now) {
        if (exhausted) {
            return Long.MAX_VALUE;
        }
        long due = (Math.max(now, frontier) / spacing + 1) * spacing;
        return due;
    }

    /** Takes a checkpoint if the replay stands where one is due and none was taken yet. */
    public void takeIfDue() {
        long now = replay.machine().view().icount();
        if (!exhausted && now > frontier && now % spacing == 0) {
            take();
        }
    }

    private void take() {
        boolean full = last == null || sinceFull >= FULL_EVERY - 1;
        Checkpoint c = Checkpoint.take(replay, full ? null : last);
        if (bytes + c.bytes() > budget && !taken.isEmpty()) {
            exhausted = true;
            return;
        }
        bytes += c.bytes();
        sinceFull = full ? 0 : sinceFull + 1;
        last = c;
        taken.put(c.icount(), c);
        frontier = Math.max(frontier, c.icount());
    }

    /** The icount of the nearest checkpoint at or before {@code icount} (0 at least). */
    public long nearestAtOrBefore(long icount) {
        return at(icount).icount();
    }

    /** Restores the nearest checkpoint at or before {@code icount}; returns its icount. */
    public long restoreBefore(long icount) {
        Checkpoint c = at(icount);
        lastRestored = c.restore(replay, lastRestored);
        last = null;
        restores++;
        return c.icount();
    }

    /**
     * The replay went back and is on its way to {@code target} from a checkpoint far before it:
     * the icount at which a checkpoint near the target is worth taking ({@link #takeNear}), or
     * -1 if none is needed.
     */
    public long nearPoint(long target) {
        long from = at(target).icount();
        return target - from > 2 * NEAR ? target - NEAR : -1;
    }

    /** Takes the checkpoint near a target the replay now stands at ({@link #nearPoint}). */
    public void takeNear() {
        near = Checkpoint.take(replay, null);
        last = null;
    }

    /** The checkpoint nearest at or before {@code icount} (the near one included). */
    public Checkpoint at(long icount) {
        Checkpoint c = taken.floorEntry(Math.max(0, icount)).getValue();
        var f = indexed.floorEntry(icount);
        while (f != null && f.getKey() > c.icount()) { // a nearer one saved in the trace: load it now
            indexed.remove(f.getKey());
            try {
                Checkpoint loaded = CheckpointFile.read(f.getValue(), replay);
                taken.put(loaded.icount(), loaded);
                bytes += loaded.bytes();
                c = loaded;
                break;
            } catch (CheckpointException e) {
                f = indexed.floorEntry(icount); // refused (another trace, damaged): never used
            }
        }
        return near != null && near.icount() <= icount && near.icount() > c.icount() ? near : c;
    }

    /** How many checkpoints are held. */
    public int count() {
        return taken.size();
    }

    /** Bytes held by all checkpoints. */
    public long bytes() {
        return bytes;
    }

    /** Checkpoints restored so far. */
    public long restores() {
        return restores;
    }

    /** True once the budget stopped further checkpoints. */
    public boolean exhausted() {
        return exhausted;
    }

    /** One line for {@code monitor checkpoint}. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%d checkpoints every %,d instructions, %,d bytes%s, %d restores",
                taken.size(), spacing, bytes, exhausted ? " (budget reached: no more are taken)" : "", restores);
    }
}
