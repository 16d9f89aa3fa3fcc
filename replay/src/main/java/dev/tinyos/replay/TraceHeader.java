package dev.tinyos.replay;

import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.input.TimeBase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Properties;

/**
 * {@code header.properties} of a trace: the format version, the machine configuration
 * ({@link MachineConfig}: memory, board revision, boot images, command line, disk access), the
 * time base ({@link TimeBase}), the digest interval, the SHA-256 of the kernel, the initial disk
 * and (optional, so older traces stay readable) the device tree, and who made it when. The
 * header serializes the machine configuration directly: the recorder hands its
 * {@code MachineConfig} in, {@link #machine()} hands the replayer the same configuration back,
 * with the trace's copies of the images. Reader and writer sit side by side here.
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

    public final int formatVersion;
    /**
     * The machine that ran, without console, input or live disk. In a header read from a trace
     * (and once {@link Trace#create} has copied the images) its kernel, bios and initrd are the
     * trace's copies and it has no disk: {@link Trace#unpackDisk} makes the replay's.
     */
    private final MachineConfig machine;
    private final TimeBase clock;
    /** Instructions between two digests (a power of two). */
    public final long digestInterval;
    public String kernelName;
    public String kernelSha256;
    /** Null without a disk. */
    public String diskSha256;
    public long diskBytes;
    /** The bios's file name and SHA-256 (its copy is {@link Trace#BIOS}); null without a bios. */
    public String biosName;
    public String biosSha256;
    /** SHA-256 of the initrd (its copy is {@link Trace#INITRD}); null without one. */
    public String initrdSha256;
    /**
     * SHA-256 of the device tree the machine placed in RAM (part of the guest's memory from
     * its first instruction); null in traces recorded before it was kept.
     */
    public String dtbSha256;
    public String created = "";
    public String command = "";

    private TraceHeader(int formatVersion, MachineConfig machine, TimeBase clock, long digestInterval) {
        this.formatVersion = formatVersion;
        this.machine = machine.toBuilder().console(null).input(null).build();
        this.clock = clock;
        this.digestInterval = digestInterval;
    }

    /**
     * The header of a run about to be recorded on {@code machine} (its images and disk are the
     * user's; {@link Trace#create} copies them and fills in their hashes), stamped now.
     */
    public static TraceHeader forRun(MachineConfig machine, TimeBase clock, long digestInterval, String command) {
        TraceHeader h = new TraceHeader(FORMAT_VERSION, machine, clock, digestInterval);
        h.created = LocalDateTime.now().toString();
        h.command = command == null ? "" : command;
        return h;
    }

    /** The machine configuration the trace was recorded with (see the field's note on its paths). */
    public MachineConfig machine() {
        return machine;
    }

    /** The run's time base: the kind of clock and instructions per mtime tick. */
    public TimeBase clock() {
        return clock;
    }

    /** {@link dev.tinyos.core.BoardRevision} of the tinyos that recorded the trace. */
    public int machineRevision() {
        return machine.boardRevision();
    }

    public boolean hasDisk() {
        return diskSha256 != null;
    }

    /** This header with the machine's images being the copies in trace {@code dir}, and no disk. */
    TraceHeader inTrace(Path dir) {
        return with(formatVersion, imagesIn(dir, machine.toBuilder(), biosSha256, initrdSha256).build(), clock,
                digestInterval);
    }

    /** A header with this one's hashes, names and stamps and the given version and configuration. */
    private TraceHeader with(int version, MachineConfig m, TimeBase c, long interval) {
        TraceHeader h = new TraceHeader(version, m, c, interval);
        h.kernelName = kernelName;
        h.kernelSha256 = kernelSha256;
        h.diskSha256 = diskSha256;
        h.diskBytes = diskBytes;
        h.biosName = biosName;
        h.biosSha256 = biosSha256;
        h.initrdSha256 = initrdSha256;
        h.dtbSha256 = dtbSha256;
        h.created = created;
        h.command = command;
        return h;
    }

    /** {@code b} with the kernel and, if hashed, the bios and initrd being the copies in trace {@code dir}; no disk. */
    private static MachineConfig.Builder imagesIn(Path dir, MachineConfig.Builder b, String biosSha256,
                                                  String initrdSha256) {
        return b.kernel(dir.resolve(Trace.KERNEL)).bios(biosSha256 == null ? null : dir.resolve(Trace.BIOS))
                .initrd(initrdSha256 == null ? null : dir.resolve(Trace.INITRD)).disk(null);
    }

    public void write(Path dir) throws IOException {
        Properties p = new Properties();
        p.setProperty("format.version", Integer.toString(formatVersion));
        p.setProperty("machine.memoryMiB", Integer.toString(machine.memoryMiB()));
        p.setProperty("clock.mode", clock.kind().key());
        p.setProperty("clock.ipt", Long.toString(clock.ipt()));
        p.setProperty("digest.interval", Long.toString(digestInterval));
        p.setProperty("kernel.name", kernelName);
        p.setProperty("kernel.sha256", kernelSha256);
        if (diskSha256 != null) {
            p.setProperty("disk.sha256", diskSha256);
            p.setProperty("disk.bytes", Long.toString(diskBytes));
            p.setProperty("disk.readOnly", Boolean.toString(machine.diskReadOnly()));
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
        if (machine.append() != null) {
            p.setProperty("append", machine.append());
        }
        p.setProperty("machine.revision", Integer.toString(machine.boardRevision()));
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
        Fields f = new Fields(dir);
        try {
            f.read(p, dir);
        } catch (NumberFormatException e) {
            throw new TraceException("the header of trace " + dir + " is corrupt (" + e.getMessage() + ").");
        }
        String bad = impossible(f);
        if (bad != null) {
            throw new TraceException("the header of trace " + dir + " is corrupt: " + bad + ".");
        }
        if (f.machineRevision > MACHINE_REVISION) {
            throw new TraceException("trace " + dir + " was recorded by a newer tinyos (machine revision "
                    + f.machineRevision + "; this one implements " + MACHINE_REVISION + "): replay it with that version.");
        }
        return f.header(dir);
    }

    /**
     * The header's values as read, before they are checked and become a {@link TraceHeader}:
     * the configuration's here, the hashes, names and stamps already in {@link #id}.
     */
    private static final class Fields {
        final TraceHeader id;
        int formatVersion;
        int memoryMiB;
        String clock;
        long ipt;
        long digestInterval;
        boolean diskReadOnly;
        String append;
        int machineRevision;

        Fields(Path dir) {
            id = new TraceHeader(FORMAT_VERSION, MachineConfig.builder().kernel(dir.resolve(Trace.KERNEL)).build(),
                    TimeBase.virtual(), 0);
        }

        void read(Properties p, Path dir) throws TraceException {
            formatVersion = (int) number(p, "format.version", dir);
            if (formatVersion < OLDEST_READABLE || formatVersion > FORMAT_VERSION) {
                throw new TraceException("trace " + dir + " has format version " + formatVersion
                        + " but this tinyos reads only versions " + OLDEST_READABLE + " to " + FORMAT_VERSION + ".");
            }
            if (formatVersion >= EventCodec.CRC_SINCE_VERSION) {
                String crc = need(p, CRC_KEY, dir);
                p.remove(CRC_KEY);
                if (!crc.equals(crcOf(p))) {
                    throw new TraceException("the header of trace " + dir + " is corrupt: it fails its checksum ("
                            + CRC_KEY + ").");
                }
            }
            memoryMiB = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, number(p, "machine.memoryMiB", dir)));
            clock = need(p, "clock.mode", dir);
            ipt = number(p, "clock.ipt", dir);
            digestInterval = number(p, "digest.interval", dir);
            id.kernelName = need(p, "kernel.name", dir);
            id.kernelSha256 = need(p, "kernel.sha256", dir);
            id.diskSha256 = p.getProperty("disk.sha256");
            if (id.diskSha256 != null) {
                id.diskBytes = number(p, "disk.bytes", dir);
                diskReadOnly = parseBoolean(p.getProperty("disk.readOnly", "false"), "disk.readOnly", dir);
            }
            id.dtbSha256 = p.getProperty("machine.dtb.sha256");
            id.biosSha256 = p.getProperty("bios.sha256");
            id.biosName = p.getProperty("bios.name", "bios");
            id.initrdSha256 = p.getProperty("initrd.sha256");
            append = p.getProperty("append");
            machineRevision = p.getProperty("machine.revision") == null ? 1
                    : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, number(p, "machine.revision", dir)));
            id.created = p.getProperty("created", "");
            id.command = p.getProperty("command", "");
        }

        /** The header these (checked) values describe, its machine's images being trace {@code dir}'s copies. */
        TraceHeader header(Path dir) {
            MachineConfig m = imagesIn(dir, MachineConfig.builder(), id.biosSha256, id.initrdSha256)
                    .memoryMiB(memoryMiB).append(append).diskReadOnly(diskReadOnly).boardRevision(machineRevision)
                    .build();
            return id.with(formatVersion, m, new TimeBase(TimeBase.Kind.of(clock), ipt), digestInterval);
        }
    }

    /** The first field with a value no recording can have written, or null. */
    private static String impossible(Fields h) {
        if (TimeBase.Kind.of(h.clock) == null) {
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
        if (!isSha256(h.id.kernelSha256)) {
            return "kernel.sha256 is not a SHA-256";
        }
        if (h.id.dtbSha256 != null && !isSha256(h.id.dtbSha256)) {
            return "machine.dtb.sha256 is not a SHA-256";
        }
        if (h.id.biosSha256 != null && !isSha256(h.id.biosSha256)) {
            return "bios.sha256 is not a SHA-256";
        }
        if (h.id.initrdSha256 != null && !isSha256(h.id.initrdSha256)) {
            return "initrd.sha256 is not a SHA-256";
        }
        if (h.id.diskSha256 != null && !isSha256(h.id.diskSha256)) {
            return "disk.sha256 is not a SHA-256";
        }
        if (h.id.diskSha256 != null && (h.id.diskBytes <= 0 || h.id.diskBytes % 512 != 0)) {
            return "disk.bytes is " + h.id.diskBytes + ", not a positive multiple of 512";
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
