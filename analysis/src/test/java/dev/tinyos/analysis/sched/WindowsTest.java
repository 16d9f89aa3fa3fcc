package dev.tinyos.analysis.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WindowsTest {
    @Test
    void splitsIntervalsAcrossWindowBoundaries() {
        Windows w = new Windows(100);
        w.cpu(5, 50, 250, 2000);        // 50 ns in window 0, 100 in 1, 50 in 2
        w.queue(2, 90, 110);            // 2 waiting for 10 ns in window 0 and 10 ns in window 1
        w.contextSwitch(250);
        w.extendTo(400);
        assertEquals(4, w.count());
        assertEquals(50, w.cpuNs(5, 0));
        assertEquals(100, w.cpuNs(5, 1));
        assertEquals(50, w.cpuNs(5, 2));
        assertEquals(0, w.cpuNs(5, 3));
        assertEquals(500 + 1000 + 500, w.instructions(0) + w.instructions(1) + w.instructions(2));
        assertEquals(1000, w.instructions(1));
        assertEquals(0.2, w.meanQueue(0), 1e-12);
        assertEquals(0.2, w.meanQueue(1), 1e-12);
        assertEquals(1, w.switches(2));
    }

    @Test
    void idleTimeCountsNoInstructionsAsThroughput() {
        Windows w = new Windows(100);
        w.cpu(0, 0, 100, 500);
        assertEquals(100, w.cpuNs(0, 0));
        assertEquals(0, w.instructions(0));
    }

    @Test
    void latencySummaryUsesLinearInterpolation() {
        LatencySummary s = LatencySummary.of(new double[] {4, 1, 3, 2});
        assertEquals(2.5, s.mean(), 1e-12);
        assertEquals(2.5, s.p50(), 1e-12);
        assertEquals(3.85, s.p95(), 1e-12);   // numpy.percentile([1,2,3,4], 95)
        assertEquals(4, s.max(), 1e-12);
        assertEquals(0, LatencySummary.of(new double[0]).n());
    }
}
