package dev.tinyos.analysis;

import dev.tinyos.core.Machine;
import dev.tinyos.core.probe.PcProbe;
import dev.tinyos.core.view.MachineView;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;

/**
 * Turns pc probes on the tracepoint symbols of guest/TRACEPOINTS.md into typed
 * {@link KernelEvents}: each probe reads the arguments from a0..a4 at the function's first
 * instruction, the exact icount and the guest time (mtime at 10 MHz, as nanoseconds), and calls
 * the handler. Invariant: a probe only reads the machine's read-only view; it never writes the machine, so
 * the replay is the recorded run, instruction for instruction.
 */
public final class Tracepoints {
    /** Nanoseconds per mtime tick (the virt board's CLINT runs at 10 MHz). */
    public static final long NS_PER_MTIME = 100;
    /** Longest process name the kernel keeps (TRACEPOINTS.md: at most 16 bytes). */
    static final int NAME_MAX = 16;

    private Tracepoints() {}

    /** The tracepoints whose symbols the machine's kernel defines. */
    public static Set<Tracepoint> present(Machine m) {
        Set<Tracepoint> s = EnumSet.noneOf(Tracepoint.class);
        for (Tracepoint t : Tracepoint.values()) {
            if (m.elf().symbol(t.symbol()).isPresent()) {
                s.add(t);
            }
        }
        return s;
    }

    /**
     * Attaches a probe on every tracepoint of {@code which} that the kernel defines, delivering
     * to {@code h}; returns those attached.
     */
    public static Set<Tracepoint> attach(Machine m, Set<Tracepoint> which, KernelEvents h) {
        Set<Tracepoint> done = EnumSet.noneOf(Tracepoint.class);
        for (Tracepoint t : which) {
            if (m.elf().symbol(t.symbol()).isPresent()) {
                m.probes().atSymbol(t.symbol(), probe(m, t, h));
                done.add(t);
            }
        }
        return done;
    }

    static long timeNs(Machine m) {
        return m.mtime() * NS_PER_MTIME;
    }

    private static PcProbe probe(Machine m, Tracepoint t, KernelEvents h) {
        return switch (t) {
            case SCHED_SWITCH -> (hart, pc) -> h.schedSwitch(hart.icount(), timeNs(m), i(hart, 0), i(hart, 1),
                    i(hart, 2), a(hart, 3));
            case PROC_CREATE -> (hart, pc) -> h.procCreate(hart.icount(), timeNs(m), i(hart, 0), i(hart, 1),
                    string(hart, a(hart, 2)));
            case EXEC -> (hart, pc) -> h.exec(hart.icount(), timeNs(m), i(hart, 0), string(hart, a(hart, 1)));
            case PROC_EXIT -> (hart, pc) -> h.procExit(hart.icount(), timeNs(m), i(hart, 0), i(hart, 1));
            case SLEEP -> (hart, pc) -> h.sleep(hart.icount(), timeNs(m), i(hart, 0), a(hart, 1));
            case WAKEUP -> (hart, pc) -> h.wakeup(hart.icount(), timeNs(m), i(hart, 0), a(hart, 1));
            case SYSCALL_ENTER -> (hart, pc) -> h.syscallEnter(hart.icount(), timeNs(m), i(hart, 0), i(hart, 1),
                    a(hart, 2), a(hart, 3), a(hart, 4));
            case SYSCALL_EXIT -> (hart, pc) -> h.syscallExit(hart.icount(), timeNs(m), i(hart, 0), i(hart, 1),
                    a(hart, 2));
            case TIMER_TICK -> (hart, pc) -> h.timerTick(hart.icount(), timeNs(m), a(hart, 0), i(hart, 1));
            case BLK_SUBMIT -> (hart, pc) -> h.blkSubmit(hart.icount(), timeNs(m), i(hart, 0), i(hart, 1),
                    a(hart, 2), a(hart, 3));
            case BLK_COMPLETE -> (hart, pc) -> h.blkComplete(hart.icount(), timeNs(m), i(hart, 0), i(hart, 1),
                    a(hart, 2), i(hart, 3));
            case BCACHE_HIT -> (hart, pc) -> h.bcacheHit(hart.icount(), timeNs(m), a(hart, 0), i(hart, 1));
            case BCACHE_MISS -> (hart, pc) -> h.bcacheMiss(hart.icount(), timeNs(m), a(hart, 0), i(hart, 1));
            case BCACHE_EVICT -> (hart, pc) -> h.bcacheEvict(hart.icount(), timeNs(m), a(hart, 0), a(hart, 1),
                    i(hart, 2));
            case BCACHE_WRITEBACK -> (hart, pc) -> h.bcacheWriteback(hart.icount(), timeNs(m), a(hart, 0),
                    i(hart, 1), i(hart, 2));
            case FS_COMMIT -> (hart, pc) -> h.fsCommit(hart.icount(), timeNs(m), a(hart, 0), a(hart, 1), a(hart, 2),
                    a(hart, 3), a(hart, 4));
            case FS_EXTENT_WRITE -> (hart, pc) -> h.fsExtentWrite(hart.icount(), timeNs(m), a(hart, 0), a(hart, 1),
                    a(hart, 2), a(hart, 3));
            case FS_UNSHARE -> (hart, pc) -> h.fsUnshare(hart.icount(), timeNs(m), a(hart, 0), a(hart, 1), i(hart, 2),
                    a(hart, 3));
        };
    }

    /** Argument register a{@code n} as a 64-bit value. */
    private static long a(MachineView v, int n) {
        return v.x(10 + n);
    }

    /** Argument register a{@code n} as an int (pids, codes; sign-extended by the ABI). */
    private static int i(MachineView v, int n) {
        return (int) v.x(10 + n);
    }

    /**
     * The NUL-terminated string at kernel address {@code va} (tiny-os maps kernel VA == PA), at
     * most {@link #NAME_MAX} bytes; "?" if it is not in RAM.
     */
    static String string(MachineView v, long va) {
        long base = v.ramBase(), end = base + v.ramSize();
        if (va < base || va >= end) {
            return "?";
        }
        StringBuilder s = new StringBuilder();
        for (long a = va; s.length() < NAME_MAX && a < end; a++) {
            int b = (int) v.readPhysical(a, 1);
            if (b == 0) {
                break;
            }
            s.append((char) (b & 0xFF));
        }
        return s.toString();
    }
}
