package dev.tinyos.cli;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the benchmark guest (guest/bench) prints on its console: a line
 * {@code bench: checksum <16 hex digits>} and, when every kernel ran, {@code bench: PASS}.
 * Invariant: parsing is a pure function of the console bytes.
 */
public final class BenchOutput {
    private static final Pattern CHECKSUM = Pattern.compile("bench: checksum ([0-9a-f]{16})");

    private BenchOutput() {
    }

    /** The checksum the guest printed, if it printed one. */
    public static Optional<String> checksum(byte[] console) {
        Matcher m = CHECKSUM.matcher(new String(console, StandardCharsets.ISO_8859_1));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** True if the guest reported PASS. */
    public static boolean passed(byte[] console) {
        return new String(console, StandardCharsets.ISO_8859_1).contains("bench: PASS");
    }
}
