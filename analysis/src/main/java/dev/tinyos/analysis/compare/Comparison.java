package dev.tinyos.analysis.compare;

import dev.tinyos.analysis.CsvWriter;
import dev.tinyos.analysis.sched.SchedJob;
import dev.tinyos.analysis.sched.Windows;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * Compares the scheduler statistics of two runs (A and B) with two-sided tests:
 * <ul>
 * <li><b>wait latency</b> (every runnable-to-scheduled delay, in microseconds): Mann-Whitney U
 *     test. Latencies are skewed and heavy-tailed (a few waits of a whole quantum among many
 *     short ones), so a rank test is the right tool; Commons Math uses the normal
 *     approximation with average ranks for ties.</li>
 * <li><b>throughput</b> (non-idle instructions retired per guest second, one value per full
 *     time window) and <b>switch rate</b> (context switches per guest second, per window):
 *     Welch's t-test (unequal variances), since window means are close to normal by the
 *     central limit theorem. Windows of one run are not independent (a phase lasts several
 *     windows), so these p-values are approximate; use windows longer than the quantum.</li>
 * </ul>
 * Invariant: a pure function of the two finished jobs and alpha.
 */
public final class Comparison {
    /** One compared metric. {@code pValue} is NaN when a sample is too small for the test. */
    public record Row(String metric, String test, int nA, int nB, double meanA, double meanB, double medianA,
                      double medianB, double statistic, double pValue, boolean differs) {}

    private final List<Row> rows = new ArrayList<>();
    private final double alpha;

    /**
     * @param process if not null, wait latencies only of processes with this name (e.g. the
     *                workload's {@code spin}), leaving out boot threads and the shell
     */
    public Comparison(SchedJob a, SchedJob b, double alpha, String process) {
        this.alpha = alpha;
        rows.add(rank("wait_latency_us", waits(a, process), waits(b, process)));
        rows.add(welch("throughput_instructions_per_s", instructionRate(a), instructionRate(b)));
        rows.add(welch("switches_per_s", switchRate(a), switchRate(b)));
    }

    public List<Row> rows() {
        return rows;
    }

    public double alpha() {
        return alpha;
    }

    static double[] waits(SchedJob j, String process) {
        if (process == null) {
            return j.allWaitsUs();
        }
        return j.processes().stream().filter(p -> process.equals(p.name()))
                .flatMapToDouble(p -> Arrays.stream(p.waitsUs())).toArray();
    }

    /** Per full window (the last, partial one is left out): non-idle instructions per second. */
    static double[] instructionRate(SchedJob j) {
        Windows w = j.windows();
        double[] out = new double[fullWindows(j)];
        for (int i = 0; i < out.length; i++) {
            out[i] = w.instructions(i) / (w.widthNs / 1e9);
        }
        return out;
    }

    static double[] switchRate(SchedJob j) {
        Windows w = j.windows();
        double[] out = new double[fullWindows(j)];
        for (int i = 0; i < out.length; i++) {
            out[i] = w.switches(i) / (w.widthNs / 1e9);
        }
        return out;
    }

    private static int fullWindows(SchedJob j) {
        return (int) Math.min(j.windows().count(), j.endNs() / j.windows().widthNs);
    }

    private Row rank(String metric, double[] a, double[] b) {
        double p = Double.NaN, u = Double.NaN;
        if (a.length > 0 && b.length > 0) {
            MannWhitneyUTest t = new MannWhitneyUTest();
            u = t.mannWhitneyU(a, b);
            p = t.mannWhitneyUTest(a, b);
        }
        return row(metric, "Mann-Whitney U", a, b, u, p);
    }

    private Row welch(String metric, double[] a, double[] b) {
        double p = Double.NaN, t = Double.NaN;
        if (a.length >= 2 && b.length >= 2 && (variance(a) > 0 || variance(b) > 0)) {
            TTest test = new TTest();
            t = test.t(a, b);
            p = test.tTest(a, b);
        }
        return row(metric, "Welch t", a, b, t, p);
    }

    private Row row(String metric, String test, double[] a, double[] b, double stat, double p) {
        return new Row(metric, test, a.length, b.length, mean(a), mean(b), median(a), median(b), stat, p,
                !Double.isNaN(p) && p < alpha);
    }

    private static double mean(double[] x) {
        return x.length == 0 ? Double.NaN : Arrays.stream(x).sum() / x.length;
    }

    private static double variance(double[] x) {
        double m = mean(x), s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return s / Math.max(1, x.length - 1);
    }

    private static double median(double[] x) {
        if (x.length == 0) {
            return Double.NaN;
        }
        Percentile p = new Percentile().withEstimationType(EstimationType.R_7);
        return p.evaluate(x, 50);
    }

    /** The verdict as lines for the terminal. */
    public List<String> report(String nameA, String nameB) {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "A = %s, B = %s, alpha = %s (two-sided)", nameA, nameB,
                CsvWriter.format(alpha)));
        for (Row r : rows) {
            String verdict = Double.isNaN(r.pValue()) ? "not enough samples for the test"
                    : (r.differs() ? "differ" : "no significant difference") + String.format(Locale.ROOT,
                    " (%s, p = %.3g)", r.test(), r.pValue());
            out.add(String.format(Locale.ROOT, "%-30s A: n=%d mean=%s median=%s | B: n=%d mean=%s median=%s -> %s",
                    r.metric(), r.nA(), fmt(r.meanA()), fmt(r.medianA()), r.nB(), fmt(r.meanB()), fmt(r.medianB()),
                    verdict));
        }
        return out;
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4g", v);
    }

    /** Writes compare.csv into {@code dir}. */
    public Path write(Path dir) throws IOException {
        Path f = dir.resolve("compare.csv");
        try (CsvWriter w = CsvWriter.create(f, "metric", "test", "n_a", "n_b", "mean_a", "mean_b", "median_a",
                "median_b", "statistic", "p_value", "alpha", "differs")) {
            for (Row r : rows) {
                w.cell(r.metric()).cell(r.test()).cell(r.nA()).cell(r.nB()).cell(r.meanA()).cell(r.meanB())
                        .cell(r.medianA()).cell(r.medianB()).cellSignificant(r.statistic()).cellSignificant(r.pValue()).cell(alpha)
                        .cell(r.differs() ? "true" : "false");
                w.endRow();
            }
        }
        return f;
    }
}
