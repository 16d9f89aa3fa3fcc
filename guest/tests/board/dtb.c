/*
 * dtb.c - the boot protocol's device tree. With -bios none QEMU starts the kernel with
 * a0 = hart id and a1 = the physical address of a flattened device tree (FDT) that it placed
 * near the top of RAM; our board must do the same so kernels we did not write can find
 * their memory and devices.
 *
 * An FDT (devicetree specification, chapter 5) is big-endian:
 *
 *   header    magic 0xd00dfeed, totalsize, off_dt_struct, off_dt_strings, off_mem_rsvmap,
 *             version (17), last_comp_version (16), boot_cpuid_phys, size_dt_strings,
 *             size_dt_struct - ten 32-bit words
 *   structure tokens: BEGIN_NODE name\0 (padded to 4), PROP len nameoff value (padded),
 *             END_NODE, NOP, END
 *   strings   property names, NUL-terminated, referenced by offset
 *
 * This program checks the header, then walks the structure block to read a few properties
 * every kernel needs: the root's cell sizes, /memory's reg, /chosen's stdout-path and the
 * timebase frequency in /cpus. It passes on QEMU 7.2 and on our board (both with -m 128M).
 */
#include "board.h"

#define FDT_MAGIC      0xd00dfeedU
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP        4
#define FDT_END        9

#define RAM_BASE 0x80000000UL
#define RAM_SIZE (128UL << 20)

static u32 be32(const u8 *p)
{
    return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static u64 be64(const u8 *p)
{
    return (u64)be32(p) << 32 | be32(p + 4);
}

static u32 hdr(const u8 *fdt, int word)
{
    return be32(fdt + 4 * word);
}

static int streq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* A node name matches "memory" if it is "memory" or "memory@<unit-address>". */
static int name_matches(const char *name, const char *want)
{
    while (*want && *name == *want)
        name++, want++;
    return *want == 0 && (*name == 0 || *name == '@');
}

static u32 align4(u32 n)
{
    return (n + 3) & ~3U;
}

/*
 * Returns property `prop` of the node at depth 1 named `node` (or of the root if node is
 * ""), with its length in *len, or 0 if there is none.
 */
static const u8 *find_prop(const u8 *fdt, const char *node, const char *prop, u32 *len)
{
    const u8 *p = fdt + hdr(fdt, 2), *end = p + hdr(fdt, 9);
    const char *strings = (const char *)fdt + hdr(fdt, 3);
    int depth = -1, inside = 0;
    while (p < end) {
        u32 tok = be32(p);
        p += 4;
        if (tok == FDT_BEGIN_NODE) {
            const char *name = (const char *)p;
            u32 n = 0;
            while (name[n])
                n++;
            p += align4(n + 1);
            depth++;
            inside = *node ? depth == 1 && name_matches(name, node) : depth == 0;
        } else if (tok == FDT_END_NODE) {
            depth--;
            inside = !*node && depth == 0;
        } else if (tok == FDT_PROP) {
            u32 plen = be32(p), nameoff = be32(p + 4);
            if (inside && streq(strings + nameoff, prop)) {
                *len = plen;
                return p + 8;
            }
            p += 8 + align4(plen);
        } else if (tok != FDT_NOP) {
            break;
        }
    }
    return 0;
}

static u32 prop32(const u8 *fdt, const char *node, const char *prop)
{
    u32 len = 0;
    const u8 *v = find_prop(fdt, node, prop, &len);
    return v && len == 4 ? be32(v) : 0xffffffffU;
}

static int header_ok(u64 a1)
{
    const u8 *fdt = (const u8 *)a1;
    u32 total = hdr(fdt, 1);
    int bad = 0;
    puts("dtb: magic="); puthex(hdr(fdt, 0));
    puts(" totalsize="); puthex(total);
    putc('\n');
    bad += check(hdr(fdt, 0) == FDT_MAGIC, "FDT magic 0xd00dfeed");
    bad += check(total >= 40 && a1 + total <= RAM_BASE + RAM_SIZE, "blob lies inside RAM");
    bad += check(hdr(fdt, 5) >= 17 && hdr(fdt, 6) <= 16, "version 17, compatible with 16");
    bad += check(hdr(fdt, 2) + hdr(fdt, 9) <= total && hdr(fdt, 3) + hdr(fdt, 8) <= total,
                 "structure and strings blocks inside totalsize");
    return bad;
}

static int tree_ok(const u8 *fdt)
{
    u32 len = 0;
    int bad = 0;
    bad += check(prop32(fdt, "", "#address-cells") == 2 && prop32(fdt, "", "#size-cells") == 2,
                 "root #address-cells = #size-cells = 2");
    const u8 *reg = find_prop(fdt, "memory", "reg", &len);
    if (reg && len == 16) {
        puts("dtb: memory base="); puthex(be64(reg));
        puts(" size="); puthex(be64(reg + 8));
        putc('\n');
    }
    bad += check(reg && len == 16 && be64(reg) == RAM_BASE && be64(reg + 8) == RAM_SIZE,
                 "/memory reg = <0x80000000 128 MiB>");
    const u8 *out = find_prop(fdt, "chosen", "stdout-path", &len);
    bad += check(out && streq((const char *)out, "/soc/serial@10000000"),
                 "/chosen stdout-path = /soc/serial@10000000");
    bad += check(prop32(fdt, "cpus", "timebase-frequency") == 10000000,
                 "/cpus timebase-frequency = 10 MHz");
    return bad;
}

int main(u64 hartid, u64 a1)
{
    puts("dtb: a0="); puthex(hartid);
    puts(" a1="); puthex(a1);
    putc('\n');
    int bad = check(hartid == 0, "a0 = hart id 0");
    if (check(a1 >= RAM_BASE && a1 < RAM_BASE + RAM_SIZE && (a1 & 7) == 0,
              "a1 is an 8-byte aligned RAM address"))
        return 1;
    bad += header_ok(a1);
    if (bad)
        return bad;
    return tree_ok((const u8 *)a1);
}
