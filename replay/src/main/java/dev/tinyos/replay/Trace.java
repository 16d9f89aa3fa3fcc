package dev.tinyos.replay;

import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.dtb.VirtDeviceTree;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.util.Locale;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A trace directory: {@code header.properties}, {@code kernel.elf} (a copy of the kernel that
 * ran), {@code disk.img.gz} (the initial disk image, gzip-compressed, if there was a disk) and
 * {@code queue/} (the Chronicle Queue of events). It is self-contained: copied elsewhere it
 * replays there.
 *
 * <p>Invariant: a trace is created only in a directory that does not exist or is empty (an
 * existing trace is never overwritten), and {@link #open} accepts it only if the kernel copy
 * matches the header's hash; the disk is checked when it is unpacked.
 */
public final class Trace {
    public static final String KERNEL = "kernel.elf";
    public static final String DISK = "disk.img.gz";
    /** The copy of the firmware (--bios), if the run had one. */
    public static final String BIOS = "bios.bin";
    /** The copy of the initial ramdisk (--initrd), if the run had one. */
    public static final String INITRD = "initrd.img";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path dir;
    private final TraceHeader header;

    private Trace(Path dir, TraceHeader header) {
        this.dir = dir;
        this.header = header;
    }

    public Path dir() {
        return dir;
    }

    public TraceHeader header() {
        return header;
    }

    public Path kernel() {
        return header.machine().kernel();
    }

    /** The trace's copy of the bios, or null if the run had none. */
    public Path bios() {
        return header.machine().bios();
    }

    /** The trace's copy of the initrd, or null if the run had none. */
    public Path initrd() {
        return header.machine().initrd();
    }

    /** A fresh directory name under {@code parent}: {@code yyyyMMdd-HHmmss}, with -2, -3... if taken. */
    public static Path newDefaultDir(Path parent) {
        String stamp = LocalDateTime.now().format(STAMP);
        Path p = parent.resolve(stamp);
        for (int n = 2; Files.exists(p); n++) {
            p = parent.resolve(stamp + "-" + n);
        }
        return p;
    }

    /**
     * Creates trace {@code dir} for the run {@code h} describes: copies the kernel (and bios and
     * initrd, if any) of {@code h.machine()}, compresses its disk image (if any), fills in their
     * hashes and writes the header. Refuses a directory that exists and is not empty.
     */
    public static Trace create(Path dir, TraceHeader h) throws TraceException, IOException {
        return create(dir, h, done -> { });
    }

    /**
     * As {@link #create(Path, TraceHeader)}, telling {@code progress} how many bytes of the disk
     * image it has hashed and compressed so far (every 64 MiB: a large image takes a while). If
     * the JVM is stopped meanwhile (SIGINT, SIGTERM), the half-made trace is removed. The
     * trace's header is {@code h} with the machine's images being the trace's copies.
     */
    public static Trace create(Path dir, TraceHeader h, java.util.function.LongConsumer progress)
            throws TraceException, IOException {
        if (Files.exists(dir) && (!Files.isDirectory(dir) || !isEmpty(dir))) {
            throw new TraceException(dir + " already exists; choose another --trace directory "
                    + "(tinyos never overwrites a trace).");
        }
        Files.createDirectories(dir);
        Thread undo = new Thread(() -> deleteTree(dir), "tinyos-trace-undo");
        Runtime.getRuntime().addShutdownHook(undo); // stopped half-way: no header-less trace left
        try {
            fill(dir, h, progress);
        } catch (IOException | RuntimeException e) {
            deleteTree(dir); // the directory was new or empty: leave nothing half-made behind
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(undo);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs
            }
        }
        return new Trace(dir, h.inTrace(dir));
    }

    private static void fill(Path dir, TraceHeader h, java.util.function.LongConsumer progress) throws IOException {
        MachineConfig m = h.machine();
        Files.copy(m.kernel(), dir.resolve(KERNEL), StandardCopyOption.REPLACE_EXISTING);
        h.kernelName = m.kernel().getFileName().toString();
        h.kernelSha256 = sha256(dir.resolve(KERNEL));
        if (m.bios() != null) {
            Files.copy(m.bios(), dir.resolve(BIOS), StandardCopyOption.REPLACE_EXISTING);
            h.biosName = m.bios().getFileName().toString();
            h.biosSha256 = sha256(dir.resolve(BIOS));
        }
        if (m.initrd() != null) {
            Files.copy(m.initrd(), dir.resolve(INITRD), StandardCopyOption.REPLACE_EXISTING);
            h.initrdSha256 = sha256(dir.resolve(INITRD));
        }
        h.dtbSha256 = dtbSha256(h.inTrace(dir).machine());
        if (m.disk() != null) {
            packDisk(m.disk(), dir, h, progress);
        }
        h.write(dir);
    }

    /** Compresses {@code disk} into the trace as {@link #DISK} and notes its hash and size in {@code h}. */
    private static void packDisk(Path disk, Path dir, TraceHeader h, java.util.function.LongConsumer progress)
            throws IOException {
        MessageDigest md = newSha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(disk), md);
             OutputStream out = fastGzip(Files.newOutputStream(dir.resolve(DISK)))) {
            byte[] buf = new byte[1 << 16];
            long done = 0;
            long next = 64 << 20;
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                done += n;
                if (done >= next) {
                    progress.accept(done);
                    next += 64 << 20;
                }
            }
            progress.accept(done);
        }
        h.diskSha256 = HexFormat.of().formatHex(md.digest());
        h.diskBytes = Files.size(disk);
    }

    /** Deletes {@code dir} and everything in it, as far as it can. */
    static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }

    /** Opens trace {@code dir} and checks its header and kernel copy. */
    public static Trace open(Path dir) throws TraceException {
        if (!Files.isDirectory(dir)) {
            throw new TraceException("there is no trace at " + dir + ".");
        }
        TraceHeader h = TraceHeader.read(dir);
        RecorderLock.requireFree(dir);
        Path k = dir.resolve(KERNEL);
        if (!Files.isRegularFile(k)) {
            throw new TraceException("trace " + dir + " lacks its kernel copy (" + KERNEL + ").");
        }
        try {
            if (!sha256(k).equals(h.kernelSha256)) {
                throw new TraceException("the kernel in trace " + dir + " does not match the one recorded (SHA-256 differs).");
            }
        } catch (IOException e) {
            throw new TraceException("the kernel in trace " + dir + " cannot be read (" + e.getMessage() + ").");
        }
        checkCopy(dir, BIOS, "bios", h.biosSha256);
        checkCopy(dir, INITRD, "initrd", h.initrdSha256);
        if (h.hasDisk() && !Files.isRegularFile(dir.resolve(DISK))) {
            throw new TraceException("trace " + dir + " lacks its initial disk image (" + DISK + ").");
        }
        String dtb;
        try {
            dtb = h.dtbSha256 == null ? null : dtbSha256(h.machine());
        } catch (IOException e) {
            throw new TraceException("the boot images of trace " + dir + " cannot be laid out (" + e.getMessage() + ").");
        }
        if (h.dtbSha256 != null && !h.dtbSha256.equals(dtb)) {
            throw new TraceException("trace " + dir + " was recorded on a machine with another device tree than "
                    + "this tinyos builds (SHA-256 differs): replay it with the tinyos that recorded it.");
        }
        return new Trace(dir, h);
    }

    /**
     * Unpacks the initial disk image into a new file in {@code scratchDir} and checks it
     * against the header's hash; null if the trace has no disk.
     */
    public Path unpackDisk(Path scratchDir) throws TraceException {
        if (!header.hasDisk()) {
            return null;
        }
        Path out;
        try {
            out = Files.createTempFile(scratchDir, "tinyos-replay-", ".img");
            Files.delete(out); // SparseCopy creates it anew, with holes
        } catch (IOException e) {
            throw new TraceException("cannot create a scratch file in " + scratchDir + " to replay trace " + dir
                    + " (" + IoMessages.reason(e) + "; set another directory with -Djava.io.tmpdir=DIR in "
                    + "TINYOS_JAVA_OPTS).");
        }
        out.toFile().deleteOnExit();
        MessageDigest md = newSha256();
        long bytes;
        try (InputStream gz = Files.newInputStream(dir.resolve(DISK))) {
            InputStream in = new DigestInputStream(new GZIPInputStream(gz, 1 << 16), md);
            try {
                bytes = SparseCopy.copy(in, out);
            } catch (IOException e) {
                if (IoMessages.isDiskFull(e)) { // the host's fault, not the trace's
                    deleteQuietly(out);
                    throw new TraceException("the host disk holding " + scratchDir + " is full: the disk image of trace "
                            + dir + " (" + String.format(java.util.Locale.ROOT, "%,d", header.diskBytes)
                            + " bytes, sparse) cannot be unpacked there to replay it (set another directory with "
                            + "-Djava.io.tmpdir=DIR in TINYOS_JAVA_OPTS).");
                }
                throw e;
            }
        } catch (IOException e) {
            deleteQuietly(out);
            throw new TraceException("the disk image in trace " + dir + " (" + DISK + ") is corrupt or unreadable ("
                    + IoMessages.reason(e) + ").");
        }
        if (bytes != header.diskBytes || !HexFormat.of().formatHex(md.digest()).equals(header.diskSha256)) {
            deleteQuietly(out);
            throw new TraceException("the disk image in trace " + dir + " (" + DISK + ") does not match the one "
                    + "recorded (" + (bytes != header.diskBytes ? "its size differs" : "SHA-256 differs") + ").");
        }
        return out;
    }

    /**
     * Checks the initial disk image ({@link #DISK}) against the header's size and hash without
     * writing anything: what {@link #unpackDisk} checks, for commands that do not replay.
     */
    public void checkDisk() throws TraceException {
        if (!header.hasDisk()) {
            return;
        }
        MessageDigest md = newSha256();
        long bytes;
        try (InputStream in = new DigestInputStream(new GZIPInputStream(Files.newInputStream(dir.resolve(DISK)),
                1 << 16), md)) {
            bytes = in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new TraceException("the disk image in trace " + dir + " (" + DISK + ") is corrupt or unreadable ("
                    + IoMessages.reason(e) + ").");
        }
        if (bytes != header.diskBytes || !HexFormat.of().formatHex(md.digest()).equals(header.diskSha256)) {
            throw new TraceException("the disk image in trace " + dir + " (" + DISK + ") does not match the one "
                    + "recorded (" + (bytes != header.diskBytes ? "its size differs" : "SHA-256 differs") + ").");
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a temp file; deleteOnExit is the fallback
        }
    }

    /** gzip at the fastest level: record start must not wait on compressing a large image. */
    private static OutputStream fastGzip(OutputStream out) throws IOException {
        return new GZIPOutputStream(out, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        };
    }

    /** Refuses the trace if its copy {@code name} is missing or differs from {@code sha} (null: no copy expected). */
    private static void checkCopy(Path dir, String name, String what, String sha) throws TraceException {
        if (sha == null) {
            return;
        }
        Path f = dir.resolve(name);
        if (!Files.isRegularFile(f)) {
            throw new TraceException("trace " + dir + " lacks its " + what + " copy (" + name + ").");
        }
        try {
            if (!sha256(f).equals(sha)) {
                throw new TraceException("the " + what + " in trace " + dir + " does not match the one recorded (SHA-256 differs).");
            }
        } catch (IOException e) {
            throw new TraceException("the " + what + " in trace " + dir + " cannot be read (" + e.getMessage() + ").");
        }
    }

    /**
     * Hex SHA-256 of the device tree this tinyos builds for trace {@code dir}'s configuration:
     * the plain tree for its RAM size, or with a bios, initrd or command line the tree of that
     * boot (its /chosen depends on the images).
     */
    static String dtbSha256(MachineConfig m) throws IOException {
        if (m.bios() == null && m.initrd() == null && m.append() == null) {
            return dtbSha256(m.memoryMiB(), m.boardRevision());
        }
        try {
            byte[] dtb = dev.tinyos.core.BootImages.of(m.bios(), m.kernel(), m.initrd(), m.append(),
                    (long) m.memoryMiB() << 20, m.boardRevision()).deviceTree();
            return HexFormat.of().formatHex(newSha256().digest(dtb));
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * Hex SHA-256 of the device tree this tinyos places in a machine of board revision
     * {@code revision} with {@code memoryMiB} of RAM.
     */
    static String dtbSha256(int memoryMiB, int revision) {
        return HexFormat.of().formatHex(newSha256().digest(
                VirtDeviceTree.build((long) memoryMiB << 20, VirtDeviceTree.Chosen.NONE, revision)));
    }

    /** Hex SHA-256 of a file. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md = newSha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        }
    }
}
