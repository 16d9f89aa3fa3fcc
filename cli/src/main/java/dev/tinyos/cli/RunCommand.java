package dev.tinyos.cli;

import dev.tinyos.core.ExitReason;
import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.dev.HostDiskFullException;
import dev.tinyos.core.dev.PowerCut;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
                + "printf 'tests\\npoweroff\\n' | ./tinyos run (with --bios a line at a time, each once the "
                + "console has been quiet for 1.2 s of guest time: firmware drops what is typed ahead)",
                "Exits with the guest's exit code (test finisher or HTIF) and prints a one-line "
                + "summary on stderr.",
                "Disk model (docs/disk-model.md): the drive has a volatile write cache. A clean end "
                + "(guest poweroff, finisher, HTIF, --max-instructions, idle forever) writes it to the "
                + "image; a power cut (--stop-at-icount, Ctrl-A x) drops the writes the guest had not "
                + "flushed and exits 0 with a line saying what was lost.",
                "SIGINT and SIGTERM stop the run as Ctrl-A x does (stop and end recorded, summary printed; exit "
                + "130/143). If the host disk fills up the run stops there (exit 74) and its trace still verifies "
                + "(docs/trace-guarantees.md)."})
public final class RunCommand implements Callable<Integer> {
    /** --engine interp|jit (EngineOption). */
    @Mixin
    EngineOption engine = new EngineOption();

    /** Exit status of a run stopped because the host disk filled up (EX_IOERR). */
    static final int HOST_FULL_EXIT = 74;
    /**
     * With --bios, scripted input waits for 1.2 s of guest time without console output before
     * each line: longer than U-Boot's 1 s autoboot countdown steps, so a script reaches the prompt.
     */
    static final long FIRMWARE_QUIET_TICKS = 12_000_000L;

    /** Counts the bytes the guest writes to its console (the typing pace of a firmware run). */
    static final class CountingOutput extends java.io.FilterOutputStream {
        private long count;

        CountingOutput(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            count++;
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            count += len;
            out.write(b, off, len);
        }

        long count() {
            return count;
        }
    }

    @Option(names = "--kernel", paramLabel = "FILE", description = "kernel to boot: an ELF; with --bios also a raw "
            + "image, loaded at 0x80200000 (default: ${DEFAULT-VALUE})")
    Path kernel = Home.guestBuild().resolve("kernel.elf");

    @Option(names = "--bios", paramLabel = "FILE", description = "firmware to start in M-mode (a0 = hart id, a1 = the "
            + "device tree): an ELF, or a raw binary loaded at 0x80000000, e.g. OpenSBI's fw_jump.bin "
            + "(default: none, the hart starts at the kernel ELF's entry; docs/firmware.md)")
    Path bios;

    @Option(names = "--initrd", paramLabel = "FILE", description = "initial ramdisk, loaded at kernel entry + "
            + "min(RAM/2, 128 MiB) as QEMU does and named in /chosen linux,initrd-start/end")
    Path initrd;

    @Option(names = "--append", paramLabel = "ARGS", description = "kernel command line, in the device tree's "
            + "/chosen bootargs")
    String append;

    @Option(names = "--disk", paramLabel = "IMG", description = "raw disk image for virtio-blk slot 0 (default with "
            + "the default kernel: a fresh copy of guest/build/default.img, tiny-os's file system with /bin, built from "
            + "the guest build on first use; the run lands at the shell)")
    Path disk;

    @Option(names = "--no-disk", description = "boot without a disk (tiny-os then starts its embedded boot prompt)")
    boolean noDisk;

    @Option(names = "--mem", paramLabel = "MiB", description = "guest RAM in MiB (default: ${DEFAULT-VALUE}; tiny-os needs at least 8, and reads the size from "
                    + "the device tree)")
    int memMiB = DEFAULT_MEM_MIB;

    /** Guest RAM without --mem, in MiB (QEMU's default for virt). */
    static final int DEFAULT_MEM_MIB = 128;

    @Option(names = "--max-instructions", paramLabel = "N",
            description = "stop after N instructions (default: no limit)")
    long maxInstructions = Long.MAX_VALUE;

    @Option(names = "--stop-at-icount", paramLabel = "N",
            description = "cut the power when the instruction count reaches N: unflushed disk writes "
                    + "are lost, as on real hardware (default: never)")
    Long stopAtIcount;

