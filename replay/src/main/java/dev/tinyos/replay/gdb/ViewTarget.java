package dev.tinyos.replay.gdb;

import dev.tinyos.core.view.MachineView;

/**
 * What every debug target reads the same way: registers, CSRs, memory and symbols through the
 * machine's read-only {@link MachineView}. Invariant: no method here changes the machine.
 */
abstract class ViewTarget implements DebugTarget {
    /** The view of the machine the target stands on now (a replay may replace its machine). */
    abstract MachineView view();

    @Override public long icount() { return view().icount(); }
    @Override public long pc() { return view().pc(); }
    @Override public long x(int n) { return view().x(n); }
    @Override public int priv() { return view().priv(); }
    @Override public Long csr(int csr) { return view().csr(csr); }

    @Override
    public byte[] readVirtual(long va, int len) {
        return DebugMemory.virtual(view(), va, len);
    }

    @Override
    public byte[] readPhysical(long pa, int len) {
        return DebugMemory.physical(view(), pa, len);
    }

    @Override
    public String symbolize(long pc) {
        return view().symbolize(pc);
    }
}
