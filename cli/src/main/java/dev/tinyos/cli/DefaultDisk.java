package dev.tinyos.cli;

import dev.tinyos.core.ExitReason;
import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.input.VirtualClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The default disk of {@code tinyos run}: {@code guest/build/default.img}, a file system whose
 * /bin holds every guest program. The guest build makes {@code stage.img} (a blank image with
 * the programs packed at block 6144, guest/user/install.c); this class boots tiny-os on a copy
 * of it once, types {@code install} at the boot prompt, and keeps the result. The file system is
 * written by the kernel's own code: nothing here knows its format.
 *
 * <p>Invariant: {@code default.img} is never older than the kernel or the stage it was made
 * from; a failed install leaves no {@code default.img} behind.
 */
public final class DefaultDisk {
    /** Instructions an install may take (it needs about 50 million). */
    static final long LIMIT = 2_000_000_000L;

    private DefaultDisk() {
    }

    /** {@code default.img}, built first when missing or stale. */
    public static Path ensure(Path kernel) throws IOException {
        Path build = Home.guestBuild();
        Path stage = build.resolve("stage.img");
        Path image = build.resolve("default.img");
        if (!Files.isRegularFile(stage)) {
            throw new IOException(stage + " is missing; build it with: make -C guest kernel");
        }
        if (Files.isRegularFile(image) && !olderThan(image, stage) && !olderThan(image, kernel)) {
            return image;
        }
        Path tmp = Files.createTempFile(build, "default-", ".img.tmp"); // runs building at once do not collide
        Files.copy(stage, tmp, StandardCopyOption.REPLACE_EXISTING);
        String console;
        try {
            console = install(kernel, tmp);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, image, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.err.println("tinyos: built " + image + " (" + line(console, "install: PASS") + ")");
        return image;
    }

    /** A fresh copy of the default disk, deleted when the JVM exits. */
    public static Path freshCopy(Path kernel) throws IOException {
        Path image = ensure(kernel);
        Path copy = Files.createTempFile("tinyos-disk-", ".img");
        copy.toFile().deleteOnExit();
        Files.copy(image, copy, StandardCopyOption.REPLACE_EXISTING);
        return copy;
    }

    /** Boots kernel on disk and runs install at the boot prompt; its console output. */
    static String install(Path kernel, Path disk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] typed = "install\npoweroff\n".getBytes(StandardCharsets.US_ASCII);
        RunResult r;
        try (Machine m = new Machine(MachineConfig.builder().kernel(kernel).disk(disk).console(out)
                .input(VirtualClock.withInput(typed)).build())) {
            r = m.run(LIMIT);
        }
        String console = out.toString(StandardCharsets.ISO_8859_1);
        if (r.reason() != ExitReason.FINISHER_PASS || !console.contains("install: PASS")) {
            throw new IOException("installing /bin on the default disk failed (" + r.reason() + "): "
                    + line(console, "install:"));
        }
        return console;
    }

    private static boolean olderThan(Path a, Path b) throws IOException {
        return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b)) < 0;
    }

    private static String line(String console, String prefix) {
        for (String l : console.split("\r?\n")) {
            if (l.startsWith(prefix)) {
                return l.trim();
            }
        }
        return "no line starting with '" + prefix + "'";
    }
}
