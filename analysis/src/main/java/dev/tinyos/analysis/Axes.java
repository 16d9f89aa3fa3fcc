package dev.tinyos.analysis;

/**
 * Maps data coordinates to SVG pixels inside a plot frame and draws the frame, round ticks,
 * labels and title. Invariant: x0 < x1 and y0 < y1; the data rectangle is the canvas minus the
 * margins, with y growing upwards.
 */
final class Axes {
    final int width, height, left, right, top, bottom;
    final double x0, x1, y0, y1;

    Axes(int width, int height, int left, int right, int top, int bottom, double x0, double x1, double y0, double y1) {
        this.width = width;
        this.height = height;
        this.left = left;
        this.right = right;
        this.top = top;
        this.bottom = bottom;
        this.x0 = x0;
        this.x1 = x1;
        this.y0 = y0;
        this.y1 = y1;
    }

    double plotWidth() {
        return width - left - right;
    }

    double plotHeight() {
        return height - top - bottom;
    }

    double px(double x) {
        return left + (x - x0) / (x1 - x0) * plotWidth();
    }

    double py(double y) {
        return top + plotHeight() - (y - y0) / (y1 - y0) * plotHeight();
    }

    /** Frame, x ticks, and (if {@code yTicks}) y ticks; title and axis labels. */
    void draw(Svg svg, String title, String xLabel, String yLabel) {
        drawFrame(svg, title, xLabel, yLabel, true);
    }

    void drawFrame(Svg svg, String title, String xLabel, String yLabel, boolean yTicks) {
        double bottomY = top + plotHeight();
        svg.line(left, top, left, bottomY, "#444");
        svg.line(left, bottomY, left + plotWidth(), bottomY, "#444");
        double step = Svg.niceStep(x1 - x0, 8);
        for (double t = Math.ceil(x0 / step) * step; t <= x1 + step * 1e-9; t += step) {
            double x = px(t);
            svg.line(x, bottomY, x, bottomY + 5, "#444");
            svg.text(x, bottomY + 18, "middle", 0, Svg.tickLabel(t));
        }
        if (yTicks) {
            double ys = Svg.niceStep(y1 - y0, 5);
            for (double t = Math.ceil(y0 / ys) * ys; t <= y1 + ys * 1e-9; t += ys) {
                double y = py(t);
                svg.line(left - 5, y, left, y, "#444");
                svg.line(left, y, left + plotWidth(), y, "#eee");
                svg.text(left - 8, y + 4, "end", 0, Svg.tickLabel(t));
            }
        }
        svg.text(width / 2.0, 22, "middle", 0, title);
        svg.text(left + plotWidth() / 2, height - 10, "middle", 0, xLabel);
        if (yLabel != null) {
            svg.text(16, top + plotHeight() / 2, "middle", -90, yLabel);
        }
    }
}
