/* SPDX-License-Identifier: BSD-2-Clause */
/* PL011 driver protocol, the client side (kaal/pl011.h). */
#include <kaal/pl011.h>
#include <kaal/sys.h>

static void pack(const char *buf, seL4_Word n)
{
    for (seL4_Word w = 0; w * 8 < n; w++) {
        seL4_Word v = 0;
        for (seL4_Word b = 0; b < 8 && w * 8 + b < n; b++) {
            v |= (seL4_Word)(unsigned char)buf[w * 8 + b] << (8 * b);
        }
        sys_set_mr(1 + (int)w, v);
    }
}

int pl011_write(seL4_CPtr ep, const char *buf, seL4_Word n)
{
    while (n > 0) {
        seL4_Word chunk = n > PL011_MAX_BYTES ? PL011_MAX_BYTES : n;
        sys_set_mr(0, chunk);
        pack(buf, chunk);
        seL4_MessageInfo_t info =
            sys_call(ep, seL4_MessageInfo_new(PL011_WRITE, 0, 0, 1 + (chunk + 7) / 8));
        if (seL4_MessageInfo_get_label(info) != 0) {
            return -1;
        }
        buf += chunk;
        n -= chunk;
    }
    return 0;
}

long pl011_read(seL4_CPtr ep, char *buf, seL4_Word max)
{
    if (max > PL011_MAX_BYTES) {
        max = PL011_MAX_BYTES;
    }
    sys_set_mr(0, max);
    seL4_MessageInfo_t info = sys_call(ep, seL4_MessageInfo_new(PL011_READ, 0, 0, 1));
    if (seL4_MessageInfo_get_label(info) != 0) {
        return -1;
    }
    seL4_Word n = sys_get_mr(0);
    if (n > max) {
        return -1;
    }
    for (seL4_Word i = 0; i < n; i++) {
        buf[i] = (char)(sys_get_mr(1 + (int)(i / 8)) >> (8 * (i % 8)));
    }
    return (long)n;
}

void pl011_ping(seL4_CPtr ep) { (void)sys_call(ep, seL4_MessageInfo_new(PL011_PING, 0, 0, 0)); }
