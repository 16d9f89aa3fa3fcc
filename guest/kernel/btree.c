/*
 * btree.c — a generic on-disk B-tree with copy-on-write path copying.
 *
 * Keys are (objectid, type, offset) triples (lib/kvfmt.h), compared in that
 * order, unique within a tree. Leaves hold items with variable-size data;
 * internal nodes hold (first key of the child, child block, child
 * generation). Both formats are drawn in lib/kvfmt.h.
 *
 * Copy on write. A block written by an earlier, committed transaction is
 * never changed: before a modification descends into it, cow() copies it to
 * a freshly allocated block stamped with the running transaction, frees the
 * old one (a deferred free: it is part of the durable tree until the next
 * superblock is on the disk) and points the parent at the copy. So a change
 * to a leaf copies the leaf and every ancestor up to the root, and the old
 * root still describes the whole old tree. A block already stamped with the
 * running transaction belongs to nobody else and is changed in place.
 *
 * Shape rules, checked by fsck:
 *   - all leaves are at level 0 and every path from the root has the same
 *     length (the tree only grows or shrinks at the root);
 *   - an internal node other than the root has node_max/2 .. node_max
 *     pointers; the root has 2 .. node_max (a root left with one child is
 *     replaced by that child);
 *   - a leaf other than the root holds at least one item and leaf_limit/4 ..
 *     leaf_limit bytes (items + data); an item is at most leaf_limit/4 bytes
 *     (KV_INLINE_MAX keeps values small), so a split of an overfull leaf
 *     leaves both halves above leaf_limit/4;
 *   - pointer i of a node carries exactly the first key of child i.
 *
 * Every modification is "gather, change, spread": the entries of the
 * affected block (and of its sibling, for a rebalance) are copied to a
 * scratch array, changed there, and written back into one block or, when
 * they no longer fit, two (a split). An underfull child is combined with a
 * neighbour: merged into one block when the entries fit, else spread evenly
 * over both. The recursion (apply) goes down through the tree copying, and
 * on its way back up each parent repairs its child pointer, absorbs a split
 * or rebalances an underfull child. Buffers stay locked along the path (at
 * most KV_MAX_LEVEL + 2 of the cache's 32).
 */
#include "kv.h"

/* Scratch space for gather/spread: two blocks' worth plus one entry. The store's lock guards it. */
struct lent {
    struct kv_key key;
    uint32 size;
    const uint8 *data;
};
static struct lent lents[2 * KV_LEAF_CAP / sizeof(struct kv_item) + 2];
static uint8 ldata[2 * KV_BSIZE + KV_BSIZE];
static uint32 ldata_used;
static struct kv_ptr nents[2 * KV_NODE_CAP + 2];

struct bt_res {
    int split;                        /* the node became two; right is the new one */
    struct kv_ptr right;
    uint32 nitems;                    /* of the (left) node afterwards */
    uint32 bytes;                     /* leaves: item + data bytes afterwards */
};

static struct kv_item *items(struct buf *b) { return (struct kv_item *)(b->data + KV_HDR_SIZE); }
static struct kv_ptr *ptrs(struct buf *b) { return (struct kv_ptr *)(b->data + KV_HDR_SIZE); }
static uint32 nitems(struct buf *b) { return mb_hdr(b)->nitems; }

static int corrupt(struct buf *b, const char *what)
{
    kprintf("kv: block %ld: corrupt %s\n", b->blockno, what);
    return KV_EIO;
}

/* Structural checks of a verified block that the header cannot express. */
static int check_shape(struct buf *b)
{
    uint32 n = nitems(b);
    if (mb_hdr(b)->level > 0)
        return n == 0 || n > KV_NODE_CAP ? corrupt(b, "pointer count") : 0;
    if (n > KV_LEAF_CAP / sizeof(struct kv_item))
        return corrupt(b, "item count");
    uint32 lo = KV_HDR_SIZE + n * sizeof(struct kv_item);
    for (uint32 i = 0; i < n; i++) {
        struct kv_item *it = &items(b)[i];
        if (it->offset < lo || it->offset > KV_BSIZE || it->size > KV_BSIZE - it->offset)
            return corrupt(b, "item offset");
    }
    return 0;
}

static int read_node(uint32 owner, const struct kv_ptr *p, int level, struct buf **out)
{
    int r = mb_read(p->blockno, p->gen, tree_owner(owner), level, out);
    if (r == 0 && (r = check_shape(*out)) != 0)
        brelse(*out);
    return r;
}

