package dev.tinyos.cli;

import dev.tinyos.replay.ReplayOutcome;
import dev.tinyos.replay.TraceException;
import dev.tinyos.replay.gdb.GdbListener;
import dev.tinyos.replay.gdb.ReplayTarget;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Path;

/**
 * {@code tinyos replay TRACE --gdb [PORT]}: one gdb session on a trace. The guest's console
 * goes to stdout as the replay first reaches it; the stub's one line and any error go to
 * stderr. Invariant: exit 0 when gdb detached or disconnected, 2 for a trace or port that
 * cannot be used (one line), 1 if the replay stopped following the trace.
 */
final class GdbSession {
    private GdbSession() {
    }

    static int replay(Path trace, int port, Long until, boolean untilPanic) {
        PrintStream console = new PrintStream(System.out, true);
        try (ReplayTarget target = new ReplayTarget(trace, console); GdbListener listener = new GdbListener(port)) {
            String start = startAt(target, until, untilPanic);
            if (start == null) {
                return 1;
            }
            listener.announce(System.err, "trace " + trace + " at " + start);
            listener.serveOne(target);
            return 0;
        } catch (TraceException e) {
            System.err.println("tinyos: " + e.getMessage());
            return BadInputException.EXIT_CODE;
        } catch (BindException e) {
            System.err.println("tinyos: cannot listen on localhost:" + port + " (" + e.getMessage()
                    + "): give another --gdb PORT, or 0 for any free one");
            return BadInputException.EXIT_CODE;
        } catch (IOException e) {
            System.err.println("tinyos: gdb session ended: " + e.getMessage());
            return 1;
        }
    }

    /** Creates the machine of a live run (it may fail as the run command's own boot does). */
    interface MachineFactory {
        dev.tinyos.core.Machine create() throws IOException;
    }

    /** {@code tinyos run --gdb [PORT]}: the live machine, stopped before its first instruction. */
    static int live(MachineFactory factory, ConsoleInput input, int port, Path kernel) {
        dev.tinyos.core.Machine machine;
        try {
            machine = factory.create();
        } catch (IOException | RuntimeException e) {
            System.err.println("tinyos: cannot load " + kernel + ": " + e.getMessage());
            return BadInputException.EXIT_CODE;
        }
        try (dev.tinyos.replay.gdb.LiveTarget target = new dev.tinyos.replay.gdb.LiveTarget(machine);
             GdbListener listener = new GdbListener(port)) {
            input.start();
            listener.announce(System.err, "a live run of " + kernel.getFileName() + " (not recorded)");
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
