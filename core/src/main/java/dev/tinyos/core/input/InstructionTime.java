package dev.tinyos.core.input;

/**
 * The virtual time base shared by the clocks that derive {@code mtime} from the instruction
 * count: guest time in instruction units is {@code icount + skew}, and one {@code mtime} tick is
 * {@code ipt} instructions. Invariant: pure arithmetic, no state; {@link #mtime} is monotonic in
 * {@code icount} for a fixed skew, and {@link #icountForMtime} is its inverse, never earlier than
 * the current icount.
 */
public final class InstructionTime {
    private InstructionTime() {
    }

    /** {@code mtime} at {@code icount}. */
    public static long mtime(long icount, long skew, long ipt) {
        return (icount + skew) / ipt;
    }

    /**
     * The first icount {@code >= icount} at which {@link #mtime} reaches {@code target}, or
     * {@link Long#MAX_VALUE} for a target no run can reach (including the unsigned-huge values
     * a guest writes to mtimecmp to disarm its timer).
     */
    public static long icountForMtime(long icount, long target, long skew, long ipt) {
        if (target < 0 || target > (Long.MAX_VALUE - ipt) / ipt) {
            return Long.MAX_VALUE;
        }
        return Math.max(target * ipt - skew, icount);
    }
}
