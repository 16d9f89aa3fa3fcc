package dev.tinyos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a user meets it: exit statuses, one-line errors, the benchmark's report. */
class CommandLineTest {
    @TempDir
    Path dir;

    private String out;
    private String err;

    private int capture(IntSupplier body) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            return body.getAsInt();
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            out = o.toString(StandardCharsets.UTF_8);
            err = e.toString(StandardCharsets.UTF_8);
        }
    }

    private int tinyos(String... args) {
        return capture(() -> Main.commandLine().execute(args));
    }

    private void assertOneLineError(int status, String fragment) {
        assertEquals(BadInputException.EXIT_CODE, status, err);
        assertEquals(1, err.lines().count(), "one line, no stack trace: " + err);
        assertTrue(err.startsWith("tinyos: ") && err.contains(fragment), err);
    }

    @Test
    void helpListsEveryCommand() {
        assertEquals(0, tinyos("--help"));
        for (String command : new String[] {"run", "bench", "test"}) {
            assertTrue(out.contains("  " + command + " "), out);
        }
    }

    @Test
    void everyCommandsHelpIsCleanText() {
        for (String command : Main.commandLine().getSubcommands().keySet()) {
            assertEquals(0, tinyos(command, "--help"), command);
            assertTrue(err.isEmpty(), command + " --help wrote to stderr: " + err);
            assertTrue(out.contains("Usage: tinyos " + command), out);
            assertTrue(!out.contains("%n") && !out.contains("%,"), command + ": unformatted text in " + out);
        }
    }

    @Test
    void chronicleIsWarmedUpOnlyForARecordingRun() { // traces are read without Chronicle
        assertTrue(Main.opensATrace(new String[] {"run"}));
        assertTrue(!Main.opensATrace(new String[] {"replay", "t"}));
        assertTrue(!Main.opensATrace(new String[] {"verify", "t"}));
        assertTrue(!Main.opensATrace(new String[] {"info", "t"}));
        assertTrue(!Main.opensATrace(new String[] {"run", "--no-record"}));
        assertTrue(!Main.opensATrace(new String[] {"replay", "--help"}));
        assertTrue(!Main.opensATrace(new String[] {"bench"}));
        assertTrue(!Main.opensATrace(new String[] {"mkdisk", "--size", "1M", "x"}));
        assertTrue(!Main.opensATrace(new String[0]));
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws IOException {
        assertOneLineError(tinyos("run", "--kernel", dir.resolve("missing.elf").toString()), "does not exist");
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a kernel, just some text here");
        assertOneLineError(tinyos("run", "--kernel", text.toString()), "not an ELF");
        assertOneLineError(tinyos("run", "--mem", "lots"), "--mem");
        assertOneLineError(tinyos("run", "--frobnicate"), "Unknown option");
        assertOneLineError(tinyos("bench", "--elf", text.toString()), "not an ELF");
    }

    @Test
    void badSizesAreRejectedBeforeBooting() throws IOException {
        Path bench = Home.guestBuild().resolve("bench-quick.elf");
        assumeTrue(Files.isRegularFile(bench), "guest/build/bench-quick.elf not built");
        assertOneLineError(tinyos("run", "--kernel", bench.toString(), "--mem", "0"), "out of range");
        assertOneLineError(tinyos("run", "--kernel", bench.toString(), "--max-instructions", "0"), "positive");
        Path odd = Files.write(dir.resolve("odd.img"), new byte[700]);
        assertOneLineError(tinyos("run", "--kernel", bench.toString(), "--disk", odd.toString()), "sector");
    }

    @Test
    void quickBenchPassesAndEndsWithMips() {
        Path bench = Home.guestBuild().resolve("bench-quick.elf");
        assumeTrue(Files.isRegularFile(bench), "guest/build/bench-quick.elf not built");
        assertEquals(0, tinyos("bench", "--quick", "--warmup", "0", "--runs", "1"), out + err);
        String[] lines = out.strip().split("\n");
        assertTrue(lines[lines.length - 1].matches("MIPS: \\d+\\.\\d"), out);
        assertTrue(out.contains("(PASS)"), out);
        if (Qemu.find().isPresent()) {
            assertTrue(out.contains("same as ours"), "QEMU must print the same checksum: " + out);
        }
    }
}
