package dev.tinyos.replay;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Where the built guest programs are (system property tinyos.guest.build, set by the pom). */
final class Guest {
    private Guest() {
    }

    static Path build() {
        return Path.of(System.getProperty("tinyos.guest.build", "../guest/build"));
    }

    static Path require(String rel) {
        Path p = build().resolve(rel);
        Assumptions.assumeTrue(Files.isRegularFile(p), "guest not built: " + p);
        return p;
    }
}
