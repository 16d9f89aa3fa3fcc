package dev.tinyos.replay.crash;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * What the disk may hold if the power had gone at any moment of a recorded run: the write
 * stream cut into <b>epochs</b>, one per completed FLUSH plus one for the end of the run
 * (docs/crash-explorer.md). Epoch {@code e}'s crash point is the instant just before its flush
 * completes (the end of the run for the last one); a power cut anywhere inside the epoch leaves
 * a subset of the states of that instant, so exploring these instants covers every cut.
 *
 * <p>The write-cache model (docs/disk-model.md), taken conservatively:
 * <ul>
 *   <li><b>durable</b> at the crash point: every write that had completed before a flush
 *       <em>started</em> whose completion came before the crash point. Those are on the medium.</li>
 *   <li><b>in flight</b>: every other write started before the crash point — completed but not
 *       yet flushed (in the volatile cache, which may have written back any of them, in any
 *       order, on overflow or on its own), and also started but not completed (a real drive may
 *       already have written a request it has not acknowledged; the emulator's own power cut
 *       drops those, which is one of the states explored). Any subset of them may be on the
 *       medium, each sector of a multi-sector write on its own (torn writes at 512-byte
 *       granularity; virtio-blk promises no atomicity beyond a sector).</li>
 * </ul>
 * Writes are numbered in <b>apply order</b>: by completion, then (never completed) by start.
 * A state's image is the initial image, then the durable writes, then the kept in-flight ones,
 * each in apply order; for sectors written more than once that reaches every version.
 *
 * <p>Invariant: epochs are in crash-point order; each epoch's durable set contains the previous
 * one's ({@link Epoch#newlyDurable} is the difference, in apply order).
 */
public final class CrashModel {
    /** One crash point and what is at risk there. */
    public static final class Epoch {
        public final int index;
        /** icount of the crash point (the flush's completion, or the end of the run). */
        public final long crashIcount;
        /** Index (among completed flushes) of the flush this epoch ends before, or -1 for the end of the run. */
        public final int flush;
        /** Writes that became durable since the previous epoch, in apply order. */
        final int[] newlyDurable;
        /** Writes in flight at the crash point, in apply order. */
        final int[] inFlight;

        Epoch(int index, long crashIcount, int flush, int[] newlyDurable, int[] inFlight) {
            this.index = index;
            this.crashIcount = crashIcount;
            this.flush = flush;
            this.newlyDurable = newlyDurable;
            this.inFlight = inFlight;
        }

        public int inFlightCount() {
            return inFlight.length;
        }

        /** Write ids in flight (apply order); a copy. */
        public int[] inFlight() {
            return inFlight.clone();
        }

        public String where() {
            return flush < 0 ? "at the end of the run" : "before flush " + flush + " completes";
        }
    }

    /** Writes in apply order. */
    private final DiskOp[] writes;
    private final List<Epoch> epochs;

    /** Builds the model of {@code ops} (writes and flushes in start order) for a run ending at {@code endIcount}. */
    public CrashModel(List<DiskOp> ops, long endIcount) {
        List<DiskOp> w = new ArrayList<>();
        List<DiskOp> flushes = new ArrayList<>();
        for (DiskOp op : ops) {
            if (op.isWrite()) {
                w.add(op);
            } else if (op.isCompleted()) {
                flushes.add(op);
            }
        }
        w.sort(Comparator.comparingLong(DiskOp::completeSeq).thenComparingLong(o -> o.startSeq));
        flushes.sort(Comparator.comparingLong(DiskOp::completeSeq));
        this.writes = w.toArray(new DiskOp[0]);
        this.epochs = cut(writes, flushes, endIcount);
    }

    private static List<Epoch> cut(DiskOp[] writes, List<DiskOp> flushes, long endIcount) {
        Integer[] byStart = new Integer[writes.length];
        for (int i = 0; i < writes.length; i++) {
            byStart[i] = i;
        }
        Arrays.sort(byStart, Comparator.comparingLong(i -> writes[i].startSeq));
        List<Epoch> out = new ArrayList<>();
        List<Integer> pending = new ArrayList<>(); // started, not durable (kept in apply order)
        int started = 0;
        int[] newly = new int[0];
        for (int f = 0; f <= flushes.size(); f++) {
            long crashSeq = f < flushes.size() ? flushes.get(f).completeSeq() : Long.MAX_VALUE;
            while (started < byStart.length && writes[byStart[started]].startSeq < crashSeq) {
                insertSorted(pending, byStart[started++]);
            }
            long icount = f < flushes.size() ? flushes.get(f).completeIcount() : endIcount;
            out.add(new Epoch(out.size(), icount, f < flushes.size() ? f : -1, newly, toArray(pending)));
            if (f == flushes.size()) {
                break;
            }
            long flushStart = flushes.get(f).startSeq;
            List<Integer> nowDurable = new ArrayList<>();
            pending.removeIf(i -> {
                boolean d = writes[i].completeSeq() < flushStart;
                if (d) {
                    nowDurable.add(i);
                }
                return d;
            });
            newly = toArray(nowDurable);
        }
        return List.copyOf(out);
    }

    private static void insertSorted(List<Integer> l, int v) {
        int at = l.size();
        while (at > 0 && l.get(at - 1) > v) {
            at--;
        }
        l.add(at, v);
    }

    private static int[] toArray(List<Integer> l) {
        int[] a = new int[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }

    public List<Epoch> epochs() {
        return epochs;
    }

    public int writeCount() {
        return writes.length;
    }

    /** Write {@code id} (apply order). */
    public DiskOp write(int id) {
        return writes[id];
    }
}
