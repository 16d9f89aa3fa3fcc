package dev.tinyos.cli;

import dev.tinyos.replay.TraceException;
import dev.tinyos.replay.crash.Checker;
import dev.tinyos.replay.crash.CrashModel;
import dev.tinyos.replay.crash.CrashState;
import dev.tinyos.replay.crash.DiskHistory;
import dev.tinyos.replay.crash.Explorer;
import dev.tinyos.replay.crash.StatesCsv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tinyos crash TRACE --check LINE}: the crash-state explorer (docs/crash-explorer.md).
 * Replays the trace to collect its disk writes and flushes, computes every state the disk could
 * be in after a power cut (write-cache model: unflushed writes in any subset, torn at sector
 * granularity), boots the checker on each unique one and reports. Invariant: exit status 0 if
 * every checked state passed, 1 if one failed, 2 for bad input (one line on stderr); the
 * summary goes to stdout, progress to stderr on a terminal.
 */
@Command(name = "crash", mixinStandardHelpOptions = true,
        description = {"Crash-state explorer: replay a trace, compute every state its disk could be in after a "
                + "power cut at any moment (writes not yet flushed: any subset, in any order, torn at 512-byte "
                + "sectors), boot a checker on each unique state and report which fail.",
                "Each state boots the kernel (default: the trace's) on a fresh machine with the --check lines and "
                + "'poweroff' typed at the prompt; it passes if the console matches --pass and not --fail. "
                + "Writes TRACE/crash/states.csv (or -o DIR) and keeps failing states (image, console, a replayable "
                + "trace of the checker) in its failing/. Exit 0: every checked state passed; 1: some failed; "
                + "2: bad input."})
public final class CrashCommand implements Callable<Integer> {
    /** --engine interp|jit (EngineOption). */
    @Mixin
    EngineOption engine = new EngineOption();

    @Parameters(paramLabel = "TRACE", description = "trace directory of a run with a disk (tinyos run --disk)")
    Path trace;

    @Option(names = "--check", paramLabel = "LINE", required = true,
            description = "command line typed at the checker's prompt (repeatable), e.g. 'crashdemo check'")
    List<String> check;

    @Option(names = "--pass", paramLabel = "REGEX", description = "the checker's console must match this (default: PASS)")
    String pass = "PASS";

    @Option(names = "--fail", paramLabel = "REGEX",
            description = "a match fails the state even if --pass matched; empty: none (default: FAIL|panic)")
    String fail = "FAIL|panic";

    @Option(names = "--committed", paramLabel = "REGEX",
            description = "content oracle: {committed} in --check becomes the first group of the last line of the "
                    + "recorded run's console before the crash point that matches REGEX (0 if none), e.g. "
                    + "'committed (\\d+)' with --check 'crashdemo check {committed}'; {epoch} and {icount} are "
                    + "replaced too")
    String committed;

    @Option(names = "--kernel", paramLabel = "ELF", description = "kernel to boot the checker with (default: the trace's)")
    Path kernel;

    @Option(names = "--max-states", paramLabel = "N",
            description = "check at most N unique states; beyond, a sample seeded by --seed (default: 10000)")
    int maxStates = 10_000;

    @Option(names = "--exhaustive", paramLabel = "N",
            description = "epochs with at most N writes in flight get all 2^N subsets; larger ones a bounded "
                    + "sample (default: 8, at most 20)")
    int exhaustive = 8;

    @Option(names = "--random", paramLabel = "N",
            description = "random subsets (and sampled torn writes) per sampled epoch (default: 16)")
    int random = 16;

    @Option(names = "--no-torn", description = "do not generate torn (partially written) multi-sector writes")
    boolean noTorn;

    @Option(names = "--seed", paramLabel = "S", description = "seed of every random choice (default: 1)")
    long seed = 1;

    @Option(names = {"-j", "--jobs"}, paramLabel = "J", description = "checker threads (default: the number of cores)")
    int jobs = Runtime.getRuntime().availableProcessors();

    @Option(names = "--max-instructions", paramLabel = "N",
            description = "instruction budget of each checker boot; a checker that has not passed by then fails "
                    + "(default: 1000000000)")
    long maxInstructions = 1_000_000_000L;

    @Option(names = "--state", paramLabel = "ID",
            description = "check only this state (repeatable), as printed and in states.csv, e.g. e3:5,7:t6@0-4")
    List<String> states;

