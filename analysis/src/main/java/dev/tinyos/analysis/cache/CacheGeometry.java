package dev.tinyos.analysis.cache;

import java.util.Locale;

/**
 * The shape of one set-associative cache (or TLB): total capacity, associativity and line
 * size, all in bytes. A TLB is described as a cache of 4 KiB "lines" (pages):
 * {@code entries * 4096} bytes, {@code ways = entries} for a fully associative one.
 * Invariant: every field is a power of two and {@code sizeBytes = sets * ways * lineBytes}
 * with {@code sets >= 1}.
 */
public record CacheGeometry(String name, long sizeBytes, int ways, int lineBytes) {

    public CacheGeometry {
        if (!isPow2(sizeBytes) || !isPow2(ways) || !isPow2(lineBytes)) {
            throw new IllegalArgumentException(name + ": size, ways and line size must be powers of two, got "
                    + describe(sizeBytes, ways, lineBytes));
        }
        if (sizeBytes < (long) ways * lineBytes) {
            throw new IllegalArgumentException(name + ": " + describe(sizeBytes, ways, lineBytes)
                    + " holds fewer than one set (size < ways * line)");
        }
    }

    /** Number of sets ({@code sizeBytes / (ways * lineBytes)}). */
    public int sets() {
        return (int) (sizeBytes / ((long) ways * lineBytes));
    }

    /** log2 of the line size. */
    public int lineShift() {
        return Integer.numberOfTrailingZeros(lineBytes);
    }

    /**
     * Parses {@code SIZE:WAYS:LINE}, e.g. {@code 16K:2:64} or {@code 1M:8:64}; SIZE takes a K or M
     * suffix (binary units).
     */
    public static CacheGeometry parse(String name, String spec) {
        String[] p = spec.trim().split(":");
        if (p.length != 3) {
            throw new IllegalArgumentException(name + ": expected SIZE:WAYS:LINE (e.g. 16K:2:64), got '" + spec + "'");
        }
        try {
            return new CacheGeometry(name, parseSize(p[0]), Integer.parseInt(p[1].trim()),
                    Integer.parseInt(p[2].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": not a number in '" + spec + "'", e);
        }
    }

    /** A TLB of {@code entries} 4 KiB pages in sets of {@code ways}. */
    public static CacheGeometry tlb(int entries, int ways) {
        return new CacheGeometry("TLB", (long) entries * 4096, ways, 4096);
    }

    private static long parseSize(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        long mul = 1;
        if (t.endsWith("K")) {
            mul = 1024;
        } else if (t.endsWith("M")) {
            mul = 1024 * 1024;
        }
        if (mul != 1) {
            t = t.substring(0, t.length() - 1);
        }
        return Long.parseLong(t) * mul;
    }

    private static boolean isPow2(long v) {
        return v > 0 && (v & (v - 1)) == 0;
    }

    private static String describe(long size, int ways, int line) {
        return size + " B, " + ways + " ways, " + line + " B lines";
    }

    /** Human form, e.g. {@code 16 KiB, 2-way, 64 B lines (128 sets)}. */
    @Override
    public String toString() {
        String size = sizeBytes % (1024 * 1024) == 0 ? sizeBytes / (1024 * 1024) + " MiB"
                : sizeBytes % 1024 == 0 ? sizeBytes / 1024 + " KiB" : sizeBytes + " B";
        return String.format(Locale.ROOT, "%s %s, %d-way, %d B lines (%d sets)", name, size, ways, lineBytes, sets());
    }
}
