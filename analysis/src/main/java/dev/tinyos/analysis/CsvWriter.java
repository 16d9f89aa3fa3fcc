package dev.tinyos.analysis;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes one tidy CSV file: one header row, then one observation per row, cells separated by
 * commas, lines ended by {@code \n}, UTF-8. Numbers are formatted without locale or JDK version
 * dependence: integers in decimal, doubles rounded half-even to {@link #DECIMALS} places with
 * trailing zeros dropped, NaN and infinities as an empty cell (a missing value for pandas).
 * Invariant: every row has exactly as many cells as the header (checked at {@link #endRow}).
 */
public final class CsvWriter implements Closeable {
    /** Decimal places kept for doubles. */
    public static final int DECIMALS = 6;

    private final Writer out;
    private final int columns;
    private final StringBuilder line = new StringBuilder(256);
    private int cells;

    private CsvWriter(Writer out, String[] header) throws IOException {
        this.out = out;
        this.columns = header.length;
        for (String h : header) {
            cell(h);
        }
        endRow();
    }

    /** Creates (or replaces) {@code file} and writes the header row. */
    public static CsvWriter create(Path file, String... header) throws IOException {
        return new CsvWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), header);
    }

    /** Writes to {@code out} (for tests and in-memory use). */
    public static CsvWriter to(Writer out, String... header) throws IOException {
        return new CsvWriter(out instanceof BufferedWriter ? out : new BufferedWriter(out), header);
    }

    public CsvWriter cell(long v) {
        sep();
        line.append(v);
        return this;
    }

    public CsvWriter cell(double v) {
        sep();
        line.append(format(v));
        return this;
    }

    /**
     * A double with six significant digits (e.g. a p-value of 1.23457E-12), for values whose
     * magnitude varies too much for fixed decimals; empty if not finite.
     */
    public CsvWriter cellSignificant(double v) {
        sep();
        if (Double.isFinite(v)) {
            BigDecimal d = new BigDecimal(v).round(new java.math.MathContext(6, RoundingMode.HALF_EVEN))
                    .stripTrailingZeros();
            line.append(d.signum() == 0 ? "0" : d.toString());
        }
        return this;
    }

    /** A text cell, quoted (RFC 4180) if it holds a comma, quote or line break; null is empty. */
    public CsvWriter cell(String s) {
        sep();
        if (s == null) {
            return this;
        }
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            line.append(s);
        } else {
            line.append('"').append(s.replace("\"", "\"\"")).append('"');
        }
        return this;
    }

    /** Ends the current row; throws IllegalStateException if it has the wrong number of cells. */
    public void endRow() throws IOException {
        if (cells != columns) {
            throw new IllegalStateException("CSV row has " + cells + " cells, header has " + columns);
        }
        line.append('\n');
        out.write(line.toString());
        line.setLength(0);
        cells = 0;
    }

    private void sep() {
        if (cells++ > 0) {
            line.append(',');
        }
    }

    /** The CSV text of a double: {@link #DECIMALS} places, half-even, no trailing zeros; "" if not finite. */
    public static String format(double v) {
        if (!Double.isFinite(v)) {
            return "";
        }
        BigDecimal d = new BigDecimal(v).setScale(DECIMALS, RoundingMode.HALF_EVEN).stripTrailingZeros();
        if (d.signum() == 0) {
            return "0";
        }
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }

    @Override
    public void close() throws IOException {
        if (cells != 0) {
            throw new IllegalStateException("CSV closed in the middle of a row");
        }
        out.close();
    }
}
