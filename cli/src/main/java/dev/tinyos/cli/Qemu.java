package dev.tinyos.cli;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The reference emulator, {@code qemu-system-riscv64 -machine virt -bios none}, run on the same
 * ELF for comparison. Invariant: a QEMU process started here is gone when {@link #run} returns
 * (it ends itself through the test finisher, or is killed at the time limit).
 */
public final class Qemu {
    /** Console output and wall time of one QEMU run. */
    public record Result(byte[] console, long nanos, int exitCode) {
    }

    private Qemu() {
    }

    /** The qemu-system-riscv64 on the PATH, if any. */
    public static Optional<Path> find() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "qemu-system-riscv64");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Runs {@code elf} with {@code memMiB} of RAM; empty if it did not finish within {@code timeoutSeconds}. */
    public static Optional<Result> run(Path qemu, Path elf, int memMiB, long timeoutSeconds)
            throws IOException, InterruptedException {
        return run(qemu, elf, memMiB, timeoutSeconds, List.of());
    }

    /** {@link #run(Path, Path, int, long)} with {@code extra} arguments (e.g. -icount record mode). */
    public static Optional<Result> run(Path qemu, Path elf, int memMiB, long timeoutSeconds, List<String> extra)
            throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(qemu.toString(), "-machine", "virt", "-bios", "none",
                "-m", memMiB + "M", "-display", "none", "-serial", "stdio", "-monitor", "none"));
        cmd.addAll(extra);
        cmd.addAll(List.of("-kernel", elf.toString()));
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread pump = new Thread(() -> copy(p.getInputStream(), out), "qemu-stdout");
        pump.setDaemon(true);
        pump.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            return Optional.empty();
        }
        long nanos = System.nanoTime() - start;
        pump.join(5_000);
        synchronized (out) {
            return Optional.of(new Result(out.toByteArray(), nanos, p.exitValue()));
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (out) {
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // the process ended; what we have is what it printed
        }
    }
}
