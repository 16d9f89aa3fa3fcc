package dev.tinyos.core.probe;

/**
 * The hart's instruction-fetch and data-access stream, for cache and TLB simulation.
 *
 * <p>Invariant: every call reports one access that succeeded (no fault), in program order,
 * after translation: {@code vaddr} is the virtual address, {@code paddr} the physical one,
 * {@code pc} the instruction that made it, {@code priv} the privilege the access was made with
 * (0 U, 1 S, 3 M; for loads and stores the effective privilege under mstatus.MPRV).
 * <ul>
 * <li>{@link #FETCH}: once per instruction step whose fetch succeeded (also when the
 *     instruction then traps), before its data accesses; size 2 or 4. A 32-bit instruction
 *     that straddles a page is one fetch of size 4 at the paddr of its first half.</li>
 * <li>{@link #LOAD}, {@link #STORE}: loads and stores, also to devices. An access that
 *     straddles a page is reported as two accesses, one per page. AMOs report a LOAD then a
 *     STORE; LR a LOAD; SC a STORE only if it succeeds.</li>
 * <li>{@link #PTW}: each 8-byte PTE read of an Sv39 walk, vaddr being the address translated.
 *     The hart walks when its own translation cache misses (and for every atomic), so these
 *     are the walks of this emulator, reported before the access they translate.</li>
 * </ul>
 */
@FunctionalInterface
public interface AccessProbe {
    int FETCH = 0, LOAD = 1, STORE = 2, PTW = 3;

    void access(int kind, long vaddr, long paddr, int size, int priv, long pc);
}
