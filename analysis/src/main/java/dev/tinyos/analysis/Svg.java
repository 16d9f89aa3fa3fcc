package dev.tinyos.analysis;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A minimal SVG document builder for the analysis plots: rectangles, polylines, lines and text
 * with coordinates written to two decimals, half-even, without locale. Invariant: the same
 * sequence of calls gives the same bytes on every JVM and machine (no fonts are measured, no
 * clock or random source is read), so plots are as reproducible as the CSV files.
 */
final class Svg {
    /** A colour-blind-friendly qualitative palette (Okabe-Ito), cycled by series index. */
    static final String[] PALETTE = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9",
        "#F0E442", "#000000"};

    private final StringBuilder s = new StringBuilder(1 << 14);

    Svg(int width, int height) {
        s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(width).append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width)
                .append(' ').append(height).append("\" font-family=\"sans-serif\" font-size=\"12\">\n")
                .append("<rect x=\"0\" y=\"0\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" fill=\"white\"/>\n");
    }

    static String color(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    static String num(double v) {
        if (!Double.isFinite(v)) {
            return "0";
        }
        BigDecimal d = new BigDecimal(v).setScale(2, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return d.signum() == 0 ? "0" : d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }

    static String escape(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    void rect(double x, double y, double w, double h, String fill) {
        s.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" width=\"").append(num(w))
                .append("\" height=\"").append(num(h)).append("\" fill=\"").append(fill).append("\"/>\n");
    }

    void line(double x1, double y1, double x2, double y2, String stroke) {
        s.append("<line x1=\"").append(num(x1)).append("\" y1=\"").append(num(y1)).append("\" x2=\"").append(num(x2))
                .append("\" y2=\"").append(num(y2)).append("\" stroke=\"").append(stroke).append("\"/>\n");
    }

    /** Starts a polyline; add points with {@link #point}, finish with {@link #endPolyline}. */
    void polyline(String stroke) {
        s.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(stroke).append("\" points=\"");
    }

    void point(double x, double y) {
        s.append(num(x)).append(',').append(num(y)).append(' ');
    }

    void endPolyline() {
        s.append("\"/>\n");
    }

    /** Text at (x, y); anchor is start, middle or end; rotate in degrees (0 = none). */
    void text(double x, double y, String anchor, int rotate, String t) {
        s.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" text-anchor=\"")
                .append(anchor).append('"');
        if (rotate != 0) {
            s.append(" transform=\"rotate(").append(rotate).append(' ').append(num(x)).append(' ').append(num(y))
                    .append(")\"");
        }
        s.append('>').append(escape(t)).append("</text>\n");
    }

    void write(Path file) throws IOException {
        Files.writeString(file, s + "</svg>\n", StandardCharsets.UTF_8);
    }

    /** Tick step: 1, 2 or 5 times a power of ten, giving about {@code n} ticks over {@code span}. */
    static double niceStep(double span, int n) {
        if (!(span > 0)) {
            return 1;
        }
        double raw = span / n;
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double m = raw / p;
        return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
    }

    /** A tick label: up to 6 significant decimals, no trailing zeros. */
    static String tickLabel(double v) {
        return CsvWriter.format(Math.abs(v) < 1e-12 ? 0 : v);
    }
}
