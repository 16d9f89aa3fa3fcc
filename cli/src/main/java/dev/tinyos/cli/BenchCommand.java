package dev.tinyos.cli;

import dev.tinyos.core.Engine;
import dev.tinyos.core.ExitReason;
import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tinyos bench}: times our CPU benchmark guest (guest/bench) on the emulator under each
 * engine (interpreter, compiler; or the one --engine names) — warm-up runs for the JVM, then
 * measured runs, each printed, and their median as the engine's steady state — then each
 * engine as a whole fresh process, QEMU plain and in record mode on the same ELF when it is
 * installed, the ratios, and the median MIPS of the last engine as the last line. Invariant:
 * every run boots a fresh machine on the same ELF, so every run must print the same checksum.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run the CPU benchmark guest (guest/build/bench.elf: arithmetic, mul/div, "
                + "branches, memory walks, calls, compressed code; ~0.9e9 instructions) several times "
                + "under each engine (interp, then jit; or the one --engine names) and print each engine's "
                + "steady-state MIPS, then time each engine as a whole fresh process (run --kernel ELF --no-record); "
                + "the last line is the MIPS of the last engine.",
                "If qemu-system-riscv64 is installed, also run the same ELF there, plainly and in record mode "
                + "(-icount shift=0,rr=record), and print the wall-time ratios and whether the guest checksums agree."})
public final class BenchCommand implements Callable<Integer> {
    /** --engine interp|jit (EngineOption). */
    @Mixin
    EngineOption engine = new EngineOption();

    private static final long LIMIT = 20_000_000_000L;
    private static final long QEMU_TIMEOUT_SECONDS = 120;

    @Option(names = "--quick", description = "1/8 of the work (bench-quick.elf), one warm-up, two measured runs")
    boolean quick;

    @Option(names = "--warmup", paramLabel = "N", description = "warm-up runs (default: 2, --quick: 1)")
    Integer warmup;

    @Option(names = "--runs", paramLabel = "N", description = "measured runs (default: 3, --quick: 2)")
    Integer runs;

    @Option(names = "--no-qemu", description = "skip the comparison with QEMU")
    boolean noQemu;

    @Option(names = "--no-process", description = "skip the whole-process timings (a fresh JVM per engine)")
    boolean noProcess;

    @Option(names = "--elf", paramLabel = "ELF", description = "benchmark ELF (default: guest/build/bench.elf)")
    Path elf;

