/*
 * malloc.c — the user heap allocator: malloc, free, calloc, realloc on top
 * of the sbrk system call (kernel/sysheap.c), with checks that turn the two
 * classic heap bugs, a double free and a write past the end of a block, into
 * one clear line and the death of the program (never of the kernel).
 *
 * Blocks. The heap [lo, hi) is tiled by blocks; every block is a multiple of
 * 16 bytes and starts on a 16-byte boundary, so every payload does too:
 *
 *   used block                                   free block
 *   +--------------------------+ <- h            +--------------------------+
 *   | size | USED  (8 bytes)   |                 | size | 0                 |
 *   | req (4)  | magic (4)     |                 | 0        | magic         |
 *   +--------------------------+ <- payload      +--------------------------+
 *   | the caller's req bytes   |    (16-aligned) | next free block          |
 *   |                          |                 | previous free block      |
 *   +- - - - - - - - - - - - - +                 |                          |
 *   | redzone: REDZONE bytes,  |                 | (anything)               |
 *   | at least 8 of them       |                 |                          |
 *   +--------------------------+                 +--------------------------+
 *   | size | USED  (footer)    |                 | size | 0  (footer)       |
 *   +--------------------------+ <- h + size     +--------------------------+
 *
 * The header's magic is HDR_MAGIC mixed with the block's own address, so a
 * header that was overwritten, or a pointer that is not the start of a
 * payload, does not pass for a block. The footer repeats the size word (a
 * boundary tag): it lets free find the block before it and merge with it in
 * constant time, and it is a second fence after the redzone.
 *
 * Free blocks sit on one doubly linked list (links in the payload) kept in
 * address order and searched first-fit: the lowest hole that fits is used,
 * which keeps long-lived blocks low and the top of the heap free to trim. A block found is split when the rest can be a block of its own
 * (MIN_BLOCK). free merges the block with free neighbours at once, so two
 * free blocks are never adjacent and the heap does not fragment into
 * unusable slivers. When no block fits, the heap grows with sbrk by at
 * least GROW_MIN (merging the new space with a free block at the top); when
 * the top block is free and larger than TRIM_AT, all but TRIM_KEEP of it
 * goes back to the kernel (sbrk with a negative size frees the pages).
 *
 * Checks (each ends the program through heap_abort: one line on stderr,
 * "PROGRAM: heap: WHAT PTR (...)", then the program kills itself, exit
 * status -1 as for any kill):
 *   - free/realloc of a pointer outside the heap or misaligned: "not from
 *     malloc"; one whose header has the wrong magic: "without a valid block
 *     header";
 *   - free/realloc of a block that is already free: "double free";
 *   - a changed redzone byte, footer, or the next block's header when a
 *     block is freed or reallocated (malloc_check walks every block):
 *     "write past the end of block".
 * A double free is caught as long as the block has not been handed out
 * again (its header stays marked free even after merging). Exhaustion is not
 * an error: malloc returns NULL when sbrk refuses (the kernel's HEAP_MAX,
 * or no free frames). malloc assumes it is the only user of sbrk once it
 * has started: if the break moved under it, growing fails (NULL).
 */
#include "user.h"
#include "../lib/fmt.h"

#define ALIGN 16UL
#define HDR 16UL                  /* header bytes */
#define FTR 8UL                   /* footer bytes */
#define MIN_REDZONE 8UL
#define MIN_BLOCK 48UL            /* header, two links, footer, rounded to 16 */
#define GROW_MIN (64UL << 10)
#define TRIM_AT (256UL << 10)
#define TRIM_KEEP (64UL << 10)
#define MAX_REQUEST (1UL << 31)     /* req is 32 bits; far above HEAP_MAX anyway */
#define USED 1UL
#define HDR_MAGIC 0x6d616c6cU     /* "mall" */
#define REDZONE 0xfd

struct hdr {
    unsigned long size;           /* whole block, multiple of 16 | USED */
    unsigned int req;             /* bytes asked for (used blocks) */
    unsigned int magic;
};

struct links {
    struct hdr *next, *prev;
};

static struct {
    char *lo, *hi;                /* the blocks tile [lo, hi) */
    struct hdr *free;             /* free list */
} heap;

/* ---- block helpers ---- */

static unsigned long bsize(const struct hdr *h) { return h->size & ~(ALIGN - 1); }
static int used(const struct hdr *h) { return h->size & USED; }
static unsigned int magic_of(const struct hdr *h) { return HDR_MAGIC ^ (unsigned int)(unsigned long)h; }
static struct links *links(struct hdr *h) { return (struct links *)(h + 1); }
static unsigned long *footer(const struct hdr *h) { return (unsigned long *)((char *)h + bsize(h) - FTR); }
static unsigned char *payload(struct hdr *h) { return (unsigned char *)(h + 1); }

