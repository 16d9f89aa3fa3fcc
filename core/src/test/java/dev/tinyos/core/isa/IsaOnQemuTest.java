package dev.tinyos.core.isa;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Cross-checks the ISA programs against the reference: each ELF must pass on
 * {@code qemu-system-riscv64 -machine virt -bios none} (process exit status 0, console
 * {@code PASS <name>}) and print exactly the same console bytes on our machine.
 *
 * <p>Invariant: skipped (JUnit assumption, with the reason) only when qemu-system-riscv64 is
 * not on the PATH; otherwise every ELF is run on both with a per-run timeout.
 */
class IsaOnQemuTest {
    private static final String QEMU = "qemu-system-riscv64";
    private static final long TIMEOUT_SECONDS = 20;

    @TestFactory
    List<DynamicTest> everyIsaProgramBehavesAsOnQemu() throws IOException {
        assumeTrue(onPath(QEMU) != null,
                QEMU + " is not on the PATH: skipping the QEMU cross-check"
                        + " (install qemu-system-misc to run it)");
        return IsaPrograms.elfs().stream()
                .map(elf -> DynamicTest.dynamicTest(IsaPrograms.name(elf), () -> check(elf)))
                .toList();
    }

    private static void check(Path elf) throws Exception {
        String name = IsaPrograms.name(elf);
        QemuRun q = runOnQemu(elf);
        String why = name + " on QEMU: exit " + q.exit + "; console:\n" + q.console;
        assertEquals(0, q.exit, why);
        assertEquals("PASS " + name + "\n", q.console, why);
        IsaPrograms.Outcome ours = IsaPrograms.runOnMachine(elf);
        assertEquals(q.console, ours.console(),
                name + ": console differs from QEMU; ours ended " + ours.result());
        assertTrue(ours.result().passed(), name + " on our machine: " + ours.result());
    }

    private record QemuRun(int exit, String console) {
    }

    private static QemuRun runOnQemu(Path elf) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(QEMU, "-machine", "virt", "-bios", "none",
                "-m", "128M", "-display", "none", "-serial", "stdio", "-monitor", "none",
                "-kernel", elf.toString());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread outReader = new Thread(() -> copy(p.getInputStream(), out), "qemu-stdout");
        Thread errReader = new Thread(() -> copy(p.getErrorStream(), err), "qemu-stderr");
        outReader.start();
        errReader.start();
        boolean finished = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly();
            p.waitFor();
        }
        outReader.join();
        errReader.join();
        String console = out.toString(StandardCharsets.ISO_8859_1);
        String stderr = err.toString(StandardCharsets.ISO_8859_1);
        if (!finished) {
            return new QemuRun(-1, console + "\n(timed out after " + TIMEOUT_SECONDS + " s) " + stderr);
        }
        return new QemuRun(p.exitValue(), p.exitValue() == 0 ? console : console + stderr);
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

    private static Path onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Paths.get(dir, exe);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
