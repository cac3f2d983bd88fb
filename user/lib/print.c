/* SPDX-License-Identifier: BSD-2-Clause */
/* A tiny formatter for user code without libc: everything ends in one DebugPutChar per character.
 */
#include <kaal/print.h>

#include <kaal/sys.h>

void kaal_putc(char c) { sys_debug_put_char(c); }

void kaal_puts(const char *s)
{
    while (*s) {
        kaal_putc(*s++);
    }
}

void kaal_puts_pad(const char *s, unsigned width)
{
    unsigned n = 0;
    while (s[n]) {
        kaal_putc(s[n++]);
    }
    for (; n < width; n++) {
        kaal_putc(' ');
    }
}

void kaal_put_hex_width(seL4_Word v, unsigned digits)
{
    static const char hex[] = "0123456789abcdef";
    unsigned n = 1;
    while (n < 16 && (v >> (4 * n)) != 0) {
        n++;
    }
    if (digits > 16) {
        digits = 16;
    }
    if (n < digits) {
        n = digits;
    }
    kaal_puts("0x");
    while (n-- > 0) {
        kaal_putc(hex[(v >> (4 * n)) & 0xf]);
    }
}

void kaal_put_hex(seL4_Word v) { kaal_put_hex_width(v, 0); }

void kaal_put_dec_width(seL4_Word v, unsigned width)
{
    char buf[20]; /* 2^64 - 1 has 20 digits */
    unsigned n = 0;
    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    for (unsigned i = n; i < width; i++) {
        kaal_putc(' ');
    }
    while (n-- > 0) {
        kaal_putc(buf[n]);
    }
}

void kaal_put_dec(seL4_Word v) { kaal_put_dec_width(v, 0); }

void kaal_put_size(seL4_Word bytes)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    unsigned u = 0;
    while (u < 6 && (bytes >> (10 * (u + 1))) != 0) {
        u++;
    }
    seL4_Word whole = bytes >> (10 * u);
    kaal_put_dec(whole);
    if (u > 0) {
        /* One decimal of the remainder, truncated. */
        seL4_Word rem = bytes & ((1ull << (10 * u)) - 1);
        seL4_Word tenth = (rem >> (10 * u - 10)) * 10 >> 10;
        if (tenth != 0) {
            kaal_putc('.');
            kaal_putc((char)('0' + tenth));
        }
    }
    kaal_putc(' ');
    kaal_puts(units[u]);
}
