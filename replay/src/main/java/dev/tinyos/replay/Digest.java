package dev.tinyos.replay;

import dev.tinyos.core.Machine;
import dev.tinyos.core.view.MachineView;
import dev.tinyos.core.cpu.Ram;
import dev.tinyos.core.cpu.Csr;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A snapshot of the architectural state that replay must reproduce: icount, pc, privilege, the
 * whole integer register file, the key CSRs, a digest of memory written since the previous
 * digest, and the console output so far (byte count and CRC-32C).
 *
 * <p>The memory part reads only the pages written since the previous digest (RAM dirty bits,
 * cleared at each digest), and {@link PageHasher} hashes them off the machine thread.
 * Invariant: a digest is a pure function of the run
 * up to its icount, provided every digest of the run was captured at the same icounts.
 */
public final class Digest {
    /** CSRs compared at each digest point, in layout order. */
    static final int[] CSRS = {Csr.MSTATUS, Csr.MEPC, Csr.MCAUSE, Csr.MTVAL, Csr.MTVEC, Csr.MIE, Csr.MIP,
        Csr.MEDELEG, Csr.MIDELEG, Csr.MSCRATCH, Csr.SEPC, Csr.SCAUSE, Csr.STVAL, Csr.STVEC,
        Csr.SSCRATCH, Csr.SATP};
    static final String[] CSR_NAMES = {"mstatus", "mepc", "mcause", "mtval", "mtvec", "mie", "mip",
        "medeleg", "mideleg", "mscratch", "sepc", "scause", "stval", "stvec", "sscratch", "satp"};
    /** Size of {@link #write}'s output in bytes. */
    public static final int BYTES = 8 + 8 + 4 + 32 * 8 + CSRS.length * 8 + 8 + 8 + 8 + 8;

    public long icount;
    public long pc;
    public int priv;
    public final long[] x = new long[32];
    public final long[] csr = new long[CSRS.length];
    /** Hash of the pages written since the previous digest. */
    public long memory;
    /** Icount of the previous digest (the start of the memory window). */
    public long memorySince;
    public long consoleBytes;
    public long consoleCrc;

    /**
     * Captures the machine's state now, memory included: opens a window of the pages written
     * since the previous digest in {@code hasher} and finishes it at once (the worker helps).
     */
    static Digest capture(Machine m, ConsoleTap console, long previousIcount, PageHasher hasher) {
        Digest d = captureDeferred(m, console, previousIcount, hasher);
        d.memory = hasher.finish();
        return d;
    }

    /**
     * Captures everything but {@link #memory} now and hands the pages written since the
     * previous digest to {@code hasher} (clearing the dirty bits); {@code hasher.finish()}
     * later yields the memory hash as of this point.
     */
    static Digest captureDeferred(Machine m, ConsoleTap console, long previousIcount, PageHasher hasher) {
        Digest d = new Digest();
        MachineView v = m.view();
        d.icount = v.icount();
        d.pc = v.pc();
        d.priv = v.priv();
        for (int i = 1; i < 32; i++) {
            d.x[i] = v.x(i);
        }
        d.x[0] = 0;
        for (int i = 0; i < CSRS.length; i++) {
            d.csr[i] = v.csr(CSRS[i]);
        }
        hasher.start(m.takeDirtyPages());
        d.memorySince = previousIcount;
        d.consoleBytes = console.bytes();
        d.consoleCrc = console.crc();
        return d;
    }

    /**
     * The memory hash of a window is a fold over its pages in ascending order (so the order in
     * which they were hashed does not matter): from {@link #FOLD_SEED}, {@link #foldPage} for
     * each page's offset, sum and xor, then {@link #foldEnd}.
     */
    static final long FOLD_SEED = 0x9E3779B97F4A7C15L;

    static long foldPage(long h, int page, long sum, long xor) {
        return mix(h ^ ((long) page << Ram.PAGE_SHIFT)) + mix(sum) * 31 + xor;
    }

    static long foldEnd(long h) {
        return mix(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Writes the layout: icount, pc, priv, x0..x31, CSRs, memory, memorySince, console bytes, CRC. */
    public void write(ByteBuffer b) {
        b.putLong(icount);
        b.putLong(pc);
        b.putInt(priv);
        for (long v : x) {
            b.putLong(v);
        }
        for (long v : csr) {
            b.putLong(v);
        }
        b.putLong(memory);
        b.putLong(memorySince);
        b.putLong(consoleBytes);
        b.putLong(consoleCrc);
    }

    /** Reads what {@link #write} wrote. */
    public static Digest read(ByteBuffer b) {
        Digest d = new Digest();
        d.icount = b.getLong();
        d.pc = b.getLong();
        d.priv = b.getInt();
        for (int i = 0; i < 32; i++) {
            d.x[i] = b.getLong();
        }
        for (int i = 0; i < d.csr.length; i++) {
            d.csr[i] = b.getLong();
        }
        d.memory = b.getLong();
        d.memorySince = b.getLong();
        d.consoleBytes = b.getLong();
        d.consoleCrc = b.getLong();
        return d;
    }

    /**
     * What differs between the recorded digest {@code this} and the replayed one, as a list of
     * phrases ("x10 (a0) recorded 0x5 replayed 0x7", ...); empty if they match.
     */
    public List<String> differences(Digest replayed) {
        return differences(replayed, true);
    }

    /** {@link #differences} leaving out the memory hash (not known yet for {@code replayed}). */
    List<String> differencesBesidesMemory(Digest replayed) {
        return differences(replayed, false);
    }

    private List<String> differences(Digest replayed, boolean memoryToo) {
        List<String> out = new ArrayList<>();
        if (icount != replayed.icount) {
            out.add("icount recorded " + icount + " replayed " + replayed.icount);
        }
        if (pc != replayed.pc) {
            out.add(String.format(Locale.ROOT, "pc recorded 0x%x replayed 0x%x", pc, replayed.pc));
        }
        if (priv != replayed.priv) {
            out.add("privilege recorded " + priv + " replayed " + replayed.priv);
        }
        for (int i = 1; i < 32; i++) {
            if (x[i] != replayed.x[i]) {
                out.add(String.format(Locale.ROOT, "x%d (%s) recorded 0x%x replayed 0x%x",
                        i, Registers.ABI[i], x[i], replayed.x[i]));
            }
        }
        for (int i = 0; i < csr.length; i++) {
            if (csr[i] != replayed.csr[i]) {
                out.add(String.format(Locale.ROOT, "%s recorded 0x%x replayed 0x%x",
                        CSR_NAMES[i], csr[i], replayed.csr[i]));
            }
        }
        if (memoryToo && memory != replayed.memory) {
            out.add("memory written between icount " + memorySince + " and " + icount + " differs");
        }
        if (consoleBytes != replayed.consoleBytes || consoleCrc != replayed.consoleCrc) {
            out.add("console output differs (recorded " + consoleBytes + " bytes, replayed "
                    + replayed.consoleBytes + ")");
        }
        return out;
    }
}
