package dev.tinyos.core.isa;

import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.input.VirtualClock;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finds the ISA conformance programs (guest/build/isa/*.elf, built by {@code make -C guest isa})
 * and runs one of them on our machine.
 *
 * <p>Invariant: {@link #elfs()} never returns an empty list — a missing or empty directory is a
 * test failure, so the conformance suite can never pass by running nothing.
 */
final class IsaPrograms {
    /** Generous: the largest program retires well under a million instructions. */
    static final long INSTRUCTION_LIMIT = 50_000_000L;

    private IsaPrograms() {
    }

    static Path dir() {
        String build = System.getProperty("tinyos.guest.build", "../guest/build");
        return Paths.get(build, "isa").toAbsolutePath().normalize();
    }

    static List<Path> elfs() throws IOException {
        Path dir = dir();
        assertTrue(Files.isDirectory(dir),
                "no ISA programs: " + dir + " is missing (run: make -C guest isa)");
        List<Path> elfs;
        try (Stream<Path> s = Files.list(dir)) {
            elfs = s.filter(p -> p.getFileName().toString().endsWith(".elf"))
                    .sorted()
                    .collect(Collectors.toList());
        }
        assertFalse(elfs.isEmpty(), "no ISA programs in " + dir + " (run: make -C guest isa)");
        return elfs;
    }

    static String name(Path elf) {
        String f = elf.getFileName().toString();
        return f.substring(0, f.length() - ".elf".length());
    }

    /** The outcome of one run: why it stopped and everything written to the UART. */
    record Outcome(RunResult result, String console) {
    }

    static Outcome runOnMachine(Path elf) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MachineConfig cfg = MachineConfig.builder()
                .kernel(elf)
                .console(out)
                .input(new VirtualClock())
                .build();
        Machine m = new Machine(cfg);
        RunResult r = m.run(INSTRUCTION_LIMIT);
        return new Outcome(r, out.toString(StandardCharsets.ISO_8859_1));
    }
}
