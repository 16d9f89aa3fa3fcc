package dev.tinyos.replay;

import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.input.InputSource;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
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
    }

    /** The guest's working disk inside the trace, kept after the run. */
    public static final String FINAL_DISK = "disk-final.img";

    private final Trace trace;
    private final EventLog log;
    private final Machine machine;
    private final Recording recording;
    private final ConsoleTap console;
    private final Path workDisk;

    private RecordSession(Trace trace, EventLog log, Machine machine, Recording recording, ConsoleTap console,
                          Path workDisk) {
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
        Trace trace = Trace.create(o.traceDir, o.kernel, o.disk, h);
        Path work = null;
        if (o.disk != null) {
            if (o.diskWriteback) {
                work = o.disk;
            } else {
                work = o.traceDir.resolve(FINAL_DISK);
                SparseCopy.copy(o.disk, work);
            }
        }
        EventLog log = new EventLog(o.traceDir);
        try {
            Recorder rec = new Recorder(o.live, o.skew, log);
            ConsoleTap tap = new ConsoleTap(o.console);
            MachineConfig.Builder b = MachineConfig.builder().memoryMiB(o.memoryMiB).kernel(o.kernel)
                    .console(tap).input(rec);
            if (work != null) {
                b.disk(work).diskReadOnly(o.diskReadOnly);
            }
            Machine m = new Machine(b.build());
            return new RecordSession(trace, log, m, new Recording(m, log, tap, o.digestInterval), tap,
                    o.diskWriteback ? null : work);
        } catch (IOException | RuntimeException e) {
            log.close();
            deleteTrace(o.traceDir); // no machine, no trace: leave nothing half-made behind
            throw e;
        }
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
            log.close();
        }
    }
}
