/* SPDX-License-Identifier: BSD-2-Clause */
/* The PL011 UART driver component: transmit by polling the FIFO, receive by interrupt into a
 * buffer on its stack, clients served over its endpoint (kaal/pl011.h). The same source drives
 * QEMU's PL011 and hostsim's model of it. */
#include <kaal/dddk.h>
#include <kaal/pl011.h>
#include <kaal/sys.h>

/* PL011 registers (ARM DDI 0183G, 3.2) and bits. */
#define UART_DR 0x00
#define UART_FR 0x18
#define UART_CR 0x30
#define UART_IMSC 0x38
#define UART_MIS 0x40
#define UART_ICR 0x44
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE (1u << 8)
#define CR_RXE (1u << 9)
#define INT_RX (1u << 4)
#define INT_RT (1u << 6)

#define RX_SIZE 512u

struct driver {
    seL4_Word base;
    seL4_CPtr irq;
    seL4_CPtr reader_slot; /* where a waiting reader's reply cap is kept */
    int reader_waiting;
    seL4_Word reader_max;
    unsigned rx_head, rx_tail; /* rx[head..tail) holds received bytes */
    char rx[RX_SIZE];
};

static void drain_rx(struct driver *d)
{
    while (!(dddk_read32(d->base + UART_FR) & FR_RXFE)) {
        char c = (char)(dddk_read32(d->base + UART_DR) & 0xff);
        if (d->rx_tail - d->rx_head < RX_SIZE) {
            d->rx[d->rx_tail++ % RX_SIZE] =
                c; /* a full buffer drops input, as a FIFO overrun would */
        }
    }
}

static void put_byte(struct driver *d, char c)
{
    while (dddk_read32(d->base + UART_FR) & FR_TXFF) {
    }
    dddk_write32(d->base + UART_DR, (unsigned char)c);
}

/* Move up to max received bytes into the message; returns the message length in words. */
static seL4_Word take_rx(struct driver *d, seL4_Word max)
{
    seL4_Word n = 0;
    for (int w = 1; w <= PL011_MAX_BYTES / 8; w++) {
        sys_set_mr(w, 0);
    }
    while (n < max && n < PL011_MAX_BYTES && d->rx_head != d->rx_tail) {
        seL4_Word c = (unsigned char)d->rx[d->rx_head++ % RX_SIZE];
        seL4_Word w = 1 + n / 8;
        sys_set_mr((int)w, sys_get_mr((int)w) | c << (8 * (n % 8)));
        n++;
    }
    sys_set_mr(0, n);
    return 1 + (n + 7) / 8;
}

void pl011_driver_main(const struct kaal_component_args *args)
{
    struct driver d;
    d.base = (seL4_Word)kaal_component_region(args, "uart", 0);
    d.irq = kaal_component_cap(args, "irq");
    d.reader_slot = args->first_free;
    d.reader_waiting = 0;
    d.reader_max = 0;
    d.rx_head = d.rx_tail = 0;
    seL4_CPtr ep = kaal_component_cap(args, "ep");

    /* Keep the kernel's line settings; enable both directions and the receive interrupts. */
    dddk_write32(d.base + UART_CR, CR_UARTEN | CR_TXE | CR_RXE);
    dddk_write32(d.base + UART_ICR, 0x7ff);
    dddk_write32(d.base + UART_IMSC, INT_RX | INT_RT);
    dddk_irq_ack(d.irq);

    /* The reply object a request arrives with (MCS; the base configuration's caller slot needs
     * none): a reader that must wait keeps its reply object, and the driver takes the other. */
    seL4_CPtr reply = KAAL_COMPONENT_REPLY, spare = KAAL_COMPONENT_REPLY2;
    (void)spare;
    for (;;) {
        seL4_Word badge = 0;
        seL4_MessageInfo_t info = kaal_server_recv(ep, &badge, reply);
        if (badge & PL011_IRQ_BADGE) {
            drain_rx(&d);
            dddk_write32(d.base + UART_ICR, INT_RX | INT_RT);
            dddk_irq_ack(d.irq);
            if (d.reader_waiting && d.rx_head != d.rx_tail) {
                seL4_Word len = take_rx(&d, d.reader_max);
                sys_send(d.reader_slot, seL4_MessageInfo_new(0, 0, 0, len));
                d.reader_waiting = 0;
            }
            continue;
        }
        switch (seL4_MessageInfo_get_label(info)) {
        case PL011_WRITE: {
            seL4_Word n = sys_get_mr(0);
            if (n > PL011_MAX_BYTES) {
                n = PL011_MAX_BYTES;
            }
            for (seL4_Word i = 0; i < n; i++) {
                put_byte(&d, (char)(sys_get_mr(1 + (int)(i / 8)) >> (8 * (i % 8))));
            }
            sys_set_mr(0, n);
            kaal_server_reply(reply, seL4_MessageInfo_new(0, 0, 0, 1));
            break;
        }
        case PL011_READ: {
            seL4_Word max = sys_get_mr(0);
            drain_rx(&d); /* bytes that came without an interrupt yet */
            if (d.rx_head != d.rx_tail || d.reader_waiting) {
                kaal_server_reply(
                    reply, seL4_MessageInfo_new(0, 0, 0, take_rx(&d, d.reader_waiting ? 0 : max)));
            } else {
#ifdef CONFIG_KERNEL_MCS
                d.reader_slot = reply; /* the reader waits on this reply object */
                reply = spare;
                spare = d.reader_slot;
                d.reader_waiting = 1;
                d.reader_max = max;
#else
                if (sys_cnode_save_caller(KAAL_COMPONENT_CNODE, d.reader_slot, seL4_WordBits) ==
                    seL4_NoError) {
                    d.reader_waiting = 1;
                    d.reader_max = max;
                }
#endif
            }
            break;
        }
        case PL011_PING:
            kaal_server_reply(reply, seL4_MessageInfo_new(0, 0, 0, 0));
            break;
        case PL011_SNAPSHOT:
            sys_debug_snapshot();
            kaal_server_reply(reply, seL4_MessageInfo_new(0, 0, 0, 0));
            break;
        default:
            kaal_server_reply(reply, seL4_MessageInfo_new(seL4_IllegalOperation, 0, 0, 0));
            break;
        }
    }
}
