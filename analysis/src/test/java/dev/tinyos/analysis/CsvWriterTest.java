package dev.tinyos.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class CsvWriterTest {
    @Test
    void formatsNumbersWithoutLocaleOrTrailingZeros() {
        assertEquals("0.5", CsvWriter.format(0.5));
        assertEquals("12", CsvWriter.format(12.0));
        assertEquals("0.333333", CsvWriter.format(1 / 3.0));
        assertEquals("-2.000001", CsvWriter.format(-2.0000005000001));
        assertEquals("1000000000000", CsvWriter.format(1e12));
        assertEquals("0", CsvWriter.format(1e-9));
        assertEquals("", CsvWriter.format(Double.NaN));
        assertEquals("", CsvWriter.format(Double.POSITIVE_INFINITY));
    }

    @Test
    void writesHeaderRowsAndQuotesText() throws Exception {
        StringWriter s = new StringWriter();
        try (CsvWriter w = CsvWriter.to(s, "pid", "name", "p_value")) {
            w.cell(7).cell("a,b \"c\"").cellSignificant(1.234567891e-12);
            w.endRow();
            w.cell(-1).cell((String) null).cellSignificant(Double.NaN);
            w.endRow();
        }
        assertEquals("pid,name,p_value\n7,\"a,b \"\"c\"\"\",1.23457E-12\n-1,,\n", s.toString());
    }

    @Test
    void refusesRowsOfTheWrongWidth() throws Exception {
        CsvWriter w = CsvWriter.to(new StringWriter(), "a", "b");
        w.cell(1);
        assertThrows(IllegalStateException.class, w::endRow);
    }
}
