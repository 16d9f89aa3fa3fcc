package dev.tinyos.core.dtb;

import dev.tinyos.core.testing.GuestBuild;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tinyos.core.ExitReason;
import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.testing.Qemu;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * guest/tests/board/dtb.c finds the tree through a1 and walks it, on our board and on QEMU;
 * apart from the tree's size the two consoles are the same line for line.
 */
class DtbBootTest {
    static final long LIMIT = 50_000_000L;

    /** A board test program built by make in guest/build/board. */
    static Path program(String name) {
        return GuestBuild.board(name);
    }

    static String bootOurs() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Machine m = new Machine(MachineConfig.builder().kernel(program("dtb")).console(out).build());
        assertEquals(0x87e0_0000L, m.view().x(11), "a1 at the first instruction");
        assertEquals(0, m.view().x(10), "a0 = hart id");
        RunResult r = m.run(LIMIT);
        m.close();
        String console = out.toString(StandardCharsets.ISO_8859_1);
        assertEquals(ExitReason.FINISHER_PASS, r.reason(), console);
        return console;
    }

    @Test
    void guestFindsTheTreeThroughA1() throws IOException {
        String console = bootOurs();
        assertTrue(!console.contains("FAIL"), console);
        assertTrue(console.startsWith("dtb: a0=0x0000000000000000 a1=0x0000000087e00000\n"), console);
        assertTrue(console.contains("dtb: memory base=0x0000000080000000 size=0x0000000008000000\n"), console);
    }

    @Test
    void sameConsoleAsQemuButTheSize() throws Exception {
        assumeTrue(Qemu.available(), "qemu-system-riscv64 not installed");
        Qemu.Run q = Qemu.run(program("dtb"), null, 20);
        assertEquals(0, q.exit(), q.console() + q.stderr());
        String sizes = "totalsize=0x[0-9a-f]+";
        assertEquals(q.console().replaceAll(sizes, "totalsize"), bootOurs().replaceAll(sizes, "totalsize"));
    }
}
