package dev.tinyos.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an ELF on the reference, {@code qemu-system-riscv64 -machine virt -bios none}, with the
 * serial console on stdio, optional bytes fed to its standard input, and a timeout.
 *
 * <p>Invariant: a run always ends: a QEMU that outlives the timeout is killed and reported with
 * exit status -1 and a note in its console text.
 */
public final class Qemu {
    public static final String EXE = "qemu-system-riscv64";

    private Qemu() {
    }

    /** What QEMU printed on the serial console and how the process exited. */
    public record Run(int exit, String console, String stderr) {
    }

    /** True if qemu-system-riscv64 is on the PATH. */
    public static boolean available() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Paths.get(dir, EXE))) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code elf} with 128 MiB of RAM, {@code stdin} as typed input and {@code extra} arguments. */
    public static Run run(Path elf, byte[] stdin, long timeoutSeconds, String... extra) throws Exception {
        return run(elf, stdin, null, timeoutSeconds, extra);
    }

    /**
     * As {@link #run(Path, byte[], long, String...)}, but types {@code stdin} only once the
     * console shows {@code readyText}: a guest that resets its UART FIFOs at boot (as a 16550
     * driver does) would otherwise lose bytes QEMU delivered before that.
     */
    public static Run run(Path elf, byte[] stdin, String readyText, long timeoutSeconds, String... extra)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(EXE, "-machine", "virt", "-bios", "none",
                "-m", "128M", "-display", "none", "-serial", "stdio", "-monitor", "none",
                "-kernel", elf.toString()));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread outReader = new Thread(() -> copy(p.getInputStream(), out), "qemu-stdout");
        Thread errReader = new Thread(() -> copy(p.getErrorStream(), err), "qemu-stderr");
        outReader.start();
        errReader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (readyText != null && p.isAlive() && System.nanoTime() < deadline
                && !out.toString(StandardCharsets.ISO_8859_1).contains(readyText)) {
            Thread.sleep(10);
        }
        if (stdin != null) {
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin);
            } catch (IOException e) {
                // QEMU exited before reading everything; its exit status tells the story
            }
        }
        boolean finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly();
            p.waitFor();
        }
        outReader.join();
        errReader.join();
        String console = out.toString(StandardCharsets.ISO_8859_1);
        String stderr = err.toString(StandardCharsets.ISO_8859_1);
        if (!finished) {
            return new Run(-1, console + "\n(timed out after " + timeoutSeconds + " s)", stderr);
        }
        return new Run(p.exitValue(), console, stderr);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[4096];
        try (in) {
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // the process died; whatever was read is the output
        }
    }
}
