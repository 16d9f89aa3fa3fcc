package dev.tinyos.analysis;

/**
 * The tracepoints of tiny-os (guest/TRACEPOINTS.md): one constant per kernel function, named by
 * its ELF symbol. Invariant: the order of constants and their symbol names follow the ABI
 * document; a name changes only together with that file.
 */
public enum Tracepoint {
    SCHED_SWITCH("trace_sched_switch"),
    PROC_CREATE("trace_proc_create"),
    EXEC("trace_exec"),
    PROC_EXIT("trace_proc_exit"),
    SLEEP("trace_sleep"),
    WAKEUP("trace_wakeup"),
    SYSCALL_ENTER("trace_syscall_enter"),
    SYSCALL_EXIT("trace_syscall_exit"),
    TIMER_TICK("trace_timer_tick"),
    BLK_SUBMIT("trace_blk_submit"),
    BLK_COMPLETE("trace_blk_complete"),
    BCACHE_HIT("trace_bcache_hit"),
    BCACHE_MISS("trace_bcache_miss"),
    BCACHE_EVICT("trace_bcache_evict"),
    BCACHE_WRITEBACK("trace_bcache_writeback"),
    FS_COMMIT("trace_fs_commit"),
    FS_EXTENT_WRITE("trace_fs_extent_write"),
    FS_UNSHARE("trace_fs_unshare");

    private final String symbol;

    Tracepoint(String symbol) {
        this.symbol = symbol;
    }

    /** The kernel function's ELF symbol, e.g. {@code trace_sched_switch}. */
    public String symbol() {
        return symbol;
    }
}
