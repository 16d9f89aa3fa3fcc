package dev.tinyos.analysis.cache;

/**
 * The simulated memory hierarchy's shape: L1 instruction cache, L1 data cache, a unified L2
 * behind both, and one TLB geometry used for an instruction TLB and a data TLB.
 *
 * <p>Defaults ({@link #DEFAULT}) are close to a small in-order RV64 core such as Rocket (the
 * core of SiFive's U-series): 16 KiB 4-way L1I and 16 KiB 4-way L1D with 64-byte lines,
 * 32-entry fully associative instruction and data TLBs of 4 KiB pages, and a modest 128 KiB
 * 8-way unified L2 with 64-byte lines (Rocket's L2 is optional and larger parts use more).
 * Invariant: all four geometries are valid {@link CacheGeometry} values.
 */
public record CacheConfig(CacheGeometry l1i, CacheGeometry l1d, CacheGeometry l2, CacheGeometry tlb) {

    public static final CacheConfig DEFAULT = new CacheConfig(
            new CacheGeometry("L1I", 16 * 1024, 4, 64),
            new CacheGeometry("L1D", 16 * 1024, 4, 64),
            new CacheGeometry("L2", 128 * 1024, 8, 64),
            CacheGeometry.tlb(32, 32));

    public CacheConfig {
        if (tlb.lineBytes() != 4096) {
            throw new IllegalArgumentException("the TLB models 4 KiB pages: its line size must be 4096");
        }
    }

    /** One line per level, for logs and the README. */
    public String describe() {
        return l1i + "; " + l1d + "; " + l2 + "; ITLB and DTLB " + tlb.sizeBytes() / 4096 + " entries, "
                + tlb.ways() + "-way";
    }
}
