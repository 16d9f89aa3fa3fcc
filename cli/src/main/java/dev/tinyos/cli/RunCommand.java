package dev.tinyos.cli;

import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.input.VirtualClock;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tinyos run}: boots a kernel on the emulated virt board with the terminal as its console.
 * Invariant: the terminal settings found at start are back in place when this command returns
 * or the JVM exits, whatever happened in between.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Boot a kernel (default: tiny-os, guest/build/kernel.elf) with this terminal "
                + "as its serial console.",
                "Ctrl-A x quits, Ctrl-A h shows help, Ctrl-A Ctrl-A sends Ctrl-A. When standard input "
                + "is not a terminal its bytes are typed into the console, e.g. "
                + "printf 'tests\\npoweroff\\n' | ./tinyos run",
                "Exits with the guest's exit code (test finisher or HTIF) and prints a one-line "
                + "summary on stderr."})
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--kernel", paramLabel = "ELF", description = "kernel ELF to boot (default: ${DEFAULT-VALUE})")
    Path kernel = Home.guestBuild().resolve("kernel.elf");

    @Option(names = "--disk", paramLabel = "IMG", description = "raw disk image for virtio-blk slot 0")
    Path disk;

    @Option(names = "--mem", paramLabel = "MiB", description = "guest RAM in MiB (default: ${DEFAULT-VALUE})")
    int memMiB = 128;

    @Option(names = "--max-instructions", paramLabel = "N",
            description = "stop after N instructions (default: no limit)")
    long maxInstructions = Long.MAX_VALUE;

    @Override
    public Integer call() {
        try {
            checkArguments();
        } catch (BadInputException e) {
            System.err.println("tinyos: " + e.getMessage());
            return BadInputException.EXIT_CODE;
        }
        boolean tty = Terminal.stdinIsTerminal();
        BufferedOutputStream console = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        PrintStream messages = System.err;
        ConsoleInput input = new ConsoleInput(new VirtualClock(), System.in, tty, console, messages);
        Machine machine;
        try {
            machine = new Machine(config(console, input));
        } catch (RuntimeException | IOException e) {
            System.err.println("tinyos: cannot load " + kernel + ": " + e.getMessage());
            return BadInputException.EXIT_CODE;
        }
        return boot(machine, input, console, tty);
    }

    private int boot(Machine machine, ConsoleInput input, BufferedOutputStream console, boolean tty) {
        Terminal terminal = new Terminal();
        if (tty) {
            System.err.println("tinyos: booting " + kernel.getFileName() + " (Ctrl-A x quits, Ctrl-A h help)");
            terminal.enterRaw();
        }
        input.start();
        long start = System.nanoTime();
        RunResult result;
        try {
            result = machine.run(maxInstructions);
        } finally {
            flushQuietly(console);
            closeQuietly(machine);
            terminal.restore();
        }
        long nanos = System.nanoTime() - start;
        if (tty) {
            System.err.println(); // the guest's last line may not have ended
        }
        System.err.println(RunSummary.line(result.reason().name(), result.exitCode(), result.icount(), nanos));
        return result.exitCode();
    }

    private void checkArguments() throws BadInputException {
        boolean defaultKernel = kernel.equals(Home.guestBuild().resolve("kernel.elf"));
        GuestFiles.requireElf(kernel, "kernel", defaultKernel ? "build it with: make -C guest kernel" : null);
        if (disk != null) {
            GuestFiles.requireDisk(disk);
        }
        GuestFiles.requireMemory(memMiB);
        if (maxInstructions <= 0) {
            throw new BadInputException("--max-instructions must be positive, not " + maxInstructions);
        }
    }

    private MachineConfig config(BufferedOutputStream console, ConsoleInput input) {
        MachineConfig.Builder b = MachineConfig.builder()
                .memoryMiB(memMiB)
                .kernel(kernel)
                .console(console)
                .input(input);
        if (disk != null) {
            b.disk(disk);
        }
        return b.build();
    }

    private static void closeQuietly(Machine machine) {
        try {
            machine.close(); // closes the input source and the disk image
        } catch (IOException | RuntimeException e) {
            System.err.println("tinyos: closing the machine failed: " + e.getMessage());
        }
    }

    private static void flushQuietly(BufferedOutputStream out) {
        try {
            out.flush();
        } catch (IOException e) {
            // stdout is gone; nothing to report it on
        }
    }
}
