package dev.tinyos.analysis.sched;

import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;

/**
 * Mean, median, p95, p99 and maximum of a sample, NaN for an empty one. Percentiles use Commons
 * Math's R_7 estimator (linear interpolation between order statistics), the default of numpy
 * and pandas, so a notebook recomputing them from the CSV gets the same numbers. Invariant: a
 * pure function of the sample's values (their order does not matter).
 */
public record LatencySummary(long n, double mean, double p50, double p95, double p99, double max) {

    public static LatencySummary of(double[] sample) {
        if (sample.length == 0) {
            return new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] s = sample.clone();
        java.util.Arrays.sort(s);
        double sum = 0;
        for (double v : s) {
            sum += v;
        }
        Percentile p = new Percentile().withEstimationType(EstimationType.R_7);
        p.setData(s);
        return new LatencySummary(s.length, sum / s.length, p.evaluate(50), p.evaluate(95), p.evaluate(99),
                s[s.length - 1]);
    }
}
