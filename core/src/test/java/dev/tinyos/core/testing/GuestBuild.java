package dev.tinyos.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where the tests find the guest ELFs that {@code make -C guest} builds: the directory named by
 * the system property {@code tinyos.guest.build} (set by the core pom), else ../guest/build.
 * Invariant: every lookup asserts the file exists, so a missing build fails the test with the
 * make command to run instead of letting it pass by testing nothing.
 */
public final class GuestBuild {
    private GuestBuild() {
    }

    /** The guest build directory. */
    public static Path dir() {
        return Path.of(System.getProperty("tinyos.guest.build", "../guest/build")).toAbsolutePath().normalize();
    }

    /** tiny-os itself: guest/build/kernel.elf. */
    public static Path kernel() {
        return existing(dir().resolve("kernel.elf"), "make -C guest");
    }

    /** A bare-metal board program: guest/build/board/NAME.elf. */
    public static Path board(String name) {
        return existing(dir().resolve("board").resolve(name + ".elf"), "make -C guest board");
    }

    private static Path existing(Path p, String make) {
        assertTrue(Files.isRegularFile(p), p + " missing: build the guest (" + make + ")");
        return p;
    }
}
