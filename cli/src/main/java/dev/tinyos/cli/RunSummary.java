package dev.tinyos.cli;

import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one-line report printed on stderr when a run ends: how it ended, the exit status, the
 * instructions retired, the wall time and the resulting MIPS. Invariant: pure formatting — the
 * same numbers always give the same line (the {@code ROOT} locale, no host state).
 */
public final class RunSummary {
    private RunSummary() {
    }

    /** Million instructions per second; 0 when no time passed. */
    public static double mips(long instructions, long nanos) {
        return nanos <= 0 ? 0.0 : instructions * 1000.0 / nanos;
    }

    /** e.g. {@code tinyos: FINISHER_PASS, exit 0: 12,345 instructions in 0.012 s, 1.0 MIPS}. */
    public static String line(String reason, int exitCode, long instructions, long nanos) {
        return String.format(Locale.ROOT, "tinyos: %s, exit %d: %s instructions in %.3f s, %.1f MIPS",
                reason, exitCode, grouped(instructions), nanos / 1e9, mips(instructions, nanos));
    }

    private static final Pattern SECONDS = Pattern.compile("^tinyos: .* instructions in ([0-9.]+) s, ", Pattern.MULTILINE);

    /** The seconds of the summary {@link #line} found in {@code text} (a run's stderr), if any. */
    public static OptionalDouble seconds(String text) {
        Matcher m = SECONDS.matcher(text);
        return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
    }

    /** A count with thousands separators: 1,234,567. */
    public static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
