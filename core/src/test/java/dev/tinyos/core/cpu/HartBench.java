package dev.tinyos.core.cpu;

import java.lang.management.ManagementFactory;

import static dev.tinyos.core.cpu.Asm.*;
import static dev.tinyos.core.cpu.HartFixture.RAM;

/**
 * Manual throughput check of the interpreter (not a unit test): runs an integer loop of ALU
 * ops, a load, a store and a branch, in M-mode (bare) and in U-mode under Sv39, and prints
 * MIPS and bytes allocated per instruction. Run with
 * {@code java -cp ... dev.tinyos.core.cpu.HartBench [seconds] [bare|sv39|both]}.
 *
 * <p>Invariant: prints measurements only; asserts nothing about timing.
 */
public final class HartBench {
    private HartBench() {}

    static int[] loop() {
        return new int[] {
            addi(6, 6, 1), xor(7, 7, 6), slli(8, 6, 3), andi(8, 8, 0x3F8), add(9, 8, 10),
            ld(11, 9, 0), add(11, 11, 6), sd(11, 9, 0), addi(5, 5, -1), bne(5, 0, -36),
            jal(0, -40),
        };
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        String which = args.length > 1 ? args[1] : "both";
        for (int mode = 0; mode < 2; mode++) {
            if (which.equals(mode == 0 ? "sv39" : "bare")) continue;
            HartFixture f = new HartFixture();
            f.put(RAM + 0x100, loop());
            f.hart.pc = RAM + 0x100;
            f.hart.x[5] = Long.MAX_VALUE;
            f.hart.x[10] = RAM + 0x10000;
            if (mode == 1) userModeWithSv39(f);
            String name = mode == 0 ? "M-mode bare" : "U-mode Sv39";
            measure(f, name, seconds);
        }
    }

    /** Maps the first 1 GiB of RAM with one gigapage (U, RWX) and drops to U-mode. */
    static void userModeWithSv39(HartFixture f) {
        long root = RAM + 0x20_0000;
        long ppn = RAM >>> 12;
        f.store64(root + 8 * ((RAM >>> 30) & 511), (ppn << 10) | 0xDF); // V R W X U A D
        f.hart.writeCsr(Csr.SATP, (8L << 60) | (root >>> 12));
        f.hart.priv = Hart.PRIV_U;
        f.hart.flushTlb();
    }

    static void measure(HartFixture f, String name, double seconds) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long warm = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < warm) f.hart.run(1_000_000);
        long c0 = mx.getCurrentThreadCpuTime();
        long a0 = mx.getThreadAllocatedBytes(tid);
        long i0 = f.hart.icount();
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        while (System.nanoTime() < end) f.hart.run(1_000_000);
        long t1 = System.nanoTime();
        long n = f.hart.icount() - i0;
        long alloc = mx.getThreadAllocatedBytes(tid) - a0;
        long c1 = mx.getCurrentThreadCpuTime();
        // CPU time as well as wall time: on a shared machine the first is the steadier figure
        System.out.printf("%s: %.1f MIPS (%.1f per CPU second), %d bytes allocated over %d instructions,"
                + " mcause=%d%n", name, n / ((t1 - t0) / 1e3), n / ((c1 - c0) / 1e3), alloc, n,
                f.hart.readCsr(Csr.MCAUSE));
    }
}
