/*
 * fdt.c — just enough of a flattened device tree reader to learn how much RAM
 * there is.
 *
 * The boot loader (QEMU, or our emulator doing what QEMU does) passes the
 * physical address of a device tree blob in a1. The blob (devicetree.org
 * specification, chapter 5) is big-endian:
 *
 *   header:  magic 0xd00dfeed, totalsize, off_dt_struct, off_dt_strings, ...
 *   struct:  a token stream of 32-bit words, each item 4-byte aligned:
 *              FDT_BEGIN_NODE name\0 (padded)   FDT_END_NODE
 *              FDT_PROP len nameoff value[len]  FDT_NOP   FDT_END
 *   strings: property names, referenced by nameoff
 *
 * fdt_memory() walks the struct block once and returns the first range of
 * the `reg` property of the first node at depth 1 named "memory" or
 * "memory@...", decoded with the root's #address-cells and #size-cells
 * (2 and 2 if absent). It runs before paging (physical addresses) and reads
 * nothing outside [blob, blob + totalsize): a damaged tree gives -1, never a
 * wild read.
 */
#include "kernel.h"

#define FDT_MAGIC 0xd00dfeedU
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

static uint64 align4(uint64 a)
{
    return (a + 3) & ~3UL;
}

static uint32 be32(const uint8 *p)
{
    return ((uint32)p[0] << 24) | ((uint32)p[1] << 16) | ((uint32)p[2] << 8) | p[3];
}

static uint64 cells(const uint8 *p, uint32 n)
{
    uint64 v = 0;
    for (uint32 i = 0; i < n; i++)
        v = (v << 32) | be32(p + 4 * i);
    return v;
}

static int str_eq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static int is_memory_node(const char *name)
{
    const char *m = "memory";
    while (*m && *name == *m) {
        m++;
        name++;
    }
    return *m == 0 && (*name == 0 || *name == '@');
}

int fdt_memory(uint64 blob, uint64 *base, uint64 *size)
{
    const uint8 *h = (const uint8 *)blob;
    if (blob == 0 || blob % 4 || be32(h) != FDT_MAGIC)
        return -1;
    uint32 total = be32(h + 4), off_struct = be32(h + 8), off_strings = be32(h + 12);
    if (total < 40 || off_struct >= total || off_strings >= total)
        return -1;
    const uint8 *p = h + off_struct, *endp = h + total;
    uint32 acells = 2, scells = 2;
    int depth = 0, in_memory = 0;
    while (p + 4 <= endp) {
        uint32 tok = be32(p);
        p += 4;
        if (tok == FDT_BEGIN_NODE) {
            const char *name = (const char *)p;
            while (p < endp && *p)
                p++;
            p = (const uint8 *)align4((uint64)p + 1);
            depth++;
            in_memory = depth == 2 && is_memory_node(name);
        } else if (tok == FDT_END_NODE) {
            depth--;
            in_memory = 0;
        } else if (tok == FDT_PROP) {
            if (p + 8 > endp)
                return -1;
            uint32 len = be32(p), nameoff = be32(p + 4);
            const uint8 *val = p + 8;
            if (val + len > endp || off_strings + nameoff >= total)
                return -1;
            const char *pname = (const char *)h + off_strings + nameoff;
            if (depth == 1 && len == 4 && str_eq(pname, "#address-cells"))
                acells = be32(val);
            else if (depth == 1 && len == 4 && str_eq(pname, "#size-cells"))
                scells = be32(val);
            else if (in_memory && str_eq(pname, "reg") && acells <= 2 && scells <= 2
                     && len >= 4 * (acells + scells)) {
                *base = cells(val, acells);
                *size = cells(val + 4 * acells, scells);
                return 0;
            }
            p = (const uint8 *)align4((uint64)val + len);
        } else if (tok == FDT_END) {
            break;
        } else if (tok != FDT_NOP) {
            return -1;
        }
    }
    return -1;
}
