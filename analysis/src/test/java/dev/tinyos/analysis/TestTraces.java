package dev.tinyos.analysis;

import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.input.VirtualClock;
import dev.tinyos.replay.RecordSession;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Records traces of guest programs for the analysis tests (virtual clock, deterministic). */
public final class TestTraces {
    private TestTraces() {}

    /** A built guest file (guest/build/...), or the test is skipped if the guest is not built. */
    public static Path guest(String rel) {
        Path p = Path.of(System.getProperty("tinyos.guest.build", "../guest/build")).resolve(rel);
        Assumptions.assumeTrue(Files.isRegularFile(p), "guest not built: " + p);
        return p;
    }

    /** Records {@code kernel} fed {@code input} on the virtual clock into {@code dir}; returns the console. */
    public static String record(Path dir, Path kernel, String input) throws Exception {
        return record(dir, kernel, null, input);
    }

    /** As {@link #record(Path, Path, String)}, on (a copy of) disk image {@code disk} when not null. */
    public static String record(Path dir, Path kernel, Path disk, String input) throws Exception {
        VirtualClock clock = VirtualClock.withInput(input.getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RecordSession.Options o = RecordSession.Options.virtual(dir,
                MachineConfig.builder().kernel(kernel).disk(disk).input(clock).console(out).build(), clock);
        try (RecordSession s = RecordSession.start(o)) {
            s.run(5_000_000_000L);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** The kernel running {@code commands} (one per line) then poweroff. */
    public static String kernel(Path dir, String... commands) throws Exception {
        return record(dir, guest("kernel.elf"), String.join("\n", commands) + "\npoweroff\n");
    }
}
