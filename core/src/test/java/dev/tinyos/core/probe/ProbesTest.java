package dev.tinyos.core.probe;

import dev.tinyos.core.testing.GuestBuild;
import dev.tinyos.core.ExitReason;
import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.cpu.Cause;
import dev.tinyos.core.cpu.Csr;
import dev.tinyos.core.input.VirtualClock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Probes on tiny-os (guest/build/kernel.elf): pc probes on every tracepoint and the access
 * stream leave the run exactly as it is without them (console, icount, registers), and two
 * independent counts agree (pc-probe hits on the plain path, fetches at the same pcs on the
 * instrumented path).
 */
class ProbesTest {
    static final List<String> TRACEPOINTS = List.of(
            "trace_bcache_evict", "trace_bcache_hit", "trace_bcache_miss", "trace_bcache_writeback",
            "trace_blk_complete", "trace_blk_submit", "trace_proc_create", "trace_proc_exit",
            "trace_sched_switch", "trace_sleep", "trace_syscall_enter", "trace_syscall_exit",
            "trace_timer_tick", "trace_wakeup");
    static final String SESSION = "tests\nsleeper\npoweroff\n";

    private static Path kernel;

    @BeforeAll
    static void findKernel() {
        kernel = GuestBuild.kernel();
    }

    record Outcome(RunResult result, String console, long[] regs, long pc, long mtime, Map<String, Long> hits) {}

