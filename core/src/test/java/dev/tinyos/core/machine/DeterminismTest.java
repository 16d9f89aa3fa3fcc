package dev.tinyos.core.machine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tinyos.core.ExitReason;
import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.cpu.Csr;
import dev.tinyos.core.input.VirtualClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The same ELF and inputs twice: byte-equal console, equal icount, equal final state. */
class DeterminismTest {

    record Outcome(RunResult result, byte[] console, long[] regs, long pc, long mtime, long mcause) {}

    private static Outcome run(String program, byte[] input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Machine m = new Machine(MachineConfig.builder().kernel(BoardProgramsTest.program(program))
                .console(out).input(VirtualClock.withInput(input)).build());
        RunResult r = m.run(BoardProgramsTest.LIMIT);
        Outcome o = new Outcome(r, out.toByteArray(), java.util.stream.IntStream.range(0, 32).mapToLong(m.view()::x).toArray(), m.view().pc(),
                m.clint().mtime(), m.hart().readCsr(Csr.MCAUSE));
        m.close();
        return o;
    }

    private static void assertSame(Outcome a, Outcome b) {
        assertEquals(a.result(), b.result());
        assertArrayEquals(a.console(), b.console());
        assertArrayEquals(a.regs(), b.regs());
        assertEquals(a.pc(), b.pc());
        assertEquals(a.mtime(), b.mtime());
        assertEquals(a.mcause(), b.mcause());
    }

    @Test
    void timerProgramRunsIdenticallyTwice() throws IOException {
        Outcome a = run("timer", new byte[0]);
        Outcome b = run("timer", new byte[0]);
        assertEquals(ExitReason.FINISHER_PASS, a.result().reason());
        assertSame(a, b);
    }

    @Test
    void interruptDrivenInputRunsIdenticallyTwice() throws IOException {
        byte[] line = "hi board\n".getBytes();
        Outcome a = run("echo", line);
        Outcome b = run("echo", line);
        assertEquals(ExitReason.FINISHER_PASS, a.result().reason());
        assertSame(a, b);
    }
}
