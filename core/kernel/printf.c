/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel printing: a small printf to the HAL console or a buffer, and the kassert failure path. */
#include <kaal/kernel.h>
#include <kaal/printf.h>
#include <kaal/string.h>
#include <hal/hal.h>

struct sink {
    char *buf;    /* NULL: console */
    size_t size;  /* buffer size */
    size_t count; /* characters produced */
};

static void sink_put(struct sink *s, char c)
{
    if (!s->buf) {
        hal_console_putc(c);
    } else if (s->count + 1 < s->size) {
        s->buf[s->count] = c;
    }
    s->count++;
}

static void put_number(struct sink *s, unsigned long long v, unsigned base, bool neg, int width,
                       char pad)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (neg) {
        if (pad == '0') {
            sink_put(s, '-');
        } else {
            tmp[n++] = '-';
        }
        width--;
    }
    for (int i = n; i < width; i++) {
        sink_put(s, pad);
    }
    while (n) {
        sink_put(s, tmp[--n]);
    }
}

static int format(struct sink *s, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            sink_put(s, *fmt);
            continue;
        }
        fmt++;
        char pad = ' ';
        int width = 0, longs = 0;
        if (*fmt == '0') {
            pad = '0';
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9') {
            width = width * 10 + (*fmt++ - '0');
        }
        while (*fmt == 'l' || *fmt == 'z') {
            longs++;
            fmt++;
        }
        switch (*fmt) {
        case 'd':
        case 'i': {
            long long v = longs ? va_arg(ap, long long) : va_arg(ap, int);
            put_number(s, v < 0 ? -(unsigned long long)v : (unsigned long long)v, 10, v < 0, width,
                       pad);
            break;
        }
        case 'u':
        case 'x': {
            unsigned long long v = longs ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);
            put_number(s, v, *fmt == 'u' ? 10 : 16, false, width, pad);
            break;
        }
        case 'p':
            sink_put(s, '0');
            sink_put(s, 'x');
            put_number(s, (uintptr_t)va_arg(ap, void *), 16, false, width, pad);
            break;
        case 's': {
            const char *str = va_arg(ap, const char *);
            if (!str) {
                str = "(null)";
            }
            int len = (int)kstrlen(str);
            for (int i = len; i < width; i++) {
                sink_put(s, ' ');
            }
            while (*str) {
                sink_put(s, *str++);
            }
            break;
        }
        case 'c':
            sink_put(s, (char)va_arg(ap, int));
            break;
        case '%':
            sink_put(s, '%');
            break;
        case '\0':
            return (int)s->count;
        default:
            sink_put(s, '%');
            sink_put(s, *fmt);
            break;
        }
    }
    return (int)s->count;
}

int kvprintf(const char *fmt, va_list ap)
{
    struct sink s = {0};
    return format(&s, fmt, ap);
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvprintf(fmt, ap);
    va_end(ap);
    return n;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    struct sink s = {.buf = buf, .size = size};
    va_list ap;
    va_start(ap, fmt);
    int n = format(&s, fmt, ap);
    va_end(ap);
    if (size) {
        buf[s.count < size ? s.count : size - 1] = '\0';
    }
    return n;
}

#ifdef CONFIG_PRINTING
void kernel_user_error(const struct kuser_error_site *site, const char *fmt, ...)
{
    struct tcb *t = ks.cur_thread;
    kprintf("<<KaaL(CPU 0) [%s/%d T%p \"%s\" @%lx]: ", site->func, site->line, (void *)t,
            t ? t->name : "", t ? (unsigned long)hal_reg_get(&t->arch, REG_FAULT_IP) : 0ul);
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf(">>\n");
}
#endif

void kassert_fail(const char *expr, const char *file, int line, const char *func)
{
    struct tcb *t = ks.cur_thread;
    kprintf("KaaL kernel panic: %s\n  at %s:%d in %s()\n  current thread %p \"%s\"\n", expr, file,
            line, func, (void *)t, t ? t->name : "(none)");
    hal_panic_dump();
    hal_halt();
}
