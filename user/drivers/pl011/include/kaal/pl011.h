/* SPDX-License-Identifier: BSD-2-Clause */
/* The PL011 UART driver component and its endpoint protocol (docs/demo.md).
 *
 * Requests are Calls on a (badged) endpoint cap to the driver; the reply label is 0 on success:
 *   PL011_WRITE  MR0 = n (at most PL011_MAX_BYTES), bytes packed little-endian from MR1.
 *                Reply MR0 = n: the bytes are in the transmit FIFO.
 *   PL011_READ   MR0 = the most bytes wanted. The reply comes when at least one byte has been
 *                received (by interrupt): MR0 = n, bytes from MR1. One reader at a time
 *                (another one's READ is answered at once with n = 0).
 *   PL011_PING   an empty round trip (ipcbench).
 *   PL011_SNAPSHOT  the driver prints its CSpace on the kernel console (DebugSnapshot).
 *
 * The driver's start-up: region "uart" (the UART's registers, one page), caps "ep" (its endpoint,
 * to receive on), "irq" (its IRQ handler; the root task bound the handler's notification to the
 * driver's TCB with badge PL011_IRQ_BADGE). */
#ifndef KAAL_PL011_H
#define KAAL_PL011_H

#include <kaal/component.h>
#include <kaal/sys_types.h>

enum pl011_label { PL011_WRITE = 1, PL011_READ = 2, PL011_PING = 3, PL011_SNAPSHOT = 4 };
#define PL011_MAX_BYTES 96
#define PL011_IRQ_BADGE (1ul << 40)

/* The driver: a component main. */
void pl011_driver_main(const struct kaal_component_args *args);

/* Client side. Write all n bytes (in as many requests as needed); returns 0 or -1. */
int pl011_write(seL4_CPtr ep, const char *buf, seL4_Word n);
/* Block until input arrives; returns the number of bytes read (1..max), or -1. */
long pl011_read(seL4_CPtr ep, char *buf, seL4_Word max);
/* One empty round trip. */
void pl011_ping(seL4_CPtr ep);

#endif
