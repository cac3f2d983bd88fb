/* SPDX-License-Identifier: BSD-2-Clause */
/* libkaal: a tiny formatter for user code without libc: strings, hex, decimal and sizes, each
 * character through DebugPutChar. */
#ifndef KAAL_PRINT_H
#define KAAL_PRINT_H

#include <kaal/sys_types.h>

/* One character / a NUL-terminated string. */
void kaal_putc(char c);
void kaal_puts(const char *s);
/* s, then spaces up to width columns (left aligned; never truncates). */
void kaal_puts_pad(const char *s, unsigned width);
/* "0x" and v in lower-case hex: as few digits as needed, or at least `digits` (zero padded). */
void kaal_put_hex(seL4_Word v);
void kaal_put_hex_width(seL4_Word v, unsigned digits);
/* v in decimal; the _width form right-aligns it in width columns. */
void kaal_put_dec(seL4_Word v);
void kaal_put_dec_width(seL4_Word v, unsigned width);
/* A byte count, human readable: "16 B", "4 KiB", "1.5 GiB" (binary units, one decimal, truncated).
 */
void kaal_put_size(seL4_Word bytes);

#endif
