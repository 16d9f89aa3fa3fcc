package dev.tinyos.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * Says so before work on a large disk image that will take a while, and shows how it goes: a
 * recorded run keeps the image's SHA-256 and a compressed copy in its trace, which means reading
 * all of it, holes included (about 180 MB/s here). Invariant: prints only for images of at least
 * {@link #LARGE} bytes, only on stderr, and nothing that changes what a command does.
 */
final class BigDisk {
    /** From this size on a warning is worth a line. */
    static final long LARGE = 1L << 30;
    /** Bytes per second the trace's copy of an image is made at (measured: 3 GiB in 17 s). */
    static final long RATE = 180L << 20;

    private BigDisk() {
    }

    /** Warns about {@code disk} if it is large; returns the progress printer for trace creation. */
    static LongConsumer progress(Path disk) {
        long bytes;
        try {
            bytes = disk == null ? 0 : Files.size(disk);
        } catch (IOException e) {
            return done -> { };
        }
        if (bytes < LARGE) {
            return done -> { };
        }
        System.err.println("tinyos: " + disk.getFileName() + " is " + size(bytes) + ": the trace keeps its SHA-256 "
                + "and a compressed copy, so all of it is read first (about " + duration(bytes / RATE)
                + "; --no-record skips this, Ctrl-C stops it and removes the unfinished trace)");
        boolean tty = System.console() != null;
        long step = Math.max(bytes / 20, 64L << 20);
        long[] next = {step};
        return done -> {
            if (done >= next[0] || done >= bytes) {
                next[0] = done + step;
                String line = String.format(Locale.ROOT, "tinyos: copying %s into the trace: %s of %s (%d %%)",
                        disk.getFileName(), size(done), size(bytes), done * 100 / bytes);
                System.err.print(tty ? "\r" + line : line + System.lineSeparator());
                if (tty && done >= bytes) {
                    System.err.println();
                }
                System.err.flush();
            }
        };
    }

    static String size(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.0f MiB", bytes / (double) (1L << 20));
    }

    static String duration(long seconds) {
        if (seconds < 120) {
            return Math.max(1, seconds) + " s";
        }
        if (seconds < 7200) {
            return seconds / 60 + " min";
        }
        return seconds / 3600 + " h";
    }
}
