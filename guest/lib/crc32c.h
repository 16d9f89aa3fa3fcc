/*
 * crc32c.h — CRC-32C (Castagnoli), the checksum of every metadata block and
 * data extent of the key/value store (FORMAT.md). Shared by the kernel and
 * the user programs that read the disk format (fsck, kvcorrupt).
 */
#ifndef TINYOS_CRC32C_H
#define TINYOS_CRC32C_H
#include "types.h"

/* CRC-32C of n bytes, continuing from crc (start with 0). crc32c("123456789") = 0xE3069283. */
uint32 crc32c(uint32 crc, const void *data, usize n);

#endif
