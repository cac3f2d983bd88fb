/* SPDX-License-Identifier: BSD-2-Clause */
/* hostsim machine: the interrupt controller, deterministic. One pending, one masked and one edge
 * bit per line (0..HAL_MAX_IRQ). The active interrupt is the lowest numbered line that is pending
 * and not masked (lower number = higher priority, as GIC priorities are all equal here). Every line
 * starts masked except the kernel's timer. Lines become pending only at defined points:
 * hostsim_raise_irq, hostsim_tick, device models, SGIs, and preemption checks when a preempt
 * interval is set (the timer). Taking an interrupt clears its pending bit. */
#include <hostsim/hostsim.h>
#include <hostsim_if/machine.h>

#include "internal.h"

static bool irq_pending_bit[HAL_MAX_IRQ + 1];
static bool irq_masked[HAL_MAX_IRQ + 1];
static bool irq_edge[HAL_MAX_IRQ + 1];
static unsigned preempt_interval, preempt_counter;
static unsigned sgi_count[16];
unsigned long hostsim_irq_acks;

void hostsim_irq_reset(void)
{
    for (word_t i = 0; i <= HAL_MAX_IRQ; i++) {
        irq_pending_bit[i] = false;
        irq_masked[i] = i != HAL_TIMER_IRQ;
        irq_edge[i] = false;
    }
    for (unsigned i = 0; i < 16; i++) {
        sgi_count[i] = 0;
    }
    preempt_counter = 0;
}

void hostsim_set_preempt_interval(unsigned n)
{
    preempt_interval = n;
    preempt_counter = 0;
    irq_pending_bit[HAL_TIMER_IRQ] = false;
}

void hostsim_irq_set_pending(word_t irq) { irq_pending_bit[irq] = true; }

bool hostsim_irq_active(word_t *irq)
{
    for (word_t i = 0; i <= HAL_MAX_IRQ; i++) {
        if (irq_pending_bit[i] && !irq_masked[i]) {
            *irq = i;
            return true;
        }
    }
    return false;
}

bool hostsim_irq_poll(void)
{
    if (preempt_interval && ++preempt_counter >= preempt_interval) {
        preempt_counter = 0;
        irq_pending_bit[HAL_TIMER_IRQ] = true;
    }
    word_t irq;
    return hostsim_irq_active(&irq);
}

void hostsim_irq_take(word_t irq)
{
    hostsim_irq_acks++;
    if (irq <= HAL_MAX_IRQ) {
        irq_pending_bit[irq] = false;
    }
}

void hostsim_irq_mask(word_t irq, bool masked) { irq_masked[irq] = masked; }
void hostsim_irq_set_edge(word_t irq, bool edge) { irq_edge[irq] = edge; }

void hostsim_irq_send_sgi(word_t sgi, word_t target)
{
    /* One CPU (interface 0): an SGI to it becomes pending; other targets have no CPU. */
    sgi_count[sgi]++;
    if (target == 0) {
        irq_pending_bit[sgi] = true;
    }
}

bool hostsim_user_irq_unmasked(void)
{
    for (word_t i = 0; i <= HAL_MAX_IRQ; i++) {
        if (i != HAL_TIMER_IRQ && !irq_masked[i]) {
            return true;
        }
    }
    return false;
}

bool hostsim_irq_is_masked(unsigned irq) { return irq <= HAL_MAX_IRQ && irq_masked[irq]; }
bool hostsim_irq_is_pending(unsigned irq) { return irq <= HAL_MAX_IRQ && irq_pending_bit[irq]; }
bool hostsim_irq_is_edge(unsigned irq) { return irq <= HAL_MAX_IRQ && irq_edge[irq]; }
unsigned hostsim_sgi_count(unsigned sgi) { return sgi < 16 ? sgi_count[sgi] : 0; }
