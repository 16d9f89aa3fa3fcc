/*
 * sysblk.c — the block system calls: the raw disk as an array of 4 KiB
 * blocks, through the buffer cache (there is no file system yet).
 *
 *   blkread(n, buf)   copy block n to the user buffer (cache hit or disk read)
 *   blkwrite(n, buf)  overwrite block n in the cache and mark it dirty; it
 *                     reaches the disk on eviction or blksync
 *   blksync()         write back every dirty block and flush the device;
 *                     returns how many blocks were written
 *   blkinval()        forget clean cached blocks (returns how many), so
 *                     that the next reads really come from the disk
 *   blkinfo(&info)    geometry, transport and cache counters
 *
 * Every call returns -1 when there is no disk; blkread/blkwrite also for a
 * block beyond the disk or a failed transfer, blkwrite for a read-only disk.
 * A bad user pointer kills the caller (user_fault), as for other calls.
 */
#include "kernel.h"
#include "proc.h"
#include "buf.h"

uint64 argraw(int n);

static int64 block_arg(void)
{
    uint64 n = argraw(0);
    if (!vblk_present() || n >= vblk_sectors() / SECTORS_PER_BLOCK)
        return -1;
    return (int64)n;
}

int64 sys_blkread(void)
{
    int64 n = block_arg();
    uint64 ubuf = argraw(1);
    if (n < 0)
        return -1;
    struct buf *b = bread((uint64)n);
    if (!b)
        return -1;
    int r = copyout(myproc()->pagetable, ubuf, b->data, BSIZE);
    brelse(b);
    return r < 0 ? user_fault(ubuf, "blkread") : 0;
}

/* The user data is copied to a spare page first: a bad pointer must not damage the cache. */
int64 sys_blkwrite(void)
{
    int64 n = block_arg();
    uint64 ubuf = argraw(1);
    if (n < 0 || vblk_readonly())
        return -1;
    char *page = kalloc();
    if (!page)
        return -1;
    if (copyin(myproc()->pagetable, page, ubuf, BSIZE) < 0) {
        kfree(page);
        return user_fault(ubuf, "blkwrite");
    }
    struct buf *b = bget((uint64)n);
    memcpy(b->data, page, BSIZE);
    kfree(page);
    b->valid = 1;
    bwrite(b);
    brelse(b);
    return 0;
}

int64 sys_blksync(void)
{
    return vblk_present() ? bsync() : -1;
}

int64 sys_blkinval(void)
{
    return vblk_present() ? binval() : -1;
}

int64 sys_blkinfo(void)
{
    struct blkinfo bi;
    if (!vblk_present())
        return -1;
    bstats(&bi);
    bi.nblocks = vblk_sectors() / SECTORS_PER_BLOCK;
    bi.version = (unsigned long)vblk_version();
    bi.slot = (unsigned long)vblk_slot();
    bi.readonly = (unsigned long)vblk_readonly();
    bi.flush = (unsigned long)vblk_can_flush();
    if (copyout(myproc()->pagetable, argraw(0), &bi, sizeof bi) < 0)
        return user_fault(argraw(0), "blkinfo");
    return 0;
}
