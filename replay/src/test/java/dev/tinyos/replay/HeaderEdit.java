package dev.tinyos.replay;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Edits one field of a trace's header and re-seals its checksum, as a deliberate edit would. */
final class HeaderEdit {
    private HeaderEdit() {
    }

    /** Sets {@code key} to {@code value} (null removes it) in trace {@code trace}'s header. */
    static void set(Path trace, String key, String value) throws Exception {
        Path f = trace.resolve(TraceHeader.FILE);
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(f)) {
            p.load(in);
        }
        p.remove(TraceHeader.CRC_KEY);
        if (value == null) {
            p.remove(key);
        } else {
            p.setProperty(key, value);
        }
        p.setProperty(TraceHeader.CRC_KEY, TraceHeader.crcOf(p));
        try (OutputStream out = Files.newOutputStream(f)) {
            p.store(out, null);
        }
    }
}
