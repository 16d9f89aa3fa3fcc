/*
 * mblock.c — metadata blocks of the key/value store: every superblock,
 * internal node and leaf starts with the 64-byte header of lib/kvfmt.h and
 * is checksummed with CRC-32C over bytes 4..4095.
 *
 * mb_read() is the only way the store reads a tree block, and it checks
 * everything the reader already knows about the block before anyone looks
 * inside: the address is within the store, the disk read worked, the magic,
 * the checksum, the address the block was written for (a misdirected write
 * lands at the wrong place with the right checksum), the file system id (a
 * leftover block of an earlier mkfs), the owner tree, the level the parent
 * expects, the type that level implies, and the generation the parent
 * pointer recorded (a lost write leaves an older, self-consistent block).
 * A block that fails says so on the console — which block, which check,
 * both values — and the caller gets KV_EIO; nothing panics and nothing is
 * used. The header checks run on every read, cache hits included. The
 * checksum runs whenever the bytes may differ from what the store last
 * checked or sealed: the buffer cache clears buf.csum_ok when it loads a
 * block from the disk and on every bwrite, so a block read from the disk
 * or changed behind the store's back (a raw blkwrite) is verified again;
 * the store's own changes reseal the block (mb_write) before release.
 */
#include "kv.h"

struct kv_header *mb_hdr(struct buf *b)
{
    return (struct kv_header *)b->data;
}

static uint32 block_csum(const uint8 *data)
{
    return crc32c(0, data + 4, KV_BSIZE - 4);
}

void mb_seal(struct buf *b)
{
    mb_hdr(b)->csum = block_csum(b->data);
}

/* Seals a changed block and hands it to the cache as a delayed write. */
void mb_write(struct buf *b)
{
    mb_seal(b);
    bwrite(b);
    b->csum_ok = 1;
}

static int bad(uint64 blockno, const char *check, uint64 found, uint64 want)
{
    kprintf("kv: block %ld: bad %s (found %ld, expected %ld)\n", blockno, check, found, want);
    return KV_EIO;
}

/* The same for bit patterns (magic, checksum, fsid), shown in hex. */
static int bad_hex(uint64 blockno, const char *check, uint64 found, uint64 want)
{
    kprintf("kv: block %ld: bad %s (found %lx, expected %lx)\n", blockno, check, found, want);
    return KV_EIO;
}

/* The checks every metadata block must pass, whoever points at it. */
static int check_common(uint64 blockno, struct buf *b)
{
    const struct kv_header *h = (const struct kv_header *)b->data;
    if (h->magic != KV_MAGIC)
        return bad_hex(blockno, "magic", h->magic, KV_MAGIC);
    uint32 c = b->csum_ok ? h->csum : block_csum(b->data);
    if (h->csum != c)
        return bad_hex(blockno, "checksum", h->csum, c);
    b->csum_ok = 1;
    if (h->blockno != blockno)
        return bad(blockno, "logical address", h->blockno, blockno);
    return 0;
}

/* The checks that need the parent's expectations. */
static int check_expected(uint64 blockno, const struct kv_header *h, uint64 gen, uint32 owner, int level)
{
    int type = level == 0 ? KV_BT_LEAF : KV_BT_NODE;
    if (h->fsid != kvfs.fsid)
        return bad_hex(blockno, "file system id", h->fsid, kvfs.fsid);
    if (h->owner != owner)
        return bad(blockno, "owner tree", h->owner, owner);
    if (h->level != level)
        return bad(blockno, "level", h->level, (uint64)level);
    if (h->type != type)
        return bad(blockno, "block type", h->type, (uint64)type);
    if (h->gen != gen)
        return bad(blockno, "generation", h->gen, gen);
    return 0;
}

static int read_raw(uint64 blockno, struct buf **out)
{
    if (blockno >= vblk_sectors() / SECTORS_PER_BLOCK)
        return bad(blockno, "block number (beyond the disk)", blockno, vblk_sectors() / SECTORS_PER_BLOCK);
    *out = bread(blockno);
    if (!*out) {
        kprintf("kv: block %ld: read failed\n", blockno);
        return KV_EIO;
    }
    return 0;
}

int mb_read(uint64 blockno, uint64 gen, uint32 owner, int level, struct buf **out)
{
    if (blockno < KV_FIRST_BLOCK || blockno >= kvfs.nblocks)
        return bad(blockno, "block number (outside the store)", blockno, kvfs.nblocks);
    if (level < 0 || level > KV_MAX_LEVEL)
        return bad(blockno, "level (too deep)", (uint64)level, KV_MAX_LEVEL);
    struct buf *b;
    int r = read_raw(blockno, &b);
    if (r == 0 && (r = check_common(blockno, b)) == 0)
        r = check_expected(blockno, mb_hdr(b), gen, owner, level);
    if (r) {
        if (b)
            brelse(b);
        return r;
    }
    *out = b;
    return 0;
}

/* Superblock slots may legitimately be blank or torn: callers fall back to the others. */
int mb_read_super(int slot, struct buf **out)
{
    uint64 blockno = KV_SUPER_BLOCK(slot);
    struct buf *b = 0;
    int r = read_raw(blockno, &b);
    if (r == 0 && (r = check_common(blockno, b)) == 0) {
        struct kv_super *s = (struct kv_super *)b->data;
        if (s->h.type != KV_BT_SUPER)
            r = bad(blockno, "block type", s->h.type, KV_BT_SUPER);
        else if (s->h.level != slot)
            r = bad(blockno, "superblock slot", s->h.level, (uint64)slot);
        else if (s->version < KV_VERSION_MIN || s->version > KV_VERSION)
            r = bad(blockno, "format version", s->version, KV_VERSION);
    }
    if (r && b)
        brelse(b);
    if (r == 0)
        *out = b;
    return r;
}

/* A zeroed block of the running transaction, header filled, not yet sealed. */
struct buf *mb_new(uint64 blockno, uint32 owner, int level)
{
    struct buf *b = bget(blockno);
    memset(b->data, 0, KV_BSIZE);
    b->valid = 1;
    struct kv_header *h = mb_hdr(b);
    h->magic = KV_MAGIC;
    h->blockno = blockno;
    h->gen = kvfs.txn;
    h->fsid = kvfs.fsid;
    h->owner = owner;
    h->type = level == 0 ? KV_BT_LEAF : KV_BT_NODE;
    h->level = (uint16)level;
    return b;
}
