package dev.tinyos.replay;

import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.input.InputSource;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.function.LongSupplier;

/**
 * One recorded run, from trace creation to the END record: creates the trace directory,
 * makes the working copy of the disk (the user's image is never written unless
 * {@code diskWriteback}), wraps the live source in a {@link Recorder}, builds the machine and
 * runs it through {@link Recording}. Invariant: {@link #close} leaves a complete, replayable
 * trace behind whatever happened (an END record if the run returned; otherwise the events up
 * to that point), and deletes the working disk copy.
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
                work = o.traceDir.resolve("work-disk.img");
                Files.copy(o.disk, work, StandardCopyOption.REPLACE_EXISTING);
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

    /** Closes the machine and the log; deletes the working disk copy. */
    @Override
    public void close() throws IOException {
        try {
            machine.close();
        } finally {
            log.close();
            if (workDisk != null) {
                Files.deleteIfExists(workDisk);
            }
        }
    }
}
