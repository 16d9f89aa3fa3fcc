package dev.tinyos.cli;

import dev.tinyos.replay.Replay;
import dev.tinyos.replay.ReplayOutcome;
import dev.tinyos.replay.TraceException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code tinyos verify TRACE}: replays silently; exit 0 only if every digest and the end match.
 * On divergence it names the first icount, the pc and what differs. Invariant: prints nothing
 * on stdout; the verdict is one line on stderr (plus one line per difference).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Replay a trace silently and check every state digest; exit 0 only if all match.",
                "On divergence, names the first icount where it diverged, the pc and which registers "
                + "or memory differ."})
public final class VerifyCommand implements Callable<Integer> {
    /** --engine interp|jit (EngineOption). */
    @Mixin
    EngineOption engine = new EngineOption();

    @Parameters(paramLabel = "TRACE", description = "trace directory")
    Path trace;

    @Override
    public Integer call() {
        try (Replay replay = Replay.open(trace, null)) {
            ReplayOutcome o = replay.run();
            System.err.println("tinyos: " + (o.ok() ? "verified: " : "") + o.message());
            o.differences().forEach(d -> System.err.println("  " + d));
            return o.ok() ? 0 : 1;
        } catch (dev.tinyos.core.dev.HostDiskFullException e) {
            System.err.println("tinyos: the host disk is full (" + e.getMessage() + "): cannot finish replaying "
                    + trace + "; free some space or set -Djava.io.tmpdir=DIR in TINYOS_JAVA_OPTS");
            return RunCommand.HOST_FULL_EXIT;
        } catch (TraceException e) {
            System.err.println("tinyos: " + e.getMessage());
            return BadInputException.EXIT_CODE;
        }
    }
}
