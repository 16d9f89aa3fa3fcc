package dev.tinyos.replay.gdb;

import dev.tinyos.core.view.MachineView;

/**
 * A debugger's reads of guest memory through the machine's read-only view: RAM only (never a
 * device register, whose reads have effects), and virtual addresses translated as the hart
 * would load from them now, without permission checks and without touching the A/D bits
 * ({@link MachineView#translate}), as QEMU's gdb stub reads memory.
 *
 * <p>Invariant: reading never changes the machine; a range not wholly readable gives null.
 */
final class DebugMemory {
    private static final int PAGE = 4096;

    private DebugMemory() {
    }

    static byte[] physical(MachineView v, long pa, int len) {
        long base = v.ramBase();
        if (len < 0 || pa < base || pa - base + len > v.ramSize()) {
            return null;
        }
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) v.readPhysical(pa + i, 1);
        }
        return b;
    }

    static byte[] virtual(MachineView v, long va, int len) {
        byte[] out = new byte[len];
        int done = 0;
        while (done < len) {
            long pa = v.translate(va + done);
            int chunk = (int) Math.min(len - done, PAGE - ((va + done) & (PAGE - 1)));
            byte[] part = pa == -1 ? null : physical(v, pa, chunk);
            if (part == null) {
                return null;
            }
            System.arraycopy(part, 0, out, done, chunk);
            done += chunk;
        }
        return out;
    }
}
