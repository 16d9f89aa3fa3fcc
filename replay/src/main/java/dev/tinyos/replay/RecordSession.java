package dev.tinyos.replay;

import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.input.TimeBase;
import dev.tinyos.core.input.VirtualClock;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
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
    /**
     * What to record and how: the machine ({@link #machine}, whose input is the live source the
     * recorder tees into the log and whose console is where the guest's output goes), its time
     * base and what the trace needs beside them.
     */
    public static final class Options {
        public Path traceDir;
        /**
         * The machine to run: memory, kernel, bios, initrd, command line, the user's disk image
         * and whether it is offered read-only, the console and the live input source. The trace
         * header serializes it; the recorder runs it on a working copy of the disk.
         */
        public MachineConfig machine;
        /** Run on the user's image itself instead of a copy. */
        public boolean diskWriteback;
        /** Reads the live source's time-base skew (see {@link Recorder}). */
        public LongSupplier skew;
        /** The live source's clock kind and rate, as the header records them. */
        public TimeBase clock = TimeBase.virtual();
        public long digestInterval = Recording.DEFAULT_DIGEST_INTERVAL;
        public String command = "";
        /** Told the bytes of the disk image hashed and compressed so far (a large image takes a while). */
        public java.util.function.LongConsumer diskProgress = done -> { };

        /** Options recording {@code machine} (its input a {@link VirtualClock}) into {@code traceDir}. */
        public static Options virtual(Path traceDir, MachineConfig machine, VirtualClock clock) {
            Options o = new Options();
            o.traceDir = traceDir;
            o.machine = machine;
            o.skew = clock::skew;
            o.clock = clock.timeBase();
            return o;
        }
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
        MachineConfig cfg = o.machine;
        TraceHeader h = TraceHeader.forRun(cfg, o.clock, o.digestInterval, o.command);
        Trace trace;
        Path work = null;
        // the user's image must not change while it is hashed, compressed and copied
        try (FileChannel userImage = cfg.disk() == null ? null : lockForReading(cfg.disk())) {
            trace = Trace.create(o.traceDir, h, o.diskProgress);
            try {
                if (cfg.disk() != null) {
                    if (o.diskWriteback) {
                        work = cfg.disk();
                    } else {
                        work = o.traceDir.resolve(FINAL_DISK);
                        SparseCopy.copy(cfg.disk(), work);
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
            Recorder rec = new Recorder(cfg.input(), o.skew, log);
            ConsoleTap tap = new ConsoleTap(cfg.console());
            Machine m = new Machine(cfg.toBuilder().disk(work).console(tap).input(rec).build());
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
