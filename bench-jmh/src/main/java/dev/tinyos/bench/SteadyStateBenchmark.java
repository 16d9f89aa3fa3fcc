package dev.tinyos.bench;

import dev.tinyos.core.ExitReason;
import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.input.VirtualClock;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The interpreter's hot loop in steady state: one machine boots tiny-os once per trial and
 * starts CPU spinners that never finish (user code, timer interrupts, preemption, syscalls);
 * each operation runs exactly {@link #SLICE} more instructions of it. One operation is one
 * guest instruction, so with {@code -prof gc} the {@code gc.alloc.rate.norm} column reads as
 * bytes allocated per guest instruction: it must be 0 (machine construction is outside the
 * measurement). Invariant: the guest never stops during a trial, or the benchmark fails.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = "-Xss4m")
@State(Scope.Benchmark)
public class SteadyStateBenchmark {
    static final long SLICE = 10_000_000L;

    private Machine machine;

    @Setup(Level.Trial)
    public void boot() throws IOException {
        Path kernel = Path.of(System.getProperty("tinyos.kernel.elf", "guest/build/kernel.elf"));
        if (!Files.isRegularFile(kernel)) {
            throw new IllegalStateException(kernel.toAbsolutePath()
                    + " not found: run from the checkout after make -C guest");
        }
        byte[] typed = "spin 3 1000000000\n".getBytes(StandardCharsets.US_ASCII);
        machine = new Machine(MachineConfig.builder().kernel(kernel)
                .console(OutputStream.nullOutputStream())
                .input(VirtualClock.withInput(typed)).build());
        machine.run(200_000_000L); // boot, type the command, reach the spinners
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        machine.close();
    }

    @Benchmark
    @OperationsPerInvocation((int) SLICE)
    public long spinners() {
        RunResult r = machine.run(SLICE);
        if (r.reason() != ExitReason.INSTRUCTION_LIMIT) {
            throw new IllegalStateException("the spinning guest stopped: " + r);
        }
        return r.icount();
    }
}
