package dev.tinyos.replay;

import dev.tinyos.core.Machine;
import dev.tinyos.core.view.MachineView;
import java.util.Locale;

/**
 * Human-readable dumps of hart state for replay stops: the ABI register names, a register
 * table and a frame-pointer backtrace symbolized with the kernel's ELF symbols. Invariant:
 * read-only; never changes the machine.
 */
public final class Registers {
    /** ABI names of x0..x31. */
    public static final String[] ABI = {"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1",
        "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9",
        "s10", "s11", "t3", "t4", "t5", "t6"};

    private static final int MAX_FRAMES = 32;

    private Registers() {
    }

    /** pc with its symbol, privilege, and x1..x31 four to a line. */
    public static String dump(Machine m) {
        MachineView v = m.view();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "pc  0x%016x  %s  (priv %s, icount %d)%n", v.pc(),
                v.symbolize(v.pc()), v.priv() == 3 ? "M" : v.priv() == 1 ? "S" : "U", v.icount()));
        for (int i = 1; i < 32; i++) {
            sb.append(String.format(Locale.ROOT, "%-4s 0x%016x", ABI[i], v.x(i)));
            sb.append(i % 4 == 3 || i == 31 ? System.lineSeparator() : "  ");
        }
        return sb.toString();
    }

    /**
     * Backtrace by the RISC-V frame-pointer convention (s0 points past the frame; ra at
     * s0-8, the caller's s0 at s0-16), as GCC lays frames out with -fno-omit-frame-pointer;
     * always starts with pc and ra. Stops at the first frame pointer outside RAM.
     */
    public static String backtrace(Machine m) {
        MachineView v = m.view();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "#0 0x%016x %s%n", v.pc(), v.symbolize(v.pc())));
        sb.append(String.format(Locale.ROOT, "#1 0x%016x %s (ra)%n", v.x(1), v.symbolize(v.x(1))));
        long fp = v.x(8);
        long lastRa = v.x(1);
        for (int n = 2; n < MAX_FRAMES; n++) {
            if (fp - 16 < v.ramBase() || fp > v.ramBase() + v.ramSize() || (fp & 7) != 0) {
                break;
            }
            long ra = v.readPhysical(fp - 8, 8);
            long prev = v.readPhysical(fp - 16, 8);
            if (ra == 0 || prev <= fp) { // frames live at rising addresses
                break;
            }
            if (ra != lastRa) {
                sb.append(String.format(Locale.ROOT, "#%d 0x%016x %s%n", n, ra, m.elf().symbolize(ra)));
            }
            lastRa = ra;
            fp = prev;
        }
        return sb.toString();
    }
}
