package dev.tinyos.bench;

import dev.tinyos.core.ExitReason;
import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmark of the whole emulator: one operation boots a fresh machine on the benchmark
 * guest (guest/build/bench-quick.elf, ~0.12e9 instructions; override with
 * {@code -Dtinyos.bench.elf=...}) and runs it to its test-finisher PASS. The auxiliary counter
 * {@code instructions} turns into instructions per second, i.e. the emulator's IPS.
 * Invariant: every operation must end in FINISHER_PASS, otherwise the benchmark fails.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = "-Xss4m")
@State(Scope.Benchmark)
public class GuestBenchmark {
    private Path elf;

    /** Per-iteration count of retired guest instructions; JMH reports it per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counters {
        public long instructions;

        @Setup(Level.Iteration)
        public void clear() {
            instructions = 0;
        }
    }

    @Setup
    public void findElf() {
        elf = Path.of(System.getProperty("tinyos.bench.elf", "guest/build/bench-quick.elf"));
        if (!Files.isRegularFile(elf)) {
            throw new IllegalStateException(elf.toAbsolutePath()
                    + " not found: run from the checkout after make -C guest bench");
        }
    }

    @Benchmark
    public long benchQuick(Counters counters) throws IOException {
        try (Machine m = new Machine(MachineConfig.builder().kernel(elf).build())) {
            RunResult r = m.run(Long.MAX_VALUE);
            if (r.reason() != ExitReason.FINISHER_PASS) {
                throw new IllegalStateException("benchmark guest did not pass: " + r);
            }
            counters.instructions += r.icount();
            return r.icount();
        }
    }
}
