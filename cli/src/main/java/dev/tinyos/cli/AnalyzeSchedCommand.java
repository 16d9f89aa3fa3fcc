package dev.tinyos.cli;

import dev.tinyos.analysis.sched.SchedJob;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tinyos analyze sched TRACE [-o DIR] [--window-ms N]}: scheduler statistics per process,
 * every context switch, wait latencies, a time series per guest-time window and a timeline plot.
 * Invariant: writes only into DIR; prints the files it wrote, one per line, on stdout.
 */
@Command(name = "sched", mixinStandardHelpOptions = true,
        description = {"Scheduler statistics from a trace: sched-processes.csv (per process: CPU time and "
                + "instructions, switches, wait latency mean/p50/p95/p99/max, exit status), sched-switches.csv, "
                + "sched-waits.csv, sched-windows.csv, sched-utilisation.csv and sched-timeline.svg."})
public final class AnalyzeSchedCommand implements Callable<Integer> {
    /** --engine interp|jit (EngineOption). */
    @Mixin
    EngineOption engine = new EngineOption();

    @Mixin
    AnalyzeTarget target = new AnalyzeTarget();

    @Option(names = "--window-ms", paramLabel = "MS", description = "time-series window in guest ms (default: 10)")
    long windowMs = SchedJob.DEFAULT_WINDOW_NS / 1_000_000;

    @Override
    public Integer call() throws IOException {
        if (windowMs <= 0) {
            System.err.println("tinyos: --window-ms must be positive.");
            return BadInputException.EXIT_CODE;
        }
        SchedJob job = new SchedJob(windowMs * 1_000_000);
        return target.runAndWrite(List.of(job));
    }
}
