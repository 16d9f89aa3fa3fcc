package dev.tinyos.core.machine;

import dev.tinyos.core.testing.GuestBuild;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.core.ExitReason;
import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.input.VirtualClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots the guest/tests/board programs (built by make; also checked on QEMU with
 * {@code make -C guest/tests/board qemu}) and checks their verdicts and console output.
 */
class BoardProgramsTest {
    static final long LIMIT = 50_000_000L;

    @TempDir
    Path dir;

    static Path program(String name) {
        return GuestBuild.board(name);
    }

    record Run(RunResult result, String console, Machine machine) {}

    static Run boot(String name, MachineConfig.Builder b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Machine m = new Machine(b.kernel(program(name)).console(out).build());
        RunResult r = m.run(LIMIT);
        m.close();
        return new Run(r, out.toString(StandardCharsets.ISO_8859_1), m);
    }

    static void assertPassed(Run run) {
        assertEquals(ExitReason.FINISHER_PASS, run.result().reason(), run.console());
        assertEquals(0, run.result().exitCode());
        assertTrue(!run.console().contains("FAIL"), run.console());
    }

    @Test
    void hello() throws IOException {
        Run run = boot("hello", MachineConfig.builder());
        assertPassed(run);
        assertEquals("board: hello from the virt board\nboard: sum of squares below 1000 = 332833500\n",
                run.console());
    }

    @Test
    void resetState() throws IOException {
        Run run = boot("reset", MachineConfig.builder());
        assertPassed(run);
        assertTrue(run.console().contains("MTIP pending at reset"), run.console());
    }

    @Test
    void timerAndSoftwareInterrupts() throws IOException {
        Run run = boot("timer", MachineConfig.builder());
        assertPassed(run);
        assertTrue(run.console().endsWith("timer: 3 timer interrupts\n"), run.console());
        VirtualClock clock = (VirtualClock) run.machine().input();
        assertTrue(clock.skew() >= 3 * 10_000 * 100 - run.result().icount(),
                "three 1 ms sleeps were skipped by idling, not executed: " + clock);
        assertTrue(run.result().icount() < 1_000_000, "idle must not burn instructions");
    }

    @Test
    void uartEchoThroughThePlic() throws IOException {
        Run run = boot("echo", MachineConfig.builder().input(VirtualClock.withInput("hi board\n".getBytes())));
        assertPassed(run);
        assertTrue(run.console().contains("echo: got 'hi board'"), run.console());
    }

    /**
     * When the PLIC pends the UART's source: at line updates only (QEMU 7.2's gateway), never
     * at a completion with the line still high; the same console as QEMU's where it is installed.
     */
    @Test
    void plicPendsAtLineUpdatesAsQemuDoes() throws Exception {
        Run run = boot("plicgate", MachineConfig.builder());
        assertPassed(run);
        assertTrue(run.console().endsWith("plicgate: PASS\n"), run.console());
        if (dev.tinyos.core.testing.Qemu.available()) {
            dev.tinyos.core.testing.Qemu.Run q = dev.tinyos.core.testing.Qemu.run(program("plicgate"), null, 20);
            assertEquals(0, q.exit(), q.console() + q.stderr());
            assertEquals(q.console(), run.console(), "the same checks pass on QEMU");
        }
    }

    @Test
    void echoWithoutInputIdlesForever() throws IOException {
        Run run = boot("echo", MachineConfig.builder());
        assertEquals(ExitReason.IDLE_FOREVER, run.result().reason());
        assertTrue(run.console().endsWith("echo: type a line\n"), run.console());
    }

    static byte pattern(long o) {
        return (byte) (31 * (o >> 9) + o);
    }

