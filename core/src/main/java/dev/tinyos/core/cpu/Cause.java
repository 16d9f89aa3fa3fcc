package dev.tinyos.core.cpu;

/**
 * Exception and interrupt cause codes as written to {@code mcause}/{@code scause}
 * (privileged spec 1.12, table 3.6). Interrupt causes have bit 63 set in the CSR; the
 * constants here are the bare codes, {@link #INTERRUPT} is the bit to OR in.
 *
 * <p>Invariant: constants only.
 */
public final class Cause {
    private Cause() {}

    /** Bit 63 of xcause: set for interrupts. */
    public static final long INTERRUPT = 1L << 63;

    public static final int MISALIGNED_FETCH = 0;
    public static final int FETCH_ACCESS = 1;
    public static final int ILLEGAL_INSTRUCTION = 2;
    public static final int BREAKPOINT = 3;
    public static final int MISALIGNED_LOAD = 4;
    public static final int LOAD_ACCESS = 5;
    public static final int MISALIGNED_STORE = 6;
    public static final int STORE_ACCESS = 7;
    public static final int USER_ECALL = 8;
    public static final int SUPERVISOR_ECALL = 9;
    public static final int MACHINE_ECALL = 11;
    public static final int FETCH_PAGE_FAULT = 12;
    public static final int LOAD_PAGE_FAULT = 13;
    public static final int STORE_PAGE_FAULT = 15;

    public static final int IRQ_S_SOFT = 1;
    public static final int IRQ_M_SOFT = 3;
    public static final int IRQ_S_TIMER = 5;
    public static final int IRQ_M_TIMER = 7;
    public static final int IRQ_S_EXT = 9;
    public static final int IRQ_M_EXT = 11;
}
