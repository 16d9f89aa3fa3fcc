package dev.tinyos.cli;

import dev.tinyos.replay.Registers;
import dev.tinyos.replay.Replay;
import dev.tinyos.replay.ReplayOutcome;
import dev.tinyos.replay.TraceException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tinyos replay TRACE}: re-runs a recorded trace from its log alone — console output
 * byte for byte on stdout, no terminal, no host timing — checking every digest on the way.
 * Invariant: exit status 0 only if the replay matched up to where it stopped; 1 on divergence,
 * 2 for an unusable trace (one sentence on stderr).
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replay a recorded trace: prints the guest's console output exactly as recorded and "
                + "stops at the same icount, checking every state digest.",
                "--until ICOUNT or --until-panic stop early and print pc, registers and a backtrace.",
                "--gdb [PORT] serves gdb there instead (localhost only, port 1234 by default), with reverse "
                        + "execution: docs/debugging.md."})
public final class ReplayCommand implements Callable<Integer> {
    /** --engine interp|jit (EngineOption). */
    @Mixin
    EngineOption engine = new EngineOption();

    @Parameters(paramLabel = "TRACE", description = "trace directory (written by tinyos run)")
    Path trace;

    @Option(names = "--until", paramLabel = "ICOUNT", description = "stop at this instruction count")
    Long until;

    @Option(names = "--seek", paramLabel = "ICOUNT", description = "as --until, starting from the nearest checkpoint "
            + "saved by tinyos index, if any")
    Long seek;

    @Option(names = "--until-panic", description = "stop at the entry of the kernel's panic()")
    boolean untilPanic;

    @Option(names = "--gdb", arity = "0..1", fallbackValue = "1234", paramLabel = "PORT",
            description = "serve gdb on localhost:PORT (default 1234; 0 picks a free port), starting at icount 0, "
                    + "--until or --until-panic; reverse-continue and reverse-stepi work, going back from checkpoints "
                    + "kept in memory (1 GiB; -Dtinyos.checkpoint.budgetMiB=N in TINYOS_JAVA_OPTS; thinned to stay "
                    + "within it) and those tinyos index saved")
    Integer gdbPort;

    @Override
    public Integer call() {
        if (gdbPort != null && (gdbPort < 0 || gdbPort > 65535)) {
            System.err.println("tinyos: --gdb PORT must be 0..65535, not " + gdbPort);
            return BadInputException.EXIT_CODE;
        }
        if (until != null && until < 0) {
            System.err.println("tinyos: --until must not be negative, not " + until);
            return BadInputException.EXIT_CODE;
        }
        if (until != null && untilPanic) {
            System.err.println("tinyos: give --until ICOUNT or --until-panic, not both");
            return BadInputException.EXIT_CODE;
        }
        if (seek != null) {
            if (until != null || untilPanic || seek < 0) {
                System.err.println("tinyos: --seek takes a nonnegative ICOUNT, without --until or --until-panic");
                return BadInputException.EXIT_CODE;
            }
            until = seek;
        }
        if (gdbPort != null) {
            return GdbSession.replay(trace, gdbPort, until, untilPanic);
        }
        BufferedOutputStream out = new BufferedOutputStream(System.out, 1 << 16); // 64 KiB chunks: System.out costs nothing
        try (Replay replay = Replay.open(trace, out)) {
            if (untilPanic && !replay.hasPanicSymbol()) {
                System.err.println("tinyos: the kernel in trace " + trace + " has no panic or panic_trap symbol, so "
                        + "--until-panic cannot stop anywhere (use --until ICOUNT)");
                return BadInputException.EXIT_CODE;
            }
            if (seek != null) {
                try {
                    long from = dev.tinyos.replay.checkpoint.TraceIndex.restoreNearest(replay, seek);
                    if (from >= 0) {
                        System.err.println("tinyos: starting from the checkpoint at icount " + from);
                    }
                } catch (dev.tinyos.replay.checkpoint.CheckpointException | IOException e) {
                    System.err.println("tinyos: " + e.getMessage() + " Replaying from the start.");
                }
            }
            ReplayOutcome o = untilPanic ? replay.runToPanic() : until != null ? replay.runTo(until) : replay.run();
            flush(out);
            if (o.status() == ReplayOutcome.Status.NO_PANIC) {
                System.err.println();
                System.err.println("tinyos: " + o.message());
                return 1;
            }
            System.err.println();
            System.err.println("tinyos: " + o.message());
            o.differences().forEach(d -> System.err.println("  " + d));
            if (untilPanic || until != null || !o.ok()) {
                System.err.print(Registers.dump(replay.machine()));
                System.err.print(Registers.backtrace(replay.machine()));
            }
            return o.ok() ? 0 : 1;
        } catch (dev.tinyos.core.dev.HostDiskFullException e) {
            System.err.println("tinyos: the host disk is full (" + e.getMessage() + "): cannot finish replaying "
                    + trace + "; free some space or set -Djava.io.tmpdir=DIR in TINYOS_JAVA_OPTS");
            return RunCommand.HOST_FULL_EXIT;
        } catch (TraceException e) {
            flush(out);
            System.err.println("tinyos: " + e.getMessage());
            return BadInputException.EXIT_CODE;
        }
    }

    private static void flush(BufferedOutputStream out) {
        try {
            out.flush();
        } catch (IOException e) {
            // stdout is gone
        }
    }
}
