/* SPDX-License-Identifier: BSD-2-Clause */
/* Interrupt entry (seL4 handleInterrupt): the timer tick goes to the scheduler; an issued IRQ
 * signals its notification with the handler cap's badge and stays masked until IRQHandler_Ack. */
#include <kaal/kernel.h>
#include <kaal/objects.h>
#include <kaal/printf.h>
#include <kaal/sched.h>

/* An issued IRQ fired: signal its notification (if one with Write right is set) and mask the
 * line until user space acknowledges it. */
static void irq_deliver(word_t irq)
{
    cap_t cap = ks.irq_node[irq].cap; /* its IRQ-node slot (irq.c) */
    if (cap_get_cap_type(cap) == cap_notification_cap && cap_notification_cap_get_can_send(cap)) {
        ntfn_signal(PTOV(notification_t, cap_notification_cap_get_ptr(cap)),
                    cap_notification_cap_get_badge(cap));
    } else {
        kprintf("KaaL: undelivered IRQ %lu (no notification set)\n", (unsigned long)irq);
    }
    hal_irq_mask(irq);
}

void kernel_handle_pending_interrupt(void)
{
    word_t irq = hal_irq_get_active();
    if (irq == HAL_IRQ_NONE) {
        return;
    }
    if (irq == HAL_TIMER_IRQ) {
        sched_timer_tick();
    } else if (irq <= HAL_MAX_IRQ && ks.irq_state[irq] == IRQ_SIGNAL) {
        irq_deliver(irq);
    } else {
        /* Nobody owns the line: keep it quiet (seL4 masks an inactive IRQ the same way). */
        kprintf("KaaL: spurious IRQ %lu masked\n", (unsigned long)irq);
        if (irq <= HAL_MAX_IRQ) {
            hal_irq_mask(irq);
        }
    }
    hal_irq_ack(irq);
}

void kernel_handle_interrupt_entry(void)
{
#ifdef CONFIG_KERNEL_MCS
    sched_interrupt_entry(); /* charge the time since the last entry first */
#endif
    kernel_handle_pending_interrupt();
}
