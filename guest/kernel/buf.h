/*
 * buf.h — a buffer of the block cache (bio.c): one 4 KiB disk block.
 *
 * Invariants: blockno, refcnt and the LRU links are guarded by the cache
 * lock; valid, dirty and data by the buffer's sleeplock, which a process
 * holds from bread/bget until brelse. A buffer with refcnt 0 is unlocked,
 * so the cache may inspect valid/dirty of such a buffer under its own lock.
 * dirty implies valid: dirty data is newer than the disk and reaches it on
 * eviction or bsync.
 */
#ifndef TINYOS_BUF_H
#define TINYOS_BUF_H
#include "sleeplock.h"
#include "../lib/syscall_nr.h"

#define BSIZE 4096
#define SECTORS_PER_BLOCK (BSIZE / 512)
#define NBUF 32

struct buf {
    int valid;                  /* data holds the block's contents */
    int dirty;                  /* data differs from the disk */
    uint64 blockno;
    int refcnt;
    int index;                  /* position in the buffer array (tracepoints) */
    struct sleeplock lock;
    struct buf *prev, *next;    /* LRU list: head.next is most recently used */
    struct blkreq req;          /* the buffer's disk request while it is in flight */
    uint8 *data;                /* BSIZE bytes, identity-mapped */
    int csum_ok;                /* the kv store checked or sealed exactly these bytes
                                   (cleared by a reload and by every bwrite) */
};

/* write-back reasons (trace_bcache_writeback a2) */
#define WB_EVICT 1
#define WB_SYNC 2

void binit(void);
struct buf *bget(uint64 blockno);
struct buf *bread(uint64 blockno);
void bwrite(struct buf *b);
void brelse(struct buf *b);
int bsync(void);
int binval(void);
void bstats(struct blkinfo *out);

#endif
