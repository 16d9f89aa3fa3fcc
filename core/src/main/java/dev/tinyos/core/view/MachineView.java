package dev.tinyos.core.view;

import java.util.OptionalLong;

/**
 * What an observer (a probe, a digest, the divergence report, an analysis job, a debugger) may
 * see of a running machine: its time, its hart's architectural state, its memory and the
 * kernel's symbols. Read-only: no method changes the machine, so observing never changes the
 * run.
 *
 * <p>Invariant: every value is exact at an instruction boundary, which is where observers run
 * (a pc probe before its instruction, a digest or report between slices): {@link #pc()} is the
 * next instruction to execute and {@link #icount()} the steps taken before it.
 */
public interface MachineView {
    /** Steps (retired or trapping instructions) since reset. */
    long icount();

    /** Address of the next instruction. */
    long pc();

    /** Integer register {@code reg} (0..31; x0 reads 0). */
    long x(int reg);

    /** Current privilege: 0 U, 1 S, 3 M. */
    int priv();

    /** CSR {@code csr} as a debugger reads it (no privilege check; 0 for one that does not exist). */
    long csr(int csr);

    /** Base physical address of RAM. */
    long ramBase();

    /** Bytes of RAM. */
    int ramSize();

    /**
     * {@code size} (1, 2, 4 or 8) bytes of RAM at physical address {@code pa}, little-endian and
     * zero-extended.
     *
     * @throws IllegalArgumentException if they do not lie in RAM
     */
    long readPhysical(long pa, int size);

    /**
     * The physical address a load from virtual address {@code va} would reach at the current
     * data privilege (ignoring permissions), or -1 if the page table maps nothing there.
     */
    long translate(long va);

    /**
     * {@code size} bytes at virtual address {@code va} (one page), as {@link #readPhysical}.
     *
     * @throws IllegalArgumentException if {@code va} is unmapped or its bytes are not in RAM
     */
    long readVirtual(long va, int size);

    /** The address of kernel symbol {@code name}, if the kernel ELF defines it. */
    OptionalLong symbol(String name);

    /** {@code name+0xoff} of the kernel symbol containing {@code addr}, or its hex form. */
    String symbolize(long addr);
}