static void set_block(struct hdr *h, unsigned long size, unsigned long use, unsigned long req)
{
    h->size = size | use;
    h->req = (unsigned int)req;
    h->magic = magic_of(h);
    *footer(h) = h->size;
}

static struct hdr *next_block(struct hdr *h)
{
    char *n = (char *)h + bsize(h);
    return n < heap.hi ? (struct hdr *)n : 0;
}

static struct hdr *prev_block(struct hdr *h)
{
    if ((char *)h <= heap.lo)
        return 0;
    unsigned long size = *((unsigned long *)h - 1) & ~(ALIGN - 1);
    return (struct hdr *)((char *)h - size);
}

/* The block size that holds n bytes, a redzone of at least MIN_REDZONE, header and footer. */
static unsigned long block_for(unsigned long n)
{
    unsigned long s = (n + HDR + FTR + MIN_REDZONE + ALIGN - 1) & ~(ALIGN - 1);
    return s < MIN_BLOCK ? MIN_BLOCK : s;
}

/* ---- the free list ---- */

/* Inserts h in address order (so first fit is address-ordered first fit). */
static void list_add(struct hdr *h)
{
    struct hdr *prev = 0, *next = heap.free;
    while (next && next < h)
        prev = next, next = links(next)->next;
    links(h)->prev = prev;
    links(h)->next = next;
    if (next)
        links(next)->prev = h;
    if (prev)
        links(prev)->next = h;
    else
        heap.free = h;
}

static void list_del(struct hdr *h)
{
    struct links *l = links(h);
    if (l->prev)
        links(l->prev)->next = l->next;
    else
        heap.free = l->next;
    if (l->next)
        links(l->next)->prev = l->prev;
}

/* ---- checks ---- */

static void heap_abort(const char *what, void *p, unsigned long size)
{
    char buf[256], sz[40] = "";
    if (size)
        fmt_snprintf(sz, sizeof sz, " (block of %ld bytes)", (long)size);
    int n = fmt_snprintf(buf, sizeof buf, "%s: heap: %s %p%s; killed\n",
                         progname ? progname : "?", what, p, sz);
    write(2, buf, n < (int)sizeof buf ? n : (int)sizeof buf - 1);
    kill(getpid());
    exit(-1);
}

/* The header of payload p, or an abort if p is not a block of this heap. */
static struct hdr *block_of(void *p)
{
    char *c = p;
    struct hdr *h = (struct hdr *)(c - HDR);
    if (c < heap.lo + HDR || c >= heap.hi || ((unsigned long)c & (ALIGN - 1)))
        heap_abort("free or realloc of a pointer that is not from malloc:", p, 0);
    if (h->magic != magic_of(h) || bsize(h) < MIN_BLOCK || bsize(h) > (unsigned long)(heap.hi - (char *)h))
        heap_abort("free or realloc of a pointer without a valid block header (not from malloc, "
                   "or overwritten):", p, 0);
    return h;
}

static int redzone_intact(struct hdr *h)
{
    unsigned char *z = payload(h) + h->req, *end = (unsigned char *)footer(h);
    for (; z < end; z++)
        if (*z != REDZONE)
            return 0;
    return 1;
}

/* A used block whose redzone, footer and successor's header are intact. */
static struct hdr *used_block(void *p, const char *op)
{
    struct hdr *h = block_of(p);
    if (!used(h))
        heap_abort(op, p, 0);        /* its size may be a merged block's now */
    struct hdr *n = next_block(h);
    if (!redzone_intact(h) || *footer(h) != h->size || (n && n->magic != magic_of(n)))
        heap_abort("write past the end of block", p, bsize(h));
    return h;
}

static void mark_used(struct hdr *h, unsigned long req)
{
    set_block(h, bsize(h), USED, req);
    memset(payload(h) + req, REDZONE, (unsigned char *)footer(h) - (payload(h) + req));
}

/* ---- splitting, merging, growing, trimming ---- */

/* Grows free block h over its successor if that is free too. */
static void absorb_next(struct hdr *h)
{
    struct hdr *n = next_block(h);
    if (n && !used(n)) {
        list_del(n);
        set_block(h, bsize(h) + bsize(n), 0, 0);
    }
}

/* Merges free block h with free neighbours; returns the merged block (not on the list). */
static struct hdr *coalesce(struct hdr *h)
{
    absorb_next(h);
    unsigned long size = bsize(h);
    struct hdr *p = prev_block(h);
    if (p && !used(p)) {
        list_del(p);
        size += bsize(p);
        h = p;
    }
    set_block(h, size, 0, 0);
    return h;
}

/*
 * Shrinks block h (being allocated or resized) to `need` bytes if the rest
 * makes a block; the rest becomes free, merged with a free successor.
 */
