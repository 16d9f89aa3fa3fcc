package dev.tinyos.cli;

import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.replay.IoMessages;
import dev.tinyos.replay.RecordSession;
import dev.tinyos.replay.Trace;
import dev.tinyos.replay.TraceException;
import java.io.IOException;
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
     * Creates the trace of a run of {@code machine} (its input the live source, console plus
     * {@code clock}).
     *
     * @throws BadInputException with one sentence if the trace cannot be created
     */
    static RunRecording start(RecordOptions opts, RecordOptions.Clock clock, MachineConfig machine, String command)
            throws BadInputException {
        Path dir = opts.trace != null ? opts.trace : Trace.newDefaultDir(Path.of("traces"));
        Path disk = machine.disk();
        RecordSession.Options o = new RecordSession.Options();
        o.traceDir = dir;
        o.machine = machine;
        o.diskWriteback = opts.diskWriteback;
        o.skew = clock.skew();
        o.clock = clock.base();
        o.command = command;
        o.diskProgress = BigDisk.progress(disk);
        try {
            RecordSession s = RecordSession.start(o);
            String diskNote = disk == null ? "" : opts.diskWriteback ? "; writing to " + disk + " itself"
                    : "; " + disk.getFileName() + " is not modified: the guest's disk is "
                    + s.finalDisk() + ", kept after the run";
            return new RunRecording(s, "tinyos: recording to " + dir + " (" + clock.base().kind().key() + " clock" + diskNote
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
