package dev.tinyos.cli;

import dev.tinyos.analysis.cache.CacheConfig;
import dev.tinyos.analysis.cache.CacheGeometry;
import dev.tinyos.analysis.cache.CacheJob;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tinyos analyze cache TRACE [-o DIR]}: replays the trace with the access stream fed to
 * simulated CPU caches and the buffer-cache tracepoints counted, then writes the cache job's
 * CSV and SVG files. Invariant: the files depend only on the trace and the options; the files
 * written are listed on stdout, notes on what the kernel lacked go to stderr.
 */
@Command(name = "cache", mixinStandardHelpOptions = true,
        description = {"Simulate CPU caches (L1I, L1D, unified L2, instruction and data TLB) on a replay's "
                + "instruction-fetch and data-access stream, and count the guest's buffer-cache hits, misses, "
                + "evictions and write-backs: cache-summary.csv, cache-by-mode.csv, cache-by-process.csv, "
                + "cache-over-time.csv, bcache-over-time.csv, bcache-by-block-range.csv, cache-hit-ratio.svg, "
                + "bcache-hit-ratio.svg.",
                "Sizes are SIZE:WAYS:LINE, e.g. 16K:4:64; the defaults are close to a small in-order RV64 core "
                + "(Rocket, SiFive U-class)."})
public final class AnalyzeCacheCommand implements Callable<Integer> {
    /** --engine interp|jit (EngineOption). */
    @Mixin
    EngineOption engine = new EngineOption();

    @Mixin
    AnalyzeTarget target = new AnalyzeTarget();

    @Option(names = "--l1i", paramLabel = "SIZE:WAYS:LINE", description = "L1 instruction cache (default: 16K:4:64)")
    String l1i = "16K:4:64";

    @Option(names = "--l1d", paramLabel = "SIZE:WAYS:LINE", description = "L1 data cache (default: 16K:4:64)")
    String l1d = "16K:4:64";

    @Option(names = "--l2", paramLabel = "SIZE:WAYS:LINE", description = "unified L2 (default: 128K:8:64)")
    String l2 = "128K:8:64";

    @Option(names = "--tlb", paramLabel = "ENTRIES[:WAYS]",
            description = "each of the instruction and data TLBs, 4 KiB pages (default: 32, fully associative)")
    String tlb = "32";

    @Option(names = "--window-ms", paramLabel = "MS", description = "time-series window in guest ms (default: 10)")
    long windowMs = CacheJob.DEFAULT_WINDOW_NS / 1_000_000;

    @Option(names = "--block-range", paramLabel = "BLOCKS",
            description = "buffer-cache statistics per range of this many 4 KiB blocks (default: 64)")
    long rangeBlocks = CacheJob.DEFAULT_RANGE_BLOCKS;

    @Override
    public Integer call() throws IOException {
        CacheJob job;
        try {
            checkOptions();
            job = new CacheJob(config(), windowMs * 1_000_000, rangeBlocks);
        } catch (BadInputException e) {
            System.err.println("tinyos: " + e.getMessage());
            return BadInputException.EXIT_CODE;
        } catch (IllegalArgumentException e) {
            System.err.println("tinyos: " + e.getMessage() + ".");
            return BadInputException.EXIT_CODE;
        }
        int rc = target.runAndWrite(List.of(job));
        if (rc == 0) {
            job.notes().forEach(n -> System.err.println("tinyos: note: " + n + "."));
        }
        return rc;
    }

    private static final java.util.regex.Pattern GEOMETRY =
            java.util.regex.Pattern.compile("\\d{1,9}[KkMmGg]?:\\d{1,6}:\\d{1,6}");
    private static final java.util.regex.Pattern TLB = java.util.regex.Pattern.compile("\\d{1,6}(:\\d{1,6})?");

    /** Refuses options in the user's own units, before the model sees them. */
    private void checkOptions() throws BadInputException {
        if (windowMs <= 0) {
            throw new BadInputException("--window-ms must be a positive number of guest milliseconds, not " + windowMs);
        }
        if (rangeBlocks <= 0) {
            throw new BadInputException("--block-range must be a positive number of blocks, not " + rangeBlocks);
        }
        l1i = geometry("--l1i", l1i);
        l1d = geometry("--l1d", l1d);
        l2 = geometry("--l2", l2);
        if (!TLB.matcher(tlb.trim()).matches()) {
            throw new BadInputException("--tlb must be ENTRIES or ENTRIES:WAYS, e.g. 32 or 32:4, not '" + tlb + "'");
        }
        String[] t = tlb.trim().split(":");
        int entries = Integer.parseInt(t[0]);
        int ways = t.length > 1 ? Integer.parseInt(t[1]) : entries;
        if (Integer.bitCount(entries) != 1 || Integer.bitCount(ways) != 1 || ways > entries) {
            throw new BadInputException("--tlb " + tlb + ": entries and ways must be powers of two, ways at most the "
                    + "entries (e.g. 32 or 32:4)");
        }
    }

    /** Checks SIZE:WAYS:LINE and writes a G suffix as M (the model takes K and M). */
    static String geometry(String option, String spec) throws BadInputException {
        String g = spec.trim();
        if (!GEOMETRY.matcher(g).matches()) {
            throw new BadInputException(option + " must be SIZE:WAYS:LINE with SIZE in bytes or with a K, M or G "
                    + "suffix, e.g. 16K:4:64, not '" + spec + "'");
        }
        String[] p = g.split(":");
        char unit = Character.toUpperCase(p[0].charAt(p[0].length() - 1));
        long size = unit == 'G' ? Long.parseLong(p[0].substring(0, p[0].length() - 1)) << 30
                : unit == 'M' ? Long.parseLong(p[0].substring(0, p[0].length() - 1)) << 20
                : unit == 'K' ? Long.parseLong(p[0].substring(0, p[0].length() - 1)) << 10 : Long.parseLong(p[0]);
        int ways = Integer.parseInt(p[1]);
        int line = Integer.parseInt(p[2]);
        if (Long.bitCount(size) != 1 || Integer.bitCount(ways) != 1 || Integer.bitCount(line) != 1) {
            throw new BadInputException(option + " " + spec + ": size, ways and line size must be powers of two");
        }
        if (size > (1L << 32)) {
            throw new BadInputException(option + " " + spec + ": at most 4G");
        }
        if (size < (long) ways * line) {
            throw new BadInputException(option + " " + spec + ": the cache must hold at least one set (size >= "
                    + "ways x line)");
        }
        return unit == 'G' ? (size >> 20) + "M:" + ways + ":" + line : g;
    }

    private CacheConfig config() {
        String[] t = tlb.split(":");
        int entries = Integer.parseInt(t[0].trim());
        int ways = t.length > 1 ? Integer.parseInt(t[1].trim()) : entries;
        return new CacheConfig(CacheGeometry.parse("L1I", l1i), CacheGeometry.parse("L1D", l1d),
                CacheGeometry.parse("L2", l2), CacheGeometry.tlb(entries, ways));
    }
}
