package dev.tinyos.core.cpu;

/**
 * Observer of every trap the hart takes (exceptions and interrupts), called after the trap
 * has been taken (CSRs updated, pc at the handler).
 *
 * <p>Invariant: read-only; a listener must not change hart state. {@code cause} is the value
 * written to xcause (bit 63 set for interrupts).
 */
public interface TrapListener {
    void onTrap(long cause, long tval, long epc, int fromPriv, int toPriv);
}
