package dev.tinyos.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code tinyos test}: the whole test suite, {@code mvn -B verify} in the checkout. The
 * {@code ./tinyos} launcher handles this command itself (it first installs the cross compiler
 * and QEMU when it can); this class serves {@code java -jar tinyos.jar test} and keeps the help
 * listing truthful. Invariant: exits with Maven's exit status.
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = {"Run the whole test suite (mvn -B verify): emulator unit tests, ISA tests, "
                + "tiny-os's in-guest tests, and QEMU cross-checks when qemu-system-riscv64 is installed.",
                "Through ./tinyos it first installs the RISC-V cross compiler and QEMU when it can.",
                "Further arguments go to Maven, e.g. ./tinyos test -pl cli -am -Dtest='dev.tinyos.cli.**' "
                + "-Dsurefire.failIfNoSpecifiedTests=false"})
public final class TestCommand implements Callable<Integer> {

    @Unmatched
    List<String> mavenArgs = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        try {
            List<String> cmd = new ArrayList<>(List.of("mvn", "-B", "verify"));
            cmd.addAll(mavenArgs);
            Process p = new ProcessBuilder(cmd)
                    .directory(Home.root().toFile())
                    .inheritIO()
                    .start();
            return p.waitFor();
        } catch (IOException e) {
            System.err.println("tinyos: cannot start mvn: " + e.getMessage());
            return BadInputException.EXIT_CODE;
        }
    }
}
