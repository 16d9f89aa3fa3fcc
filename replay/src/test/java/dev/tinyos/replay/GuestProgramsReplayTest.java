package dev.tinyos.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Record → replay → compare for every guest test program: the ISA and board test ELFs (with
 * their disk image when one sits beside them) and the kernel running its user programs. Each
 * must replay to the same end, icount, console bytes and digests.
 */
class GuestProgramsReplayTest {
    private static final long LIMIT = 3_000_000_000L;
    /** Small digest interval so even short programs are compared at several points. */
    private static final long INTERVAL = 1L << 16;

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> everyGuestProgramReplays() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String dir : new String[] {"isa", "board"}) {
            Path d = Guest.build().resolve(dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> s = Files.list(d)) {
                s.filter(p -> p.toString().endsWith(".elf")).sorted().forEach(elf -> {
                    Path img = elf.resolveSibling(elf.getFileName().toString().replace(".elf", ".img"));
                    tests.add(DynamicTest.dynamicTest(dir + "/" + elf.getFileName(),
                            () -> roundTrip(elf, Files.exists(img) ? img : null, new byte[0])));
                });
            }
        }
        for (String program : new String[] {"tests", "echo a b c", "ps", "sleeper", "shortlived", "forkstorm",
            "kstress", "spin", "kbug", "heapabuse double", "heapabuse smash", "heapabuse ok"}) {
            tests.add(DynamicTest.dynamicTest("kernel: " + program, () -> roundTrip(Guest.require("kernel.elf"), null,
                    (program + "\npoweroff\n").getBytes(StandardCharsets.US_ASCII))));
        }
        return tests.stream();
    }

    private void roundTrip(Path elf, Path disk, byte[] input) throws Exception {
        RecordReplayTest.roundTrip(tmp.resolve(elf.getFileName() + "-" + System.nanoTime()), elf, disk, input, LIMIT,
                INTERVAL);
    }
}