    @Option(names = "--record", description = "measure recording and replay instead (docs/RECORDING.md): record "
            + "overhead in per cent, replay speed, trace bytes; medians of --runs (default 5) rounds; CPU workload bench.elf "
            + "(bench-quick.elf with --quick) unless --elf is given")
    boolean record;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private String checksum;
    private boolean ok = true;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (record) {
            Path cpu = elf != null ? elf : Home.guestBuild().resolve(quick ? "bench-quick.elf" : "bench.elf");
            return RecordBench.run(cpu, Home.guestBuild().resolve("kernel.elf"), runs != null ? runs : 5, System.out);
        }
        Path program = elf != null ? elf : Home.guestBuild().resolve(quick ? "bench-quick.elf" : "bench.elf");
        int nWarm = warmup != null ? warmup : quick ? 1 : 2;
        int nRuns = runs != null ? runs : quick ? 2 : 3;
        try {
            GuestFiles.requireElf(program, "benchmark", elf == null ? "build it with: make -C guest bench" : null);
            if (nWarm < 0 || nRuns < 1) {
                throw new BadInputException("need --warmup >= 0 and --runs >= 1");
            }
        } catch (BadInputException e) {
            System.err.println("tinyos: " + e.getMessage());
            return BadInputException.EXIT_CODE;
        }
        System.out.println("bench: " + program);
        List<Engine> engines = engine.chosen != null ? List.of(engine.chosen) : List.of(Engine.INTERP, Engine.JIT);
        Map<Engine, Double> steady = new EnumMap<>(Engine.class);
        for (Engine e : engines) {
            Engine.select(e);
            steady.put(e, steadyState(program, e, nWarm, nRuns));
        }
        Map<Engine, Long> process = new EnumMap<>(Engine.class);
        if (!noProcess) {
            for (Engine e : engines) {
                long nanos = wholeProcess(program, e);
                if (nanos > 0) process.put(e, nanos);
            }
        }
        if (engines.size() == 2) {
            System.out.printf(Locale.ROOT, "steady state jit/interp: %.2fx (%.1f vs %.1f MIPS, same run)%n",
                    steady.get(Engine.JIT) / steady.get(Engine.INTERP), steady.get(Engine.JIT), steady.get(Engine.INTERP));
            if (process.size() == 2) {
                System.out.printf(Locale.ROOT, "whole process interp/jit: %.2fx%n",
                        (double) process.get(Engine.INTERP) / process.get(Engine.JIT));
            }
        }
        if (!noQemu) {
            compareWithQemu(program, process);
        }
        System.out.println("checksum: " + (checksum == null ? "none" : checksum) + (ok ? " (PASS)" : " (FAILED)"));
        System.out.printf(Locale.ROOT, "MIPS: %.1f%n", steady.get(engines.get(engines.size() - 1)));
        return ok ? 0 : 1;
    }

    /** Warm-up and measured runs of one engine in this JVM; returns the median MIPS. */
    private double steadyState(Path program, Engine e, int nWarm, int nRuns) throws IOException {
        String tag = e.cliName();
        for (int i = 1; i <= nWarm; i++) {
            once(program, String.format(Locale.ROOT, "%s warm-up %d/%d", tag, i, nWarm));
        }
        double[] mips = new double[nRuns], cpuMips = new double[nRuns];
        for (int i = 1; i <= nRuns; i++) {
            long[] measured = once(program, String.format(Locale.ROOT, "%s run %d/%d", tag, i, nRuns));
            mips[i - 1] = RunSummary.mips(measured[0], measured[1]);
            cpuMips[i - 1] = RunSummary.mips(measured[0], measured[2]);
        }
        double median = median(mips);
        System.out.printf(Locale.ROOT, "%s steady state: %.1f MIPS (median of %d; by thread CPU time %.1f MIPS)%n",
                tag, median, nRuns, median(cpuMips));
        return median;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /**
     * Wall time of a fresh JVM (this one's java, class path and flags, and for the compiler
     * engine the flags the launcher gives its runs) running {@code tinyos run --kernel ELF
     * --no-record --engine E} from process start to exit; 0 if it failed.
     */
    private long wholeProcess(Path program, Engine e) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-D" + Engine.PROPERTY + "=")) cmd.add(a);
        }
        if (e == Engine.JIT) { // what ./tinyos gives a run of the compiler engine (not this JVM: see the launcher)
            for (String f : System.getenv().getOrDefault("TINYOS_JIT_JAVA_FLAGS", "").split("\n")) {
                if (!f.isBlank()) cmd.add(f);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", "--kernel", program.toString(), "--no-record", "--engine", e.cliName()));
        Path err = Files.createTempFile("tinyos-bench", ".stderr");
        long start = System.nanoTime();
        int rc;
        byte[] out;
        String summary;
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(err.toFile())
                    .start();
            out = p.getInputStream().readAllBytes();
            rc = p.waitFor();
        } finally {
            summary = Files.readString(err, java.nio.charset.StandardCharsets.ISO_8859_1);
            Files.deleteIfExists(err);
        }
        long nanos = System.nanoTime() - start;
        Optional<String> sum = BenchOutput.checksum(out);
        boolean same = rc == 0 && sum.isPresent() && sum.get().equals(checksum);
        OptionalDouble running = RunSummary.seconds(summary);
        String split = running.isEmpty() ? "" : String.format(Locale.ROOT, "; running the guest %.3f s, the rest "
                + "(JVM start, loading, building the machine, exit) %.3f s", running.getAsDouble(),
                nanos / 1e9 - running.getAsDouble());
        System.out.printf(Locale.ROOT, "%s whole process: %.3f s wall (fresh JVM: run --kernel %s --no-record%s), checksum %s%n",
                e.cliName(), nanos / 1e9, program.getFileName(), split, same ? "same" : "DIFFERS or failed (exit " + rc + ")");
        if (!same) {
            ok = false;
            return 0;
        }
        return nanos;
    }

    /** One fresh machine, run to the end; returns {instructions, nanos}. */
    private long[] once(Path program, String label) throws IOException {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        RunResult r;
        long nanos, cpu;
        try (Machine m = new Machine(MachineConfig.builder().kernel(program).console(console).build())) {
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            r = m.run(LIMIT);
            nanos = System.nanoTime() - start;
            cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
        }
        System.out.printf(Locale.ROOT, "%-12s %s instructions in %.3f s: %.1f MIPS (thread CPU time %.3f s: %.1f MIPS)%n",
                label + ":", RunSummary.grouped(r.icount()), nanos / 1e9, RunSummary.mips(r.icount(), nanos),
                cpu / 1e9, RunSummary.mips(r.icount(), cpu));
        check(label, r, console.toByteArray());
        return new long[] {r.icount(), nanos, cpu};
    }

    private void check(String label, RunResult r, byte[] console) {
        Optional<String> sum = BenchOutput.checksum(console);
        if (r.reason() != ExitReason.FINISHER_PASS || !BenchOutput.passed(console) || sum.isEmpty()) {
            System.out.println(label + ": guest did not pass (" + r.reason() + ", exit " + r.exitCode() + ")");
            ok = false;
        } else if (checksum == null) {
            checksum = sum.get();
        } else if (!checksum.equals(sum.get())) {
            System.out.println(label + ": checksum " + sum.get() + " differs from " + checksum);
            ok = false;
        }
    }

    private void compareWithQemu(Path program, Map<Engine, Long> process) throws IOException, InterruptedException {
        Optional<Path> qemu = Qemu.find();
        if (qemu.isEmpty()) {
            System.out.println("qemu: qemu-system-riscv64 not installed, no comparison");
            return;
        }
        Optional<Qemu.Result> plain = qemuRun(qemu.get(), program, List.of(), "qemu");
        Path rr = Files.createTempFile("tinyos-bench-", ".rr");
        Optional<Qemu.Result> rec;
        try {
            rec = qemuRun(qemu.get(), program, List.of("-icount", "shift=0,rr=record,rrfile=" + rr), "qemu record");
        } finally {
            Files.deleteIfExists(rr);
        }
        for (Map.Entry<Engine, Long> e : process.entrySet()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "wall-time ratio tinyos/qemu: %.1fx (%s, whole process",
                    plain.isPresent() ? (double) e.getValue() / plain.get().nanos() : Double.NaN, e.getKey().cliName()));
            rec.ifPresent(r -> line.append(String.format(Locale.ROOT, "; vs. qemu record mode %.2fx", (double) e.getValue() / r.nanos())));
            System.out.println(line.append(')'));
        }
    }

    private Optional<Qemu.Result> qemuRun(Path qemu, Path program, List<String> extra, String label)
            throws IOException, InterruptedException {
        Optional<Qemu.Result> r = Qemu.run(qemu, program, 128, QEMU_TIMEOUT_SECONDS, extra);
        if (r.isEmpty()) {
            System.out.println(label + ": did not finish within " + QEMU_TIMEOUT_SECONDS + " s");
            ok = false;
            return r;
        }
        Optional<String> sum = BenchOutput.checksum(r.get().console());
        boolean same = sum.isPresent() && sum.get().equals(checksum);
        System.out.printf(Locale.ROOT, "%-12s %.3f s wall (process start to exit%s), checksum %s (%s)%n", label + ":",
                r.get().nanos() / 1e9, extra.isEmpty() ? "" : ", " + String.join(" ", extra).replaceAll(",rrfile=.*", ""),
                sum.orElse("none"), same ? "same as ours" : "DIFFERS from ours");
        ok &= same;
        return r;
    }
}
