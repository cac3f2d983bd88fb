/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel's timer: the EL1 virtual timer (CNTV_*, PPI 27). Base configuration: a preemption
 * tick every CONFIG_TIMER_TICK_MS milliseconds (TVAL reloaded). MCS: tickless, as seL4-MCS uses it
 * on this platform: one absolute deadline in CNTV_CVAL_EL0 against the virtual count CNTVCT_EL0,
 * acknowledged by moving CVAL to 2^64 - 1. EL0 gets no timer access and no physical count; it may
 * read the virtual count CNTVCT_EL0 (and CNTFRQ_EL0) when the build exports it
 * (CONFIG_EXPORT_VCNT_USER, seL4's KernelArmExportVCNTUser: CNTKCTL_EL1.EL0VCTEN); otherwise
 * CNTKCTL_EL1 = 0 (docs/abi.md#tls-fpu-and-system-registers). */
#include <hal/hal.h>
#include <kaal/gen_config.h>
#ifdef CONFIG_KERNEL_MCS
#include <kaal/mcs.h>
#include <kaal/printf.h>
#endif

#include "internal.h"

#define CNTV_CTL_ENABLE (UL(1) << 0)
#define CNTKCTL_EL0VCTEN (UL(1) << 1) /* EL0 reads CNTVCT_EL0 and CNTFRQ_EL0 */

#ifdef CONFIG_EXPORT_VCNT_USER
#define CNTKCTL_VALUE CNTKCTL_EL0VCTEN
#else
#define CNTKCTL_VALUE UL(0)
#endif

static word_t ticks; /* timer interrupts handled since boot */

word_t timer_ticks(void) { return ticks; }

word_t timer_frequency(void)
{
    word_t freq;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
    return freq;
}

#ifdef CONFIG_KERNEL_MCS
#define CVAL_NEVER (~UL(0))

void timer_init(void)
{
    if (timer_frequency() != MCS_TIMER_CLOCK_HZ) {
        /* Budgets would run at the wrong speed: say so (QEMU virt's counter is 62.5 MHz). */
        kprintf("KaaL: warning: CNTFRQ_EL0 is %lu Hz, the MCS kernel counts %lu Hz\n",
                (unsigned long)timer_frequency(), (unsigned long)MCS_TIMER_CLOCK_HZ);
    }
    __asm__ volatile("msr cntkctl_el1, %0" ::"r"(CNTKCTL_VALUE));
    hal_timer_ack_deadline();
    __asm__ volatile("msr cntv_ctl_el0, %0; isb" ::"r"(CNTV_CTL_ENABLE));
    gic_enable_kernel_irq(HAL_TIMER_IRQ);
}

word_t hal_timer_now(void)
{
    __asm__ volatile("isb"); /* not read ahead of time */
    return aarch64_timer_now();
}

void hal_timer_set_deadline(word_t deadline)
{
    __asm__ volatile("msr cntv_cval_el0, %0; isb" ::"r"(deadline));
}

/* The level-sensitive condition (count >= CVAL) ends before the EOI. */
void hal_timer_ack_deadline(void) { hal_timer_set_deadline(CVAL_NEVER); }

/* The interrupt was taken; core acknowledged the deadline already (sched_timer_tick). */
void timer_tick_done(void) { ticks++; }

#else
static word_t tick_reload; /* counter ticks per kernel tick */

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

/* Next tick one period from now (TVAL counts down from the reload): this also clears the
 * level-sensitive timer condition before the interrupt's EOI. */
void timer_tick_done(void)
{
    ticks++;
    timer_reload();
}

void timer_reload(void) { __asm__ volatile("msr cntv_tval_el0, %0; isb" ::"r"(tick_reload)); }
#endif