    @Test
    void virtioBlockReadWriteFlush() throws IOException {
        byte[] img = new byte[64 * 512];
        for (int i = 0; i < img.length; i++) {
            img[i] = pattern(i);
        }
        Path disk = dir.resolve("blk.img");
        Files.write(disk, img);
        Run run = boot("blk", MachineConfig.builder().disk(disk));
        assertPassed(run);
        assertTrue(run.console().endsWith("blk: 8 interrupts\n"), run.console());
        byte[] after = Files.readAllBytes(disk);
        byte[] expected = new byte[512];
        for (int i = 0; i < 512; i++) {
            expected[i] = (byte) (0xA5 ^ i);
        }
        assertArrayEquals(expected, Arrays.copyOfRange(after, 512, 1024), "sector 1 written");
        assertArrayEquals(Arrays.copyOfRange(img, 1024, img.length), Arrays.copyOfRange(after, 1024, after.length));
    }

    @Test
    void instructionLimitStopsAndResumes() throws IOException {
        Machine m = new Machine(MachineConfig.builder().kernel(program("hello")).build());
        RunResult first = m.run(100);
        assertEquals(ExitReason.INSTRUCTION_LIMIT, first.reason());
        assertEquals(100, first.icount());
        RunResult rest = m.run(LIMIT);
        assertEquals(ExitReason.FINISHER_PASS, rest.reason());
        assertEquals(rest, m.run(LIMIT), "a halted machine keeps its result");
        m.close();
    }

    @Test
    void htifToHostEndsTheRunWithItsCode() throws IOException {
        Run run = boot("htif", MachineConfig.builder());
        assertEquals(ExitReason.HTIF, run.result().reason(), run.console());
        assertEquals(5, run.result().exitCode());
        assertEquals("htif: writing tohost\n", run.console(), "stopped before the finisher fallback");
    }

    @Test
    void htifStopsRightAfterTheStoreToToHost() throws IOException {
        long end = boot("htif", MachineConfig.builder()).result().icount();
        assertTrue(end < Machine.SLICE, "ended at the store, not at the next slice boundary: " + end);
        Machine m = new Machine(MachineConfig.builder().kernel(program("htif")).build());
        RunResult before = m.run(end - 1);
        assertEquals(ExitReason.INSTRUCTION_LIMIT, before.reason(), "one instruction earlier tohost is unwritten");
        RunResult at = m.run(1);
        assertEquals(ExitReason.HTIF, at.reason());
        assertEquals(end, at.icount(), "the store is the last instruction the run retires");
        m.close();
    }

    /** Delegates to a VirtualClock and asks the machine to stop at a chosen icount. */
    static final class StopAt implements dev.tinyos.core.input.InputSource {
        final VirtualClock clock = new VirtualClock();
        final long at;
        boolean sent;

        StopAt(long at) {
            this.at = at;
        }

        public long mtime(long icount) { return clock.mtime(icount); }
        public long icountForMtime(long icount, long target) { return clock.icountForMtime(icount, target); }
        public long nextInputAt(long icount) { return Math.max(icount, Math.min(clock.nextInputAt(icount), sent ? Long.MAX_VALUE : at)); }
        public void idle(long icount, long wake) { clock.idle(icount, wake); }
        public boolean exhausted() { return clock.exhausted(); }
        public void requestStarted(int d, long tag, long icount) { clock.requestStarted(d, tag, icount); }

        public void deliver(long icount, dev.tinyos.core.input.InputSink sink) {
            clock.deliver(icount, sink);
            if (!sent && icount >= at) {
                sent = true;
                sink.stop();
            }
        }
    }

    @Test
    void stopArrivesAtTheExactIcount() throws IOException {
        Machine m = new Machine(MachineConfig.builder().kernel(program("hello")).input(new StopAt(123)).build());
        RunResult r = m.run(LIMIT);
        assertEquals(ExitReason.STOPPED, r.reason());
        assertEquals(123, r.icount());
        assertEquals(ExitReason.FINISHER_PASS, m.run(LIMIT).reason(), "a stopped machine can go on");
        m.close();
    }
}
