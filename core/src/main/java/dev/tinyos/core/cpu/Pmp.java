package dev.tinyos.core.cpu;

/**
 * Physical memory protection (privileged spec 1.12, section 3.7): 64 entries, granularity 4
 * bytes (G = 0), address-matching modes OFF, TOR, NA4 and NAPOT, the lock bit, and the
 * checks every physical access makes: the lowest-numbered entry that matches any byte of
 * the access decides, and it must match all of them; M-mode accesses pass unless that entry
 * is locked; S- and U-mode accesses that no entry matches fail.
 *
 * <p>Invariant: stateless; the configuration lives in {@code Hart.pmpcfg} (eight entries per
 * long, one per pmpcfg CSR of RV64) and {@code Hart.pmpaddr}, and {@link #configure} has
 * been called after every change to them, so the summary fields the hart keeps
 * ({@code pmpActive}, {@code pmpLocked}, {@code pmpFine}: a region boundary inside a RAM page)
 * describe it.
 */
final class Pmp {
    private Pmp() {}

    static final int R = 1, W = 2, X = 4, L = 0x80;
    static final int A_SHIFT = 3, OFF = 0, TOR = 1, NA4 = 2, NAPOT = 3;
    static final int ENTRIES = 64;

    /** Entry {@code i}'s configuration byte. */
    static int cfg(Hart h, int i) {
        return (int) (h.pmpcfg[i >>> 3] >>> (8 * (i & 7))) & 0xFF;
    }

    static int mode(int cfg) {
        return (cfg >>> A_SHIFT) & 3;
    }

    /** True if entry {@code i} is locked, or its address is the base of a locked TOR entry. */
    static boolean addrLocked(Hart h, int i) {
        if ((cfg(h, i) & L) != 0) return true;
        if (i + 1 < ENTRIES) {
            int next = cfg(h, i + 1);
            return (next & L) != 0 && mode(next) == TOR;
        }
        return false;
    }

    /** Recomputes the hart's summary of the configuration (after any pmpcfg/pmpaddr write). */
    static void configure(Hart h) {
        int active = 0;
        boolean locked = false, fine = false;
        for (int i = 0; i < ENTRIES; i++) {
            int c = cfg(h, i);
            if (mode(c) == OFF) continue;
            active = i + 1;
            locked |= (c & L) != 0;
            long lo = lo(h, i), hi = hi(h, i);
            fine |= Long.compareUnsigned(lo, hi) < 0 && (splitsRamPage(h, lo) || splitsRamPage(h, hi));
        }
        h.pmpActive = active;
        h.pmpLocked = locked;
        h.pmpFine = fine;
    }

    /** True if a region boundary at {@code b} falls inside a RAM page (cached translations are per page). */
    private static boolean splitsRamPage(Hart h, long b) {
        return (b & 0xFFF) != 0 && h.ram.contains(b & ~0xFFFL, 4096);
    }

    /** First byte of entry {@code i}'s region (its mode not OFF). */
    static long lo(Hart h, int i) {
        long a = h.pmpaddr[i];
        switch (mode(cfg(h, i))) {
            case TOR: return i == 0 ? 0 : h.pmpaddr[i - 1] << 2;
            case NA4: return a << 2;
            default: {
                int t = Long.numberOfTrailingZeros(~a);
                return t >= 54 ? 0 : (a & ~((1L << t) - 1)) << 2;
            }
        }
    }

    /** One past the last byte of entry {@code i}'s region (a 58-bit value: the whole space is [0, 2^58)). */
    static long hi(Hart h, int i) {
        long a = h.pmpaddr[i];
        switch (mode(cfg(h, i))) {
            case TOR: return a << 2;
            case NA4: return (a << 2) + 4;
            default: {
                int t = Long.numberOfTrailingZeros(~a);
                return t >= 54 ? 1L << 58 : ((a & ~((1L << t) - 1)) << 2) + (1L << (t + 3));
            }
        }
    }

    /**
     * True if an access of {@code size} bytes at physical address {@code pa} with permission
     * {@code need} (R, W or X) at privilege {@code priv} is allowed.
     */
    static boolean allows(Hart h, long pa, int size, int need, int priv) {
        if (priv == Hart.PRIV_M && !h.pmpLocked) return true;
        long end = pa + size;
        for (int i = 0; i < h.pmpActive; i++) {
            int c = cfg(h, i);
            if (mode(c) == OFF) continue;
            long lo = lo(h, i), hi = hi(h, i);
            if (Long.compareUnsigned(lo, hi) >= 0                  // an empty region
                    || Long.compareUnsigned(end, lo) <= 0 || Long.compareUnsigned(pa, hi) >= 0) {
                continue;                                       // no byte matches
            }
            if (Long.compareUnsigned(pa, lo) < 0 || Long.compareUnsigned(end, hi) > 0) {
                return false;                                   // some bytes only
            }
            if (priv == Hart.PRIV_M && (c & L) == 0) return true;
            return (c & need) == need;
        }
        return priv == Hart.PRIV_M;
    }
}
