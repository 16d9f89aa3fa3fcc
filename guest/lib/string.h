/*
 * string.h — the handful of memory and string routines both the kernel and the
 * user programs need. See string.c.
 */
#ifndef TINYOS_STRING_H
#define TINYOS_STRING_H
#include "types.h"

void *memset(void *dst, int c, usize n);
void *memcpy(void *dst, const void *src, usize n);
void *memmove(void *dst, const void *src, usize n);
int memcmp(const void *a, const void *b, usize n);
usize strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, usize n);
char *strncpy_z(char *dst, const char *src, usize n);

#endif