    @Option(names = "--gdb", arity = "0..1", fallbackValue = "1234", paramLabel = "PORT",
            description = "debug the live run with gdb on localhost:PORT (default 1234; 0 picks a free port), stopped "
                    + "before its first instruction; forward only and not recorded (replay TRACE --gdb goes "
                    + "backward too)")
    Integer gdbPort;

    /** --trace, --no-record, --clock, --disk-writeback (docs/RECORDING.md). */
    @Mixin
    RecordOptions record = new RecordOptions();

    @Override
    public Integer call() {
        try {
            checkArguments();
        } catch (BadInputException e) {
            System.err.println("tinyos: " + e.getMessage());
            return BadInputException.EXIT_CODE;
        }
        try {
            useDefaultDisk();
        } catch (IOException e) {
            System.err.println("tinyos: " + e.getMessage());
            return BadInputException.EXIT_CODE;
        }
        boolean tty = Terminal.stdinIsTerminal();
        dev.tinyos.core.input.TimeBase.Kind clockMode;
        try {
            clockMode = record.clockMode(tty);
        } catch (BadInputException e) {
            System.err.println("tinyos: " + e.getMessage());
            return BadInputException.EXIT_CODE;
        }
        BufferedOutputStream console = new BufferedOutputStream(System.out, 1 << 16); // whole chunks to stdout
        PrintStream messages = System.err;
        RecordOptions.Clock clock = RecordOptions.newClock(clockMode);
        ConsoleInput input = new ConsoleInput(clock.source(), System.in, tty, console, messages);
        if (gdbPort != null) {
            return GdbSession.live(() -> new Machine(config(console, input)), input, gdbPort, kernel);
        }
        java.io.OutputStream guestConsole = console;
        if (bios != null) { // firmware resets its UART: type scripted lines when the console falls quiet
            CountingOutput counted = new CountingOutput(console);
            input.typeWhenQuiet(FIRMWARE_QUIET_TICKS, counted::count);
            guestConsole = counted;
        }
        Machine machine;
        RunRecording recording = null;
        if (record.recording()) {
            try { // a signal while the trace is made ends the JVM, and Trace.create removes the half-made trace
                recording = RunRecording.start(record, clock, config(guestConsole, input), "run");
            } catch (BadInputException e) {
                System.err.println("tinyos: " + e.getMessage());
                return BadInputException.EXIT_CODE;
            }
            machine = recording.machine();
        } else {
            try {
                machine = new Machine(config(guestConsole, input));
            } catch (dev.tinyos.core.dev.ImageInUseException e) {
                System.err.println("tinyos: " + e.getMessage());
                return BadInputException.EXIT_CODE;
            } catch (RuntimeException | IOException e) {
                System.err.println("tinyos: cannot load " + kernel + ": " + e.getMessage());
                return BadInputException.EXIT_CODE;
            }
        }
        // from here a signal stops the run as Ctrl-A x does, so one that follows the announcement
        // at once (a script waiting for it) is ours, not the JVM's default
        StopSignals signals = StopSignals.install(input);
        if (recording != null) {
            System.err.println(recording.announcement());
        }
        return boot(machine, recording, input, console, tty, signals);
    }

    private int boot(Machine machine, RunRecording recording, ConsoleInput input, BufferedOutputStream console,
                     boolean tty, StopSignals signals) {
        Terminal terminal = new Terminal();
        if (tty) {
            System.err.println("tinyos: booting " + kernel.getFileName() + " (Ctrl-A x quits, Ctrl-A h help)");
            terminal.enterRaw();
        }
        if (stopAtIcount != null) {
            input.stopAt(stopAtIcount); // an input at that icount: recorded, so the replay stops there too
        }
        input.start();
        long start = System.nanoTime();
        RunResult result;
        PowerCut cut = null;
        String hostFull = null;
        try {
            result = recording != null ? recording.run(maxInstructions) : machine.run(maxInstructions);
            if (result.reason() == ExitReason.STOPPED) { // Ctrl-A x, --stop-at-icount, a signal, a full host disk
                cut = machine.powerCut(); // before close(), which would write the cache back
            }
            hostFull = recording != null ? recording.hostFull() : null;
        } catch (HostDiskFullException e) {
            cut = machine.powerCut(); // nothing more can be written; keep what reached the image
            result = new RunResult(ExitReason.STOPPED, 0, machine.view().icount());
            hostFull = e.getMessage();
        } finally {
            flushQuietly(console);
            closeQuietly(machine, recording);
            terminal.restore();
            signals.uninstall();
        }
        long nanos = System.nanoTime() - start;
        if (tty) {
            System.err.println(); // the guest's last line may not have ended
        }
        String reason = cut != null ? "POWER_CUT" : result.reason().name();
        String why = signals.received() != null ? " (" + signals.received() + ")" : "";
        System.err.println(RunSummary.line(reason + why, result.exitCode(), result.icount(), nanos));
        if (cut != null) {
            System.err.println(powerCutLine(result.icount(), cut));
        }
        if (hostFull != null) {
            System.err.println("tinyos: the host disk is full (" + hostFull + "): the run stopped at icount "
                    + RunSummary.grouped(result.icount()) + (recording != null
                    ? "; the trace holds the run up to there and replays" : ""));
            return HOST_FULL_EXIT;
        }
        return signals.received() != null ? signals.exitStatus() : result.exitCode();
    }

