package dev.tinyos.cli;

import dev.tinyos.analysis.Analysis;
import dev.tinyos.analysis.AnalysisException;
import dev.tinyos.analysis.compare.Comparison;
import dev.tinyos.analysis.sched.SchedJob;
import dev.tinyos.replay.IoMessages;
import dev.tinyos.replay.TraceException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tinyos analyze compare TRACE_A TRACE_B [-o DIR] [--alpha A]}: do two runs differ in
 * wait latency (Mann-Whitney U) or throughput (Welch t on per-window rates)? Prints one line per
 * metric with both samples' sizes, means, medians, the test and its p-value. Invariant: exit 0
 * whatever the verdict; exit 2 only if a trace cannot be analysed.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare the scheduler statistics of two traces (e.g. two scheduler quanta): wait latency "
                + "with a Mann-Whitney U test, throughput (non-idle instructions per guest second) and switch rate "
                + "per window with Welch's t-test; prints p-values, writes compare.csv with -o."})
public final class AnalyzeCompareCommand implements Callable<Integer> {
    /** --engine interp|jit (EngineOption). */
    @Mixin
    EngineOption engine = new EngineOption();

    @Parameters(index = "0", paramLabel = "TRACE_A", description = "first trace directory")
    Path a;

    @Parameters(index = "1", paramLabel = "TRACE_B", description = "second trace directory")
    Path b;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "also write compare.csv into DIR")
    Path out;

    @Option(names = "--alpha", paramLabel = "A", description = "significance level (default: 0.05)")
    double alpha = 0.05;

    @Option(names = "--window-ms", paramLabel = "MS", description = "throughput window in guest ms (default: 100)")
    long windowMs = 100;

    @Option(names = "--process", paramLabel = "NAME",
            description = "compare wait latency only of processes with this name (default: all)")
    String process;

    /** The distinct process names of both runs, sorted. */
    private static String names(SchedJob a, SchedJob b) {
        java.util.TreeSet<String> n = new java.util.TreeSet<>();
        a.processes().forEach(p -> n.add(String.valueOf(p.name())));
        b.processes().forEach(p -> n.add(String.valueOf(p.name())));
        return String.join(", ", n);
    }

    @Override
    public Integer call() throws IOException {
        if (!(alpha > 0 && alpha < 1) || windowMs <= 0) {
            System.err.println("tinyos: --alpha must be between 0 and 1 and --window-ms positive.");
            return BadInputException.EXIT_CODE;
        }
        SchedJob ja = new SchedJob(windowMs * 1_000_000), jb = new SchedJob(windowMs * 1_000_000);
        try {
            if (out != null) {
                AnalyzeSupport.prepareOutput(a, out);
            }
            boolean tty = System.console() != null;
            Analysis.run(a, List.of(ja), tty);
            Analysis.run(b, List.of(jb), tty);
        } catch (BadInputException | TraceException | AnalysisException e) {
            System.err.println("tinyos: " + e.getMessage());
            return BadInputException.EXIT_CODE;
        }
        if (process != null && ja.processes().stream().noneMatch(p -> process.equals(p.name()))
                && jb.processes().stream().noneMatch(p -> process.equals(p.name()))) {
            System.err.println("tinyos: --process " + process + ": no process of that name ran in either trace "
                    + "(names: " + names(ja, jb) + ")");
            return BadInputException.EXIT_CODE;
        }
        Comparison c = new Comparison(ja, jb, alpha, process);
        c.report(a.toString(), b.toString()).forEach(System.out::println);
        if (out != null) {
            try {
                System.out.println(c.write(out));
            } catch (IOException e) {
                System.err.println("tinyos: cannot write compare.csv into " + out + ": " + IoMessages.reason(e));
                return BadInputException.EXIT_CODE;
            }
        }
        return 0;
    }
}
