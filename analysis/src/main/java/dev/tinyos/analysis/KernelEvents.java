package dev.tinyos.analysis;

/**
 * The kernel events a job sees, decoded from the tracepoints of guest/TRACEPOINTS.md. This is
 * the narrow handler interface of the analysis (STYLE item 10): a job implements the methods it
 * cares about and never touches the machine. Every method receives the exact instruction count
 * ({@code icount}) at which the tracepoint was entered and the guest time in nanoseconds
 * ({@code timeNs}, from the machine's mtime). Invariant: events arrive in icount order, each
 * exactly once, on the replaying thread; the arguments are the tracepoint's registers a0..a4
 * with the types the ABI gives them (pids and codes as int, addresses and counts as long).
 */
public interface KernelEvents {
    /** Reason codes of {@code trace_sched_switch} (enum switch_reason in kernel/proc.h). */
    int SW_BOOT = 0, SW_YIELD = 1, SW_PREEMPT = 2, SW_SLEEP = 3, SW_EXIT = 4, SW_IDLE = 5;

    /** The CPU passes from {@code prev} to {@code next} (0 = idle); {@code reason} says why prev stopped. */
    default void schedSwitch(long icount, long timeNs, int prev, int next, int reason, long tick) {}

    /** Process {@code pid} becomes runnable for the first time; {@code name} read from guest memory. */
    default void procCreate(long icount, long timeNs, int pid, int parent, String name) {}

    /** Process {@code pid} now runs the program {@code name} (exec). */
    default void exec(long icount, long timeNs, int pid, String name) {}

    /** Process {@code pid} becomes a zombie with exit {@code status}. */
    default void procExit(long icount, long timeNs, int pid, int status) {}

    /** Process {@code pid} blocks on channel {@code chan}. */
    default void sleep(long icount, long timeNs, int pid, long chan) {}

    /** Sleeping process {@code pid} on {@code chan} becomes runnable. */
    default void wakeup(long icount, long timeNs, int pid, long chan) {}

    /** Before system call {@code number} of {@code pid} runs. */
    default void syscallEnter(long icount, long timeNs, int pid, int number, long arg0, long arg1, long arg2) {}

    /** After system call {@code number} of {@code pid} returned {@code ret}. */
    default void syscallExit(long icount, long timeNs, int pid, int number, long ret) {}

    /** Timer interrupt number {@code tick} found {@code runningPid} (0 = idle) on the CPU. */
    default void timerTick(long icount, long timeNs, long tick, int runningPid) {}

    /** A disk request is published in the virtqueue. */
    default void blkSubmit(long icount, long timeNs, int slot, int type, long sector, long len) {}

    /** The driver collects a disk request's completion. */
    default void blkComplete(long icount, long timeNs, int slot, int type, long sector, int status) {}

    /** {@code bget} found {@code blockno} in buffer {@code buf}. */
    default void bcacheHit(long icount, long timeNs, long blockno, int buf) {}

    /** {@code bget} assigned buffer {@code buf} to uncached {@code blockno}. */
    default void bcacheMiss(long icount, long timeNs, long blockno, int buf) {}

    /** A clean buffer holding {@code oldBlockno} is recycled for {@code newBlockno}. */
    default void bcacheEvict(long icount, long timeNs, long oldBlockno, long newBlockno, int buf) {}

    /** The write-back of dirty {@code blockno} completed; reason 1 = eviction, 2 = sync. */
    default void bcacheWriteback(long icount, long timeNs, long blockno, int buf, int reason) {}

    /**
     * A file-system commit is durable: generation {@code gen}, {@code blocksWritten} before its
     * superblock, {@code cowCopies} tree blocks copied in its transaction, {@code freeBlocks}
     * after it, {@code heights} the trees' levels a byte each (TRACEPOINTS.md).
     */
    default void fsCommit(long icount, long timeNs, long gen, long blocksWritten, long cowCopies, long freeBlocks,
                          long heights) {}

    /** A write put file blocks {@code fileBlock..+nblocks} of {@code ino} into a new extent at {@code diskStart}. */
    default void fsExtentWrite(long icount, long timeNs, long ino, long fileBlock, long diskStart, long nblocks) {}

    /** A change copied FS tree block {@code oldBlockno}, which a snapshot shared ({@code refs} references). */
    default void fsUnshare(long icount, long timeNs, long oldBlockno, long newBlockno, int level, long refs) {}
}