    /**
     * With the default kernel, no --disk, no --no-disk and no firmware, the guest gets a fresh copy
     * of the default disk (DefaultDisk): tiny-os boots to /bin/init and the shell.
     */
    private void useDefaultDisk() throws IOException {
        boolean defaultKernel = kernel.equals(Home.guestBuild().resolve("kernel.elf"));
        if (disk == null && !noDisk && defaultKernel && bios == null) {
            disk = DefaultDisk.freshCopy(kernel);
        }
    }

    /** e.g. {@code tinyos: power cut at icount 1,000: 2 unflushed sectors (1.0 KiB) dropped, ...}. */
    static String powerCutLine(long icount, PowerCut cut) {
        return "tinyos: power cut at icount " + RunSummary.grouped(icount) + ": " + cut.describe();
    }

    private void checkArguments() throws BadInputException {
        boolean defaultKernel = kernel.equals(Home.guestBuild().resolve("kernel.elf"));
        if (bios == null) {
            GuestFiles.requireElf(kernel, "kernel", defaultKernel ? "build it with: make -C guest kernel" : null);
        } else {
            GuestFiles.requireImage(bios, "bios");
            GuestFiles.requireImage(kernel, "kernel");
        }
        if (initrd != null) {
            GuestFiles.requireImage(initrd, "initrd");
        }
        if (disk != null) {
            GuestFiles.requireDisk(disk);
        }
        GuestFiles.requireMemory(memMiB);
        if (bios == null) {
            GuestFiles.requireKernelFits(kernel, memMiB);
        }
        try {
            dev.tinyos.core.BootImages.of(bios, kernel, initrd, append, (long) memMiB << 20); // fits, parses
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        } catch (IOException e) {
            throw new BadInputException("cannot read " + e.getMessage());
        }
        if (maxInstructions <= 0) {
            throw new BadInputException("--max-instructions must be positive, not " + maxInstructions);
        }
        if (stopAtIcount != null && stopAtIcount <= 0) {
            throw new BadInputException("--stop-at-icount must be positive, not " + stopAtIcount);
        }
        record.check(disk != null);
        if (gdbPort != null && (gdbPort < 0 || gdbPort > 65535)) {
            throw new BadInputException("--gdb PORT must be 0..65535, not " + gdbPort);
        }
        if (gdbPort != null && (record.trace != null || stopAtIcount != null)) {
            throw new BadInputException("run --gdb debugs a live run, which it does not record and gdb stops: "
                    + "leave out --trace and --stop-at-icount (record with run, then debug with replay TRACE --gdb)");
        }
        if (noDisk && disk != null) {
            throw new BadInputException("--no-disk contradicts --disk");
        }
    }

    private MachineConfig config(java.io.OutputStream console, ConsoleInput input) {
        MachineConfig.Builder b = MachineConfig.builder()
                .memoryMiB(memMiB)
                .ramStorage(RamPrefetch::take) // allocated ahead by Main, if it could tell the size
                .kernel(kernel)
                .bios(bios)
                .initrd(initrd)
                .append(append)
                .console(console)
                .input(input);
        if (disk != null) {
            b.disk(disk);
        }
        return b.build();
    }

    private static void closeQuietly(Machine machine, RunRecording recording) {
        try {
            if (recording != null) {
                recording.close(); // the machine, the trace's log, the working disk copy
                return;
            }
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
