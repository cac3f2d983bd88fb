/* SPDX-License-Identifier: BSD-2-Clause */
/* Global kernel state and preemption points. */
#include <kaal/kernel.h>
#include <kaal/sched.h>
#include <kaal/string.h>
#include <kaal/thread.h>

struct kernel_state ks;

void kernel_state_reset(void) { kmemset(&ks, 0, sizeof(ks)); }

exception_t preemption_point(void)
{
    ks.work_units++;
    if (ks.work_units < CONFIG_MAX_NUM_WORK_UNITS_PER_PREEMPTION) {
        return EXCEPTION_NONE;
    }
    ks.work_units = 0;
#ifdef CONFIG_KERNEL_MCS
    /* MCS: also when the current SC's budget ran out meanwhile (the restarted system call is
     * charged at its next entry). */
    if (sched_budget_exhausted_now()) {
        return EXCEPTION_PREEMPTED;
    }
#endif
    return hal_irq_pending() ? EXCEPTION_PREEMPTED : EXCEPTION_NONE;
}
