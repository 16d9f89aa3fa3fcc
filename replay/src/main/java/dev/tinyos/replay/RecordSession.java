package dev.tinyos.replay;

import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.input.InputSource;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.function.LongSupplier;

/**
 * One recorded run, from trace creation to the END record: creates the trace directory,
 * makes the working copy of the disk ({@code TRACE/disk-final.img}, a sparse copy; the user's
 * image is never written unless {@code diskWriteback}), wraps the live source in a
 * {@link Recorder}, builds the machine and runs it through {@link Recording}. Invariant:
 * {@link #close} leaves a complete, replayable trace behind whatever happened (an END record
 * if the run returned; otherwise the events up to that point), and nothing the guest wrote is
 * lost: the working copy stays in the trace as the guest's final disk (after a power cut, as
 * the power-cut model left it). Replay never reads it; it starts from {@code disk.img.gz}.
 */
public final class RecordSession implements AutoCloseable {
    /** What to record and how. */
    public static final class Options {
        public Path traceDir;
        public int memoryMiB = 128;
        public Path kernel;
        public Path disk;
        /** Firmware, initrd and kernel command line (null: none); copied into the trace like the kernel. */
        public Path bios;
        public Path initrd;
        public String append;
        public boolean diskReadOnly;
        /** Run on the user's image itself instead of a copy. */
        public boolean diskWriteback;
        public InputSource live;
        /** Reads the live source's time-base skew (see {@link Recorder}). */
        public LongSupplier skew;
        public String clock = "virtual";
        public long ipt = 100;
        public OutputStream console;
        public long digestInterval = Recording.DEFAULT_DIGEST_INTERVAL;
        public String command = "";
        /** Told the bytes of the disk image hashed and compressed so far (a large image takes a while). */
        public java.util.function.LongConsumer diskProgress = done -> { };
    }

    /** The guest's working disk inside the trace, kept after the run. */
    public static final String FINAL_DISK = "disk-final.img";

    private final Trace trace;
    private final EventLog log;
    private final Machine machine;
    private final Recording recording;
    private final ConsoleTap console;
    private final Path workDisk;
    /** Held while recording: readers refuse the trace until {@link #close}. */
    private final RecorderLock lock;

    private RecordSession(Trace trace, EventLog log, Machine machine, Recording recording, ConsoleTap console,
                          Path workDisk, RecorderLock lock) {
        this.lock = lock;
        this.trace = trace;
        this.log = log;
        this.machine = machine;
        this.recording = recording;
        this.console = console;
        this.workDisk = workDisk;
    }

    /** Creates the trace and the machine; nothing runs yet. */
    public static RecordSession start(Options o) throws TraceException, IOException {
        QueueWarmUp.start(); // Chronicle's cold start overlaps creating the trace
        TraceHeader h = new TraceHeader();
        h.memoryMiB = o.memoryMiB;
        h.clock = o.clock;
        h.ipt = o.ipt;
        h.digestInterval = o.digestInterval;
        h.diskReadOnly = o.diskReadOnly;
        h.created = LocalDateTime.now().toString();
        h.command = o.command;
        h.append = o.append == null || o.append.isEmpty() ? null : o.append;
        Trace trace;
        Path work = null;
        // the user's image must not change while it is hashed, compressed and copied
        try (FileChannel userImage = o.disk == null ? null : lockForReading(o.disk)) {
            trace = Trace.create(o.traceDir, new Trace.Boot(o.kernel, o.bios, o.initrd), o.disk, h, o.diskProgress);
            try {
                if (o.disk != null) {
                    if (o.diskWriteback) {
                        work = o.disk;
                    } else {
                        work = o.traceDir.resolve(FINAL_DISK);
                        SparseCopy.copy(o.disk, work);
                    }
                }
            } catch (IOException e) {
                deleteTrace(o.traceDir); // a trace without its working disk is no use
                throw e;
            }
        }
        requireRoom(o.traceDir);
        RecorderLock lock = RecorderLock.take(o.traceDir);
        EventLog log;
        try {
            log = new EventLog(o.traceDir);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        try {
            Recorder rec = new Recorder(o.live, o.skew, log);
            ConsoleTap tap = new ConsoleTap(o.console);
            MachineConfig.Builder b = MachineConfig.builder().memoryMiB(o.memoryMiB).kernel(o.kernel)
                    .bios(o.bios).initrd(o.initrd).append(o.append).console(tap).input(rec);
            if (work != null) {
                b.disk(work).diskReadOnly(o.diskReadOnly);
            }
            Machine m = new Machine(b.build());
            return new RecordSession(trace, log, m, new Recording(m, log, tap, o.digestInterval), tap,
                    o.diskWriteback ? null : work, lock);
        } catch (IOException | RuntimeException e) {
            log.close();
            lock.close();
            deleteTrace(o.traceDir); // no machine, no trace: leave nothing half-made behind
            throw e;
        }
    }

    /** Bytes the host must have free to start recording: the queue's first blocks and its metadata. */
    static final long MIN_FREE = 1 << 20;

    /** Refuses to start on a host disk too full for the queue's first blocks (Chronicle maps them). */
    private static void requireRoom(Path dir) throws TraceException {
        long free;
        try {
            free = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return; // unknown: the queue's own checks still stop a run cleanly when the disk fills
        }
        if (free < MIN_FREE) {
            deleteTrace(dir);
            throw new TraceException("the host disk holding " + dir + " is full (" + free + " bytes free; recording "
                    + "needs at least " + (MIN_FREE >> 20) + " MiB to start).");
        }
    }

    /** A channel on the user's image holding a shared lock: nobody writes it meanwhile. */
    private static FileChannel lockForReading(Path image) throws TraceException, IOException {
        FileChannel ch = FileChannel.open(image, StandardOpenOption.READ);
        FileLock l;
        try {
            l = ch.tryLock(0, Long.MAX_VALUE, true);
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            ch.close();
            throw new TraceException(image + " is in use by another process (tinyos or QEMU holds a lock on it "
                    + "for writing).");
        }
        return ch;
    }

    private static void deleteTrace(Path dir) {
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }

    public Machine machine() {
        return machine;
    }

    public Trace trace() {
        return trace;
    }

    public EventLog log() {
        return log;
    }

    public ConsoleTap console() {
        return console;
    }

    /** Runs (at most {@code maxInstructions}) and logs digests and the end. */
    public RunResult run(long maxInstructions) {
        return recording.run(maxInstructions);
    }

    /** Machine-thread CPU time, in nanoseconds, spent capturing digests (a statistic). */
    public long digestCpuNanos() {
        return recording.digestCpuNanos();
    }

    /** CPU time, in nanoseconds, the digests' page-hashing thread has spent (a statistic). */
    public long hasherCpuNanos() {
        return recording.hasherCpuNanos();
    }

    /**
     * The guest's disk as the run leaves it ({@code TRACE/disk-final.img}), or null if there is
     * no disk or the run writes to the user's image itself.
     */
    public Path finalDisk() {
        return workDisk;
    }

    /** Closes the machine (which writes its disk cache back, unless the power was cut) and the log. */
    @Override
    public void close() throws IOException {
        try {
            recording.close();
            machine.close();
        } finally {
            try {
                log.close();
            } finally {
                lock.close();
            }
        }
    }
}
