package dev.tinyos.cli;

import dev.tinyos.analysis.fs.FsJob;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code tinyos analyze fs TRACE [-o DIR]}: file-system commits, system calls and write
 * amplification (analysis/fs/FsJob). Invariant: writes only into DIR; prints the files it
 * wrote, one per line, on stdout.
 */
@Command(name = "fs", mixinStandardHelpOptions = true,
        description = {"File-system statistics from a trace: fs-commits.csv (per commit: guest time, blocks "
                + "written, tree blocks copied on write, free blocks, tree heights), fs-syscalls.csv (per call: "
                + "count, errors, latency mean/p50/p95/p99/max), fs-summary.csv (write amplification: device "
                + "bytes over bytes programs wrote) and fs-commits.svg."})
public final class AnalyzeFsCommand implements Callable<Integer> {
    /** --engine interp|jit (EngineOption). */
    @Mixin
    EngineOption engine = new EngineOption();

    @Mixin
    AnalyzeTarget target = new AnalyzeTarget();

    @Override
    public Integer call() throws IOException {
        return target.runAndWrite(List.of(new FsJob()));
    }
}
