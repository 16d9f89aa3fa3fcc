package dev.tinyos.replay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * {@code header.properties} of a trace: format version, machine configuration, clock mode and
 * the SHA-256 of the kernel, the initial disk and (optional, so older traces stay readable) the
 * device tree. Reader and writer sit side by side here.
 *
 * <p>Invariant: {@link #FORMAT_VERSION} changes whenever the header keys, the event layout
 * ({@link EventLayout}, {@link Digest}) or the queue settings change; a header of another version
 * is refused with one sentence.
 */
public final class TraceHeader {
    public static final int FORMAT_VERSION = 2;
    /** The oldest format version this tinyos still reads (version 1: events without checksums). */
    public static final int OLDEST_READABLE = 1;
    /** The key of the header's own checksum (format version 2 on). */
    static final String CRC_KEY = "header.crc32c";
    /**
     * Revision of the machine's guest-visible behaviour ({@link dev.tinyos.core.BoardRevision}
     * lists them); a trace without the key is revision 1.
     */
    public static final int MACHINE_REVISION = dev.tinyos.core.BoardRevision.CURRENT;
    public static final String FILE = "header.properties";

    public int formatVersion = FORMAT_VERSION;
    public int memoryMiB;
    /** "virtual" or "host". */
    public String clock;
    /** Instructions per mtime tick of the time base. */
    public long ipt;
    /** Instructions between two digests (a power of two). */
    public long digestInterval;
    public String kernelName;
    public String kernelSha256;
    /** Null without a disk. */
    public String diskSha256;
    public long diskBytes;
    public boolean diskReadOnly;
    /** The bios's file name and SHA-256 (its copy is {@link Trace#BIOS}); null without a bios. */
    public String biosName;
    public String biosSha256;
    /** SHA-256 of the initrd (its copy is {@link Trace#INITRD}); null without one. */
    public String initrdSha256;
    /** The kernel command line (/chosen bootargs); null without one. */
    public String append;
    /**
     * SHA-256 of the device tree the machine placed in RAM (part of the guest's memory from
     * its first instruction); null in traces recorded before it was kept.
     */
    public String dtbSha256;
    /** {@link #MACHINE_REVISION} of the tinyos that recorded the trace. */
    public int machineRevision = MACHINE_REVISION;
    public String created = "";
    public String command = "";

    public boolean hasDisk() {
        return diskSha256 != null;
    }

    public void write(Path dir) throws IOException {
        Properties p = new Properties();
        p.setProperty("format.version", Integer.toString(formatVersion));
        p.setProperty("machine.memoryMiB", Integer.toString(memoryMiB));
        p.setProperty("clock.mode", clock);
        p.setProperty("clock.ipt", Long.toString(ipt));
        p.setProperty("digest.interval", Long.toString(digestInterval));
        p.setProperty("kernel.name", kernelName);
        p.setProperty("kernel.sha256", kernelSha256);
        if (diskSha256 != null) {
            p.setProperty("disk.sha256", diskSha256);
            p.setProperty("disk.bytes", Long.toString(diskBytes));
            p.setProperty("disk.readOnly", Boolean.toString(diskReadOnly));
        }
        if (dtbSha256 != null) {
            p.setProperty("machine.dtb.sha256", dtbSha256);
        }
        if (biosSha256 != null) {
            p.setProperty("bios.name", biosName);
            p.setProperty("bios.sha256", biosSha256);
        }
        if (initrdSha256 != null) {
            p.setProperty("initrd.sha256", initrdSha256);
        }
        if (append != null) {
            p.setProperty("append", append);
        }
        p.setProperty("machine.revision", Integer.toString(machineRevision));
        p.setProperty("created", created);
        p.setProperty("command", command);
        if (formatVersion >= EventCodec.CRC_SINCE_VERSION) {
            p.setProperty(CRC_KEY, crcOf(p));
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve(FILE))) {
            p.store(out, "tiny-os trace header (docs/RECORDING.md)");
        }
    }

    /** Reads and checks the header of trace {@code dir}. */
    public static TraceHeader read(Path dir) throws TraceException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(FILE))) {
            p.load(in);
        } catch (NoSuchFileException e) {
            throw new TraceException(dir + " is not a trace: it has no " + FILE + ".");
        } catch (IOException | IllegalArgumentException e) {
            throw new TraceException("the header of trace " + dir + " cannot be read (" + e.getMessage() + ").");
        }
        TraceHeader h = new TraceHeader();
        try {
            h.formatVersion = (int) number(p, "format.version", dir);
            if (h.formatVersion < OLDEST_READABLE || h.formatVersion > FORMAT_VERSION) {
                throw new TraceException("trace " + dir + " has format version " + h.formatVersion
                        + " but this tinyos reads only versions " + OLDEST_READABLE + " to " + FORMAT_VERSION + ".");
            }
            if (h.formatVersion >= EventCodec.CRC_SINCE_VERSION) {
                String crc = need(p, CRC_KEY, dir);
                p.remove(CRC_KEY);
                if (!crc.equals(crcOf(p))) {
                    throw new TraceException("the header of trace " + dir + " is corrupt: it fails its checksum ("
                            + CRC_KEY + ").");
                }
            }
            h.memoryMiB = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, number(p, "machine.memoryMiB", dir)));
            h.clock = need(p, "clock.mode", dir);
            h.ipt = number(p, "clock.ipt", dir);
            h.digestInterval = number(p, "digest.interval", dir);
            h.kernelName = need(p, "kernel.name", dir);
            h.kernelSha256 = need(p, "kernel.sha256", dir);
            h.diskSha256 = p.getProperty("disk.sha256");
            if (h.diskSha256 != null) {
                h.diskBytes = number(p, "disk.bytes", dir);
                h.diskReadOnly = parseBoolean(p.getProperty("disk.readOnly", "false"), "disk.readOnly", dir);
            }
            h.dtbSha256 = p.getProperty("machine.dtb.sha256");
            h.biosSha256 = p.getProperty("bios.sha256");
            h.biosName = p.getProperty("bios.name", "bios");
            h.initrdSha256 = p.getProperty("initrd.sha256");
            h.append = p.getProperty("append");
            h.machineRevision = p.getProperty("machine.revision") == null ? 1
                    : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, number(p, "machine.revision", dir)));
            h.created = p.getProperty("created", "");
            h.command = p.getProperty("command", "");
        } catch (NumberFormatException e) {
            throw new TraceException("the header of trace " + dir + " is corrupt (" + e.getMessage() + ").");
        }
        String bad = impossible(h);
        if (bad != null) {
            throw new TraceException("the header of trace " + dir + " is corrupt: " + bad + ".");
        }
        return h;
    }

    /** The first field with a value no recording can have written, or null. */
    private static String impossible(TraceHeader h) {
        if (!h.clock.equals("virtual") && !h.clock.equals("host")) {
            return "clock.mode is " + h.clock + ", not host or virtual";
        }
        if (h.ipt <= 0) {
            return "clock.ipt is " + h.ipt + ", not positive";
        }
        if (h.digestInterval < 1024 || Long.bitCount(h.digestInterval) != 1) {
            return "digest.interval is " + h.digestInterval + ", not a power of two of at least 1024";
        }
        if (h.memoryMiB < 1 || h.memoryMiB > 2047) {
            return "machine.memoryMiB is " + h.memoryMiB + ", not 1 to 2047";
        }
        if (h.machineRevision < 1) {
            return "machine.revision is " + h.machineRevision + ", not 1 or more";
        }
        if (!isSha256(h.kernelSha256)) {
            return "kernel.sha256 is not a SHA-256";
        }
        if (h.dtbSha256 != null && !isSha256(h.dtbSha256)) {
            return "machine.dtb.sha256 is not a SHA-256";
        }
        if (h.biosSha256 != null && !isSha256(h.biosSha256)) {
            return "bios.sha256 is not a SHA-256";
        }
        if (h.initrdSha256 != null && !isSha256(h.initrdSha256)) {
            return "initrd.sha256 is not a SHA-256";
        }
        if (h.diskSha256 != null && !isSha256(h.diskSha256)) {
            return "disk.sha256 is not a SHA-256";
        }
        if (h.diskSha256 != null && (h.diskBytes <= 0 || h.diskBytes % 512 != 0)) {
            return "disk.bytes is " + h.diskBytes + ", not a positive multiple of 512";
        }
        return null;
    }

    private static boolean isSha256(String s) {
        return s != null && s.matches("[0-9a-f]{64}");
    }

    private static boolean parseBoolean(String v, String key, Path dir) throws TraceException {
        if (v.equals("true") || v.equals("false")) {
            return v.equals("true");
        }
        throw new TraceException("the header of trace " + dir + " is corrupt: " + key + " is " + v
                + ", not true or false.");
    }

    /** CRC-32C (hex) of every key=value line of {@code p}, sorted by key. */
    static String crcOf(Properties p) {
        StringBuilder sb = new StringBuilder();
        new java.util.TreeMap<>(p).forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return String.format(java.util.Locale.ROOT, "%08x", c.getValue());
    }

    private static long number(Properties p, String key, Path dir) throws TraceException {
        String v = need(p, key, dir);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new TraceException("the header of trace " + dir + " is corrupt: " + key + " is " + v
                    + ", not a number.");
        }
    }

    private static String need(Properties p, String key, Path dir) throws TraceException {
        String v = p.getProperty(key);
        if (v == null || v.isEmpty()) {
            throw new TraceException("the header of trace " + dir + " lacks " + key + ".");
        }
        return v.trim();
    }
}
