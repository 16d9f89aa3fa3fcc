package dev.tinyos.core.guest;

import dev.tinyos.core.ExitReason;
import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.input.VirtualClock;
import dev.tinyos.core.testing.GuestBuild;
import dev.tinyos.core.testing.Qemu;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The user heap's checks (guest/user/malloc.c) on a booted tiny-os: {@code heapabuse} misuses
 * the heap five ways, each run typed at the prompt; then an honest workload and {@code echo}.
 *
 * <p>Invariant: each abuse ends with exactly one line from malloc naming the abuse
 * ({@code heapabuse: heap: WHAT 0x...; killed}) followed by init's report of a killed program
 * (status -1), the program never gets past the abuse, the kernel never panics, and the
 * programs typed after it still run; the same on QEMU with the same kernel ELF.
 */
class HeapTest {
    /** Abuse mode -> what malloc's line must say about it. */
    static final Map<String, String> ABUSES = new LinkedHashMap<>();

    static {
        ABUSES.put("double", "double free of");
        ABUSES.put("overflow", "write past the end of block");
        ABUSES.put("smash", "write past the end of block");
        ABUSES.put("badfree", "free or realloc of a pointer that is not from malloc:");
        ABUSES.put("uaf", "realloc of freed block");
    }

    private static Path kernel;

    @BeforeAll
    static void findKernel() {
        kernel = GuestBuild.kernel();
    }

    static String session() {
        StringBuilder typed = new StringBuilder();
        for (String mode : ABUSES.keySet()) {
            typed.append("heapabuse ").append(mode).append('\n');
        }
        return typed + "heapabuse ok\nheapabuse oom\necho still alive\npoweroff\n";
    }

    /** The lines printed after the prompt line {@code $ typed}, up to the next prompt. */
    static List<String> answer(String console, String typed) {
        String marker = "$ " + typed + "\n";
        int at = console.indexOf(marker);
        assertTrue(at >= 0, "no prompt line '" + typed + "' in:\n" + console);
        int from = at + marker.length();
        int end = console.indexOf("$ ", from);
        String block = console.substring(from, end < 0 ? console.length() : end);
        return new ArrayList<>(List.of(block.split("\n")));
    }

    static void assertAbusesStopped(String where, String raw) {
        String console = raw.replace("\r", "");
        for (Map.Entry<String, String> e : ABUSES.entrySet()) {
            String mode = e.getKey();
            List<String> lines = answer(console, "heapabuse " + mode);
            Pattern heapLine = Pattern.compile(
                    "heapabuse: heap: " + Pattern.quote(e.getValue()) + " 0x[0-9a-f]{16}( \\(block of \\d+ bytes\\))?; killed");
            assertEquals(3, lines.size(), where + ": " + mode + " printed " + lines);
            assertEquals("heapabuse: " + mode, lines.get(0), where);
            assertTrue(heapLine.matcher(lines.get(1)).matches(), where + ": " + mode + ": " + lines.get(1));
            assertEquals("init: heapabuse exited with status -1", lines.get(2), where);
        }
        assertEquals(List.of("heapabuse: ok sum 500500, 0 blocks in use, 1 free"), answer(console, "heapabuse ok"),
                where);
        assertOom(where, console, "the heap limit");
        assertEquals(List.of("still alive"), answer(console, "echo still alive"), where);
        assertFalse(console.contains("NOT CAUGHT"), where + ":\n" + console);
        assertFalse(console.contains("panic"), where + ":\n" + console);
        assertTrue(console.contains("tiny-os: power off (code 0)"), where + ":\n" + console);
    }

    /** heapabuse oom: sbrk grew to `why`, and the refused call gave back every frame it took. */
    static void assertOom(String where, String console, String why) {
        List<String> lines = answer(console, "heapabuse oom");
        Pattern oom = Pattern.compile("heapabuse: oom: (\\d+) KiB, then refused \\(" + Pattern.quote(why)
                + "\\), free pages (\\d+) before the refused call, (\\d+) after");
        assertEquals(1, lines.size(), where + ": " + lines);
        Matcher m = oom.matcher(lines.get(0));
        assertTrue(m.matches(), where + ": " + lines.get(0));
        assertEquals(m.group(2), m.group(3), where + ": the refused sbrk kept frames");
    }

    static String boot(int mib, String typed) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MachineConfig cfg = MachineConfig.builder()
                .kernel(kernel)
                .memoryMiB(mib)
                .console(out)
                .input(VirtualClock.withInput(typed.getBytes(StandardCharsets.US_ASCII)))
                .build();
        try (Machine m = new Machine(cfg)) {
            RunResult r = m.run(KernelTest.LIMIT);
            String console = out.toString(StandardCharsets.ISO_8859_1);
            assertEquals(ExitReason.FINISHER_PASS, r.reason(), console);
            return console;
        }
    }

    @Test
    void eachAbuseIsStoppedWithOneLineAndTheSystemGoesOn() throws Exception {
        assertAbusesStopped("tinyos", boot(128, session()));
    }

    @Test
    void runningOutOfFramesIsARefusalNotAFault() throws Exception {
        String console = boot(8, "heapabuse oom\necho alive\npoweroff\n").replace("\r", "");
        assertOom("8 MiB", console, "out of frames");
        assertEquals(List.of("alive"), answer(console, "echo alive"));
        assertFalse(console.contains("panic"), console);
    }

    @Test
    void sameElfStopsThemTheSameWayOnQemu() throws Exception {
        assumeTrue(Qemu.available(), Qemu.EXE + " is not on the PATH: skipping the QEMU cross-check");
        Qemu.Run q = Qemu.run(kernel, session().getBytes(StandardCharsets.US_ASCII), "poweroff to stop", 120);
        assertAbusesStopped("qemu", q.console());
        assertEquals(0, q.exit(), q.console() + q.stderr());
    }
}