    @Option(names = "--shard", paramLabel = "K/N",
            description = "check only the unique states numbered K modulo N (0 <= K < N): N runs, one per machine, "
                    + "check every state once; each writes its own states.csv")
    String shard;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "output directory (default: TRACE/crash)")
    Path out;

    @Option(names = "--keep-failing", paramLabel = "DIR",
            description = "where failing states are kept (default: OUTPUT/failing): for each (at most --keep-max) "
                    + "its image state-N.img, its checker input and console state-N.txt and a recorded trace of the "
                    + "checker's boot state-N.trace (tinyos replay it)")
    Path keep;

    @Option(names = "--keep-max", paramLabel = "N", description = "failing states kept (default: 10; 0: none)")
    int keepMax = 10;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Explorer.Options o;
        try {
            o = options();
        } catch (BadInputException e) {
            System.err.println("tinyos: " + e.getMessage());
            return BadInputException.EXIT_CODE;
        }
        boolean terminal = System.console() != null;
        long t0 = System.nanoTime();
        try (DiskHistory h = DiskHistory.extract(trace, o.scratchDir, icount -> {
            if (terminal) {
                System.err.printf(Locale.ROOT, "\rcrash: replaying %s: icount %,d", trace.getFileName(), icount);
            }
        })) {
            if (terminal) {
                System.err.print("\r\033[K");
            }
            long replayNanos = System.nanoTime() - t0;
            if (o.checker.kernel == null) {
                o.checker.kernel = h.kernel();
            }
            o.checker.memoryMiB = h.memoryMiB();
            Explorer x = new Explorer(h, o);
            if (states != null) {
                List<CrashState> only = new ArrayList<>();
                try {
                    for (String s : states) {
                        CrashState c = CrashState.parse(s);
                        x.validate(c);
                        only.add(c);
                    }
                } catch (IllegalArgumentException e) {
                    System.err.println("tinyos: " + e.getMessage() + ".");
                    return BadInputException.EXIT_CODE;
                }
                o.only = only;
            }
            Explorer.Report r = x.run((done, total, failed) -> {
                if (terminal) {
                    synchronized (this) {
                        System.err.printf(Locale.ROOT, "\rcrash: %,d of %,d states checked, %,d failed", done, total,
                                failed);
                    }
                }
            });
            if (terminal) {
                System.err.print("\r\033[K");
            }
            Path dir = out != null ? out : trace.resolve("crash");
            Files.createDirectories(dir);
            Path csv = dir.resolve("states.csv");
            StatesCsv.write(x, r, csv);
            summary(h, r, replayNanos, csv);
            control(x, r);
            if (keepMax > 0 && r.failed > 0) {
                keepFailing(x, r, keep != null ? keep : dir.resolve("failing"));
            }
            return r.failed == 0 ? 0 : 1;
        } catch (TraceException e) {
            System.err.println("tinyos: " + e.getMessage());
            return BadInputException.EXIT_CODE;
        }
    }

    private Explorer.Options options() throws BadInputException {
        if (maxStates < 0 || exhaustive < 0 || exhaustive > 20 || random < 0 || jobs < 1 || maxInstructions < 1
                || keepMax < 0) {
            throw new BadInputException("--max-states, --random and --keep-max must not be negative, --exhaustive "
                    + "must be 0..20, --jobs and --max-instructions at least 1");
        }
        if (kernel != null && !Files.isRegularFile(kernel)) {
            throw new BadInputException("there is no kernel at " + kernel);
        }
        if (kernel == null && Files.isRegularFile(trace.resolve(dev.tinyos.replay.TraceHeader.FILE))) {
            try {
                dev.tinyos.replay.TraceHeader h = dev.tinyos.replay.TraceHeader.read(trace);
                if (h.biosSha256 != null || h.initrdSha256 != null || h.machine().append() != null) {
                    throw new BadInputException("trace " + trace + " was booted with --bios, --initrd or --append, "
                            + "which crash checkers do not get: give the checker's kernel ELF with --kernel");
                }
            } catch (TraceException e) {
                // the exploration reports a bad trace in its own words
            }
        }
        Explorer.Options o = new Explorer.Options();
        o.enumeration.exhaustive = exhaustive;
        o.enumeration.random = random;
        o.enumeration.torn = !noTorn;
        o.enumeration.seed = seed;
        o.jobs = jobs;
        o.maxStates = maxStates;
        if (shard != null) {
            String[] kn = shard.split("/");
            try {
                o.shard = Integer.parseInt(kn[0].trim());
                o.shards = kn.length == 2 ? Integer.parseInt(kn[1].trim()) : -1;
            } catch (NumberFormatException e) {
                o.shards = -1;
            }
            if (o.shards < 1 || o.shard < 0 || o.shard >= o.shards) {
                throw new BadInputException("--shard must be K/N with 0 <= K < N, e.g. 0/4, not '" + shard + "'");
            }
        }
        o.checker.kernel = kernel;
        o.checker.commands = List.copyOf(check);
        o.checker.maxInstructions = maxInstructions;
        try {
            o.checker.pass = Pattern.compile(pass);
            o.checker.fail = fail.isEmpty() ? null : Pattern.compile(fail);
            o.committed = committed == null ? null : Pattern.compile(committed);
        } catch (PatternSyntaxException e) {
            throw new BadInputException("--pass, --fail or --committed is not a regular expression: " + e.getDescription()
                    + " in '" + e.getPattern() + "'");
        }
        return o;
    }

    private void summary(DiskHistory h, Explorer.Report r, long replayNanos, Path csv) {
        CrashModel m = r.model;
        int largest = m.epochs().stream().mapToInt(CrashModel.Epoch::inFlightCount).max().orElse(0);
        double checkS = r.checkNanos / 1e9;
        System.out.printf(Locale.ROOT, "crash: %s: %,d writes, %,d flushes, %,d epochs (at most %d write%s in flight)%n",
                trace, h.writes(), h.flushes(), m.epochs().size(), largest, largest == 1 ? "" : "s");
        String part = r.unique.size() > maxStates ? " (a sample: --max-states " + maxStates + ", --seed " + seed + ")" : "";
        if (shard != null) {
            part += " (shard " + shard + ")";
        }
        System.out.printf(Locale.ROOT, "crash: states: %,d generated, %,d unique, %,d checked, %,d passed, %,d failed%s%n",
                r.generated, r.unique.size(), r.checked, r.checked - r.failed, r.failed, part);
        double cpuS = r.checkCpuNanos() / 1e9;
        System.out.printf(Locale.ROOT, "crash: time: replay %.2f s, generate %.2f s, check %.2f s on %d jobs "
                + "(%.1f states/s; %.1f states per CPU-second); enumeration: --exhaustive %d --random %d --seed %d%s%n",
                replayNanos / 1e9, r.generateNanos / 1e9, checkS, jobs, checkS > 0 ? r.checked / checkS : 0.0,
                cpuS > 0 ? r.checked / cpuS : 0.0, exhaustive, random, seed, noTorn ? " --no-torn" : "");
        System.out.println("crash: " + csv);
        int shown = 0;
        for (Explorer.StateResult s : r.failures()) {
            if (shown++ == 20) {
                System.out.println("crash: ... (" + (r.failed - 20) + " more failing states in states.csv)");
                break;
            }
            CrashModel.Epoch e = m.epochs().get(s.state.epoch);
            System.out.printf(Locale.ROOT, "FAIL %s (%s, crash %s at icount %,d, %d of %d writes in flight kept%s): %s%n",
                    s.state, s.state.family, e.where(), e.crashIcount, s.state.keptCount(), e.inFlightCount(),
                    s.state.torn() ? ", one torn" : "", s.verdict().reason());
        }
    }

    /** Notes on stderr when the checker looks misconfigured rather than the disk inconsistent. */
    private void control(Explorer x, Explorer.Report r) {
        Explorer.StateResult fin = x.find(r, x.finalState());
        if (fin != null && fin.verdict() != null && !fin.verdict().pass()) {
            System.err.println("tinyos: note: the checker fails on the disk the run itself left (state " + fin.state
                    + ": " + fin.verdict().reason() + "); if that is not the bug you look for, check --check, --pass "
                    + "and --fail.");
        } else if (r.checked > 1 && r.failed == r.checked) {
            System.err.println("tinyos: note: every state failed; check --check, --pass and --fail.");
        }
    }

    private void keepFailing(Explorer x, Explorer.Report r, Path keep) throws IOException {
        Files.createDirectories(keep);
        int n = 0;
        for (Explorer.StateResult s : r.failures()) {
            if (n++ >= keepMax) {
                break;
            }
            String name = "state-" + s.number;
            Path img = keep.resolve(name + ".img");
            Files.deleteIfExists(img);
            x.writeImage(s.state, img);
            Files.writeString(keep.resolve(name + ".txt"), "state " + s.state + " (" + s.state.family + ")\n"
                    + "checker input: " + String.join(" / ", x.commands(s.state.epoch)) + "\n"
                    + "verdict: " + s.verdict().reason() + "\n" + "checker console:\n" + s.verdict().console(),
                    StandardCharsets.UTF_8);
            Path t = keep.resolve(name + ".trace");
            try {
                Checker.Verdict again = x.recordChecker(s.state, img, t);
                String same = again.consoleDigest().equals(s.verdict().consoleDigest()) ? ""
                        : " (warning: the recorded boot printed something else than the explored one)";
                System.out.println("crash: kept " + img + ", " + t + same);
            } catch (TraceException e) {
                System.out.println("crash: kept " + img + "; no trace: " + e.getMessage());
            }
        }
    }
}
