package dev.tinyos.analysis;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows how far a long replay has come on one stderr line ({@code \r}-updated), only when
 * enabled (by default: when the JVM has a terminal). Invariant: progress output goes to the
 * given stream only and at most once per whole percent, so it never touches the files a job
 * writes and costs nothing measurable.
 */
public final class Progress {
    private final PrintStream err;
    private final String label;
    private final long total;
    private final boolean enabled;
    private int shown = -1;

    public Progress(PrintStream err, String label, long total, boolean enabled) {
        this.err = err;
        this.label = label;
        this.total = Math.max(1, total);
        this.enabled = enabled;
    }

    /** Enabled exactly when stdin/stdout are a terminal (System.console() is not null). */
    public static Progress onTerminal(String label, long total) {
        return new Progress(System.err, label, total, System.console() != null);
    }

    /** Reports that {@code done} of the total instructions have been replayed. */
    public void update(long done) {
        if (!enabled) {
            return;
        }
        int pct = (int) Math.min(100, done * 100 / total);
        if (pct != shown) {
            shown = pct;
            err.print(String.format(Locale.ROOT, "\r%s: %3d%% (%,d of %,d instructions)", label, pct, done, total));
            err.flush();
        }
    }

    /** Ends the progress line. */
    public void done() {
        if (enabled && shown >= 0) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
