package dev.tinyos.core.cpu;

import dev.tinyos.core.ExitReason;
import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.input.VirtualClock;
import dev.tinyos.core.testing.GuestBuild;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compiler of hot blocks against the interpreter: the same program on two machines, one
 * with {@code -Dtinyos.jit=true} (threshold 1: every block whose first op it handles is
 * compiled at its first entry), run side by side in slices of uneven lengths (so budgets end inside blocks). At
 * every slice end both must agree on the run result, icount, pc, privilege, registers, the
 * digested CSRs, a hash of all of RAM and the console output.
 *
 * <p>Invariant: a run passes only if the compiler actually compiled and ran blocks (so the
 * test can never pass by interpreting both machines).
 */
class CompilerDifferentialTest {
    /** Slice lengths, cycled: primes of several magnitudes, so slice ends fall anywhere. */
    private static final long[] SLICES = {1, 7, 97, 1_009, 10_007, 100_003, 1_000_003, 2_999_999};
    private static final int[] CSRS = {Csr.MSTATUS, Csr.MEPC, Csr.MCAUSE, Csr.MTVAL, Csr.MTVEC, Csr.MIE,
        Csr.MIP, Csr.MEDELEG, Csr.MIDELEG, Csr.MSCRATCH, Csr.SEPC, Csr.SCAUSE, Csr.STVAL, Csr.STVEC,
        Csr.SSCRATCH, Csr.SATP};

    /** Out-of-line ops the region driver executed itself in the last {@link #differential} run. */
    private static long driverRareOps;
    /** Regions spanning more than one page compiled in the last {@link #differential} run. */
    private static long multiPageRegions;

    /** One machine and its console. */
    private record Side(Machine m, ByteArrayOutputStream out) {}

    private static Side machine(Path elf, byte[] input, boolean jit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MachineConfig cfg = MachineConfig.builder().kernel(elf).console(out)
                .input(VirtualClock.withInput(input)).build();
        String was = System.getProperty(Interpreter.JIT_PROPERTY);
        System.setProperty(Interpreter.JIT_PROPERTY, Boolean.toString(jit));
        System.setProperty(Interpreter.JIT_PROPERTY + ".threshold", "1");
        try {
            return new Side(new Machine(cfg), out);
        } finally {
            if (was == null) System.clearProperty(Interpreter.JIT_PROPERTY);
            else System.setProperty(Interpreter.JIT_PROPERTY, was);
            System.clearProperty(Interpreter.JIT_PROPERTY + ".threshold");
        }
    }

    /** Everything compared at a slice end, as text (a mismatch prints both sides). */
    static String state(Machine m, ByteArrayOutputStream out, boolean withRam) {
        Hart h = m.hart();
        StringBuilder s = new StringBuilder();
        s.append("icount=").append(h.icount()).append(" pc=").append(Long.toHexString(h.pc))
                .append(" priv=").append(h.priv).append('\n');
        for (int r = 0; r < 32; r++) s.append('x').append(r).append('=').append(Long.toHexString(h.x[r])).append(' ');
        s.append('\n');
        for (int c : CSRS) s.append(Integer.toHexString(c)).append('=').append(Long.toHexString(h.readCsr(c))).append(' ');
        s.append("\nconsole=").append(out.size());
        if (withRam) {
            CRC32C crc = new CRC32C();
            crc.update(m.ram().data);
            s.append(" ram=").append(Long.toHexString(crc.getValue()));
        }
        return s.toString();
    }

    /**
     * Runs {@code elf} under both engines in lockstep slices until the interpreter's machine
     * stops, comparing state (RAM every {@code ramEvery} slices and at the end); returns the
     * interpreter's result and console.
     */
    static String differential(Path elf, byte[] input, long limit, int ramEvery) throws IOException {
        Side a = machine(elf, input, false), b = machine(elf, input, true);
        try {
            long done = 0;
            for (int k = 0; ; k++) {
                long slice = SLICES[k % SLICES.length];
                RunResult ra = a.m().run(slice), rb = b.m().run(slice);
                done += slice;
                boolean stop = ra.reason() != ExitReason.INSTRUCTION_LIMIT || done >= limit;
                boolean ram = stop || k % ramEvery == 0;
                String where = elf.getFileName() + " after slice " + k;
                assertEquals(ra, rb, where);
                assertEquals(state(a.m(), a.out(), ram), state(b.m(), b.out(), ram), where);
                if (stop) break;
            }
            assertTrue(Arrays.equals(a.out().toByteArray(), b.out().toByteArray()), "console differs");
            // a block is compiled at an entry and run at once: compiled means ran
            assertFalse(b.m().hart().blocks.compiledCount == 0, elf + ": the compiler compiled nothing");
            driverRareOps = b.m().hart().interpreter.driver.rareOps;
            multiPageRegions = b.m().hart().blocks.multiPageCount;
            return a.out().toString(StandardCharsets.ISO_8859_1);
        } finally {
            a.m().close();
            b.m().close();
        }
    }

    @Test
    void isaProgramsRunIdenticallyCompiled() throws IOException {
        List<Path> elfs;
        try (Stream<Path> s = Files.list(GuestBuild.dir().resolve("isa"))) {
            elfs = s.filter(p -> p.toString().endsWith(".elf")).sorted().collect(Collectors.toList());
        }
        assertFalse(elfs.isEmpty(), "no ISA programs: make -C guest isa");
        for (Path elf : elfs) differential(elf, new byte[0], 50_000_000L, 4);
    }

    @Test
    void boardProgramsRunIdenticallyCompiled() throws IOException {
        for (String p : List.of("hello", "timer", "echo", "blk", "plicgate", "htif")) {
            Path elf = GuestBuild.board(p);
            differential(elf, "hi board\n".getBytes(StandardCharsets.US_ASCII), 50_000_000L, 4);
        }
    }

    @Test
    void kernelBootsAndRunsTestsIdenticallyCompiled() throws IOException {
        String console = differential(GuestBuild.kernel(),
                "tests\npoweroff\n".getBytes(StandardCharsets.US_ASCII), 2_000_000_000L, 50);
        assertTrue(console.contains("ALL TESTS PASSED"), console);
        // the kernel's CSR and atomic ops between compiled regions ran in the driver too
        assertTrue(driverRareOps > 0, "the region driver executed no out-of-line op");
    }

    @Test
    void kernelRunsIdenticallyWithRegionsSpanningPages() throws IOException {
        System.setProperty(BlockCache.PAGES_PROPERTY, Integer.toString(RegionCompiler.MAX_PAGES));
        try {
            String console = differential(GuestBuild.kernel(),
                    "tests\npoweroff\n".getBytes(StandardCharsets.US_ASCII), 2_000_000_000L, 50);
            assertTrue(console.contains("ALL TESTS PASSED"), console);
            assertTrue(multiPageRegions > 0, "no region spanned pages");
        } finally {
            System.clearProperty(BlockCache.PAGES_PROPERTY);
        }
    }
}
