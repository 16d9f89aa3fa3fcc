package dev.tinyos.core.probe;

import dev.tinyos.core.cpu.Hart;
import dev.tinyos.core.cpu.PcListener;
import dev.tinyos.core.cpu.TrapListener;
import dev.tinyos.core.elf.ElfFile;
import dev.tinyos.core.view.MachineView;

import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The read-only observers attached to one machine's hart ({@code Machine.probes()}): pc probes
 * (at an address or an ELF symbol of the kernel), at most one access probe, at most one trap
 * listener. Probes are meant to be set before a run; each change rebuilds the hart's blocks.
 *
 * <p>Cost: with nothing attached the hart runs its plain path and pays nothing. Pc probes end
 * blocks at the probed page offsets, so only entries into those blocks leave the fast loop.
 * An access probe switches the hart to its instrumented path (one instruction at a time
 * over the same decoded blocks and TLBs, every load and store through the slow path), about
 * three to five times slower than the plain path.
 *
 * <p>Invariant: {@code pcs} is sorted and {@code lists[k]} holds, in the order they were
 * added, the probes of {@code pcs[k]}; the hart's probe set always equals this object's state.
 * Observing never changes the run: icount, console and state are those of an unprobed run.
 */
public final class Probes {
    private final Hart hart;
    private final MachineView view;
    private final ElfFile elf;
    private final String kernelName;
    private long[] pcs = new long[0];
    private PcProbe[][] lists = new PcProbe[0][];
    /** Breakpoint pcs, sorted. */
    private long[] breaks = new long[0];
    /** A breakpoint was reached since the last {@link #takeBreakpointHit}. */
    private boolean breakHit;
    private AccessProbe access;
    private TrapListener trap;
    private final PcListener dispatch = this::dispatch;

    /**
     * @param view       what the probes see of the machine
     * @param elf        the kernel, for {@link #atSymbol}; may be null (then no symbol resolves)
     * @param kernelName the kernel's file name, for messages
     */
    public Probes(Hart hart, MachineView view, ElfFile elf, String kernelName) {
        this.hart = Objects.requireNonNull(hart);
        this.view = Objects.requireNonNull(view);
        this.elf = elf;
        this.kernelName = kernelName;
    }

    /** Adds a probe at virtual address {@code pc}; several per pc are called in the order added. */
    public void atPc(long pc, PcProbe p) {
        Objects.requireNonNull(p, "probe");
        int k = Arrays.binarySearch(pcs, pc);
        if (k >= 0) {
            PcProbe[] l = Arrays.copyOf(lists[k], lists[k].length + 1);
            l[l.length - 1] = p;
            lists[k] = l;
        } else {
            int at = -k - 1;
            long[] np = new long[pcs.length + 1];
            PcProbe[][] nl = new PcProbe[pcs.length + 1][];
            System.arraycopy(pcs, 0, np, 0, at);
            System.arraycopy(lists, 0, nl, 0, at);
            np[at] = pc;
            nl[at] = new PcProbe[] {p};
            System.arraycopy(pcs, at, np, at + 1, pcs.length - at);
            System.arraycopy(lists, at, nl, at + 1, pcs.length - at);
            pcs = np;
            lists = nl;
        }
        install();
    }

    /**
     * Adds a probe at the address of symbol {@code name} of the kernel ELF.
     *
     * @throws IllegalArgumentException "no symbol 'name' in kernel.elf" if the kernel lacks it
     */
    public void atSymbol(String name, PcProbe p) {
        OptionalLong a = elf == null ? OptionalLong.empty() : elf.symbol(name);
        if (a.isEmpty()) {
            throw new IllegalArgumentException("no symbol '" + name + "' in " + kernelName);
        }
        atPc(a.getAsLong(), p);
    }

    /**
     * Sets a breakpoint at virtual address {@code pc}: each time the instruction there is about
     * to execute, the hart's slice ends before it and {@code Machine.run} returns
     * {@code ExitReason.BREAKPOINT}; running on executes it (the breakpoint does not fire again
     * for the same step). Stopping at a slice boundary changes nothing the guest computes.
     */
    public void breakAt(long pc) {
        if (Arrays.binarySearch(breaks, pc) >= 0) {
            return;
        }
        long[] b = Arrays.copyOf(breaks, breaks.length + 1);
        b[b.length - 1] = pc;
        Arrays.sort(b);
        breaks = b;
        install();
    }

    /** Removes every breakpoint. */
    public void clearBreakpoints() {
        breaks = new long[0];
        breakHit = false;
        install();
    }

    /** True (once) if a breakpoint was reached since the last call: the machine's run loop asks. */
    public boolean takeBreakpointHit() {
        boolean hit = breakHit;
        breakHit = false;
        return hit;
    }

    /** Sets the access probe (at most one; null removes it). */
    public void onAccess(AccessProbe p) {
        access = p;
        install();
    }

    /** Sets the trap listener (at most one; null removes it): {@link Hart#setTrapListener}. */
    public void onTrap(TrapListener l) {
        trap = l;
        hart.setTrapListener(l);
    }

    /** True if any probe, access probe or trap listener is attached. */
    public boolean any() {
        return pcs.length > 0 || breaks.length > 0 || access != null || trap != null;
    }

    /** Removes every probe; the hart goes back to its plain path. */
    public void clear() {
        pcs = new long[0];
        lists = new PcProbe[0][];
        breaks = new long[0];
        breakHit = false;
        access = null;
        onTrap(null);
        install();
    }

    private void install() {
        long[] all = pcs.clone();
        for (long b : breaks) {
            if (Arrays.binarySearch(pcs, b) < 0) {
                all = Arrays.copyOf(all, all.length + 1);
                all[all.length - 1] = b;
            }
        }
        Arrays.sort(all);
        hart.setProbes(all, all.length == 0 ? null : dispatch, access);
    }

    /** Called by the hart at every entry of a block at a probed page offset: filters the exact pc. */
    private void dispatch(Hart h, long pc) {
        if (breaks.length > 0 && Arrays.binarySearch(breaks, pc) >= 0) {
            breakHit = true;
            h.requestSliceEnd(); // the hart returns before the instruction
        }
        int k = Arrays.binarySearch(pcs, pc);
        if (k < 0) {
            return;
        }
        for (PcProbe p : lists[k]) {
            p.hit(view, pc);
        }
    }
}
