package dev.tinyos.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Edits a field of a trace's header as a person (or a bug) would: with the checksum recomputed
 * (so that the field's own check must catch an impossible value) or without it.
 */
final class HeaderFields {
    static final String FILE = "header.properties";
    static final String CRC_KEY = "header.crc32c";

    private HeaderFields() {
    }

    static void set(Path trace, String key, String value, boolean reseal) throws Exception {
        Path f = trace.resolve(FILE);
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(f)) {
            p.load(in);
        }
        String crc = (String) p.remove(CRC_KEY);
        p.setProperty(key, value);
        p.setProperty(CRC_KEY, reseal ? crcOf(p) : crc);
        try (OutputStream out = Files.newOutputStream(f)) {
            p.store(out, null);
        }
    }

    /** The header checksum as docs/RECORDING.md defines it: CRC-32C of the sorted key=value lines. */
    static String crcOf(Properties p) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(p).forEach((k, v) -> {
            if (!k.equals(CRC_KEY)) {
                sb.append(k).append('=').append(v).append('\n');
            }
        });
        CRC32C c = new CRC32C();
        c.update(sb.toString().getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", c.getValue());
    }
}
