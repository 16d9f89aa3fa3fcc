/*
 * trace.c — tracepoints: the kernel's event ABI for the replay analysis.
 *
 * Each tracepoint is a real, separately compiled function that does nothing.
 * `noipa` keeps GCC from inlining, cloning or specialising it, `used` keeps
 * it in the image, and the empty asm that "uses" every argument keeps the
 * arguments in a0..a5 at the function's first instruction. An analysis probe
 * on the symbol reads the event from those registers; on QEMU the call costs
 * a few instructions. The names and argument order are a documented ABI:
 * guest/TRACEPOINTS.md. Change them only together with that file.
 */
#include "kernel.h"

#define TRACEPOINT __attribute__((noinline, noipa, used))

TRACEPOINT void trace_sched_switch(uint64 prev_pid, uint64 next_pid, uint64 reason, uint64 tick)
{
    asm volatile("" : : "r"(prev_pid), "r"(next_pid), "r"(reason), "r"(tick));
}

TRACEPOINT void trace_proc_create(uint64 pid, uint64 parent_pid, const char *name)
{
    asm volatile("" : : "r"(pid), "r"(parent_pid), "r"(name));
}

TRACEPOINT void trace_exec(uint64 pid, const char *name)
{
    asm volatile("" : : "r"(pid), "r"(name));
}

TRACEPOINT void trace_proc_exit(uint64 pid, uint64 status)
{
    asm volatile("" : : "r"(pid), "r"(status));
}

TRACEPOINT void trace_sleep(uint64 pid, uint64 chan)
{
    asm volatile("" : : "r"(pid), "r"(chan));
}

TRACEPOINT void trace_wakeup(uint64 pid, uint64 chan)
{
    asm volatile("" : : "r"(pid), "r"(chan));
}

TRACEPOINT void trace_syscall_enter(uint64 pid, uint64 num, uint64 a0, uint64 a1, uint64 a2)
{
    asm volatile("" : : "r"(pid), "r"(num), "r"(a0), "r"(a1), "r"(a2));
}

TRACEPOINT void trace_syscall_exit(uint64 pid, uint64 num, uint64 ret)
{
    asm volatile("" : : "r"(pid), "r"(num), "r"(ret));
}

TRACEPOINT void trace_timer_tick(uint64 tick, uint64 pid)
{
    asm volatile("" : : "r"(tick), "r"(pid));
}

TRACEPOINT void trace_blk_submit(uint64 slot, uint64 type, uint64 sector, uint64 len)
{
    asm volatile("" : : "r"(slot), "r"(type), "r"(sector), "r"(len));
}

TRACEPOINT void trace_blk_complete(uint64 slot, uint64 type, uint64 sector, uint64 status)
{
    asm volatile("" : : "r"(slot), "r"(type), "r"(sector), "r"(status));
}

TRACEPOINT void trace_bcache_hit(uint64 blockno, uint64 buf)
{
    asm volatile("" : : "r"(blockno), "r"(buf));
}

TRACEPOINT void trace_bcache_miss(uint64 blockno, uint64 buf)
{
    asm volatile("" : : "r"(blockno), "r"(buf));
}

TRACEPOINT void trace_bcache_evict(uint64 old_blockno, uint64 new_blockno, uint64 buf)
{
    asm volatile("" : : "r"(old_blockno), "r"(new_blockno), "r"(buf));
}

TRACEPOINT void trace_bcache_writeback(uint64 blockno, uint64 buf, uint64 reason)
{
    asm volatile("" : : "r"(blockno), "r"(buf), "r"(reason));
}
