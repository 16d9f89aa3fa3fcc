package dev.tinyos.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.replay.gdb.DebugTarget;
import dev.tinyos.replay.gdb.GdbListener;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * gdb-multiarch in batch mode against our stub serving a {@link DebugTarget}: the one gdb
 * script the debugger tests share (tiny-os and xv6 alike), and the helpers that read its
 * transcript.
 */
final class GdbClient {
    private static final Pattern ICOUNT = Pattern.compile("icount (\\d+) \\(pc 0x([0-9a-f]+)");

    private GdbClient() {
    }

    static boolean available() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, "gdb-multiarch"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The shared script: break at the kernel's sys_write, continue, backtrace, print
     * {@code variable}, note the icount, continue to the next hit, reverse-continue back to
     * the first, then {@code more}.
     */
    static String[] script(String variable, String... more) {
        List<String> s = new ArrayList<>(List.of("break sys_write", "continue", "bt", "print " + variable,
                "monitor icount", "continue", "monitor icount", "reverse-continue", "monitor icount"));
        s.addAll(List.of(more));
        return s.toArray(String[]::new);
    }

    /**
     * Checks the transcript of {@link #script}: the breakpoint hit with a backtrace through
     * syscall (in {@code syscallFile}) and usertrap, the variable printed as "init", and
     * reverse-continue back on the first hit's icount; returns every icount the transcript shows.
     */
    static List<long[]> checkScript(String out, String syscallFile) {
        assertTrue(out.contains("Breakpoint 1, sys_write ()"), out);
        assertTrue(out.matches("(?s).*#1 .* in syscall \\(\\) at \\S*" + Pattern.quote(syscallFile)
                + ".*#2 .* in usertrap \\(\\).*"), out);
        assertTrue(out.contains("$1 = \"init"), out);
        List<long[]> at = icounts(out);
        assertTrue(at.size() >= 3, out);
        assertTrue(at.get(1)[0] > at.get(0)[0], "continue moves forward: " + out);
        assertEquals(at.get(0)[0], at.get(2)[0], "reverse-continue stops at the previous hit, exactly: " + out);
        assertEquals(at.get(0)[1], at.get(2)[1], out);
        return at;
    }

    /** Serves {@code target} to one gdb running {@code commands} on {@code elf}; gdb's transcript. */
    static String run(DebugTarget debugTarget, Path elf, String... commands) throws Exception {
        try (DebugTarget target = debugTarget; GdbListener listener = new GdbListener(0)) {
            Thread server = new Thread(() -> {
                try {
                    listener.serveOne(target);
                } catch (Exception e) {
                    // the client's transcript shows what went wrong
                }
            }, "gdb-stub");
            server.start();
            List<String> cmd = new ArrayList<>(List.of("gdb-multiarch", "-batch", "-nx", "-ex", "set pagination off",
                    "-ex", "set confirm off", "-ex", "file " + elf, "-ex", "target remote :" + listener.port()));
            for (String c : commands) {
                cmd.add("-ex");
                cmd.add(c);
            }
            cmd.add("-ex");
            cmd.add("detach");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(300, TimeUnit.SECONDS), out);
            server.join(10_000);
            return out;
        }
    }

    /** Every "icount N (pc 0xP" of monitor icount in {@code out}: {N, P}. */
    static List<long[]> icounts(String out) {
        List<long[]> r = new ArrayList<>();
        Matcher m = ICOUNT.matcher(out);
        while (m.find()) {
            r.add(new long[] {Long.parseLong(m.group(1)), Long.parseUnsignedLong(m.group(2), 16)});
        }
        return r;
    }
}
