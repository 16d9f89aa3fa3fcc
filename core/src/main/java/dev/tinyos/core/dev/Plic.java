package dev.tinyos.core.dev;

import dev.tinyos.core.BusFault;
import dev.tinyos.core.Device;
import dev.tinyos.core.state.Saveable;
import dev.tinyos.core.state.StateReader;
import dev.tinyos.core.state.StateWriter;

/**
 * Platform-level interrupt controller as on QEMU {@code virt} with one hart: 1024 sources
 * (source 0 reserved), two contexts (0 = hart 0 M-mode, driving MEIP; 1 = hart 0 S-mode,
 * driving SEIP). Layout: priorities at {@code 4*n}, pending bits at 0x1000, enables at
 * {@code 0x2000 + 0x80*ctx}, threshold at {@code 0x200000 + 0x1000*ctx}, claim/complete at
 * {@code 0x200004 + 0x1000*ctx}. Only 32-bit accesses are accepted (as on QEMU); others fault.
 *
 * <p>Gateway, as QEMU 7.2's PLIC behaves (not the PLIC specification's level gateway): a
 * source's pending bit is set or cleared each time its device <em>updates</em> its line
 * ({@link #signal}: raised sets it, lowered clears it), and a claim clears it. Completion does
 * not look at the line again: a line that stays high after its claim interrupts again only
 * when the device next updates it (a new byte, a new used buffer, a THR write). The
 * specification's gateway re-forwards a line still high at completion; drivers written against
 * QEMU, such as xv6's UART driver, which never reads IIR to drop a THR-empty interrupt, would
 * then take that interrupt forever (docs/board.md).
 *
 * <p>Invariant: a source can be claimed iff it is pending, not claimed, enabled for the context
 * and its priority exceeds the context's threshold. A claim returns the highest-priority (ties:
 * lowest id) such source and masks it until the context writes its id back to claim/complete.
 * Priority 0 never interrupts. Priorities are WARL 0..7.
 */
public final class Plic implements Device, Saveable {
    public static final int SOURCES = 1024;
    public static final int CONTEXTS = 2;
    private static final int WORDS = SOURCES / 32;

    private static final int PENDING = 0x1000;
    private static final int ENABLE = 0x2000;
    private static final int ENABLE_STRIDE = 0x80;
    private static final int CONTEXT = 0x200000;
    private static final int CONTEXT_STRIDE = 0x1000;

    private final int[] priority = new int[SOURCES];
    private final int[] pending = new int[WORDS];
    private final int[] claimed = new int[WORDS];
    private final int[][] enable = new int[CONTEXTS][WORDS];
    private final int[] threshold = new int[CONTEXTS];

    @Override
    public void save(StateWriter w) {
        w.writeInts(priority);
        w.writeInts(pending);
        w.writeInts(claimed);
        for (int[] e : enable) {
            w.writeInts(e);
        }
        w.writeInts(threshold);
    }

    @Override
    public void restore(StateReader r) {
        r.readIntsInto(priority, "the PLIC priorities");
        r.readIntsInto(pending, "the PLIC pending bits");
        r.readIntsInto(claimed, "the PLIC claimed bits");
        for (int[] e : enable) {
            r.readIntsInto(e, "the PLIC enables");
        }
        r.readIntsInto(threshold, "the PLIC thresholds");
    }

    @Override
    public long size() {
        return 0x400_0000;
    }

    /**
     * Source {@code irq} (1..1023) updates its line to {@code high}, as a device does on each
     * change of its interrupt state (QEMU's {@code qemu_set_irq}): the pending bit follows.
     */
    public void signal(int irq, boolean high) {
        if (irq <= 0 || irq >= SOURCES) {
            throw new IllegalArgumentException("PLIC source out of range: " + irq);
        }
        int bit = 1 << (irq & 31);
        if (high) {
            pending[irq >>> 5] |= bit;
        } else {
            pending[irq >>> 5] &= ~bit;
        }
    }

    /** The gateway's pending bits for sources 32*word .. 32*word+31. */
    private int pendingWord(int word) {
        return pending[word] & ~claimed[word];
    }

    /** True if context {@code ctx} has an interrupt to signal (its xEIP line is high). */
    public boolean interruptPending(int ctx) {
        return best(ctx) != 0;
    }

    /** Highest-priority claimable source of context {@code ctx}, or 0. */
    private int best(int ctx) {
        int bestId = 0;
        int bestPrio = threshold[ctx];
        for (int w = 0; w < WORDS; w++) {
            int bits = pendingWord(w) & enable[ctx][w];
            while (bits != 0) {
                int id = (w << 5) + Integer.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                if (priority[id] > bestPrio) {
                    bestPrio = priority[id];
                    bestId = id;
                }
            }
        }
        return bestId;
    }

    @Override
    public long load(long offset, int size) {
        if (size != 4) {
            throw BusFault.INSTANCE;
        }
        int off = (int) offset;
        if (off < PENDING) {
            return priority[off >>> 2];
        }
        if (off < ENABLE) {
            int word = (off - PENDING) >>> 2;
            return word < WORDS ? pendingWord(word) & 0xFFFF_FFFFL : 0;
        }
        if (off < CONTEXT) {
            int ctx = (off - ENABLE) / ENABLE_STRIDE;
            int word = ((off - ENABLE) % ENABLE_STRIDE) >>> 2;
            return ctx < CONTEXTS ? enable[ctx][word] & 0xFFFF_FFFFL : 0;
        }
        int ctx = (off - CONTEXT) / CONTEXT_STRIDE;
        int reg = (off - CONTEXT) % CONTEXT_STRIDE;
        if (ctx >= CONTEXTS) {
            return 0;
        }
        if (reg == 0) {
            return threshold[ctx];
        }
        return reg == 4 ? claim(ctx) : 0;
    }

    /** Claims the best source for {@code ctx}: no longer pending, and masked until completed. */
    public int claim(int ctx) {
        int id = best(ctx);
        if (id != 0) {
            pending[id >>> 5] &= ~(1 << (id & 31));
            claimed[id >>> 5] |= 1 << (id & 31);
        }
        return id;
    }

    /** Completes source {@code id}: it is unmasked; its next update can interrupt again. */
    public void complete(int ctx, int id) {
        if (id > 0 && id < SOURCES && (enable[ctx][id >>> 5] & (1 << (id & 31))) != 0) {
            claimed[id >>> 5] &= ~(1 << (id & 31));
        }
    }

    @Override
    public void store(long offset, int size, long value) {
        if (size != 4) {
            throw BusFault.INSTANCE;
        }
        int off = (int) offset;
        int v = (int) value;
        if (off < PENDING) {
            int id = off >>> 2;
            if (id != 0) {
                priority[id] = v & 7;
            }
        } else if (off < ENABLE) {
            return; // pending bits are read-only
        } else if (off < CONTEXT) {
            int ctx = (off - ENABLE) / ENABLE_STRIDE;
            int word = ((off - ENABLE) % ENABLE_STRIDE) >>> 2;
            if (ctx < CONTEXTS) {
                enable[ctx][word] = word == 0 ? v & ~1 : v;
            }
        } else {
            int ctx = (off - CONTEXT) / CONTEXT_STRIDE;
            int reg = (off - CONTEXT) % CONTEXT_STRIDE;
            if (ctx >= CONTEXTS) {
                return;
            }
            if (reg == 0) {
                threshold[ctx] = v & 7;
            } else if (reg == 4) {
                complete(ctx, v);
            }
        }
    }
}
