package dev.tinyos.analysis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Gantt-style SVG timeline: one row per lane (e.g. per process), a coloured bar for every
 * interval the lane was active (e.g. on the CPU). Bars in the same lane closer than half a
 * pixel are merged so a run of a few seconds with thousands of switches stays readable and
 * small. Invariant: output bytes depend only on the lanes and intervals added, in order.
 */
public final class Timeline {
    private static final int W = 1200, LEFT = 150, RIGHT = 20, TOP = 40, BOTTOM = 50, ROW = 22;

    private final String title, xLabel;
    private final List<String> lanes = new ArrayList<>();
    private final List<List<double[]>> spans = new ArrayList<>();
    private double xMin = Double.POSITIVE_INFINITY, xMax = Double.NEGATIVE_INFINITY;

    public Timeline(String title, String xLabel) {
        this.title = title;
        this.xLabel = xLabel;
    }

    /** Adds a lane; returns its index for {@link #span}. */
    public int lane(String label) {
        lanes.add(label);
        spans.add(new ArrayList<>());
        return lanes.size() - 1;
    }

    /** Lane {@code lane} was active from {@code from} to {@code to} (x units, from <= to). */
    public void span(int lane, double from, double to) {
        spans.get(lane).add(new double[] {from, to});
        xMin = Math.min(xMin, from);
        xMax = Math.max(xMax, to);
    }

    /** Sets the x range (otherwise the extent of the spans). */
    public void xRange(double from, double to) {
        xMin = from;
        xMax = to;
    }

    public void write(Path file) throws IOException {
        int height = TOP + BOTTOM + ROW * Math.max(1, lanes.size());
        double x0 = xMin < xMax ? xMin : 0, x1 = xMin < xMax ? xMax : 1;
        Axes a = new Axes(W, height, LEFT, RIGHT, TOP, BOTTOM, x0, x1, 0, Math.max(1, lanes.size()));
        Svg svg = new Svg(W, height);
        a.drawFrame(svg, title, xLabel, null, false);
        double halfPixel = (x1 - x0) / a.plotWidth() / 2;
        for (int i = 0; i < lanes.size(); i++) {
            double y = TOP + ROW * i;
            svg.text(LEFT - 8, y + ROW * 0.7, "end", 0, lanes.get(i));
            String c = Svg.color(i);
            double from = Double.NaN, to = Double.NaN;
            for (double[] s : spans.get(i)) {
                if (!Double.isNaN(from) && s[0] - to <= halfPixel) {
                    to = Math.max(to, s[1]);
                    continue;
                }
                if (!Double.isNaN(from)) {
                    bar(svg, a, y, from, to, c);
                }
                from = s[0];
                to = s[1];
            }
            if (!Double.isNaN(from)) {
                bar(svg, a, y, from, to, c);
            }
        }
        svg.write(file);
    }

    private static void bar(Svg svg, Axes a, double y, double from, double to, String c) {
        double x = a.px(from);
        svg.rect(x, y + 3, Math.max(0.5, a.px(to) - x), ROW - 6, c);
    }
}
