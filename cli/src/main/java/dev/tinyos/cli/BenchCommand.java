package dev.tinyos.cli;

import dev.tinyos.core.ExitReason;
import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tinyos bench}: times our CPU benchmark guest (guest/bench) on the emulator — warm-up
 * runs for the JIT, then measured runs, each printed — checks its checksum, compares with QEMU
 * when it is installed, and prints the median MIPS as the last line. Invariant: every run
 * boots a fresh machine on the same ELF, so every run must print the same checksum.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run the CPU benchmark guest (guest/build/bench.elf: arithmetic, mul/div, "
                + "branches, memory walks, calls, compressed code; ~0.9e9 instructions) several times "
                + "and print MIPS as the last line.",
                "If qemu-system-riscv64 is installed, also run the same ELF there and print the "
                + "wall-time ratio and whether the guest checksums agree."})
public final class BenchCommand implements Callable<Integer> {
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

    @Option(names = "--elf", paramLabel = "ELF", description = "benchmark ELF (default: guest/build/bench.elf)")
    Path elf;

    @Option(names = "--record", description = "measure recording and replay instead (docs/RECORDING.md): record "
            + "overhead in per cent, replay speed, trace bytes; medians of --runs (default 5) rounds; CPU workload bench.elf "
            + "(bench-quick.elf with --quick) unless --elf is given")
    boolean record;

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
        for (int i = 1; i <= nWarm; i++) {
            once(program, String.format(Locale.ROOT, "warm-up %d/%d", i, nWarm));
        }
        double[] mips = new double[nRuns];
        long best = Long.MAX_VALUE;
        for (int i = 1; i <= nRuns; i++) {
            long[] measured = once(program, String.format(Locale.ROOT, "run %d/%d", i, nRuns));
            mips[i - 1] = RunSummary.mips(measured[0], measured[1]);
            best = Math.min(best, measured[1]);
        }
        if (!noQemu) {
            compareWithQemu(program, best);
        }
        Arrays.sort(mips);
        System.out.println("checksum: " + (checksum == null ? "none" : checksum) + (ok ? " (PASS)" : " (FAILED)"));
        double median = mips.length % 2 == 1 ? mips[mips.length / 2]
                : (mips[mips.length / 2 - 1] + mips[mips.length / 2]) / 2;
        System.out.printf(Locale.ROOT, "MIPS: %.1f%n", median);
        return ok ? 0 : 1;
    }

    /** One fresh machine, run to the end; returns {instructions, nanos}. */
    private long[] once(Path program, String label) throws IOException {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        RunResult r;
        long nanos;
        try (Machine m = new Machine(MachineConfig.builder().kernel(program).console(console).build())) {
            long start = System.nanoTime();
            r = m.run(LIMIT);
            nanos = System.nanoTime() - start;
        }
        System.out.printf(Locale.ROOT, "%-12s %s instructions in %.3f s: %.1f MIPS%n", label + ":",
                RunSummary.grouped(r.icount()), nanos / 1e9, RunSummary.mips(r.icount(), nanos));
        check(label, r, console.toByteArray());
        return new long[] {r.icount(), nanos};
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

    private void compareWithQemu(Path program, long bestNanos) throws IOException, InterruptedException {
        Optional<Path> qemu = Qemu.find();
        if (qemu.isEmpty()) {
            System.out.println("qemu: qemu-system-riscv64 not installed, no comparison");
            return;
        }
        Optional<Qemu.Result> r = Qemu.run(qemu.get(), program, 128, QEMU_TIMEOUT_SECONDS);
        if (r.isEmpty()) {
            System.out.println("qemu: did not finish within " + QEMU_TIMEOUT_SECONDS + " s");
            ok = false;
            return;
        }
        Optional<String> sum = BenchOutput.checksum(r.get().console());
        boolean same = sum.isPresent() && sum.get().equals(checksum);
        System.out.printf(Locale.ROOT, "qemu:        %.3f s wall (process start to exit), checksum %s (%s)%n",
                r.get().nanos() / 1e9, sum.orElse("none"), same ? "same as ours" : "DIFFERS from ours");
        System.out.printf(Locale.ROOT, "wall-time ratio tinyos/qemu: %.1fx (our best run vs. qemu)%n",
                (double) bestNanos / r.get().nanos());
        ok &= same;
    }
}
