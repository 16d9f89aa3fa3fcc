package dev.tinyos.cli;

import dev.tinyos.core.Machine;
import dev.tinyos.replay.ReplayOutcome;
import dev.tinyos.replay.TraceException;
import dev.tinyos.replay.gdb.DebugTarget;
import dev.tinyos.replay.gdb.GdbListener;
import dev.tinyos.replay.gdb.LiveTarget;
import dev.tinyos.replay.gdb.ReplayTarget;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Path;

/**
 * One gdb session: {@code tinyos replay TRACE --gdb [PORT]} on a trace, {@code tinyos run
 * --gdb [PORT]} on a live run. The guest's console goes to stdout (a replay's as it first
 * reaches it); the stub's one line and any error go to stderr. Invariant: exit 0 when gdb
 * detached or disconnected, 2 for a trace, kernel or port that cannot be used (one line), 1 if
 * the session broke off (a replay that stopped following its trace).
 */
final class GdbSession {
    private GdbSession() {
    }

    /** Creates the machine of a live run (it may fail as the run command's own boot does). */
    interface MachineFactory {
        Machine create() throws IOException;
    }

    static int replay(Path trace, int port, Long until, boolean untilPanic) {
        ReplayTarget target;
        String start;
        try {
            target = new ReplayTarget(trace, new PrintStream(System.out, true));
            start = startAt(target, until, untilPanic);
        } catch (TraceException e) {
            System.err.println("tinyos: " + e.getMessage());
            return BadInputException.EXIT_CODE;
        } catch (IOException e) {
            System.err.println("tinyos: " + e.getMessage());
            return 1;
        }
        if (start == null) {
            target.close();
            return 1;
        }
        return serve(target, port, "trace " + trace + " at " + start, null);
    }

    /** {@code tinyos run --gdb [PORT]}: the live machine, stopped before its first instruction. */
    static int live(MachineFactory factory, ConsoleInput input, int port, Path kernel) {
        Machine machine;
        try {
            machine = factory.create();
        } catch (IOException | RuntimeException e) {
            System.err.println("tinyos: cannot load " + kernel + ": " + e.getMessage());
            return BadInputException.EXIT_CODE;
        }
        return serve(new LiveTarget(machine), port, "a live run of " + kernel.getFileName() + " (not recorded)",
                input::start);
    }

    /** Listens, announces, serves one gdb; closes the target whatever happens. */
    private static int serve(DebugTarget debugTarget, int port, String what, Runnable beforeServing) {
        try (DebugTarget target = debugTarget; GdbListener listener = new GdbListener(port)) {
            if (beforeServing != null) {
                beforeServing.run();
            }
            listener.announce(System.err, what);
            listener.serveOne(target);
            return 0;
        } catch (BindException e) {
            System.err.println("tinyos: cannot listen on localhost:" + port + " (" + e.getMessage()
                    + "): give another --gdb PORT, or 0 for any free one");
            return BadInputException.EXIT_CODE;
        } catch (IOException e) {
            System.err.println("tinyos: gdb session ended: " + e.getMessage());
            return 1;
        }
    }

    /** Moves the target to where the session starts; a description of it, or null (message printed) if it cannot. */
    private static String startAt(ReplayTarget target, Long until, boolean untilPanic) throws IOException {
        if (untilPanic) {
            ReplayOutcome o = target.toPanic();
            if (o.status() != ReplayOutcome.Status.STOPPED_AS_ASKED) {
                System.err.println("tinyos: " + o.message());
                return null;
            }
        } else if (until != null) {
            target.seek(until);
        }
        return String.format("icount %d (pc 0x%x, %s)", target.icount(), target.pc(), target.symbolize(target.pc()));
    }
}
