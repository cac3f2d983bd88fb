/* SPDX-License-Identifier: BSD-2-Clause */
/* hostsim device models: a PL011 UART (the registers a driver uses, with QEMU's behaviour: the
 * transmitter is never full, RX and RX-timeout interrupts are level, raised while the receive FIFO
 * holds data), fed from a file descriptor and writing to one, and the MMIO path user code reaches
 * it through (hostsim_mmio_access: the calling thread's VSpace decides, as the MMU would). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <unistd.h>

#include <hostsim/hostsim.h>
#include <hostsim_if/kernel.h>

#include "user_internal.h"

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_IMSC 0x38
#define UART_RIS 0x3c
#define UART_MIS 0x40
#define UART_ICR 0x44
#define FR_RXFE (1u << 4)
#define FR_TXFE (1u << 7)
#define INT_RX (1u << 4)
#define INT_RT (1u << 6)
#define FIFO_SIZE 4096u
#define PAGE 4096ul

static struct {
    bool attached;
    uint64_t pa;
    unsigned irq;
    int in_fd, out_fd;
    bool eof;
    uint32_t regs[PAGE / 4]; /* plain registers (CR, LCR_H, baud ...) read back what was written */
    uint32_t imsc;
    unsigned head, tail; /* receive FIFO: fifo[head..tail) */
    unsigned char fifo[FIFO_SIZE];
    bool line; /* the interrupt line as last driven */
} uart;

int hostsim_pl011_attach(uint64_t paddr, unsigned irq, int in_fd, int out_fd)
{
    if (paddr & (PAGE - 1)) {
        return -1;
    }
    uart = (__typeof__(uart)){0};
    uart.attached = true;
    uart.pa = paddr;
    uart.irq = irq;
    uart.in_fd = in_fd;
    uart.out_fd = out_fd;
    return 0;
}

static uint32_t uart_ris(void) { return uart.head != uart.tail ? (INT_RX | INT_RT) : 0; }

/* Drive the interrupt line: a rising level makes the line pending at the controller. */
static void uart_update_line(void)
{
    bool level = (uart_ris() & uart.imsc) != 0;
    if (level && !uart.line) {
        hostsim_raise_irq(uart.irq);
    }
    uart.line = level;
}

static uint32_t uart_access(uint64_t offset, int is_write, uint32_t value)
{
    uint32_t result = 0;
    switch (offset) {
    case UART_DR:
        if (is_write) {
            unsigned char c = (unsigned char)value;
            ssize_t ignored = write(uart.out_fd, &c, 1);
            (void)ignored;
        } else if (uart.head != uart.tail) {
            result = uart.fifo[uart.head++ % FIFO_SIZE];
        }
        break;
    case UART_FR:
        result = FR_TXFE | (uart.head == uart.tail ? FR_RXFE : 0);
        break;
    case UART_IMSC:
        if (is_write) {
            uart.imsc = value & 0x7ff;
        }
        result = uart.imsc;
        break;
    case UART_RIS:
        result = uart_ris();
        break;
    case UART_MIS:
        result = uart_ris() & uart.imsc;
        break;
    case UART_ICR:
        break; /* level interrupts: they clear when the FIFO is empty */
    default:
        if (is_write) {
            uart.regs[offset / 4] = value;
        }
        result = uart.regs[offset / 4];
        break;
    }
    uart.line = uart.line && (uart_ris() & uart.imsc) != 0;
    uart_update_line();
    return result;
}

int hostsim_pl011_wait_input(int timeout_ms)
{
    if (!uart.attached || uart.eof) {
        return -1;
    }
    struct pollfd p = {.fd = uart.in_fd, .events = POLLIN};
    int r = poll(&p, 1, timeout_ms);
    if (r <= 0) {
        return r < 0 && errno != EINTR ? -1 : 0;
    }
    unsigned room = FIFO_SIZE - (uart.tail - uart.head);
    unsigned char buf[256];
    ssize_t n = read(uart.in_fd, buf, room < sizeof(buf) ? room : sizeof(buf));
    if (n <= 0) {
        uart.eof = true;
        return -1;
    }
    for (ssize_t i = 0; i < n; i++) {
        uart.fifo[uart.tail++ % FIFO_SIZE] = buf[i];
    }
    uart_update_line();
    return (int)n;
}

int hostsim_pl011_feed(const void *bytes, unsigned n)
{
    if (!uart.attached || n > FIFO_SIZE - (uart.tail - uart.head)) {
        return -1;
    }
    for (unsigned i = 0; i < n; i++) {
        uart.fifo[uart.tail++ % FIFO_SIZE] = ((const unsigned char *)bytes)[i];
    }
    uart_update_line();
    return 0;
}

/* The physical address behind vaddr in the current thread's VSpace, as the MMU translates it (the
 * shadow MMU's walk); false when unmapped or the rights forbid the access. */
static bool translate(uint64_t vaddr, int is_write, uint64_t *pa)
{
    struct hal_tcb *t = hostsim_kernel_current();
    paddr_t root;
    word_t asid;
    if (t == NULL || !hostsim_kernel_thread_vspace(t, &root, &asid)) {
        return false;
    }
    struct walk w;
    shadow_walk(root, vaddr, &w);
    if (!w.mapped || w.rights == WALK_KERNEL_ONLY || (is_write && w.rights != WALK_READ_WRITE)) {
        return false;
    }
    *pa = w.page_pa + (vaddr & (PAGE - 1));
    return true;
}

bool hostsim_device_at(uint64_t pa) { return uart.attached && pa - uart.pa < PAGE; }

uint32_t hostsim_device_access(uint64_t pa, int is_write, uint32_t value)
{
    return hostsim_device_at(pa) && !(pa & 3) ? uart_access(pa - uart.pa, is_write, value) : 0;
}

uint32_t hostsim_mmio_access(uint64_t vaddr, int is_write, uint32_t value)
{
    uint64_t pa;
    if (uart.attached && translate(vaddr, is_write, &pa) && pa - uart.pa < PAGE && !(pa & 3)) {
        return uart_access(pa - uart.pa, is_write, value);
    }
    /* Not a modelled device: make the access itself, so the shadow MMU answers it (a VM fault for
     * an unmapped page or one without a device behind it, plain memory for RAM). */
    if (is_write) {
        *(volatile uint32_t *)vaddr = value;
        return 0;
    }
    return *(volatile uint32_t *)vaddr;
}