static void split(struct hdr *h, unsigned long need)
{
    unsigned long rest = bsize(h) - need;
    if (rest < MIN_BLOCK)
        return;
    unsigned long use = h->size & USED;
    set_block(h, need, use, h->req);
    struct hdr *r = (struct hdr *)((char *)h + need);
    set_block(r, rest, 0, 0);
    absorb_next(r);
    list_add(r);
}

static struct hdr *find_fit(unsigned long need)
{
    for (struct hdr *h = heap.free; h; h = links(h)->next)
        if (bsize(h) >= need)
            return h;
    return 0;
}

/* Sets up [lo, hi) at the break, 16-aligned; -1 if sbrk refuses. */
static int heap_init(void)
{
    char *b = (char *)sbrk(0);
    unsigned long pad = (ALIGN - (unsigned long)b % ALIGN) % ALIGN;
    if (b == (char *)-1 || (pad && sbrk((long)pad) == -1))
        return -1;
    heap.lo = heap.hi = b + pad;
    return 0;
}

/* Extends the heap so a free block of at least `need` bytes sits at its top. */
static struct hdr *grow(unsigned long need)
{
    if (!heap.lo && heap_init() < 0)
        return 0;
    struct hdr *top = heap.hi > heap.lo ? prev_block((struct hdr *)heap.hi) : 0;
    unsigned long have = top && !used(top) ? bsize(top) : 0;
    unsigned long least = ((need - have) + 4095) & ~4095UL;
    unsigned long ask = least < GROW_MIN ? GROW_MIN : least;
    long old = sbrk((long)ask);
    if (old == -1 && ask > least)         /* near the limit: just what is needed */
        old = sbrk((long)(ask = least));
    if (old == -1 || (char *)old != heap.hi)
        return 0;
    struct hdr *h = (struct hdr *)heap.hi;
    heap.hi += ask;
    set_block(h, ask, 0, 0);
    return coalesce(h);
}

/* Gives all but TRIM_KEEP of a large free top block back to the kernel. */
static void trim(struct hdr *top)
{
    if ((char *)top + bsize(top) != heap.hi || bsize(top) < TRIM_AT)
        return;
    unsigned long give = (bsize(top) - TRIM_KEEP) & ~4095UL;
    if (sbrk(-(long)give) == -1)
        return;
    heap.hi -= give;
    list_del(top);
    set_block(top, bsize(top) - give, 0, 0);
    list_add(top);
}

/* ---- the interface ---- */

void *malloc(unsigned long n)
{
    if (n > MAX_REQUEST)
        return 0;
    unsigned long need = block_for(n);
    struct hdr *h = find_fit(need);
    if (h)
        list_del(h);
    else if (!(h = grow(need)))
        return 0;
    split(h, need);
    mark_used(h, n);
    return payload(h);
}

void free(void *p)
{
    if (!p)
        return;
    struct hdr *h = used_block(p, "double free of");
    set_block(h, bsize(h), 0, 0);
    h = coalesce(h);
    list_add(h);
    trim(h);
}

void *calloc(unsigned long n, unsigned long size)
{
    if (size && n > MAX_REQUEST / size)
        return 0;
    void *p = malloc(n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

/* Grows h in place into a free successor if together they hold `need`. */
static int grow_in_place(struct hdr *h, unsigned long need)
{
    struct hdr *n = next_block(h);
    if (!n || used(n) || bsize(h) + bsize(n) < need)
        return 0;
    list_del(n);
    set_block(h, bsize(h) + bsize(n), USED, h->req);
    return 1;
}

void *realloc(void *p, unsigned long n)
{
    if (!p)
        return malloc(n);
    struct hdr *h = used_block(p, "realloc of freed block");
    if (n == 0) {
        free(p);
        return 0;
    }
    if (n > MAX_REQUEST)
        return 0;
    unsigned long need = block_for(n);
    if (need <= bsize(h) || grow_in_place(h, need)) {
        split(h, need);
        mark_used(h, n);
        return p;
    }
    void *q = malloc(n);
    if (q) {
        memcpy(q, p, h->req);
        free(p);
    }
    return q;
}

/* Walks every block: headers, footers, redzones, the free list; fills *st. */
void malloc_check(struct mallstat *st)
{
    memset(st, 0, sizeof *st);
    for (struct hdr *h = heap.lo < heap.hi ? (struct hdr *)heap.lo : 0; h; h = next_block(h)) {
        if (h->magic != magic_of(h) || *footer(h) != h->size)
            heap_abort("corrupt header or footer at", h, bsize(h));
        if (used(h)) {
            used_block(payload(h), "?");
            st->used_blocks++;
            st->used_bytes += h->req;
        } else {
            st->free_blocks++;
            st->free_bytes += bsize(h);
            st->largest_free = bsize(h) > st->largest_free ? bsize(h) : st->largest_free;
        }
    }
    for (struct hdr *h = heap.free; h; h = links(h)->next)
        st->listed++;
    st->heap_bytes = (unsigned long)(heap.hi - heap.lo);
}