    /** Boots the kernel with the session typed, runs at most {@code limit}, with probes set by {@code setup}. */
    private static Outcome boot(long limit, Consumer<Machine> setup, boolean tracepoints) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MachineConfig cfg = MachineConfig.builder().kernel(kernel).console(out)
                .input(VirtualClock.withInput(SESSION.getBytes(StandardCharsets.US_ASCII))).build();
        Map<String, Long> hits = new TreeMap<>();
        try (Machine m = new Machine(cfg)) {
            if (tracepoints) {
                for (String t : TRACEPOINTS) {
                    hits.put(t, 0L);
                    m.probes().atSymbol(t, (h, pc) -> hits.merge(t, 1L, Long::sum));
                }
            }
            setup.accept(m);
            RunResult r = m.run(limit);
            assertEquals(m.hart().readCsr(Csr.TIME), m.mtime(), "mtime() is what the guest reads");
            return new Outcome(r, out.toString(StandardCharsets.ISO_8859_1), java.util.stream.IntStream.range(0, 32).mapToLong(m.view()::x).toArray(), m.view().pc(),
                    m.mtime(), hits);
        }
    }

    private static void assertSameRun(Outcome a, Outcome b) {
        assertEquals(a.result(), b.result());
        assertEquals(a.console(), b.console());
        assertArrayEquals(a.regs(), b.regs());
        assertEquals(a.pc(), b.pc());
        assertEquals(a.mtime(), b.mtime());
    }

    @Test
    void tracepointProbesDoNotChangeTheRun() throws Exception {
        Outcome plain = boot(2_000_000_000L, m -> { }, false);
        Outcome probed = boot(2_000_000_000L, m -> assertTrue(m.probes().any()), true);
        assertEquals(ExitReason.FINISHER_PASS, plain.result().reason(), plain.console());
        assertTrue(plain.console().contains("ALL TESTS PASSED"), plain.console());
        assertSameRun(plain, probed);
        for (String t : List.of("trace_sched_switch", "trace_syscall_enter", "trace_syscall_exit",
                "trace_timer_tick", "trace_proc_create", "trace_proc_exit", "trace_sleep", "trace_wakeup")) {
            assertTrue(probed.hits().get(t) > 0, t + " never hit: " + probed.hits());
        }
    }

    @Test
    void accessStreamDoesNotChangeTheRunAndAgreesWithPcProbes() throws Exception {
        long limit = 40_000_000L;
        Outcome plain = boot(limit, m -> { }, true);
        long[] kinds = new long[4];
        long[] fetchFaults = {0};
        Map<Long, Long> fetchesAt = new TreeMap<>();
        long[] t0 = {0};
        Outcome probed = boot(limit, m -> {
            m.probes().onAccess((kind, va, pa, size, priv, pc) -> {
                kinds[kind]++;
                if (kind == AccessProbe.FETCH) {
                    assertEquals(va, pc);
                    fetchesAt.merge(va, 1L, Long::sum);
                }
            });
            m.probes().onTrap((cause, tval, epc, from, to) -> {
                if (cause == Cause.FETCH_PAGE_FAULT || cause == Cause.FETCH_ACCESS) fetchFaults[0]++;
            });
            t0[0] = System.nanoTime();
        }, true);
        double seconds = (System.nanoTime() - t0[0]) / 1e9;
        System.out.printf("instrumented path: %d instructions in %.2f s (%.1f MIPS); fetch %d load %d store %d ptw %d%n",
                probed.result().icount(), seconds, probed.result().icount() / seconds / 1e6,
                kinds[0], kinds[1], kinds[2], kinds[3]);
        assertEquals(ExitReason.INSTRUCTION_LIMIT, plain.result().reason());
        assertSameRun(plain, probed);
        assertEquals(plain.hits(), probed.hits(), "pc probes on the plain and the instrumented path");
        assertEquals(probed.result().icount() - fetchFaults[0], kinds[AccessProbe.FETCH], "one fetch per step");
        assertTrue(kinds[AccessProbe.LOAD] > 0 && kinds[AccessProbe.STORE] > 0 && kinds[AccessProbe.PTW] > 0);
        try (Machine m = new Machine(MachineConfig.builder().kernel(kernel).build())) {
            for (String t : TRACEPOINTS) {
                long pc = m.elf().symbol(t).getAsLong();
                assertEquals(plain.hits().get(t), fetchesAt.getOrDefault(pc, 0L), t + ": fetches = probe hits");
            }
        }
        assertTrue(plain.hits().get("trace_syscall_enter") > 0, plain.hits().toString());
    }

    /**
     * Every instruction of a kernel run reports exactly the data accesses its encoding implies:
     * loads one LOAD of their size (two, adding up, across a page), stores one STORE, AMOs a
     * LOAD and a STORE, LR a LOAD, SC a STORE or nothing; nothing when it traps.
     */
    @Test
    void everyInstructionReportsTheAccessesItsEncodingImplies() throws Exception {
        List<String> errors = new java.util.ArrayList<>();
        long[] checked = new long[3];
        class Checker implements AccessProbe {
            Machine m;
            long pc = -1, word;
            int loads, stores, loadBytes, storeBytes;
            boolean trapped;

            @Override
            public void access(int kind, long va, long pa, int size, int priv, long at) {
                if (kind == PTW) return;
                if (kind != FETCH) {
                    if (at != pc) errors.add("access of " + Long.toHexString(at) + " after fetch of " + Long.toHexString(pc));
                    if (kind == LOAD) { loads++; loadBytes += size; } else { stores++; storeBytes += size; }
                    return;
                }
                check();
                pc = va;
                word = m.ram().load32((int) (pa - m.ram().base)) & (size == 2 ? 0xFFFF : 0xFFFF_FFFFL);
                loads = stores = loadBytes = storeBytes = 0;
                trapped = false;
            }

            void check() {
                if (pc < 0 || trapped) return;
                int w = (int) word, load = 0, store = 0;
                boolean scOk = false;
                if ((w & 3) == 3) {
                    int opcode = w & 0x7F, f3 = (w >>> 12) & 7;
                    if (opcode == 0x03) load = 1 << (f3 & 3);
                    if (opcode == 0x23) store = 1 << f3;
                    if (opcode == 0x2F) {
                        int f5 = w >>> 27, size = f3 == 2 ? 4 : 8;
                        if (f5 == 2) load = size;
                        else if (f5 == 3) { store = size; scOk = true; }
                        else { load = size; store = size; }
                    }
                } else {
                    int q = w & 3, f3 = (w >>> 13) & 7;
                    if (q != 1 && (f3 == 2 || f3 == 3)) load = f3 == 2 ? 4 : 8;
                    if (q != 1 && (f3 == 6 || f3 == 7)) store = f3 == 6 ? 4 : 8;
                }
                boolean ok = loadBytes == load && loads <= 2 && (load == 0) == (loads == 0)
                        && (storeBytes == store || (scOk && stores == 0)) && stores <= 2 && (store == 0) == (stores == 0 || scOk);
                checked[load > 0 ? 0 : store > 0 ? 1 : 2]++;
                if (!ok && errors.size() < 10) {
                    errors.add(String.format("pc %x word %08x: loads %d (%d B) stores %d (%d B), expected %d B load, %d B store",
                            pc, w, loads, loadBytes, stores, storeBytes, load, store));
                }
            }
        }
        Checker c = new Checker();
        boot(20_000_000L, m -> {
            c.m = m;
            m.probes().onAccess(c);
            m.probes().onTrap((cause, tval, epc, from, to) -> {
                if (cause >= 0 && epc == c.pc) c.trapped = true; // an exception of that instruction
            });
        }, false);
        assertEquals(List.of(), errors);
        assertTrue(checked[0] > 100_000 && checked[1] > 100_000, "loads and stores seen: " + Arrays.toString(checked));
    }


    @Test
    void unknownSymbolIsRefusedWithItsName() throws Exception {
        try (Machine m = new Machine(MachineConfig.builder().kernel(kernel).build())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.probes().atSymbol("no_such_fn", (h, pc) -> { }));
            assertEquals("no symbol 'no_such_fn' in kernel.elf", e.getMessage());
            assertFalse(m.probes().any());
            m.probes().onAccess((kind, va, pa, size, priv, pc) -> { });
            assertTrue(m.probes().any());
            m.probes().clear();
            assertFalse(m.probes().any());
        }
    }
}
