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
 * of RAM, the others the pages written since the previous one. When a new one takes the memory
 * held past the budget ({@link #budgetFromProperty}, system property
 * {@code tinyos.checkpoint.budgetMiB}), the checkpoints are thinned: every one that is not at a
 * multiple of twice the spacing is dropped (its pages folded into the increment that was built on
 * it), the spacing doubles, and taking goes on at the new spacing; so the whole stretch replayed
 * so far stays covered, at most one spacing apart, within the budget.
 *
 * <p>Invariant: {@code taken} maps icounts to checkpoints of this replay, and holds one at 0 and
 * at every multiple of {@link #spacing} up to {@code frontier} (the newest taken) that the
 * first pass took (thinning keeps exactly those); {@code bytes} is what they hold; {@code last}
 * is the checkpoint taken last since the replay last restored one (null after a restore), so an
 * increment is always over the state it was computed against.
 */
public final class Checkpoints {
    /** Default memory budget for the checkpoints of one replay: 1 GiB. */
    public static final long DEFAULT_BUDGET = 1L << 30;
    /**
     * A planted bug, for the test that proves thinning is checked: when set, thinning drops a
     * checkpoint without folding its pages into the increment built on it. Never set otherwise.
     */
    public static volatile boolean plantedLoseDroppedPages;
    /** Every this many checkpoints, a full one (bounds the chain a restore walks). */
    static final int FULL_EVERY = 16;

    private final Replay replay;
    private long spacing;
    private int thinnings;
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
    /** Those loaded into {@code taken}, by icount (put back into {@code indexed} if thinning drops them). */
    private final TreeMap<Long, java.nio.file.Path> loaded = new TreeMap<>();
    /** How far behind a target a {@link #near} checkpoint is worth taking. */
    static final long NEAR = 1L << 16;

    /** Checkpoints of {@code replay}, which must stand at icount 0: the first is taken now. */
    public Checkpoints(Replay replay, long spacing, long budget) {
        this(replay, spacing, budget, replay.trace().dir().resolve(TraceIndex.DIR));
    }

    /** As {@link #Checkpoints(Replay, long, long)}, with saved checkpoints read from {@code index} instead of the trace's. */
    public Checkpoints(Replay replay, long spacing, long budget, java.nio.file.Path index) {
        this.replay = replay;
        this.spacing = spacing;
        this.budget = budget;
        TreeMap<Long, java.nio.file.Path> files;
        try {
            files = TraceIndex.filesIn(index);
        } catch (java.io.IOException e) {
            files = new TreeMap<>(); // no usable index: the replay takes its own checkpoints
        }
        this.indexed = files;
        take();
    }

    /**
     * The memory budget: {@code tinyos.checkpoint.budgetMiB} (a positive number, fractions
     * allowed) if set, else {@link #DEFAULT_BUDGET}.
     *
     * @throws IllegalArgumentException if the property is not a positive number
     */
    public static long budgetFromProperty() {
        String v = System.getProperty("tinyos.checkpoint.budgetMiB");
        if (v == null) {
            return DEFAULT_BUDGET;
        }
        double mib;
        try {
            mib = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            mib = -1;
        }
        if (!(mib > 0) || mib > 1 << 30) {
            throw new IllegalArgumentException("tinyos.checkpoint.budgetMiB must be a positive number of MiB, not " + v);
        }
        return Math.max(1, (long) (mib * (1 << 20)));
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
        bytes += c.bytes();
        sinceFull = full ? 0 : sinceFull + 1;
        last = c;
        Checkpoint old = taken.put(c.icount(), c);
        if (old != null) { // a loaded file at the same icount: this one replaces it
            bytes -= old.bytes();
            loaded.remove(c.icount());
        }
        frontier = Math.max(frontier, c.icount());
        while (bytes > budget && !exhausted) {
            if (!thin()) {
                exhausted = true; // only icount 0 and the newest left: nothing more can go
            }
        }
    }

    /**
     * Doubles the spacing and drops every checkpoint not at a multiple of it (but the one at 0
     * and the newest, {@code last}), folding each dropped one into the increment built on it.
     * Returns false if there was nothing left to drop.
     */
    private boolean thin() {
        if (taken.size() <= 2 || spacing > Long.MAX_VALUE / 2) {
            return false;
        }
        long wider = spacing * 2;
        java.util.List<Long> drop = new java.util.ArrayList<>();
        for (long k : taken.keySet()) {
            if (k != 0 && k % wider != 0 && (last == null || k != last.icount())) {
                drop.add(k);
            }
        }
        spacing = wider;
        thinnings++;
        for (long k : drop) {
            Checkpoint x = taken.remove(k);
            bytes -= x.bytes();
            for (Checkpoint y : taken.tailMap(k, false).values()) { // the increment built on x, if any
                if (y.base == x) {
                    long before = y.bytes();
                    y.absorbBase();
                    bytes += y.bytes() - before;
                    break;
                }
            }
            java.nio.file.Path file = loaded.remove(k);
            if (file != null) {
                indexed.put(k, file); // saved in the trace: can be loaded again when needed
            }
        }
        return true;
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
                Checkpoint read = CheckpointFile.read(f.getValue(), replay);
                taken.put(read.icount(), read);
                loaded.put(read.icount(), f.getValue());
                bytes += read.bytes();
                c = read;
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

    /** How many times the checkpoints were thinned (the spacing doubled) to stay within the budget. */
    public int thinnings() {
        return thinnings;
    }

    /** The memory budget. */
    public long budget() {
        return budget;
    }

    /** The icounts of the checkpoints held, in order. */
    public java.util.NavigableSet<Long> icounts() {
        return java.util.Collections.unmodifiableNavigableSet(taken.navigableKeySet());
    }

    /** True once the budget stopped further checkpoints (thinning could free no more). */
    public boolean exhausted() {
        return exhausted;
    }

    /** One line for {@code monitor checkpoint}. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%d checkpoints every %,d instructions, %,d bytes of a %,d budget%s%s, "
                + "%d restores", taken.size(), spacing, bytes, budget,
                thinnings > 0 ? " (thinned " + thinnings + "x)" : "",
                exhausted ? " (budget reached: no more are taken)" : "", restores);
    }
}
