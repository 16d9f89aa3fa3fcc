package dev.tinyos.analysis.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.analysis.Analysis;
import dev.tinyos.analysis.TestTraces;
import dev.tinyos.analysis.sched.SchedJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compare on real runs: a run against itself shows no difference (p = 1 for the rank test);
 * three CPU spinners against six: the spinners' wait latency differs.
 */
class ComparisonTest {
    @TempDir
    Path tmp;

    private SchedJob sched(Path trace) throws Exception {
        SchedJob j = new SchedJob(20_000_000);
        Analysis.run(trace, List.of(j), false);
        return j;
    }

    @Test
    void aRunDoesNotDifferFromItself() throws Exception {
        Path t = tmp.resolve("spin");
        TestTraces.kernel(t, "spin 3 10");
        SchedJob a = sched(t), b = sched(t);
        Comparison c = new Comparison(a, b, 0.05, null);
        Comparison.Row wait = c.rows().get(0);
        assertEquals("wait_latency_us", wait.metric());
        assertEquals(1.0, wait.pValue(), 1e-9);
        for (Comparison.Row r : c.rows()) {
            assertFalse(r.differs(), r.toString());
        }
    }

    @Test
    void moreSpinnersWaitLongerButThroughputStays() throws Exception {
        Path three = tmp.resolve("three"), six = tmp.resolve("six");
        TestTraces.kernel(three, "spin 3 20");
        TestTraces.kernel(six, "spin 6 20");
        Comparison c = new Comparison(sched(three), sched(six), 0.05, "spin");
        Comparison.Row wait = c.rows().get(0);
        assertTrue(wait.differs(), wait.toString());
        assertTrue(wait.medianA() < wait.medianB(), "six spinners wait longer for the CPU: " + wait);
        Path csv = c.write(tmp);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(4, lines.size());
        assertTrue(lines.get(1).startsWith("wait_latency_us,Mann-Whitney U,"), lines.get(1));
        assertTrue(String.join("\n", c.report("A", "B")).contains("differ (Mann-Whitney U, p = "));
    }
}
