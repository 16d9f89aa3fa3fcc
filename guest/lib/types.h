/*
 * types.h — fixed-width integer names shared by the kernel and user programs.
 *
 * Everything in tiny-os is freestanding (no libc), so the few types we need are
 * spelled out here from the compiler's built-in macros rather than <stdint.h>.
 */
#ifndef TINYOS_TYPES_H
#define TINYOS_TYPES_H

typedef unsigned char uint8;
typedef unsigned short uint16;
typedef unsigned int uint32;
typedef unsigned long uint64;
typedef long int64;
typedef int int32;
typedef unsigned long usize;
typedef __builtin_va_list va_list;

#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, type) __builtin_va_arg(ap, type)
#define va_end(ap) __builtin_va_end(ap)

#define NULL ((void *)0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
