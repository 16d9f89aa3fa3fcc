package dev.tinyos.cli;

import dev.tinyos.replay.QueueWarmUp;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/**
 * The {@code tinyos} command: picocli dispatch to the subcommands. Invariant: every failure the
 * user can cause ends in one line on stderr and exit status 2 (usage errors included); even a
 * bug in tinyos, or the host failing under it, is one line (exit 70, {@link InternalErrors};
 * {@code TINYOS_DEBUG=1} shows the stack trace), never a stack trace by default.
 */
@Command(name = "tinyos", mixinStandardHelpOptions = true,
        description = "tiny-os: a deterministic RISC-V (RV64) emulator of QEMU's virt board, and the "
                + "tiny-os teaching kernel that runs on it.",
        commandListHeading = "%nCommands:%n")
public final class Main implements java.util.concurrent.Callable<Integer> {
    /** The commands that open a Chronicle queue: recording and the crash explorer (which records failing checks); traces are read without it. */
    private static final Set<String> TRACE_COMMANDS = Set.of("run", "crash");
    static final String VERSION = "tinyos 0.1.0";

    /** No command: the usage on stderr and exit 2 (a script that forgot the command must notice). */
    @Override
    public Integer call() {
        System.err.println("tinyos: no command given (try: tinyos --help)");
        return BadInputException.EXIT_CODE;
    }

    /** The subcommands, in the order the help lists them (then {@code help}). */
    private static final List<Class<?>> COMMANDS = List.of(RunCommand.class, ReplayCommand.class,
            VerifyCommand.class, InfoCommand.class, BenchCommand.class, AnalyzeCommand.class, TestCommand.class,
            MkdiskCommand.class, CrashCommand.class, SeekBenchCommand.class, IndexCommand.class);

    /** Builds the command line with every subcommand and one-line error reporting (shared by tests). */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * Builds the command line with one-line error reporting. If {@code first} (the first
     * argument) names a subcommand, that one alone is built: picocli reflects over every
     * command's options when it builds one, a quarter of a second of start-up that a
     * {@code run} need not pay. Otherwise (no command, an option, {@code help}, a typo) all
     * of them, so the help and the errors list every command.
     */
    static CommandLine commandLine(String first) {
        CommandLine cl = new CommandLine(new Main());
        Class<?> only = COMMANDS.stream().filter(c -> c.getAnnotation(Command.class).name().equals(first))
                .findFirst().orElse(null);
        for (Class<?> c : COMMANDS) {
            if (only == null || c == only) {
                cl.addSubcommand(c);
            }
        }
        if (only == null) {
            cl.addSubcommand(CommandLine.HelpCommand.class);
        }
        cl.setParameterExceptionHandler(Main::oneLineError);
        cl.setExecutionExceptionHandler(InternalErrors::report);
        giveVersion(cl);
        return cl;
    }

    /** Every subcommand answers -V/--version (they all advertise it through the standard help options). */
    private static void giveVersion(CommandLine cl) {
        cl.getCommandSpec().version(VERSION);
        cl.getSubcommands().values().forEach(Main::giveVersion);
    }

    public static void main(String[] args) {
        if (opensATrace(args)) {
            QueueWarmUp.start(); // Chronicle's cold start overlaps parsing, loading and checking
        }
        if (runsAMachine(args)) {
            int bytes = RamPrefetch.requestedBytes(args, RunCommand.DEFAULT_MEM_MIB);
            if (bytes > 0) {
                RamPrefetch.start(bytes); // the guest RAM's page faults overlap the rest of start-up
            }
        }
        Thread.setDefaultUncaughtExceptionHandler(InternalErrors::uncaught);
        int status;
        try {
            status = commandLine(args.length == 0 ? null : args[0]).execute(args);
        } catch (Throwable e) { // an Error picocli does not hand to the execution exception handler
            System.err.println("tinyos: " + InternalErrors.sentence(e));
            status = InternalErrors.EXIT_CODE;
        }
        System.exit(status);
    }

    /** A {@code run} that builds a machine (not one that only prints its help or version). */
    static boolean runsAMachine(String[] args) {
        return args.length > 0 && args[0].equals("run") && !onlyHelpOrVersion(args);
    }

    /** Commands that write a trace's queue: run (unless --no-record). */
    static boolean opensATrace(String[] args) {
        return args.length > 0 && TRACE_COMMANDS.contains(args[0]) && !Arrays.asList(args).contains("--no-record")
                && !onlyHelpOrVersion(args);
    }

    /** True if the arguments ask for help or the version (the command then runs nothing). */
    private static boolean onlyHelpOrVersion(String[] args) {
        List<String> a = Arrays.asList(args);
        return a.contains("--help") || a.contains("-h") || a.contains("--version") || a.contains("-V");
    }

    private static int oneLineError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("tinyos: " + e.getMessage() + " (try: " + cmd.getCommandSpec().qualifiedName() + " --help)");
        err.flush();
        return BadInputException.EXIT_CODE;
    }
}
