/*
 * string.c — freestanding memory and string helpers.
 *
 * The kernel and every user program link their own copy of this file. The
 * routines are byte-at-a-time except memset and memmove, which move 8 bytes
 * at a time when both addresses and the length allow it: the kernel fills
 * and copies whole pages (fork, kfree), and on an emulator every
 * instruction counts.
 * GCC may emit calls to memset/memcpy for struct assignment even with
 * -fno-builtin, which is why these names must exist.
 */
#include "string.h"

static int aligned8(const void *a, const void *b, usize n)
{
    return (((usize)a | (usize)b | n) & 7) == 0;
}

void *memset(void *dst, int c, usize n)
{
    uint8 *d = dst;
    if (aligned8(dst, dst, n)) {
        uint64 v = 0x0101010101010101UL * (uint8)c;
        for (uint64 *w = dst; n > 0; n -= 8)
            *w++ = v;
        return dst;
    }
    while (n-- > 0)
        *d++ = (uint8)c;
    return dst;
}

void *memcpy(void *dst, const void *src, usize n)
{
    return memmove(dst, src, n);
}

/* Copies correctly when the ranges overlap in either direction. */
void *memmove(void *dst, const void *src, usize n)
{
    uint8 *d = dst;
    const uint8 *s = src;
    if (aligned8(d, s, n) && (d + n <= s || s + n <= d)) {
        uint64 *wd = dst;
        const uint64 *ws = src;
        for (usize i = 0; i < n / 8; i++)
            wd[i] = ws[i];
    } else if (d < s) {
        while (n-- > 0)
            *d++ = *s++;
    } else if (d > s) {
        while (n-- > 0)
            d[n] = s[n];
    }
    return dst;
}

int memcmp(const void *a, const void *b, usize n)
{
    const uint8 *x = a, *y = b;
    for (usize i = 0; i < n; i++)
        if (x[i] != y[i])
            return x[i] - y[i];
    return 0;
}

usize strlen(const char *s)
{
    usize n = 0;
    while (s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (uint8)*a - (uint8)*b;
}

int strncmp(const char *a, const char *b, usize n)
{
    while (n > 0 && *a && *a == *b)
        n--, a++, b++;
    return n == 0 ? 0 : (uint8)*a - (uint8)*b;
}

/* Like strncpy, but always NUL-terminates (n > 0) and does not pad. */
char *strncpy_z(char *dst, const char *src, usize n)
{
    usize i = 0;
    if (n == 0)
        return dst;
    for (; i + 1 < n && src[i]; i++)
        dst[i] = src[i];
    dst[i] = 0;
    return dst;
}
