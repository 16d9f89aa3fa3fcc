/*
 * elf.h — the subset of ELF64 the program loader reads: the file header and
 * program headers (PT_LOAD segments). Field names follow the ELF spec.
 */
#ifndef TINYOS_ELF_H
#define TINYOS_ELF_H
#include "../lib/types.h"

#define ELF_MAGIC 0x464C457FU   /* "\x7FELF" little-endian */
#define ELFCLASS64 2
#define EM_RISCV 243
#define PT_LOAD 1
#define PF_X 1
#define PF_W 2
#define PF_R 4

struct elfhdr {
    uint32 magic;
    uint8 ident[12];            /* ident[0] = EI_CLASS */
    uint16 type, machine;
    uint32 version;
    uint64 entry, phoff, shoff;
    uint32 flags;
    uint16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct proghdr {
    uint32 type, flags;
    uint64 off, vaddr, paddr, filesz, memsz, align;
};

#endif
