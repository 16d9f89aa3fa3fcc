package dev.tinyos.analysis.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.analysis.Analysis;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache job over golden traces of replay/: disk-heavy (tiny-os running blkbench on a 1 MiB
 * disk: buffer-cache events, several processes) and panic (a bare-metal ELF without
 * tracepoints).
 */
class CacheJobTest {
    @TempDir
    static Path tmp;
    static Path traces;

    @BeforeAll
    static void unzip() throws IOException {
        Path zip = Path.of(System.getProperty("tinyos.home", ".."), "replay/src/test/resources/traces/golden.zip");
        traces = tmp.resolve("golden");
        try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                Path p = traces.resolve(e.getName()).normalize();
                if (!p.startsWith(traces)) {
                    throw new IOException("bad zip entry " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(p);
                } else {
                    Files.createDirectories(p.getParent());
                    Files.copy(z, p);
                }
            }
        }
    }

    private static CacheJob analyse(String trace, Path out) throws Exception {
        CacheJob job = new CacheJob();
        Analysis.run(traces.resolve(trace), List.of(job), false);
        Files.createDirectories(out);
        job.write(out);
        return job;
    }

    @Test
    void diskHeavyTraceGivesConsistentFiguresAndIdenticalFilesTwice() throws Exception {
        CacheJob a = analyse("disk-heavy", tmp.resolve("a"));
        CacheJob b = analyse("disk-heavy", tmp.resolve("b"));
        List<String> names = List.of("cache-summary.csv", "cache-by-mode.csv", "cache-by-process.csv",
                "cache-over-time.csv", "bcache-over-time.csv", "bcache-by-block-range.csv", "cache-hit-ratio.svg",
                "bcache-hit-ratio.svg");
        for (String n : names) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(n)),
                    Files.readAllBytes(tmp.resolve("b").resolve(n)), n + " differs between two analyses");
        }
        assertEquals(List.of(), a.notes());
        assertEquals(a.endIcount(), b.endIcount());

        // every instruction fetch is one L1I lookup at least; counters partition exactly
        CacheHierarchy h = a.cpu().hierarchy();
        long l1i = h.level(CacheHierarchy.L1I).hits() + h.level(CacheHierarchy.L1I).misses();
        assertTrue(l1i >= h.fetches() && h.fetches() > a.endIcount() / 2, "fetches " + h.fetches());
        assertTrue(a.cpu().byPid().size() >= 3, "several processes: " + a.cpu().byPid().keySet());
        for (int l = 0; l < CacheHierarchy.LEVELS; l++) {
            long byPid = 0, byWindow = 0;
            for (long[] c : a.cpu().byPid().values()) {
                byPid += sum(c, l);
            }
            for (CpuCacheStats.Window w : a.cpu().windows()) {
                byWindow += sum(w.counts(), l);
            }
            SetAssocCache c = h.level(l);
            assertEquals(c.hits() + c.misses(), byPid, CacheHierarchy.LEVEL_NAMES[l] + " per pid");
            assertEquals(c.hits() + c.misses(), byWindow, CacheHierarchy.LEVEL_NAMES[l] + " per window");
        }
        assertTrue(a.cpu().windows().size() > 10, "windows: " + a.cpu().windows().size());

        long[] t = a.bcache().totals();
        assertTrue(t[BufferCacheStats.MISS] > 0 && t[BufferCacheStats.HIT] > 0, "bcache hits and misses");
        assertTrue(t[BufferCacheStats.WRITEBACK] > 0, "blkbench writes: write-backs");
        long ranged = 0;
        for (long[] c : a.bcache().byRange().values()) {
            ranged += c[BufferCacheStats.HIT] + c[BufferCacheStats.MISS];
        }
        assertEquals(t[BufferCacheStats.HIT] + t[BufferCacheStats.MISS], ranged);
        List<String> summary = Files.readAllLines(tmp.resolve("a").resolve("cache-summary.csv"));
        assertEquals("level,size_bytes,ways,line_bytes,sets,lookups,hits,misses,hit_ratio,evictions,writebacks",
                summary.get(0));
        assertEquals(6, summary.size());
    }

    private static long sum(long[] c, int level) {
        long s = 0;
        for (int priv = 0; priv < 4; priv++) {
            s += c[CacheHierarchy.index(priv, level, false)] + c[CacheHierarchy.index(priv, level, true)];
        }
        return s;
    }

    @Test
    void kernelWithoutTracepointsStillSimulatesAndSaysWhatIsMissing() throws Exception {
        CacheJob j = analyse("panic", tmp.resolve("panic"));
        assertEquals(1, j.notes().size());
        assertTrue(j.notes().get(0).contains("no tracepoint fired"), j.notes().get(0));
        assertEquals(List.of(-1), List.copyOf(j.cpu().byPid().keySet()));
        assertTrue(j.cpu().hierarchy().fetches() > 0);
        assertEquals(1, Files.readAllLines(tmp.resolve("panic").resolve("bcache-over-time.csv")).size(),
                "header only");
    }
}
