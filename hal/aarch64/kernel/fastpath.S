/* SPDX-License-Identifier: BSD-2-Clause */
/* -Dfastpath: the EL0 synchronous vector (head.S) branches here for an svc whose x7 is Call (-1)
 * or ReplyRecv (-2), with the user registers (and FaultIP) saved in the thread's struct hal_tcb at
 * SP_EL1. It calls core's fastpath (core/kernel/fastpath.c), which either
 * leaves for user mode in the other thread itself (aarch64_resume, trap.c/head.S) or returns
 * false having changed nothing: then the system call goes the slowpath's way (head.S el0_svc, or
 * el0_svc_call for a Call), which does not try the fastpath again. */
#include <hal_port/machine.h>
#include <kaal/gen_config.h>

#ifdef CONFIG_FASTPATH

/* Release builds call the fastpath with SP_EL1 still at the thread's struct hal_tcb: it uses no
 * stack (a build error otherwise: hal_port.h, HAL_FASTPATH_NO_STACK). Debug builds move to the
 * kernel stack first, for the kasserts. */
    .macro fastpath_stack
#ifdef CONFIG_DEBUG_BUILD
    mrs     x9, tpidr_el1           /* the kernel stack */
    mov     sp, x9
#endif
    .endm

    /* name: call fn (core's fastpath), which returns only when it declines; then the slowpath
     * (slow, head.S: on the kernel stack). */
    .macro fastpath_entry name, fn, slow
    .global \name
\name:
    fastpath_stack
    bl      \fn
    b       \slow
    .endm

    .text
    fastpath_entry el0_fastpath_call, fastpath_call, el0_svc_call
    fastpath_entry el0_fastpath_reply_recv, fastpath_reply_recv, el0_svc

#endif /* CONFIG_FASTPATH */
