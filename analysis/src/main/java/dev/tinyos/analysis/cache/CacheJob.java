package dev.tinyos.analysis.cache;

import dev.tinyos.analysis.AccessEvents;
import dev.tinyos.analysis.CsvWriter;
import dev.tinyos.analysis.OutputFiles;
import dev.tinyos.analysis.Job;
import dev.tinyos.analysis.KernelEvents;
import dev.tinyos.analysis.Plot;
import dev.tinyos.analysis.Tracepoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code analyze cache}: simulated CPU caches fed from the replay's access stream, per level,
 * privilege mode, process and guest-time window, plus the guest kernel's buffer cache from its
 * {@code trace_bcache_*} tracepoints, per window and per block range. Writes tidy CSV and two
 * SVG plots of hit ratio over time (file list in {@link #write}).
 *
 * <p>No tracepoint is required: on a kernel without them the CPU caches are still simulated
 * (one window, pid -1) and {@link #notes()} says what was missing. Invariant: the output is a
 * pure function of the event and access sequence and the configuration.
 */
public final class CacheJob implements Job {
    /** Default window: 10 ms of guest time (one tiny-os timer tick). */
    public static final long DEFAULT_WINDOW_NS = 10_000_000L;
    /** Default block range for the buffer cache: 64 blocks of 4 KiB (256 KiB). */
    public static final long DEFAULT_RANGE_BLOCKS = 64;
    private static final String[] MODES = {"U", "S", "", "M"};

    private final CpuCacheStats cpu;
    private final BufferCacheStats bcache;
    private final Map<Integer, String> names = new TreeMap<>();
    private boolean sawSwitch, sawBcache, sawAny;
    private long endIcount, endNs;

    public CacheJob(CacheConfig config, long windowNs, long rangeBlocks) {
        this.cpu = new CpuCacheStats(new CacheHierarchy(config), windowNs);
        this.bcache = new BufferCacheStats(windowNs, rangeBlocks);
        names.put(0, "idle");
        names.put(-1, "unknown");
    }

    public CacheJob() {
        this(CacheConfig.DEFAULT, DEFAULT_WINDOW_NS, DEFAULT_RANGE_BLOCKS);
    }

    @Override
    public String name() {
        return "cache";
    }

    @Override
    public Set<Tracepoint> requires() {
        return Set.of();
    }

    @Override
    public String purpose() {
        return "CPU cache simulation per process and the buffer cache statistics";
    }

    @Override
    public AccessEvents accesses() {
        return cpu;
    }

    @Override
    public KernelEvents events() {
        return new KernelEvents() {
            @Override
            public void schedSwitch(long icount, long timeNs, int prev, int next, int reason, long tick) {
                sawSwitch = sawAny = true;
                cpu.switchTo(timeNs, next);
            }

            @Override
            public void procCreate(long icount, long timeNs, int pid, int parent, String name) {
                seen(timeNs);
                names.put(pid, name);
            }

            @Override
            public void procExit(long icount, long timeNs, int pid, int status) {
                seen(timeNs);
            }

            @Override
            public void sleep(long icount, long timeNs, int pid, long chan) {
                seen(timeNs);
            }

            @Override
            public void wakeup(long icount, long timeNs, int pid, long chan) {
                seen(timeNs);
            }

            @Override
            public void syscallEnter(long icount, long timeNs, int pid, int number, long a0, long a1, long a2) {
                seen(timeNs);
            }

            @Override
            public void syscallExit(long icount, long timeNs, int pid, int number, long ret) {
                seen(timeNs);
            }

            @Override
            public void timerTick(long icount, long timeNs, long tick, int runningPid) {
                seen(timeNs);
            }

            @Override
            public void blkSubmit(long icount, long timeNs, int slot, int type, long sector, long len) {
                seen(timeNs);
            }

            @Override
            public void blkComplete(long icount, long timeNs, int slot, int type, long sector, int status) {
                seen(timeNs);
            }

            @Override
            public void bcacheHit(long icount, long timeNs, long blockno, int buf) {
                buffer(BufferCacheStats.HIT, timeNs, blockno);
            }

            @Override
            public void bcacheMiss(long icount, long timeNs, long blockno, int buf) {
                buffer(BufferCacheStats.MISS, timeNs, blockno);
            }

            @Override
            public void bcacheEvict(long icount, long timeNs, long oldBlockno, long newBlockno, int buf) {
                buffer(BufferCacheStats.EVICT, timeNs, oldBlockno);
            }

            @Override
            public void bcacheWriteback(long icount, long timeNs, long blockno, int buf, int reason) {
                buffer(BufferCacheStats.WRITEBACK, timeNs, blockno);
            }
        };
    }

    private void seen(long timeNs) {
        sawAny = true;
        cpu.at(timeNs);
    }

    private void buffer(int kind, long timeNs, long blockno) {
        sawBcache = true;
        seen(timeNs);
        bcache.count(kind, timeNs, blockno);
    }

    @Override
    public void end(long icount, long timeNs) {
        endIcount = icount;
        endNs = timeNs;
        cpu.finish(timeNs);
    }

    /** What the run lacked, one sentence each (empty for a tiny-os kernel that used its disk). */
    public List<String> notes() {
        List<String> n = new ArrayList<>();
        if (!sawAny) {
            n.add("no tracepoint fired (not a tiny-os kernel, or built without tracepoints): the CPU caches "
                    + "are reported for the whole run as one window and pid -1, and there are no buffer-cache figures");
        } else if (!sawSwitch) {
            n.add("no trace_sched_switch event: every lookup is charged to pid -1");
        }
        if (sawAny && !sawBcache) {
            n.add("no trace_bcache_* event: the guest did not use its buffer cache (no disk, or no file I/O), "
                    + "so the bcache files have no rows");
        }
        return n;
    }

    /**
     * Writes cache-summary.csv, cache-by-mode.csv, cache-by-process.csv, cache-over-time.csv,
     * bcache-over-time.csv, bcache-by-block-range.csv, cache-hit-ratio.svg, bcache-hit-ratio.svg.
     */
    @Override
    public List<Path> write(Path dir) throws IOException {
        return OutputFiles.in(dir)
                .write("cache-summary.csv", this::writeSummary)
                .write("cache-by-mode.csv", this::writeByMode)
                .write("cache-by-process.csv", this::writeByProcess)
                .write("cache-over-time.csv", this::writeOverTime)
                .write("bcache-over-time.csv", this::writeBcacheOverTime)
                .write("bcache-by-block-range.csv", this::writeBcacheRanges)
                .write("cache-hit-ratio.svg", this::plotCpu)
                .write("bcache-hit-ratio.svg", this::plotBcache)
                .files();
    }

    private void writeSummary(Path f) throws IOException {
        try (CsvWriter w = CsvWriter.create(f, "level", "size_bytes", "ways", "line_bytes", "sets", "lookups",
                "hits", "misses", "hit_ratio", "evictions", "writebacks")) {
            for (int l = 0; l < CacheHierarchy.LEVELS; l++) {
                SetAssocCache c = cpu.hierarchy().level(l);
                CacheGeometry g = c.geometry();
                long n = c.hits() + c.misses();
                w.cell(CacheHierarchy.LEVEL_NAMES[l]).cell(g.sizeBytes()).cell(g.ways()).cell(g.lineBytes())
                        .cell(g.sets()).cell(n).cell(c.hits()).cell(c.misses()).cell(ratio(c.hits(), n))
                        .cell(c.evictions()).cell(c.writebacks()).endRow();
            }
        }
    }

    private void writeByMode(Path f) throws IOException {
        long[] sum = new long[CacheHierarchy.SLOTS];
        for (long[] c : cpu.byPid().values()) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += c[i];
            }
        }
        try (CsvWriter w = CsvWriter.create(f, "mode", "level", "lookups", "misses", "hit_ratio")) {
            for (int priv : new int[] {0, 1, 3}) {
                for (int l = 0; l < CacheHierarchy.LEVELS; l++) {
                    row(w, sum, priv, l, null);
                }
            }
        }
    }

    private void writeByProcess(Path f) throws IOException {
        try (CsvWriter w = CsvWriter.create(f, "pid", "name", "mode", "level", "lookups", "misses", "hit_ratio")) {
            for (Map.Entry<Integer, long[]> e : cpu.byPid().entrySet()) {
                for (int priv : new int[] {0, 1, 3}) {
                    for (int l = 0; l < CacheHierarchy.LEVELS; l++) {
                        row(w, e.getValue(), priv, l, e.getKey());
                    }
                }
            }
        }
    }

    /** One (mode, level) row, skipped when it had no lookups; with pid and name when pid != null. */
    private void row(CsvWriter w, long[] c, int priv, int level, Integer pid) throws IOException {
        long hits = c[CacheHierarchy.index(priv, level, false)];
        long misses = c[CacheHierarchy.index(priv, level, true)];
        if (hits + misses == 0) {
            return;
        }
        if (pid != null) {
            w.cell(pid).cell(names.getOrDefault(pid, ""));
        }
        w.cell(MODES[priv]).cell(CacheHierarchy.LEVEL_NAMES[level]).cell(hits + misses).cell(misses)
                .cell(ratio(hits, hits + misses)).endRow();
    }

    private void writeOverTime(Path f) throws IOException {
        try (CsvWriter w = CsvWriter.create(f, "window_start_ms", "window_end_ms", "level", "lookups", "misses",
                "hit_ratio")) {
            for (CpuCacheStats.Window win : cpu.windows()) {
                for (int l = 0; l < CacheHierarchy.LEVELS; l++) {
                    long[] hm = levelTotals(win.counts(), l);
                    long n = hm[0] + hm[1];
                    w.cell(win.startNs() / 1e6).cell(win.endNs() / 1e6).cell(CacheHierarchy.LEVEL_NAMES[l]).cell(n)
                            .cell(hm[1]).cell(ratio(hm[0], n)).endRow();
                }
            }
        }
    }

    private static long[] levelTotals(long[] c, int level) {
        long h = 0, m = 0;
        for (int priv = 0; priv < 4; priv++) {
            h += c[CacheHierarchy.index(priv, level, false)];
            m += c[CacheHierarchy.index(priv, level, true)];
        }
        return new long[] {h, m};
    }

    private void writeBcacheOverTime(Path f) throws IOException {
        try (CsvWriter w = CsvWriter.create(f, "window_start_ms", "window_end_ms", "hits", "misses", "evictions",
                "writebacks", "hit_ratio")) {
            for (Map.Entry<Long, long[]> e : bcache.byWindow().entrySet()) {
                long start = e.getKey() * bcache.windowNs();
                w.cell(start / 1e6).cell((start + bcache.windowNs()) / 1e6);
                bcounts(w, e.getValue());
            }
        }
    }

    private void writeBcacheRanges(Path f) throws IOException {
        try (CsvWriter w = CsvWriter.create(f, "block_first", "block_last", "hits", "misses", "evictions",
                "writebacks", "hit_ratio")) {
            for (Map.Entry<Long, long[]> e : bcache.byRange().entrySet()) {
                long first = e.getKey() * bcache.rangeBlocks();
                w.cell(first).cell(first + bcache.rangeBlocks() - 1);
                bcounts(w, e.getValue());
            }
        }
    }

    private static void bcounts(CsvWriter w, long[] c) throws IOException {
        w.cell(c[BufferCacheStats.HIT]).cell(c[BufferCacheStats.MISS]).cell(c[BufferCacheStats.EVICT])
                .cell(c[BufferCacheStats.WRITEBACK]).cell(BufferCacheStats.hitRatio(c)).endRow();
    }

    private void plotCpu(Path f) throws IOException {
        List<CpuCacheStats.Window> ws = cpu.windows();
        Plot p = new Plot("Simulated CPU caches: hit ratio per " + cpu.windowNs() / 1_000_000.0 + " ms window",
                "guest time (ms)", "hit ratio").yRange(0, 1);
        for (int l = 0; l < CacheHierarchy.LEVELS; l++) {
            double[] x = new double[ws.size()], y = new double[ws.size()];
            for (int i = 0; i < ws.size(); i++) {
                long[] hm = levelTotals(ws.get(i).counts(), l);
                x[i] = ws.get(i).startNs() / 1e6;
                y[i] = ratio(hm[0], hm[0] + hm[1]);
            }
            p.series(CacheHierarchy.LEVEL_NAMES[l], x, y);
        }
        p.write(f);
    }

    private void plotBcache(Path f) throws IOException {
        Map<Long, long[]> ws = bcache.byWindow();
        double[] x = new double[ws.size()], y = new double[ws.size()];
        int i = 0;
        for (Map.Entry<Long, long[]> e : ws.entrySet()) {
            x[i] = e.getKey() * bcache.windowNs() / 1e6;
            y[i++] = BufferCacheStats.hitRatio(e.getValue());
        }
        new Plot("Buffer cache: hit ratio per " + bcache.windowNs() / 1_000_000.0 + " ms window", "guest time (ms)",
                "hit ratio").yRange(0, 1).series("bcache", x, y).write(f);
    }

    private static double ratio(long hits, long n) {
        return n == 0 ? Double.NaN : (double) hits / n;
    }

    public CpuCacheStats cpu() {
        return cpu;
    }

    public BufferCacheStats bcache() {
        return bcache;
    }

    /** Instructions and guest time of the replay's end, as reported to {@link #end}. */
    public long endIcount() {
        return endIcount;
    }

    public long endNs() {
        return endNs;
    }
}
