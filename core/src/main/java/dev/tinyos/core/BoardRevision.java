package dev.tinyos.core;

/**
 * Revisions of the board's guest-visible behaviour. The revision is bumped whenever a guest
 * could observe a change (an instruction, CSR, device or the device tree behaving
 * differently); a trace records the revision it was recorded on, and a replay builds the
 * board of that revision where the difference is a pure function of it (today: the device
 * tree, which lies in the guest's memory and whose hash is in every trace header).
 *
 * <ol>
 *   <li>the first machine;</li>
 *   <li>Sstc ({@code stimecmp}) and PMP enforcement;</li>
 *   <li>QEMU's PLIC gateway (a pending bit follows the device's line updates, no re-pend at
 *       completion), virtio-mmio accepting a driver without VIRTIO_F_VERSION_1, and a run
 *       that ends right after the store to HTIF {@code tohost};</li>
 *   <li>the device tree names every extension the hart implements: {@code riscv,isa} lists
 *       Sstc (and Zicntr, Zihpm, Zihintpause), and {@code riscv,isa-base} with
 *       {@code riscv,isa-extensions} give the same set as the newer binding does; an IER write that leaves
 *       IER unchanged no longer updates the UART's interrupt line (QEMU's 16550).</li>
 * </ol>
 *
 * <p>Invariant: {@link #CURRENT} is the highest revision, and every revision from 1 to it is
 * one this emulator can build.
 */
public final class BoardRevision {
    /** The revision this emulator records on. */
    public static final int CURRENT = 4;
    /** The first revision whose device tree lists Sstc and carries {@code riscv,isa-extensions}. */
    public static final int ISA_EXTENSIONS_IN_DEVICE_TREE = 4;

    private BoardRevision() {
    }

    /** {@code revision} if this emulator can build it; otherwise an exception saying which it can. */
    public static int require(int revision) {
        if (revision < 1 || revision > CURRENT) {
            throw new IllegalArgumentException("board revision " + revision + " is not one this tinyos builds (1.."
                    + CURRENT + ")");
        }
        return revision;
    }
}
