package dev.tinyos.core.input;

/**
 * The replay boundary: the one narrow interface through which everything the guest cannot
 * compute for itself enters the machine — the clock, UART input bytes, device request
 * completions, a stop request from the user.
 *
 * <p>Invariants:
 * <ul>
 *   <li>The machine calls these methods only on its own thread, only at instruction
 *       boundaries, and never runs the hart past {@link #nextInputAt} without calling
 *       {@link #deliver} there.</li>
 *   <li>{@link #mtime} is a pure function of the icount and of what this source has already
 *       delivered: calling it twice at the same icount gives the same value, and it never
 *       decreases.</li>
 *   <li>A live source, a recorder wrapping a live source and a replayer reading a log all
 *       implement this interface; nothing else in {@code core/} may observe the host.</li>
 * </ul>
 * Time is in CLINT ticks ({@code mtime} units, 10 MHz on the virt board).
 */
public interface InputSource {

    /** The guest-visible {@code mtime} at instruction count {@code icount}. */
    long mtime(long icount);

    /**
     * The smallest icount {@code >= icount} at which {@link #mtime} reaches {@code target}
     * if no input intervenes, or {@link Long#MAX_VALUE} if this source cannot predict it
     * (the machine then relies on {@link #nextInputAt} to bound its slices).
     */
    long icountForMtime(long icount, long target);

    /** The icount (>= {@code icount}) at which {@link #deliver} must next be called. */
    long nextInputAt(long icount);

    /** Delivers every input that takes effect at or before {@code icount}, in order. */
    void deliver(long icount, InputSink sink);

    /**
     * The hart is waiting for an interrupt at {@code icount} and no timer fires before
     * {@code wakeMtime} ({@link Long#MAX_VALUE}: no timer armed). The source advances its
     * notion of time and/or waits for host input, then returns; afterwards either
     * {@code nextInputAt(icount) == icount} or {@code mtime(icount) >= wakeMtime}, or
     * {@link #exhausted} is true.
     */
    void idle(long icount, long wakeMtime);

    /**
     * True when the guest is idle with nothing left that could ever wake it (no timer, no
     * pending completion, no more input): the machine ends the run instead of waiting forever.
     */
    boolean exhausted();

    /**
     * Device {@code device} started request {@code tag} at {@code icount}; the source decides
     * when it completes and reports it through {@link InputSink#requestCompleted}.
     */
    void requestStarted(int device, long tag, long icount);

    /** Releases host resources (threads, terminals, files). Idempotent. */
    default void close() {
    }
}
