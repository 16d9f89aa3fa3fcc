package dev.tinyos.analysis.cache;

import dev.tinyos.analysis.AccessEvents;

/**
 * Feeds an access stream through L1I/L1D, a unified L2 and an instruction and a data TLB, and
 * counts every lookup's outcome in a small counter array indexed by (privilege mode, level,
 * hit or miss) that the caller drains ({@link #counters()}, {@link #drainInto}).
 *
 * <p>Model, in order: (1) a FETCH in U or S mode looks its virtual page up in the ITLB, a LOAD
 * or STORE in the DTLB; M-mode accesses are untranslated. The TLBs are flushed whenever the
 * privilege mode passes between U and S (even through M), because tiny-os (like xv6) keeps separate kernel and
 * user page tables and writes satp and runs sfence.vma at every such crossing; a kernel that
 * shares one page table would see more TLB hits on real hardware than reported here.
 * (2) each cache line that the physical range {@code [paddr, paddr+size)} touches is one
 * lookup in L1I (fetches) or L1D (loads, stores; an access straddling two lines counts two);
 * (3) an L1 miss looks the line up in L2 (a read for a store too: write-allocate); a dirty
 * L1 victim is written into L2 without counting as an L2 lookup. PTW accesses (the
 * emulator's own page walks, which depend on its TLB, not the modelled one) are only counted.
 *
 * <p>Invariant: {@code counters()[index(priv, level, miss)]} is the number of such lookups since
 * the last drain; the caches' contents are a pure function of the access sequence.
 */
public final class CacheHierarchy implements AccessEvents {
    public static final int L1I = 0, L1D = 1, L2 = 2, ITLB = 3, DTLB = 4;
    public static final int LEVELS = 5;
    public static final String[] LEVEL_NAMES = {"L1I", "L1D", "L2", "ITLB", "DTLB"};
    /** Counter slots: 4 privilege encodings (0 U, 1 S, 2 unused, 3 M) x levels x {hit, miss}. */
    public static final int SLOTS = 4 * LEVELS * 2;
    private static final int PAGE_SHIFT = 12;

    private final CacheConfig config;
    private final SetAssocCache l1i, l1d, l2, itlb, dtlb;
    private final int l1iShift, l1dShift, l2Shift;
    private final long[] counts = new long[SLOTS];
    private int lastPriv = -1;
    private int lastTranslatedPriv = -1;
    private long fetches, ptws;

    public CacheHierarchy(CacheConfig config) {
        this.config = config;
        l1i = new SetAssocCache(config.l1i());
        l1d = new SetAssocCache(config.l1d());
        l2 = new SetAssocCache(config.l2());
        itlb = new SetAssocCache(config.tlb());
        dtlb = new SetAssocCache(config.tlb());
        l1iShift = config.l1i().lineShift();
        l1dShift = config.l1d().lineShift();
        l2Shift = config.l2().lineShift();
    }

    /** Counter index of (privilege mode, level, hit or miss). */
    public static int index(int priv, int level, boolean miss) {
        return ((priv & 3) * LEVELS + level) * 2 + (miss ? 1 : 0);
    }

    public CacheConfig config() {
        return config;
    }

    @Override
    public void access(int kind, long vaddr, long paddr, int size, int priv, long pc) {
        if (kind == PTW) {
            ptws++;
            return;
        }
        boolean fetch = kind == FETCH;
        if (fetch) {
            fetches++;
        }
        if (priv != lastPriv) {
            modeChange(priv);
        }
        if (priv != 3) {
            int level = fetch ? ITLB : DTLB;
            boolean hit = (fetch ? itlb : dtlb).accessLine(vaddr >>> PAGE_SHIFT, false);
            counts[index(priv, level, !hit)]++;
        }
        if (fetch) {
            lookup(l1i, l1iShift, L1I, paddr, size, false, priv);
        } else {
            lookup(l1d, l1dShift, L1D, paddr, size, kind == STORE, priv);
        }
    }

    private void modeChange(int priv) {
        lastPriv = priv;
        if (priv == 3) {
            return;
        }
        if (lastTranslatedPriv != -1 && lastTranslatedPriv != priv) {
            itlb.invalidateAll();
            dtlb.invalidateAll();
        }
        lastTranslatedPriv = priv;
    }

    private void lookup(SetAssocCache l1, int shift, int level, long paddr, int size, boolean write, int priv) {
        long first = paddr >>> shift;
        long last = (paddr + Math.max(size, 1) - 1) >>> shift;
        for (long line = first; line <= last; line++) {
            if (l1.accessLine(line, write)) {
                counts[index(priv, level, false)]++;
                continue;
            }
            counts[index(priv, level, true)]++;
            if (l1.victimDirty()) {
                l2.install((l1.victimLine() << shift) >>> l2Shift, true);
            }
            boolean hit2 = l2.accessLine((line << shift) >>> l2Shift, false);
            counts[index(priv, L2, !hit2)]++;
        }
    }

    /** The live counters since the last drain (read only: use {@link #drainInto}). */
    public long[] counters() {
        return counts;
    }

    /** Adds the counters to {@code into} and zeroes them. */
    public void drainInto(long[] into) {
        for (int i = 0; i < SLOTS; i++) {
            into[i] += counts[i];
            counts[i] = 0;
        }
    }

    /** Instruction fetches seen (one per instruction executed). */
    public long fetches() {
        return fetches;
    }

    /** Page-table-walk accesses seen (not modelled). */
    public long pageWalkAccesses() {
        return ptws;
    }

    /** The cache or TLB of {@code level}, for tests and totals. */
    public SetAssocCache level(int level) {
        return switch (level) {
            case L1I -> l1i;
            case L1D -> l1d;
            case L2 -> l2;
            case ITLB -> itlb;
            case DTLB -> dtlb;
            default -> throw new IllegalArgumentException("level " + level);
        };
    }
}
