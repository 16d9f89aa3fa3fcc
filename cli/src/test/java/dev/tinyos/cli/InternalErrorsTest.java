package dev.tinyos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The last line of defence: whatever a command did not foresee is one line, never a stack trace. */
class InternalErrorsTest {
    @Test
    void anUnforeseenExceptionIsOneLineAndExit70() {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        int status = InternalErrors.report(new IllegalStateException("boom"), cl, null);
        assertEquals(InternalErrors.EXIT_CODE, status);
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("tinyos: internal error, please report it: "), err.toString());
        assertFalse(err.toString().contains("\tat "), err.toString());
    }

    @Test
    void theHostsFailuresAreNamedAsTheHosts() {
        assertTrue(InternalErrors.sentence(new IOException("No space left on device"))
                .startsWith("the host disk is full"));
        assertTrue(InternalErrors.sentence(new InternalError(
                "a fault occurred in a recent unsafe memory access operation in compiled Java code"))
                .contains("memory-mapped file"));
    }
}
