/* SPDX-License-Identifier: BSD-2-Clause */
/* Faults: delivering a thread's fault to its handler as a Call on its fault endpoint. */
#include <kaal/printf.h>
#include <kaal/thread.h>

void thread_handle_fault(struct tcb *t)
{
    /* Fault delivery to a handler arrives with issue 4. Until then every fault is a double
     * fault: the thread stops (Inactive) with a diagnostic, and the kernel carries on. */
    kprintf("KaaL: thread %p \"%s\" took fault type %lu (addr %lx) with no handler; it is now inactive\n",
            (void *)t, t->name, (unsigned long)t->fault[0], (unsigned long)t->fault[1]);
    thread_set_state(t, ThreadState_Inactive);
}
