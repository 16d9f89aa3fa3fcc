package dev.tinyos.cli;

import dev.tinyos.core.Machine;
import dev.tinyos.core.RunResult;
import dev.tinyos.replay.IoMessages;
import dev.tinyos.replay.RecordSession;
import dev.tinyos.replay.Trace;
import dev.tinyos.replay.TraceException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * The recording side of {@code tinyos run}: starts a {@link RecordSession} for the run's
 * configuration and says in one line where the trace goes. Invariant: {@link #close} always
 * leaves a replayable trace (see {@code RecordSession}).
 */
final class RunRecording {
    private final RecordSession session;
    private final String announcement;

    private RunRecording(RecordSession session, String announcement) {
        this.session = session;
        this.announcement = announcement;
    }

    /**
     * Creates the trace; {@code live} is the run's input source (console plus clock).
     *
     * @throws BadInputException with one sentence if the trace cannot be created
     */
    static RunRecording start(RecordOptions opts, String clockMode, RecordOptions.Clock clock,
                              dev.tinyos.core.input.InputSource live, Path kernel, Path disk, int memMiB,
                              OutputStream console, String command) throws BadInputException {
        return start(opts, clockMode, clock, live, kernel, disk, memMiB, console, command, Boot.NONE);
    }

    /** Firmware, initrd and command line of a run (all null: none). */
    record Boot(Path bios, Path initrd, String append) {
        static final Boot NONE = new Boot(null, null, null);
    }

    static RunRecording start(RecordOptions opts, String clockMode, RecordOptions.Clock clock,
                              dev.tinyos.core.input.InputSource live, Path kernel, Path disk, int memMiB,
                              OutputStream console, String command, Boot boot) throws BadInputException {
        Path dir = opts.trace != null ? opts.trace : Trace.newDefaultDir(Path.of("traces"));
        RecordSession.Options o = new RecordSession.Options();
        o.traceDir = dir;
        o.memoryMiB = memMiB;
        o.kernel = kernel;
        o.disk = disk;
        o.bios = boot.bios();
        o.initrd = boot.initrd();
        o.append = boot.append();
        o.diskWriteback = opts.diskWriteback;
        o.live = live;
        o.skew = clock.skew();
        o.clock = clockMode;
        o.ipt = clock.ipt();
        o.console = console;
        o.command = command;
        o.diskProgress = BigDisk.progress(disk);
        try {
            RecordSession s = RecordSession.start(o);
            String diskNote = disk == null ? "" : opts.diskWriteback ? "; writing to " + disk + " itself"
                    : "; " + disk.getFileName() + " is not modified: the guest's disk is "
                    + s.finalDisk() + ", kept after the run";
            return new RunRecording(s, "tinyos: recording to " + dir + " (" + clockMode + " clock" + diskNote
                    + "; replay with: " + invokedAs() + " replay " + dir + ")");
        } catch (TraceException e) {
            throw new BadInputException(e.getMessage());
        } catch (dev.tinyos.core.dev.ImageInUseException | IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        } catch (IOException e) {
            throw new BadInputException(IoMessages.isDiskFull(e) ? "cannot record to " + dir
                    + ": the host disk is full (" + IoMessages.reason(e) + ")"
                    : "cannot record to " + dir + ": " + IoMessages.reason(e));
        }
    }

    /** The command as the user typed it (the launcher says), for hints; "tinyos" otherwise. */
    static String invokedAs() {
        String c = System.getenv("TINYOS_COMMAND");
        return c == null || c.isBlank() ? "tinyos" : c;
    }

    Machine machine() {
        return session.machine();
    }

    String announcement() {
        return announcement;
    }

    RunResult run(long maxInstructions) {
        return session.run(maxInstructions);
    }

    /** Why the trace's queue could not grow (the host disk is full), or null. */
    String hostFull() {
        return session.log().fullReason();
    }

    /** Closes the machine and the log; the guest's final disk stays in the trace. */
    void close() throws IOException {
        session.close();
    }
}
