package dev.tinyos.cli;

import dev.tinyos.replay.QueueWarmUp;
import java.io.PrintWriter;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/**
 * The {@code tinyos} command: picocli dispatch to the subcommands. Invariant: every failure the
 * user can cause ends in one line on stderr and exit status 2 (usage errors included); only
 * bugs in tiny-os itself print a stack trace.
 */
@Command(name = "tinyos", mixinStandardHelpOptions = true, version = "tinyos 0.1.0",
        description = "tiny-os: a deterministic RISC-V (RV64) emulator of QEMU's virt board, and the "
                + "tiny-os teaching kernel that runs on it.",
        subcommands = {RunCommand.class, ReplayCommand.class, VerifyCommand.class, InfoCommand.class, BenchCommand.class, AnalyzeCommand.class, TestCommand.class, MkdiskCommand.class, CrashCommand.class,
            CommandLine.HelpCommand.class},
        commandListHeading = "%nCommands:%n")
public final class Main implements Runnable {
    /** The commands that open a trace's event queue (run only while recording). */
    private static final Set<String> TRACE_COMMANDS = Set.of("run", "replay", "verify", "info", "analyze", "crash");

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Builds the command line with one-line error reporting (shared by tests). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler(Main::oneLineError);
        return cl;
    }

    public static void main(String[] args) {
        if (opensATrace(args)) {
            QueueWarmUp.start(); // Chronicle's cold start overlaps parsing, loading and checking
        }
        System.exit(commandLine().execute(args));
    }

    /** Commands that write or read a trace's queue: run (unless --no-record), replay, verify, info, analyze. */
    static boolean opensATrace(String[] args) {
        if (args.length == 0 || !TRACE_COMMANDS.contains(args[0])) {
            return false;
        }
        for (String a : args) {
            if (a.equals("--no-record") || a.equals("--help") || a.equals("-h") || a.equals("--version")) {
                return false;
            }
        }
        return true;
    }

    private static int oneLineError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("tinyos: " + e.getMessage() + " (try: " + cmd.getCommandSpec().qualifiedName() + " --help)");
        err.flush();
        return BadInputException.EXIT_CODE;
    }
}
