package dev.tinyos.core.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tinyos.core.ExitReason;
import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.input.VirtualClock;
import dev.tinyos.core.testing.GuestBuild;
import dev.tinyos.core.testing.Qemu;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tiny-os's shell end to end (guest/user/sh.c, init.c, install.c): the default disk is made from
 * the build's stage image the way {@code tinyos run} makes it (install at the boot prompt), then
 * a scripted session runs at the shell on our emulator and on QEMU with the same kernel and
 * image, and every command's output is checked on both: {@code ls /bin | wc -l}, redirection,
 * three-stage pipelines, a background job, {@code cd}, quotes and {@code $?}, {@code &&} and
 * {@code ||}, Ctrl-C of a foreground job, a bad-syntax line and an unknown command (one line
 * each, and the shell goes on).
 */
class ShellTest {
    static final long LIMIT = 3_000_000_000L;
    static final String SCRIPT = String.join("\n",
            "ls /bin | wc -l",
            "echo hello > /tmp/f; cat /tmp/f",
            "echo alpha beta gamma | grep beta | wc -w",
            "cat /tmp/f | grep hel | wc -c",
            "echo from-bg > /tmp/bg &",
            "sleep -t 20",
            "cat /tmp/bg",
            "cd /tmp",
            "pwd",
            "echo a | | b",
            "nosuchprog x",
            "echo \"two  words\" 'and $?'",
            "sleep 100",
            "\u0003echo after $?",
            "false || echo or-ran",
            "false && echo never; echo $?",
            "cat < f >> g; cat g",
            "cd /; pwd",
            "heapabuse double",
            "echo still here $?",
            "poweroff", "");

    @TempDir
    Path tmp;

    /** The default disk: a copy of stage.img after `install` at the boot prompt. */
    static Path defaultDisk(Path dir) throws IOException {
        Path img = Files.copy(GuestBuild.dir().resolve("stage.img"), dir.resolve("default.img"),
                StandardCopyOption.REPLACE_EXISTING);
        String out = boot(img, "install\npoweroff\n");
        assertTrue(out.contains("install: PASS " + programs() + " files"), out);
        return img;
    }

    static long programs() throws IOException {
        try (Stream<Path> s = Files.list(GuestBuild.dir().resolve("user"))) {
            return s.filter(p -> p.toString().endsWith(".stripped")).count();
        }
    }

    static String boot(Path disk, String typed) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Machine m = new Machine(MachineConfig.builder().kernel(GuestBuild.kernel()).disk(disk).console(out)
                .input(VirtualClock.withInput(typed.getBytes(StandardCharsets.US_ASCII))).build())) {
            RunResult r = m.run(LIMIT);
            String console = out.toString(StandardCharsets.ISO_8859_1);
            assertEquals(ExitReason.FINISHER_PASS, r.reason(), console);
            assertFalse(console.contains("panic"), console);
            return console;
        }
    }

    /** What the shell printed between the echo of {@code cmd} at a prompt and the next prompt. */
    static String output(String console, String cmd) {
        int at = console.indexOf("$ " + cmd + "\n");
        assertTrue(at >= 0, "no prompt with '" + cmd + "' in:\n" + console);
        int from = at + cmd.length() + 3;
        Matcher next = Pattern.compile("(?m)^/[^\n]*?\\$ ").matcher(console);
        int to = next.find(from) ? next.start() : console.length();
        return console.substring(from, to);
    }

    /** The checks of the session; the same for our emulator and for QEMU. */
    static void check(String c) throws IOException {
        assertTrue(c.contains("tiny-os init: starting /bin/sh"), c);
        assertEquals(programs() + "\n", output(c, "ls /bin | wc -l"));
        assertEquals("hello\n", output(c, "echo hello > /tmp/f; cat /tmp/f"));
        assertEquals("3\n", output(c, "echo alpha beta gamma | grep beta | wc -w"));
        assertEquals("6\n", output(c, "cat /tmp/f | grep hel | wc -c"));
        assertTrue(output(c, "echo from-bg > /tmp/bg &").matches("\\[\\d+\\]\n"), c);
        assertTrue(output(c, "cat /tmp/bg").endsWith("from-bg\n"), c);
        assertTrue(c.contains("/tmp$ pwd\n/tmp\n"), c);
        assertEquals("sh: syntax error near '|'\n", output(c, "echo a | | b"));
        assertEquals("sh: nosuchprog: command not found\n", output(c, "nosuchprog x"));
        assertEquals("two  words and $?\n", output(c, "echo \"two  words\" 'and $?'"));
        assertEquals("^C\n", output(c, "sleep 100"));
        assertEquals("after -1\n", output(c, "echo after $?"));
        assertEquals("or-ran\n", output(c, "false || echo or-ran"));
        assertEquals("1\n", output(c, "false && echo never; echo $?"));
        assertEquals("hello\n", output(c, "cat < f >> g; cat g"));
        assertEquals("/\n", output(c, "cd /; pwd"));
        assertTrue(output(c, "heapabuse double").matches(
                "heapabuse: double\nheapabuse: heap: double free of 0x[0-9a-f]+; killed\n"), c);
        assertEquals("still here -1\n", output(c, "echo still here $?"), "the shell goes on after the abuse");
        assertTrue(c.contains("tiny-os: power off (code 0)"), c);
    }

    @Test
    void aScriptedSessionAtTheShellOnOurEmulator() throws Exception {
        check(boot(defaultDisk(tmp), SCRIPT));
    }

    @Test
    void theSameSessionOnQemuWithTheSameKernelAndImage() throws Exception {
        assumeTrue(Qemu.available(), Qemu.EXE + " is not on the PATH: skipping the QEMU cross-check");
        Path img = defaultDisk(tmp);
        Qemu.Run q = Qemu.run(GuestBuild.kernel(), SCRIPT.getBytes(StandardCharsets.US_ASCII),
                "starting /bin/sh", 300, "-drive", "file=" + img + ",if=none,format=raw,id=d",
                "-device", "virtio-blk-device,drive=d,bus=virtio-mmio-bus.0");
        assertEquals(0, q.exit(), q.console() + q.stderr());
        check(q.console().replace("\r\n", "\n"));
    }

    /** Ctrl-D at an empty line ends the shell; init starts a new one, which goes on. */
    @Test
    void ctrlDEndsTheShellAndInitStartsANewOne() throws Exception {
        String c = boot(defaultDisk(tmp), "echo one\n\u0004echo two\nexit 3\necho three\npoweroff\n");
        assertTrue(c.contains("init: sh exited with status 0; starting a new one"), c);
        assertTrue(c.contains("init: sh exited with status 3; starting a new one"), c);
        assertEquals("two\n", output(c, "echo two"));
        assertEquals("three\n", output(c, "echo three"));
    }
}
