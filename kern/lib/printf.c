// SPDX-License-Identifier: MIT
//
// A small printf engine.  vformat() walks the format string and hands each
// output character to a sink; the kernel console and snprintf() are two such
// sinks.  No floating point: the kernel never formats it.

#include <lib/printf.h>
#include <stdint.h>
#include <stdbool.h>

struct spec {
    bool left, zero, plus, space, alt;
    int width;
    int prec; // -1 when absent
    int len;  // 0 plain, 1 l, 2 ll, -1 h, -2 hh, 3 size_t/ptrdiff_t/intmax_t
};

struct sink {
    printf_putc_t out;
    void *arg;
    int count;
};

static void
emit(struct sink *s, char c)
{
    s->out(c, s->arg);
    s->count++;
}

static void
pad(struct sink *s, char c, int n)
{
    while (n-- > 0)
        emit(s, c);
}

// Emits the digits of v in `base`, with sign/prefix, honouring width/precision.
static void
emit_number(struct sink *s, const struct spec *sp, uint64_t v, bool neg, int base, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];
    int n = 0;
    bool zero = v == 0;

    do {
        buf[n++] = digits[v % base];
        v /= base;
    } while (v != 0);

    const char *prefix = "";
    if (neg)
        prefix = "-";
    else if (sp->plus)
        prefix = "+";
    else if (sp->space)
        prefix = " ";
    if (sp->alt && base == 16 && !zero) // C prints 0, not 0x0, for "%#x"
        prefix = upper ? "0X" : "0x";
    if (sp->alt && base == 8 && buf[n - 1] != '0')
        prefix = "0";

    int plen = 0;
    while (prefix[plen] != '\0')
        plen++;
    int zeros = sp->prec > n ? sp->prec - n : 0;
    int fill = sp->width - plen - zeros - n;
    if (sp->zero && !sp->left && sp->prec < 0) {
        zeros += fill > 0 ? fill : 0;
        fill = 0;
    }
    if (!sp->left)
        pad(s, ' ', fill);
    for (int i = 0; i < plen; i++)
        emit(s, prefix[i]);
    pad(s, '0', zeros);
    while (n > 0)
        emit(s, buf[--n]);
    if (sp->left)
        pad(s, ' ', fill);
}

static void
emit_string(struct sink *s, const struct spec *sp, const char *str)
{
    if (str == NULL)
        str = "(null)";
    int n = 0;
    while (str[n] != '\0' && (sp->prec < 0 || n < sp->prec))
        n++;
    if (!sp->left)
        pad(s, ' ', sp->width - n);
    for (int i = 0; i < n; i++)
        emit(s, str[i]);
    if (sp->left)
        pad(s, ' ', sp->width - n);
}

// Parses flags, width, precision and length; returns the conversion character.
static const char *
parse_spec(const char *f, struct spec *sp, va_list *ap)
{
    *sp = (struct spec){.prec = -1};
    for (;; f++) {
        if (*f == '-')
            sp->left = true;
        else if (*f == '0')
            sp->zero = true;
        else if (*f == '+')
            sp->plus = true;
        else if (*f == ' ')
            sp->space = true;
        else if (*f == '#')
            sp->alt = true;
        else
            break;
    }
    if (*f == '*') {
        sp->width = va_arg(*ap, int);
        if (sp->width < 0) {
            sp->left = true;
            sp->width = -sp->width;
        }
        f++;
    }
    while (*f >= '0' && *f <= '9')
        sp->width = sp->width * 10 + (*f++ - '0');
    if (*f == '.') {
        f++;
        sp->prec = 0;
        if (*f == '*') {
            sp->prec = va_arg(*ap, int);
            f++;
        }
        while (*f >= '0' && *f <= '9')
            sp->prec = sp->prec * 10 + (*f++ - '0');
    }
    for (;; f++) {
        if (*f == 'l')
            sp->len = sp->len == 1 ? 2 : 1;
        else if (*f == 'h')
            sp->len = sp->len == -1 ? -2 : -1;
        else if (*f == 'z' || *f == 't' || *f == 'j')
            sp->len = 3;
        else
            break;
    }
    return f;
}

static int64_t
signed_arg(const struct spec *sp, va_list *ap)
{
    switch (sp->len) {
    case -2:
        return (signed char)va_arg(*ap, int);
    case -1:
        return (short)va_arg(*ap, int);
    case 0:
        return va_arg(*ap, int);
    default:
        return va_arg(*ap, int64_t);
    }
}

static uint64_t
unsigned_arg(const struct spec *sp, va_list *ap)
{
    switch (sp->len) {
    case -2:
        return (unsigned char)va_arg(*ap, unsigned);
    case -1:
        return (unsigned short)va_arg(*ap, unsigned);
    case 0:
        return va_arg(*ap, unsigned);
    default:
        return va_arg(*ap, uint64_t);
    }
}

static void
convert(struct sink *s, struct spec *sp, char c, va_list *ap)
{
    switch (c) {
    case 'd':
    case 'i': {
        int64_t v = signed_arg(sp, ap);
        emit_number(s, sp, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, false);
        break;
    }
    case 'u':
        emit_number(s, sp, unsigned_arg(sp, ap), false, 10, false);
        break;
    case 'x':
    case 'X':
        emit_number(s, sp, unsigned_arg(sp, ap), false, 16, c == 'X');
        break;
    case 'o':
        emit_number(s, sp, unsigned_arg(sp, ap), false, 8, false);
        break;
    case 'p':
        sp->alt = true;
        emit_number(s, sp, (uintptr_t)va_arg(*ap, void *), false, 16, false);
        break;
    case 's':
        emit_string(s, sp, va_arg(*ap, const char *));
        break;
    case 'c':
        emit(s, (char)va_arg(*ap, int));
        break;
    default:
        emit(s, '%');
        if (c != '%' && c != '\0')
            emit(s, c);
        break;
    }
}

int
vformat(printf_putc_t out, void *arg, const char *fmt, va_list ap)
{
    struct sink s = {out, arg, 0};
    va_list aq;

    va_copy(aq, ap);
    for (const char *f = fmt; *f != '\0'; f++) {
        if (*f != '%') {
            emit(&s, *f);
            continue;
        }
        struct spec sp;
        f = parse_spec(f + 1, &sp, &aq);
        convert(&s, &sp, *f, &aq);
        if (*f == '\0')
            break;
    }
    va_end(aq);
    return s.count;
}

struct strbuf {
    char *buf;
    size_t size, len;
};

static void
strbuf_putc(char c, void *arg)
{
    struct strbuf *b = arg;

    if (b->len + 1 < b->size)
        b->buf[b->len] = c;
    b->len++;
}

int
vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct strbuf b = {buf, size, 0};
    int n = vformat(strbuf_putc, &b, fmt, ap);

    if (size > 0)
        buf[b.len < size ? b.len : size - 1] = '\0';
    return n;
}

int
snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
