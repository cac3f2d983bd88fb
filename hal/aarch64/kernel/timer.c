/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel's preemption tick: the EL1 virtual timer (CNTV_*, PPI 27), every CONFIG_TIMER_TICK_MS
 * milliseconds. EL0 gets no timer access and no physical count; it may read the virtual count
 * CNTVCT_EL0 (and CNTFRQ_EL0) when the build exports it (CONFIG_EXPORT_VCNT_USER, seL4's
 * KernelArmExportVCNTUser: CNTKCTL_EL1.EL0VCTEN); otherwise CNTKCTL_EL1 = 0
 * (docs/abi.md#tls-fpu-and-system-registers). */
#include <hal/hal.h>
#include <kaal/gen_config.h>

#include "internal.h"

#define CNTV_CTL_ENABLE (UL(1) << 0)
#define CNTKCTL_EL0VCTEN (UL(1) << 1) /* EL0 reads CNTVCT_EL0 and CNTFRQ_EL0 */

#ifdef CONFIG_EXPORT_VCNT_USER
#define CNTKCTL_VALUE CNTKCTL_EL0VCTEN
#else
#define CNTKCTL_VALUE UL(0)
#endif

static word_t tick_reload; /* counter ticks per kernel tick */
static word_t ticks;       /* kernel ticks handled since boot */

word_t timer_ticks(void) { return ticks; }

void timer_init(void)
{
    word_t freq;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
    tick_reload = freq * CONFIG_TIMER_TICK_MS / 1000;
    __asm__ volatile("msr cntkctl_el1, %0" ::"r"(CNTKCTL_VALUE));
    timer_reload();
    __asm__ volatile("msr cntv_ctl_el0, %0; isb" ::"r"(CNTV_CTL_ENABLE));
    gic_enable_kernel_irq(HAL_TIMER_IRQ);
}

word_t timer_frequency(void)
{
    word_t freq;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
    return freq;
}

/* Next tick one period from now (TVAL counts down from the reload): this also clears the
 * level-sensitive timer condition before the interrupt's EOI. */
void timer_tick_done(void)
{
    ticks++;
    timer_reload();
}

void timer_reload(void) { __asm__ volatile("msr cntv_tval_el0, %0; isb" ::"r"(tick_reload)); }
