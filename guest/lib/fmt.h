/*
 * fmt.h — printf-style formatting shared by kprintf (kernel) and printf (user).
 * See fmt.c for the supported conversions.
 */
#ifndef TINYOS_FMT_H
#define TINYOS_FMT_H
#include "types.h"

/* Receives each output character; ctx is the caller's cookie. */
typedef void (*fmt_putc_fn)(void *ctx, char c);

/* Formats fmt with ap, calling putc per character; returns characters emitted. */
int fmt_vformat(fmt_putc_fn putc, void *ctx, const char *fmt, va_list ap);
/* Formats into buf (always NUL-terminated if size > 0); returns the full length. */
int fmt_vsnprintf(char *buf, usize size, const char *fmt, va_list ap);
/* Formats into buf (always NUL-terminated if size > 0); returns the full length. */
int fmt_snprintf(char *buf, usize size, const char *fmt, ...);

#endif
