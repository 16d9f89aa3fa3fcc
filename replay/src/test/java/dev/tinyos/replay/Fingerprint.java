package dev.tinyos.replay;

import dev.tinyos.core.Machine;
import dev.tinyos.core.cpu.Csr;
import dev.tinyos.core.dev.BlockBackend;
import dev.tinyos.core.state.StateWriter;
import dev.tinyos.core.view.MachineView;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.CRC32C;

/**
 * Everything a checkpoint must reproduce, as one line: icount, pc, privilege, the registers and
 * main CSRs (the fields of a replay digest), a hash of all of RAM, of the whole disk image, of
 * every device's saved state, and the console's byte count and CRC.
 */
final class Fingerprint {
    private Fingerprint() {
    }

    static String of(Replay replay) {
        Machine m = replay.machine();
        MachineView v = m.view();
        StringBuilder b = new StringBuilder();
        b.append("icount ").append(v.icount()).append(" pc ").append(Long.toHexString(v.pc())).append(" priv ")
                .append(v.priv());
        CRC32C regs = new CRC32C();
        for (int i = 1; i < 32; i++) {
            update(regs, v.x(i));
        }
        for (int csr : new int[] {Csr.MSTATUS, Csr.MEPC, Csr.MCAUSE, Csr.MTVAL, Csr.MTVEC, Csr.MIE, Csr.MIP,
            Csr.MEDELEG, Csr.MIDELEG, Csr.MSCRATCH, Csr.SEPC, Csr.SCAUSE, Csr.STVAL, Csr.STVEC, Csr.SSCRATCH,
            Csr.SATP, Csr.MCYCLE, Csr.MINSTRET, Csr.TIME}) {
            update(regs, v.csr(csr));
        }
        b.append(" regs ").append(Long.toHexString(regs.getValue()));
        CRC32C ram = new CRC32C();
        byte[] bytes = new byte[m.ram().size];
        m.ram().read(0, bytes, 0, bytes.length);
        ram.update(bytes);
        b.append(" ram ").append(Long.toHexString(ram.getValue()));
        CRC32C state = new CRC32C();
        m.save(new Hashing(state));
        b.append(" devices ").append(Long.toHexString(state.getValue()));
        if (m.block() != null) {
            BlockBackend disk = m.block().cache().backend();
            CRC32C d = new CRC32C();
            byte[] all = new byte[(int) disk.sectors() * BlockBackend.SECTOR_SIZE];
            try {
                disk.read(0, all, 0, all.length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            d.update(all);
            b.append(" disk ").append(Long.toHexString(d.getValue()));
        }
        b.append(" console ").append(replay.console().bytes()).append('/')
                .append(Long.toHexString(replay.console().crc()));
        return b.toString();
    }

    private static void update(CRC32C c, long v) {
        for (int i = 0; i < 8; i++) {
            c.update((int) (v >>> (8 * i)));
        }
    }

    /** A StateWriter that only hashes. */
    static final class Hashing implements StateWriter {
        private final CRC32C c;

        Hashing(CRC32C c) {
            this.c = c;
        }

        @Override public void writeLong(long v) { update(c, v); }
        @Override public void writeInt(int v) { update(c, v); }
        @Override public void writeBoolean(boolean v) { c.update(v ? 1 : 0); }
        @Override public void writeBytes(byte[] b) {
            update(c, b == null ? -1 : b.length);
            if (b != null) c.update(b);
        }
        @Override public void writeLongs(long[] a) {
            update(c, a.length);
            for (long v : a) update(c, v);
        }
        @Override public void writeInts(int[] a) {
            update(c, a.length);
            for (int v : a) update(c, v);
        }
        @Override public void writeString(String s) {
            update(c, s == null ? -1 : s.hashCode());
        }
    }
}