/* Index of the child whose subtree may hold k: the last pointer whose key <= k (0 if none). */
static uint32 child_slot(struct buf *b, const struct kv_key *k)
{
    uint32 lo = 0, hi = nitems(b);
    while (hi - lo > 1) {
        uint32 mid = (lo + hi) / 2;
        if (kv_key_cmp(&ptrs(b)[mid].key, k) <= 0)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* First item index whose key >= k. */
static uint32 item_slot(struct buf *b, const struct kv_key *k)
{
    uint32 lo = 0, hi = nitems(b);
    while (lo < hi) {
        uint32 mid = (lo + hi) / 2;
        if (kv_key_cmp(&items(b)[mid].key, k) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static struct kv_ptr root_ptr(uint32 owner)
{
    struct kv_root *r = &kvfs.root[owner];
    return (struct kv_ptr){.blockno = r->blockno, .gen = r->gen};
}

/* ---- read-only operations ---- */

/*
 * The leaf item with key k (floor = 0) or with the largest key <= k (floor =
 * 1): its key, size and up to max bytes of its data. A node's pointer i
 * carries the first key of child i, so the child that may hold k also holds
 * the floor of k whenever the floor exists.
 */
static int find(uint32 owner, const struct kv_key *k, int floor, struct kv_key *key, uint8 *out,
                uint32 max, uint32 *size)
{
    struct kv_ptr p = root_ptr(owner);
    for (int level = (int)kvfs.root[owner].level;; level--) {
        struct buf *b;
        int r = read_node(owner, &p, level, &b);
        if (r)
            return r;
        if (level > 0) {
            p = ptrs(b)[child_slot(b, k)];
            brelse(b);
            continue;
        }
        uint32 i = item_slot(b, k);
        int exact = i < nitems(b) && kv_key_cmp(&items(b)[i].key, k) == 0;
        r = KV_ENOENT;
        if (exact || (floor && i > 0)) {
            struct kv_item *it = &items(b)[exact ? i : i - 1];
            *key = it->key;
            *size = it->size;
            memcpy(out, b->data + it->offset, it->size < max ? it->size : max);
            r = 0;
        }
        brelse(b);
        return r;
    }
}

int bt_lookup(uint32 owner, const struct kv_key *k, uint8 *out, uint32 max, uint32 *size)
{
    struct kv_key found;
    return find(owner, k, 0, &found, out, max, size);
}

int bt_floor(uint32 owner, const struct kv_key *k, struct kv_key *found, uint8 *out, uint32 max,
             uint32 *size)
{
    return find(owner, k, 1, found, out, max, size);
}

/* First key > after in the subtree at p. */
static int next_in(uint32 owner, const struct kv_ptr *p, int level, const struct kv_key *after,
                   struct kv_key *found)
{
    struct buf *b = 0;
    int r = read_node(owner, p, level, &b);
    if (r)
        return r;
    r = KV_ENOENT;
    if (level == 0) {
        for (uint32 i = 0; i < nitems(b) && r == KV_ENOENT; i++)
            if (kv_key_cmp(&items(b)[i].key, after) > 0) {
                *found = items(b)[i].key;
                r = 0;
            }
    } else {
        for (uint32 i = child_slot(b, after); i < nitems(b) && r == KV_ENOENT; i++) {
            struct kv_ptr c = ptrs(b)[i];
            r = next_in(owner, &c, level - 1, after, found);
        }
    }
    brelse(b);
    return r;
}

int bt_next(uint32 owner, const struct kv_key *after, struct kv_key *found)
{
    struct kv_ptr p = root_ptr(owner);
    return next_in(owner, &p, (int)kvfs.root[owner].level, after, found);
}

static int walk_in(uint32 owner, const struct kv_ptr *p, int level, bt_visit_fn fn, void *ctx)
{
    struct buf *b = 0;
    int r = read_node(owner, p, level, &b);
    if (r)
        return r;
    for (uint32 i = 0; r == 0 && i < nitems(b); i++) {
        if (level == 0) {
            struct kv_item *it = &items(b)[i];
            r = fn(ctx, &it->key, b->data + it->offset, it->size);
        } else {
            struct kv_ptr c = ptrs(b)[i];
            r = walk_in(owner, &c, level - 1, fn, ctx);
        }
    }
    brelse(b);
    return r;
}

int bt_walk(uint32 owner, bt_visit_fn fn, void *ctx)
{
    struct kv_ptr p = root_ptr(owner);
    return walk_in(owner, &p, (int)kvfs.root[owner].level, fn, ctx);
}

/* ---- copy on write ---- */

/* A copy of old at block nb, stamped with the running transaction. */
static struct buf *copy_block(struct buf *old, uint64 nb)
{
    struct buf *b = bget(nb);
    memcpy(b->data, old->data, KV_BSIZE);
    b->valid = 1;
    mb_hdr(b)->blockno = nb;
    mb_hdr(b)->gen = kvfs.txn;
    return b;
}

/* Reads the block *ref points to and makes it writable in the running transaction. */
static int cow(uint32 owner, struct kv_ptr *ref, int level, struct buf **out)
{
    struct buf *old = 0;
    int r = read_node(owner, ref, level, &old);
    if (r || ref->gen == kvfs.txn) {
        *out = old;
        return r;
    }
    int64 nb = alloc_meta();
    if (nb < 0) {
        brelse(old);
        return (int)nb;
    }
    struct buf *b = copy_block(old, (uint64)nb);
    brelse(old);
    trace_kv_cow(ref->blockno, (uint64)nb, owner, (uint64)level);
    kvfs.cow_copies++;
    int shared = 0;
    if (tree_owner(owner) == KV_TREE_FS)
        r = fs_cow_shared(ref->blockno, b, level, &shared);   /* a snapshot may share it */
    if (r == 0 && !shared)
        r = free_blocks(ref->blockno, 1, ref->gen);
    if (r) {
        brelse(b);
        return r;
    }
    *ref = (struct kv_ptr){ref->key, (uint64)nb, kvfs.txn};
    *out = b;
    return 0;
}

/* Seals a changed block and hands it to the cache as a delayed write. */
static void finish(struct buf *b)
{
    mb_write(b);
    brelse(b);
}

static int new_block(uint32 owner, int level, struct buf **out)
{
    int64 nb = alloc_meta();
    if (nb < 0)
        return (int)nb;
    *out = mb_new((uint64)nb, tree_owner(owner), level);
    return 0;
}

/* ---- leaves: gather, spread ---- */

static uint32 lent_bytes(int from, int to)
{
    uint32 t = 0;
    for (int i = from; i < to; i++)
        t += KV_ITEM_BYTES(lents[i].size);
    return t;
}

/* Appends b's items to lents[n..], copying their data to the scratch area. */
static int leaf_gather(struct buf *b, int n)
{
    for (uint32 i = 0; i < nitems(b); i++, n++) {
        struct kv_item *it = &items(b)[i];
        memcpy(ldata + ldata_used, b->data + it->offset, it->size);
        lents[n] = (struct lent){it->key, it->size, ldata + ldata_used};
        ldata_used += it->size;
    }
    return n;
}

/* Writes lents[from..to) as the whole content of leaf b. */
static void leaf_fill(struct buf *b, int from, int to)
{
    uint32 end = KV_BSIZE;
    mb_hdr(b)->nitems = (uint32)(to - from);
    for (int i = from; i < to; i++) {
        end -= lents[i].size;
        items(b)[i - from] = (struct kv_item){lents[i].key, end, lents[i].size};
        memcpy(b->data + end, lents[i].data, lents[i].size);
    }
    memset(b->data + KV_HDR_SIZE + (to - from) * sizeof(struct kv_item), 0,
           end - KV_HDR_SIZE - (to - from) * sizeof(struct kv_item));
}

/* The split index of n entries that keeps both halves within the limit and closest in size. */
static int leaf_split_point(int n)
{
    uint32 total = lent_bytes(0, n), left = 0, best_diff = ~0u;
    int best = 1;
    for (int s = 1; s < n; s++) {
        left += KV_ITEM_BYTES(lents[s - 1].size);
        uint32 right = total - left;
        uint32 diff = left > right ? left - right : right - left;
        if (left <= kvfs.leaf_limit && right <= kvfs.leaf_limit && diff < best_diff) {
            best = s;
            best_diff = diff;
        }
    }
    return best;
}

/* Puts lents[0..n) into a, or into a and *second (allocated when 0) if they do not fit. */
static int leaf_spread(struct buf *a, struct buf **second, int n, struct bt_res *res)
{
    res->split = 0;
    if (lent_bytes(0, n) <= kvfs.leaf_limit) {
        leaf_fill(a, 0, n);
        res->nitems = (uint32)n;
        res->bytes = lent_bytes(0, n);
        return 0;
    }
    int s = leaf_split_point(n);
    if (!*second) {
        int r = new_block(mb_hdr(a)->owner, 0, second);
        if (r)
            return r;
    }
    leaf_fill(a, 0, s);
    leaf_fill(*second, s, n);
    res->split = 1;
    res->right = (struct kv_ptr){lents[s].key, (*second)->blockno, kvfs.txn};
    res->nitems = (uint32)s;
    res->bytes = lent_bytes(0, s);
    return 0;
}

static int leaf_apply(struct buf *b, struct bt_op *op, struct bt_res *res)
{
    ldata_used = 0;
    int n = leaf_gather(b, 0);
    int i = (int)item_slot(b, &op->key);
    int r = 0;
    op->found = i < n && kv_key_cmp(&lents[i].key, &op->key) == 0;
    if (op->found && op->on_old)
        r = op->on_old(lents[i].data, lents[i].size);
    if (r)
        return r;
    if (op->del && op->found) {
        memmove(&lents[i], &lents[i + 1], (n - i - 1) * sizeof lents[0]);
        n--;
    } else if (!op->del) {
        if (!op->found) {
            memmove(&lents[i + 1], &lents[i], (n - i) * sizeof lents[0]);
            n++;
        }
        lents[i] = (struct lent){op->key, op->size, op->data};
    }
    struct buf *second = 0;
    r = leaf_spread(b, &second, n, res);
    if (second)
        finish(second);
    return r;
}

/* ---- internal nodes: spread, pointer surgery ---- */

static void node_fill(struct buf *b, int from, int to)
{
    mb_hdr(b)->nitems = (uint32)(to - from);
    memcpy(ptrs(b), &nents[from], (to - from) * sizeof(struct kv_ptr));
    memset(&ptrs(b)[to - from], 0, (KV_NODE_CAP - (to - from)) * sizeof(struct kv_ptr));
}

static int node_spread(struct buf *a, struct buf **second, int n, struct bt_res *res)
{
    res->split = 0;
    if (n <= (int)kvfs.node_max) {
        node_fill(a, 0, n);
        res->nitems = (uint32)n;
        return 0;
    }
    int s = n / 2;
    if (!*second) {
        int r = new_block(mb_hdr(a)->owner, mb_hdr(a)->level, second);
        if (r)
            return r;
    }
    node_fill(a, 0, s);
    node_fill(*second, s, n);
    res->split = 1;
    res->right = (struct kv_ptr){nents[s].key, (*second)->blockno, kvfs.txn};
    res->nitems = (uint32)s;
    return 0;
}

/* Inserts p after slot i of node b, splitting b when it overflows. */
static int node_insert(struct buf *b, uint32 i, const struct kv_ptr *p, struct bt_res *res)
{
    int n = (int)nitems(b);
    memcpy(nents, ptrs(b), (i + 1) * sizeof(struct kv_ptr));
    nents[i + 1] = *p;
    memcpy(&nents[i + 2], &ptrs(b)[i + 1], (n - i - 1) * sizeof(struct kv_ptr));
    struct buf *second = 0;
    int r = node_spread(b, &second, n + 1, res);
    if (second)
        finish(second);
    return r;
}

static void node_remove(struct buf *b, uint32 i)
{
    uint32 n = nitems(b);
    memmove(&ptrs(b)[i], &ptrs(b)[i + 1], (n - i - 1) * sizeof(struct kv_ptr));
    memset(&ptrs(b)[n - 1], 0, sizeof(struct kv_ptr));
    mb_hdr(b)->nitems = n - 1;
}

static struct kv_key first_key(struct buf *b)
{
    if (nitems(b) == 0)
        return (struct kv_key){0};
    return mb_hdr(b)->level ? ptrs(b)[0].key : items(b)[0].key;
}

static int underfull(int level, const struct bt_res *res)
{
    if (level == 0)
        return res->nitems == 0 || res->bytes < kvfs.leaf_limit / 4;
    return res->nitems < kvfs.node_max / 2;
}

/* Gathers the entries of two neighbours (left first) into the scratch array. */
static int gather_pair(struct buf *l, struct buf *r, int level)
{
    if (level == 0) {
        ldata_used = 0;
        return leaf_gather(r, leaf_gather(l, 0));
    }
    memcpy(nents, ptrs(l), nitems(l) * sizeof(struct kv_ptr));
    memcpy(&nents[nitems(l)], ptrs(r), nitems(r) * sizeof(struct kv_ptr));
    return (int)(nitems(l) + nitems(r));
}

/* Child i of parent b is underfull: merge it with a neighbour, or share the neighbour's entries. */
static int rebalance(struct buf *b, uint32 i, int level)
{
    uint32 owner = mb_hdr(b)->owner, lo = i > 0 ? i - 1 : i;
    struct buf *l, *r;
    int err = cow(owner, &ptrs(b)[lo], level, &l);
    if (err)
        return err;
    if ((err = cow(owner, &ptrs(b)[lo + 1], level, &r)) != 0) {
        brelse(l);
        return err;
    }
    int n = gather_pair(l, r, level);
    struct bt_res res;
    err = level == 0 ? leaf_spread(l, &r, n, &res) : node_spread(l, &r, n, &res);
    ptrs(b)[lo].key = first_key(l);
    if (res.split) {
        ptrs(b)[lo + 1].key = first_key(r);
        finish(r);
    } else {
        err = err ? err : free_blocks(r->blockno, 1, kvfs.txn);
        brelse(r);
        node_remove(b, lo + 1);
    }
    finish(l);
    return err;
}

static int apply(uint32 owner, struct kv_ptr *ref, int level, struct bt_op *op, struct bt_res *res);

static int node_apply(struct buf *b, int level, struct bt_op *op, struct bt_res *res)
{
    uint32 i = child_slot(b, &op->key);
    struct bt_res cr;
    int r = apply(mb_hdr(b)->owner, &ptrs(b)[i], level - 1, op, &cr);
    res->split = 0;
    res->nitems = nitems(b);
    if (r)
        return r;
    if (cr.split)
        return node_insert(b, i, &cr.right, res);
    if (underfull(level - 1, &cr) && nitems(b) > 1) {
        r = rebalance(b, i, level - 1);
        res->nitems = nitems(b);
    }
    return r;
}

/* Applies op to the subtree *ref points to, copying on write; *ref follows the copy. */
static int apply(uint32 owner, struct kv_ptr *ref, int level, struct bt_op *op, struct bt_res *res)
{
    struct buf *b = 0;
    int r = cow(owner, ref, level, &b);
    if (r)
        return r;
    r = level == 0 ? leaf_apply(b, op, res) : node_apply(b, level, op, res);
    ref->key = first_key(b);
    finish(b);
    return r;
}

/* ---- the root: growing, shrinking, creating ---- */

/* The root split: a new root above the two halves. */
static int grow(uint32 owner, const struct kv_ptr *left, const struct kv_ptr *right)
{
    struct kv_root *root = &kvfs.root[owner];
    struct buf *b = 0;
    int r = new_block(owner, (int)root->level + 1, &b);
    if (r)
        return r;
    ptrs(b)[0] = *left;
    ptrs(b)[1] = *right;
    mb_hdr(b)->nitems = 2;
    *root = (struct kv_root){b->blockno, kvfs.txn, root->level + 1, 0};
    finish(b);
    return 0;
}

/* A root node with a single child is replaced by that child. */
static int shrink(uint32 owner)
{
    struct kv_root *root = &kvfs.root[owner];
    while (root->level > 0) {
        struct kv_ptr p = root_ptr(owner);
        struct buf *b;
        int r = read_node(owner, &p, (int)root->level, &b);
        if (r)
            return r;
        struct kv_ptr only = ptrs(b)[0];
        uint32 n = nitems(b);
        brelse(b);
        if (n > 1)
            return 0;
        if ((r = free_blocks(p.blockno, 1, p.gen)) != 0)
            return r;
        *root = (struct kv_root){only.blockno, only.gen, root->level - 1, 0};
    }
    return 0;
}

int bt_modify(uint32 owner, struct bt_op *op)
{
    if (!op->del && KV_ITEM_BYTES(op->size) > kvfs.leaf_limit / 4)
        return -1;
    struct kv_ptr ref = root_ptr(owner);
    struct bt_res res;
    int r = apply(owner, &ref, (int)kvfs.root[owner].level, op, &res);
    if (r)
        return r;
    kvfs.root[owner].blockno = ref.blockno;
    kvfs.root[owner].gen = ref.gen;
    if (res.split)
        return grow(owner, &ref, &res.right);
    return shrink(owner);
}

/* An empty tree: one empty leaf as its root. */
int bt_create(uint32 owner)
{
    struct buf *b = 0;
    int r = new_block(owner, 0, &b);
    if (r)
        return r;
    kvfs.root[owner] = (struct kv_root){b->blockno, kvfs.txn, 0, 0};
    finish(b);
    return 0;
}
