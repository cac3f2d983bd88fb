/* SPDX-License-Identifier: BSD-2-Clause */
/* Interrupt entry: the timer tick and IRQ delivery to user-level handlers as notifications. */
#include <kaal/kernel.h>

void kernel_handle_pending_interrupt(void)
{
    word_t irq = hal_irq_get_active();
    if (irq == HAL_IRQ_NONE) {
        return;
    }
    /* Timer ticks and IRQ-handler notifications arrive with issue 4; acknowledge for now. */
    hal_irq_ack(irq);
}
