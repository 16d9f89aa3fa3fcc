package dev.tinyos.core.dev;

import dev.tinyos.core.BusFault;
import dev.tinyos.core.Device;

/**
 * Platform-level interrupt controller as on QEMU {@code virt} with one hart: 1024 sources
 * (source 0 reserved), two contexts (0 = hart 0 M-mode, driving MEIP; 1 = hart 0 S-mode,
 * driving SEIP). Layout: priorities at {@code 4*n}, pending bits at 0x1000, enables at
 * {@code 0x2000 + 0x80*ctx}, threshold at {@code 0x200000 + 0x1000*ctx}, claim/complete at
 * {@code 0x200004 + 0x1000*ctx}. Only 32-bit accesses are accepted (as on QEMU); others fault.
 *
 * <p>Invariant: sources are level-triggered behind a gateway: {@code pending(n) == level(n)
 * && !claimed(n)}. A claim returns the highest-priority (ties: lowest id) pending source
 * enabled for the context with priority above the context's threshold, and masks it until the
 * context writes its id back to claim/complete; if the line is still high then, it is pending
 * again at once. Priority 0 never interrupts. A line dropped before its claim clears the
 * pending bit (as QEMU does). Priorities are WARL 0..7.
 */
public final class Plic implements Device {
    public static final int SOURCES = 1024;
    public static final int CONTEXTS = 2;
    private static final int WORDS = SOURCES / 32;

    private static final int PENDING = 0x1000;
    private static final int ENABLE = 0x2000;
    private static final int ENABLE_STRIDE = 0x80;
    private static final int CONTEXT = 0x200000;
    private static final int CONTEXT_STRIDE = 0x1000;

    private final int[] priority = new int[SOURCES];
    private final int[] level = new int[WORDS];
    private final int[] claimed = new int[WORDS];
    private final int[][] enable = new int[CONTEXTS][WORDS];
    private final int[] threshold = new int[CONTEXTS];

    @Override
    public long size() {
        return 0x400_0000;
    }

    /** Sets the interrupt line level of source {@code irq} (1..1023). */
    public void setLevel(int irq, boolean high) {
        if (irq <= 0 || irq >= SOURCES) {
            throw new IllegalArgumentException("PLIC source out of range: " + irq);
        }
        int bit = 1 << (irq & 31);
        if (high) {
            level[irq >>> 5] |= bit;
        } else {
            level[irq >>> 5] &= ~bit;
        }
    }

    /** The gateway's pending bits for sources 32*word .. 32*word+31. */
    private int pendingWord(int word) {
        return level[word] & ~claimed[word];
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

    /** Claims the best source for {@code ctx}: it stops being pending until completed. */
    public int claim(int ctx) {
        int id = best(ctx);
        if (id != 0) {
            claimed[id >>> 5] |= 1 << (id & 31);
        }
        return id;
    }

    /** Completes source {@code id}: the gateway forwards its line again. */
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
