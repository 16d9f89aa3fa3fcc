package dev.tinyos.replay.crash;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which crash states to generate for each epoch of a {@link CrashModel}
 * (docs/crash-explorer.md, "Enumeration"). With {@code m} writes in flight:
 * <ul>
 *   <li>{@code m <= exhaustive}: every subset (2^m states, family {@code subset});</li>
 *   <li>otherwise a bounded sample: every prefix in start order, i.e. an in-order drive cut
 *       after 0..m writes ({@code prefix}, m+1), the full set less each single write
 *       ({@code omit}, m), and {@code random} subsets (each write kept with probability 1/2);</li>
 *   <li>torn writes, unless disabled, for each multi-sector write in flight: with at most
 *       {@value #TORN_EXHAUSTIVE} writes in flight, every subset of the other writes with each
 *       strict prefix and each strict suffix of its sectors; otherwise (for at most
 *       {@code random} of them, chosen at random, when the epoch is sampled) the writes started
 *       before it kept and it cut after each sector (the in-order drive losing power inside the
 *       write), and all other writes kept with each strict prefix and suffix of its sectors.</li>
 * </ul>
 * The random choices come from a generator seeded with {@code seed} and the epoch index, so
 * the same options give the same states, epoch by epoch, whatever else changes.
 */
public final class StateEnumerator {
    /** Knobs of the enumeration. */
    public static final class Options {
        /** Largest number of in-flight writes whose subsets are all generated. */
        public int exhaustive = 8;
        /** Random subsets per sampled epoch (and torn writes sampled there). */
        public int random = 16;
        /** Generate torn writes. */
        public boolean torn = true;
        public long seed = 1;
    }

    /** Epochs with at most this many writes in flight tear each write with every subset of the others. */
    static final int TORN_EXHAUSTIVE = 3;

    private final CrashModel model;
    private final Options o;

    public StateEnumerator(CrashModel model, Options o) {
        if (o.exhaustive < 0 || o.exhaustive > 20 || o.random < 0) {
            throw new IllegalArgumentException("exhaustive must be 0..20 and random not negative");
        }
        this.model = model;
        this.o = o;
    }

    /** The states of epoch {@code e}, in a fixed order (duplicates possible; the explorer folds them). */
    public List<CrashState> states(int e) {
        CrashModel.Epoch ep = model.epochs().get(e);
        int[] f = ep.inFlight;
        int m = f.length;
        List<CrashState> out = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(o.seed * 0x9E3779B97F4A7C15L + e);
        if (m <= o.exhaustive) {
            for (int mask = 0; mask < 1 << m; mask++) {
                out.add(new CrashState(e, pick(f, mask), "subset"));
            }
        } else {
            int[] byStart = byStart(f);
            for (int k = 0; k <= m; k++) {
                out.add(new CrashState(e, sorted(Arrays.copyOf(byStart, k)), "prefix"));
            }
            for (int i = 0; i < m; i++) {
                out.add(new CrashState(e, without(f, f[i]), "omit"));
            }
            for (int r = 0; r < o.random; r++) {
                int[] keep = Arrays.stream(f).filter(w -> rnd.nextBoolean()).toArray();
                out.add(new CrashState(e, keep, "random"));
            }
        }
        if (o.torn) {
            torn(e, f, m <= o.exhaustive ? f : sample(f, o.random, rnd), out);
        }
        return out;
    }

    private void torn(int e, int[] f, int[] which, List<CrashState> out) {
        int[] byStart = byStart(f);
        for (int w : which) {
            int n = model.write(w).sectors();
            if (n < 2) {
                continue;
            }
            if (f.length <= TORN_EXHAUSTIVE) {
                int[] others = without(f, w);
                for (int mask = 0; mask < 1 << others.length; mask++) {
                    int[] keep = pick(others, mask);
                    for (int k = 1; k < n; k++) {
                        out.add(new CrashState(e, keep, w, 0, k, "torn"));
                        out.add(new CrashState(e, keep, w, k, n, "torn"));
                    }
                }
                continue;
            }
            int pos = 0;
            while (byStart[pos] != w) {
                pos++;
            }
            int[] before = sorted(Arrays.copyOf(byStart, pos));
            int[] others = without(f, w);
            for (int k = 1; k < n; k++) {
                out.add(new CrashState(e, before, w, 0, k, "torn"));
                out.add(new CrashState(e, others, w, 0, k, "torn"));
                out.add(new CrashState(e, others, w, k, n, "torn"));
            }
        }
    }

    private int[] byStart(int[] f) {
        return Arrays.stream(f).boxed().sorted(Comparator.comparingLong(w -> model.write(w).startSeq))
                .mapToInt(Integer::intValue).toArray();
    }

    private static int[] pick(int[] f, int mask) {
        int[] out = new int[Integer.bitCount(mask)];
        int n = 0;
        for (int i = 0; i < f.length; i++) {
            if ((mask & 1 << i) != 0) {
                out[n++] = f[i];
            }
        }
        return out;
    }

    private static int[] without(int[] f, int w) {
        return Arrays.stream(f).filter(x -> x != w).toArray();
    }

    private static int[] sorted(int[] a) {
        Arrays.sort(a);
        return a;
    }

    private static int[] sample(int[] f, int k, SplittableRandom rnd) {
        int[] a = f.clone();
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return sorted(Arrays.copyOf(a, Math.min(k, a.length)));
    }
}
