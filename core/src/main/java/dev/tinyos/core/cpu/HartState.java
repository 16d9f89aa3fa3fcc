package dev.tinyos.core.cpu;

import dev.tinyos.core.state.StateReader;
import dev.tinyos.core.state.StateWriter;

/**
 * Saves and restores the hart's architectural state for a checkpoint: x, pc, priv, every CSR
 * field, the PMP registers, the counters (icount, exceptions, mcycle/minstret offsets), the
 * interrupt lines, WFI waiting, the pending slice end and the LR reservation. The TLBs and the
 * decoded blocks are caches: {@link #restore} drops them.
 *
 * <p>Invariant: {@code restore(save(h))} leaves a hart whose every future step equals h's.
 */
final class HartState {
    private HartState() {
    }

    static void save(Hart h, StateWriter w) {
        w.writeLongs(h.x);
        w.writeLong(h.pc);
        w.writeInt(h.priv);
        w.writeLongs(new long[] {h.mstatus, h.medeleg, h.mideleg, h.mie, h.mip, h.mipLines, h.mtvec, h.stvec,
            h.mepc, h.sepc, h.mcause, h.scause, h.mtval, h.stval, h.mscratch, h.sscratch, h.satp, h.mcounteren,
            h.scounteren, h.mcountinhibit, h.menvcfg, h.senvcfg, h.stimecmp, h.mcycleOffset, h.minstretOffset,
            h.icount, h.exceptions, h.reservation, h.trapCause, h.trapTval});
        w.writeLongs(h.pmpcfg);
        w.writeLongs(h.pmpaddr);
        w.writeBoolean(h.waiting);
        w.writeBoolean(h.sliceEnd);
    }

    static void restore(Hart h, StateReader r) {
        r.readLongsInto(h.x, "the register file");
        h.pc = r.readLong();
        h.priv = r.readInt(0, 3, "the privilege level");
        long[] c = new long[30];
        r.readLongsInto(c, "the hart's CSRs");
        int i = 0;
        h.mstatus = c[i++]; h.medeleg = c[i++]; h.mideleg = c[i++]; h.mie = c[i++]; h.mip = c[i++];
        h.mipLines = c[i++]; h.mtvec = c[i++]; h.stvec = c[i++]; h.mepc = c[i++]; h.sepc = c[i++];
        h.mcause = c[i++]; h.scause = c[i++]; h.mtval = c[i++]; h.stval = c[i++]; h.mscratch = c[i++];
        h.sscratch = c[i++]; h.satp = c[i++]; h.mcounteren = c[i++]; h.scounteren = c[i++];
        h.mcountinhibit = c[i++]; h.menvcfg = c[i++]; h.senvcfg = c[i++]; h.stimecmp = c[i++];
        h.mcycleOffset = c[i++]; h.minstretOffset = c[i++]; h.icount = c[i++]; h.exceptions = c[i++];
        h.reservation = c[i++]; h.trapCause = c[i++]; h.trapTval = c[i];
        r.readLongsInto(h.pmpcfg, "the PMP configuration");
        r.readLongsInto(h.pmpaddr, "the PMP addresses");
        h.waiting = r.readBoolean();
        h.sliceEnd = r.readBoolean();
        Pmp.configure(h);
        h.dropCaches();
    }
}
