/*
 * fmt.c — a small printf engine.
 *
 * Conversions: %d %i %u %x %p %s %c %%, with the length modifiers l and ll
 * (both mean 64 bits on RV64), an optional '0' flag and a field width
 * ("%08x", "%-10s" pads on the right). %p prints 0x followed by 16 hex digits.
 * The engine never allocates; output goes through a caller-supplied putc, so
 * the kernel can point it at the UART and user programs at a line buffer.
 */
#include "fmt.h"
#include "string.h"

struct spec {
    int width;
    int zero;   /* pad with '0' instead of ' ' */
    int left;   /* pad on the right */
    int lng;    /* 0 = int, 1 = long / long long */
};

struct out {
    fmt_putc_fn putc;
    void *ctx;
    int n;
};

static void emit(struct out *o, char c)
{
    o->putc(o->ctx, c);
    o->n++;
}

static void emit_padded(struct out *o, const char *s, int len, const struct spec *sp)
{
    int pad = sp->width > len ? sp->width - len : 0;
    char fill = sp->zero && !sp->left ? '0' : ' ';
    if (fill == '0' && len > 0 && s[0] == '-') {
        emit(o, *s++);
        len--;
    }
    for (; !sp->left && pad > 0; pad--)
        emit(o, fill);
    for (int i = 0; i < len; i++)
        emit(o, s[i]);
    for (; sp->left && pad > 0; pad--)
        emit(o, ' ');
}

/* Writes v in the given base into the end of buf; returns the start. */
static char *utoa(char *end, uint64 v, int base)
{
    const char *digits = "0123456789abcdef";
    *--end = 0;
    do {
        *--end = digits[v % base];
        v /= base;
    } while (v);
    return end;
}

static void emit_number(struct out *o, uint64 v, int base, int neg, const struct spec *sp)
{
    char buf[24];
    char *s = utoa(buf + sizeof buf, v, base);
    if (neg)
        *--s = '-';
    emit_padded(o, s, (int)(buf + sizeof buf - 1 - s), sp);
}

static const char *parse_spec(const char *f, struct spec *sp)
{
    *sp = (struct spec){0, 0, 0, 0};
    for (; *f == '0' || *f == '-'; f++)
        *(*f == '0' ? &sp->zero : &sp->left) = 1;
    for (; *f >= '0' && *f <= '9'; f++)
        sp->width = sp->width * 10 + (*f - '0');
    for (; *f == 'l'; f++)
        sp->lng = 1;
    return f;
}

static void convert(struct out *o, char c, const struct spec *sp, va_list *ap)
{
    int64 sv;
    uint64 uv;
    const char *s;
    switch (c) {
    case 'd': case 'i':
        sv = sp->lng ? va_arg(*ap, int64) : va_arg(*ap, int);
        emit_number(o, sv < 0 ? -(uint64)sv : (uint64)sv, 10, sv < 0, sp);
        break;
    case 'u': case 'x':
        uv = sp->lng ? va_arg(*ap, uint64) : va_arg(*ap, unsigned int);
        emit_number(o, uv, c == 'u' ? 10 : 16, 0, sp);
        break;
    case 'p':
        emit(o, '0'), emit(o, 'x');
        emit_number(o, va_arg(*ap, uint64), 16, 0, &(struct spec){16, 1, 0, 1});
        break;
    case 's':
        s = va_arg(*ap, const char *);
        s = s ? s : "(null)";
        emit_padded(o, s, 0x7fffffff & (int)strlen(s), sp);
        break;
    case 'c':
        emit(o, (char)va_arg(*ap, int));
        break;
    default:   /* %% and unknown conversions print themselves */
        emit(o, '%');
        if (c != '%')
            emit(o, c);
    }
}

int fmt_vformat(fmt_putc_fn putc, void *ctx, const char *fmt, va_list ap)
{
    struct out o = {putc, ctx, 0};
    struct spec sp;
    va_list aq;
    __builtin_va_copy(aq, ap);
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            emit(&o, *f);
            continue;
        }
        f = parse_spec(f + 1, &sp);
        if (!*f)
            break;
        convert(&o, *f, &sp, &aq);
    }
    va_end(aq);
    return o.n;
}

struct bufctx {
    char *buf;
    usize size, len;
};

static void buf_putc(void *ctx, char c)
{
    struct bufctx *b = ctx;
    if (b->len + 1 < b->size)
        b->buf[b->len] = c;
    b->len++;
}

int fmt_vsnprintf(char *buf, usize size, const char *fmt, va_list ap)
{
    struct bufctx b = {buf, size, 0};
    int n = fmt_vformat(buf_putc, &b, fmt, ap);
    if (size > 0)
        buf[b.len < size ? b.len : size - 1] = 0;
    return n;
}

int fmt_snprintf(char *buf, usize size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
