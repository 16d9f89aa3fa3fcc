package dev.tinyos.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tinyos.core.input.VirtualClock;
import dev.tinyos.replay.gdb.DebugTarget;
import dev.tinyos.replay.gdb.LiveTarget;
import dev.tinyos.replay.gdb.ReplayTarget;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gdb-multiarch, the real client, against the stub on a replay of tiny-os (built with debug
 * information): breakpoints by symbol, backtraces, kernel variables, continue and
 * reverse-continue landing on the same icounts, reverse-stepi, and a watchpoint that
 * reverse-continue takes back to the very store that changed the variable.
 */
class GdbReplayTest {
    @TempDir
    Path tmp;
    private Path trace;
    private Path kernel;

    @BeforeEach
    void record() throws Exception {
        assumeTrue(GdbClient.available(), "gdb-multiarch not installed");
        kernel = Guest.require("kernel.elf");
        trace = tmp.resolve("t");
        VirtualClock clock = VirtualClock.withInput("echo hi\npoweroff\n".getBytes(StandardCharsets.US_ASCII));
        RecordReplayTest.record(trace, kernel, null, clock, new ByteArrayOutputStream(), 2_000_000_000L, 1L << 20);
    }

    @Test
    void breakBacktraceVariablesAndReverseContinue() throws Exception {
        String out = gdb(GdbClient.script("proc_table[0].name", "reverse-stepi", "monitor icount", "stepi",
                "monitor icount"));
        List<long[]> at = GdbClient.checkScript(out, "syscall.c");
        assertEquals(5, at.size(), out);
        long first = at.get(0)[0];
        assertEquals(first - 1, at.get(3)[0], "reverse-stepi: one instruction back");
        assertEquals(first, at.get(4)[0], "stepi: forward again");
        assertEquals(at.get(0)[1], at.get(2)[1]);
        assertEquals(at.get(0)[1], at.get(4)[1]);
    }

    /**
     * From a later point, a watchpoint and reverse-continue find the stores that changed
     * next_pid, newest first, standing on each store with its effect undone; continue then
     * goes forward over them again, stopping just after each with the new value.
     */
    @Test
    void watchpointsTakeReverseContinueToTheStoreAndContinueOverIt() throws Exception {
        String out = gdb("break sys_write", "continue", "continue", "delete", "print next_pid", "watch next_pid",
                "reverse-continue", "monitor icount", "x/i $pc", "print next_pid",
                "reverse-continue", "monitor icount", "print next_pid",
                "continue", "monitor icount", "print next_pid",
                "continue", "monitor icount", "print next_pid");
        List<long[]> at = icounts(out);
        assertEquals(4, at.size(), out);
        long a = at.get(0)[0], b = at.get(1)[0];
        assertTrue(out.matches("(?s).*=> 0x[0-9a-f]+ <proc_alloc\\+\\d+>:\\s+sw\\s.*"), "on the store: " + out);
        assertTrue(b < a, "an earlier store: " + out);
        assertEquals(at.get(0)[1], at.get(1)[1], "the same store instruction, an earlier execution");
        assertEquals(b + 1, at.get(2)[0], "continue stops just after the store");
        assertEquals(a + 1, at.get(3)[0], "and after the next one");
        List<String> values = new ArrayList<>();
        Matcher m = Pattern.compile("\\$\\d+ = (\\d+)").matcher(out);
        while (m.find()) {
            values.add(m.group(1));
        }
        assertEquals(List.of("4", "3", "2", "3", "4"), values, out);
    }

    /**
     * Who corrupted this? The kbug program makes the kernel overrun a label into its
     * registry's magic, which a later check notices with a panic. From the panic, a
     * watchpoint on the magic and reverse-continue land on the guilty store: the same pc and
     * icount as an independent scan of the replay for the last store to the magic finds.
     */
    @Test
    void fromThePanicAWatchpointAndReverseContinueFindTheGuiltyStore() throws Exception {
        Path t = tmp.resolve("kbug");
        VirtualClock clock = VirtualClock.withInput("kbug\n".getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        RecordReplayTest.record(t, kernel, null, clock, console, 2_000_000_000L, 1L << 20);
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("KERNEL PANIC: kbug: registry corrupted"));
        long[] guilty = lastStoreTo(t, "registry", 16, 4);
        ReplayTarget target = new ReplayTarget(t, new ByteArrayOutputStream());
        assertEquals(ReplayOutcome.Status.STOPPED_AS_ASKED, target.toPanic().status());
        String out = gdb(target, "bt 1", "watch registry.magic", "reverse-continue", "bt", "x/i $pc",
                "monitor icount");
        assertTrue(out.contains("#0  panic ("), "the session starts at the panic: " + out);
        assertTrue(out.matches("(?s).*in copyinstr .*#1 .* in kbug_set_label .*"), out);
        assertTrue(out.matches("(?s).*=> 0x[0-9a-f]+ <copyinstr\\+\\d+>:\\s+sb\\s.*"), "on the store: " + out);
        List<long[]> at = icounts(out);
        assertEquals(1, at.size(), out);
        assertEquals(guilty[0], at.get(0)[0], "the icount of the last store to the magic");
        assertEquals(guilty[1], at.get(0)[1], "its pc");
    }

    /** {icount, pc} of the last store that touched [symbol + off, + len) in trace {@code t}, by an access probe. */
    private static long[] lastStoreTo(Path t, String symbol, int off, int len) throws Exception {
        long[] last = {-1, -1};
        try (Replay r = Replay.open(t, new ByteArrayOutputStream())) {
            long addr = r.machine().elf().symbol(symbol).orElseThrow() + off;
            var hart = r.machine().hart();
            r.machine().probes().onAccess((kind, va, pa, size, priv, pc) -> {
                if (kind == dev.tinyos.core.probe.AccessProbe.STORE && va < addr + len && addr < va + size) {
                    last[0] = hart.icount();
                    last[1] = pc;
                }
            });
            r.run();
        }
        return last;
    }

    /** run --gdb: the live machine under gdb, forward only, to its power-off. */
    @Test
    void liveRunStopsAtBreakpointsAndExitsWithTheGuest() throws Exception {
        VirtualClock clock = VirtualClock.withInput("echo hi\npoweroff\n".getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        dev.tinyos.core.Machine m = new dev.tinyos.core.Machine(dev.tinyos.core.MachineConfig.builder().kernel(kernel)
                .console(console).input(clock).build());
        String out = gdb(new LiveTarget(m), "break sys_write", "continue", "bt 2", "monitor icount", "continue",
                "monitor icount", "reverse-stepi", "delete", "continue");
        List<long[]> at = icounts(out);
        assertEquals(2, at.size(), out);
        assertTrue(at.get(1)[0] > at.get(0)[0], out);
        assertTrue(out.contains("#1  0x") && out.contains("in syscall ()"), out);
        assertTrue(out.contains("Target remote does not support this command"), "no reverse on a live run: " + out);
        assertTrue(out.contains("exited normally"), out);
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("power off (code 0)"));
    }

    private String gdb(String... commands) throws Exception {
        return gdb(new ReplayTarget(trace, new ByteArrayOutputStream()), commands);
    }

    private String gdb(DebugTarget target, String... commands) throws Exception {
        return GdbClient.run(target, kernel, commands);
    }

    private static List<long[]> icounts(String out) {
        return GdbClient.icounts(out);
    }
}
