package dev.tinyos.analysis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A line plot (e.g. hit ratio or utilisation over guest time) written as SVG: one polyline per
 * series, axes with round ticks, a legend. Invariant: output bytes depend only on the title,
 * labels, ranges and data added (see {@link Svg}); NaN points break a line instead of drawing.
 */
public final class Plot {
    private static final int W = 960, H = 420, LEFT = 70, RIGHT = 180, TOP = 40, BOTTOM = 50;

    private record Series(String label, double[] x, double[] y) {}

    private final String title, xLabel, yLabel;
    private final List<Series> series = new ArrayList<>();
    private double yMin = Double.NaN, yMax = Double.NaN;

    public Plot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Fixes the y range (otherwise it spans the data), e.g. 0..1 for ratios. */
    public Plot yRange(double min, double max) {
        yMin = min;
        yMax = max;
        return this;
    }

    /** Adds a series; {@code x} and {@code y} have the same length. */
    public Plot series(String label, double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series " + label + ": " + x.length + " x values, " + y.length + " y");
        }
        series.add(new Series(label, x.clone(), y.clone()));
        return this;
    }

    public void write(Path file) throws IOException {
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                if (Double.isFinite(s.x[i]) && Double.isFinite(s.y[i])) {
                    x0 = Math.min(x0, s.x[i]);
                    x1 = Math.max(x1, s.x[i]);
                    y0 = Math.min(y0, s.y[i]);
                    y1 = Math.max(y1, s.y[i]);
                }
            }
        }
        if (x0 > x1) {
            x0 = 0;
            x1 = 1;
            y0 = 0;
            y1 = 1;
        }
        if (!Double.isNaN(yMin)) {
            y0 = yMin;
            y1 = yMax;
        }
        if (x1 == x0) {
            x1 = x0 + 1;
        }
        if (y1 == y0) {
            y1 = y0 + 1;
        }
        Axes a = new Axes(W, H, LEFT, RIGHT, TOP, BOTTOM, x0, x1, y0, y1);
        Svg svg = new Svg(W, H);
        a.draw(svg, title, xLabel, yLabel);
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            String c = Svg.color(k);
            boolean open = false;
            for (int i = 0; i < s.x.length; i++) {
                boolean ok = Double.isFinite(s.x[i]) && Double.isFinite(s.y[i]);
                if (ok && !open) {
                    svg.polyline(c);
                    open = true;
                } else if (!ok && open) {
                    svg.endPolyline();
                    open = false;
                }
                if (ok) {
                    svg.point(a.px(s.x[i]), a.py(Math.max(y0, Math.min(y1, s.y[i]))));
                }
            }
            if (open) {
                svg.endPolyline();
            }
            double ly = TOP + 10 + 18 * k;
            svg.rect(W - RIGHT + 15, ly - 9, 14, 10, c);
            svg.text(W - RIGHT + 35, ly, "start", 0, s.label);
        }
        svg.write(file);
    }
}
