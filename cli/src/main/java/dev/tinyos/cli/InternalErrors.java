package dev.tinyos.cli;

import dev.tinyos.replay.IoMessages;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The last line of defence: an exception no command handled (a bug in tinyos, or the host
 * failing under it) becomes one line on stderr and exit status {@link #EXIT_CODE}, never a
 * stack trace. Set {@code TINYOS_DEBUG=1} to see the trace as well. Invariant: commands still
 * handle every failure they can name themselves; this only catches what they did not foresee.
 */
final class InternalErrors {
    /** Exit status for a failure inside tinyos (EX_SOFTWARE). */
    static final int EXIT_CODE = 70;

    private InternalErrors() {
    }

    /** picocli's execution exception handler. */
    static int report(Exception e, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        err.println("tinyos: " + sentence(e));
        if (System.getenv("TINYOS_DEBUG") != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return EXIT_CODE;
    }

    /**
     * For threads other than main (e.g. an Error on a helper thread): one line, then exit, since
     * a command whose helper died must not go on as if nothing happened. System.exit, not halt:
     * the shutdown hooks put the terminal back.
     */
    static void uncaught(Thread t, Throwable e) {
        System.err.println("tinyos: " + sentence(e) + " (on thread " + t.getName() + ")");
        if (System.getenv("TINYOS_DEBUG") != null) {
            e.printStackTrace();
        }
        System.exit(EXIT_CODE);
    }

    /** What went wrong, in one sentence. */
    static String sentence(Throwable e) {
        if (IoMessages.isDiskFull(e)) {
            return "the host disk is full (" + e.getMessage() + ").";
        }
        if (e instanceof InternalError && String.valueOf(e.getMessage()).contains("unsafe memory access")) {
            return "a memory-mapped file shrank or could not be allocated while tinyos used it (is the host disk "
                    + "full, or was a file truncated?).";
        }
        return "internal error, please report it: " + e + (e.getStackTrace().length > 0
                ? " at " + e.getStackTrace()[0] : "") + ".";
    }
}
