package dev.tinyos.cli;

import java.nio.file.Path;

/**
 * Where the tiny-os checkout is: the {@code tinyos.home} system property (the launcher sets it),
 * else the {@code TINYOS_HOME} environment variable, else the working directory. Invariant: the
 * guest build directory is always {@code <home>/guest/build}.
 */
public final class Home {
    private Home() {
    }

    /** The checkout's root directory. */
    public static Path root() {
        String prop = System.getProperty("tinyos.home");
        if (prop != null && !prop.isEmpty()) {
            return Path.of(prop);
        }
        String env = System.getenv("TINYOS_HOME");
        if (env != null && !env.isEmpty()) {
            return Path.of(env);
        }
        return Path.of("").toAbsolutePath();
    }

    /** {@code guest/build}: kernel.elf, bench.elf, ... as built by {@code make -C guest}. */
    public static Path guestBuild() {
        return root().resolve("guest").resolve("build");
    }
}
