package dev.tinyos.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code tinyos} command line in this JVM as a user would meet it: given standard
 * input, with standard output and error captured (those of every thread), on a thread of its
 * own with a deadline, so a hang is a result, not a stuck build.
 */
final class Cli {
    /** What one command did: exit status (-1: did not end in time), stdout, stderr. */
    record Result(int status, String out, String err) {
        boolean hung() {
            return status == -1;
        }

        /** True if stderr holds a Java stack trace or exception text. */
        boolean leaksInternals() {
            return err.contains("\tat ") || err.contains("Exception") || err.contains("java.lang.")
                    || err.contains("WARN") || err.contains("SLF4J") || out.contains("\tat ");
        }

        /** The non-empty lines of stderr. */
        long errLines() {
            return err.lines().filter(l -> !l.isBlank()).count();
        }

        /** Asserts bad input's answer: exit 2, one "tinyos: " line holding {@code fragment}, no internals. */
        void assertOneLine(String fragment) {
            org.junit.jupiter.api.Assertions.assertEquals(BadInputException.EXIT_CODE, status, err);
            org.junit.jupiter.api.Assertions.assertEquals(1, errLines(), err);
            org.junit.jupiter.api.Assertions.assertTrue(err.startsWith("tinyos: ") && err.contains(fragment), err);
            org.junit.jupiter.api.Assertions.assertFalse(leaksInternals(), err);
        }
    }

    private Cli() {
    }

    /** Runs {@code args} with {@code stdin} as standard input; gives up after {@code seconds}. */
    static synchronized Result run(byte[] stdin, long seconds, String... args) throws InterruptedException {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        InputStream oldIn = System.in;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int[] status = {-1};
        Thread t = new Thread(() -> status[0] = Main.commandLine().execute(args), "cli-under-test");
        try {
            System.setIn(new ByteArrayInputStream(stdin));
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            t.setDaemon(true);
            t.start();
            t.join(TimeUnit.SECONDS.toMillis(seconds));
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        int s = t.isAlive() ? -1 : status[0];
        return new Result(s, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    static Result run(String... args) throws InterruptedException {
        return run(new byte[0], 120, args);
    }

    /**
     * Runs {@code args} on the calling thread with empty standard input, for commands that
     * end by themselves (a crash exploration, mkdisk): no deadline, nothing to interrupt.
     */
    static synchronized Result runHere(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        InputStream oldIn = System.in;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int status;
        try {
            System.setIn(new ByteArrayInputStream(new byte[0]));
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            status = Main.commandLine().execute(args);
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Result(status, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }
}
