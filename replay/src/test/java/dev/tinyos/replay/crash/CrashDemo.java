package dev.tinyos.replay.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.dev.BlockBackend;
import dev.tinyos.core.input.VirtualClock;
import dev.tinyos.replay.RecordSession;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/** Recorded runs of guest/user/crashdemo for the explorer's tests. */
final class CrashDemo {
    private CrashDemo() {
    }

    static Path kernel() {
        Path p = Path.of(System.getProperty("tinyos.guest.build", "../guest/build")).resolve("kernel.elf");
        Assumptions.assumeTrue(Files.isRegularFile(p), "guest not built: " + p);
        return p;
    }

    /** Boots the kernel on {@code disk} with {@code input} typed, no trace; returns the console. */
    static String boot(Path disk, String input) throws Exception {
        return bootWith(kernel(), disk, input);
    }

    /** Like {@link #boot}, with another kernel. */
    static String bootWith(Path kernel, Path disk, String input) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Machine m = new Machine(MachineConfig.builder().kernel(kernel).disk(disk).console(out)
                .input(VirtualClock.withInput(input.getBytes(StandardCharsets.US_ASCII))).build())) {
            RunResult r = m.run(2_000_000_000L);
            assertEquals(0, r.exitCode(), out.toString(StandardCharsets.US_ASCII));
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    /** A formatted 1 MiB crashdemo disk at {@code dir/formatted.img}. */
    static Path formatted(Path dir) throws Exception {
        Path img = dir.resolve("formatted.img");
        BlockBackend.create(img, 1 << 20, false);
        boot(img, "crashdemo format\npoweroff\n");
        return img;
    }

    /** Records {@code input} on a copy of {@code disk} as trace {@code trace}; returns the console. */
    static String record(Path trace, Path disk, String input) throws Exception {
        return recordWith(kernel(), trace, disk, input);
    }

    /** Like {@link #record}, with another kernel. */
    static String recordWith(Path kernel, Path trace, Path disk, String input) throws Exception {
        VirtualClock clock = VirtualClock.withInput(input.getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RecordSession.Options o = RecordSession.Options.virtual(trace,
                MachineConfig.builder().kernel(kernel).disk(disk).input(clock).console(out).build(), clock);
        try (RecordSession s = RecordSession.start(o)) {
            RunResult r = s.run(2_000_000_000L);
            assertEquals(0, r.exitCode(), out.toString(StandardCharsets.US_ASCII));
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    /** Explorer options with the crashdemo checker. */
    static Explorer.Options options(Path scratch) {
        Explorer.Options o = new Explorer.Options();
        o.checker.kernel = kernel();
        o.checker.commands = List.of("crashdemo check");
        o.checker.pass = Pattern.compile("crashdemo: PASS");
        o.checker.maxInstructions = 200_000_000L;
        o.jobs = 2;
        o.scratchDir = scratch;
        return o;
    }
}
