package dev.tinyos.analysis;

/**
 * The instruction-fetch and data-access stream of a replay, for cache and TLB models: the
 * handler interface a job implements to see memory accesses (STYLE item 10). Invariant: one
 * call per successful access in execution order: a FETCH per instruction executed, a LOAD or
 * STORE per data access (an AMO gives both), a PTW per page-table entry read by the MMU;
 * {@code paddr} is the translated address, {@code priv} the privilege mode (0 U, 1 S, 3 M).
 */
public interface AccessEvents {
    int FETCH = 0, LOAD = 1, STORE = 2, PTW = 3;

    /** One access of {@code size} bytes made by the instruction at {@code pc}. */
    void access(int kind, long vaddr, long paddr, int size, int priv, long pc);
}
