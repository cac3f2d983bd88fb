/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel console on the PL011 UART of QEMU virt, through the device window (KDEV_UART). */
#include <hal/hal.h>

#include "internal.h"

#define UART_DR 0x00           /* data */
#define UART_FR 0x18           /* flags */
#define UART_FR_TXFF (1u << 5) /* transmit FIFO full */

static bool console_ready;

static volatile uint32_t *uart_reg(word_t off) { return (volatile uint32_t *)(KDEV_UART + off); }

/* QEMU's PL011 is usable from reset (firmware would have set it up on hardware): no baud
 * rate or line control is programmed here. */
void console_init(void) { console_ready = true; }

void hal_console_putc(char c)
{
    if (!console_ready) {
        return; /* before mmu_init the device window does not exist */
    }
    if (c == '\n') {
        hal_console_putc('\r');
    }
    while (*uart_reg(UART_FR) & UART_FR_TXFF) {
    }
    *uart_reg(UART_DR) = (uint32_t)(unsigned char)c;
}

void console_puts(const char *s)
{
    while (*s) {
        hal_console_putc(*s++);
    }
}
