/* SPDX-License-Identifier: BSD-2-Clause */
/* -Dfastpath: the EL0 synchronous vector (head.S) ends here instead of el0_to_kernel, with the
 * user registers saved in the thread's struct hal_tcb (SP_EL1) and x7 still the system call
 * number. An svc that is Call (-1) or ReplyRecv (-2) tries core's fastpath (core/kernel/fastpath.c)
 * on the kernel stack; when it succeeds, aarch64_resume runs ks.cur_thread. Every other entry,
 * and every case the fastpath declines, continues as el0_to_kernel does: aarch64_el0_entry. */
#include <hal_port/machine.h>
#include <kaal/gen_config.h>

#ifdef CONFIG_FASTPATH

/* seL4's system call numbers (ABI §3.2). */
#define SYS_CALL_NEG 1       /* seL4_SysCall = -1 */
#define SYS_REPLY_RECV_NEG 2 /* seL4_SysReplyRecv = -2 */
#define HAL_TCB_FAULT_IP (HAL_TCB_NEXT_IP + 16) /* regs[REG_FAULT_IP], REG_NEXT_IP + 2 */

    .text
    .global el0_sync_fastpath
el0_sync_fastpath:
    cmn     x7, #SYS_CALL_NEG       /* x0 = EL0_SYNC (the vector); x7 the user's x7 */
    b.eq    1f
    cmn     x7, #SYS_REPLY_RECV_NEG
    b.ne    el0_to_kernel           /* head.S: anything else */
1:  mrs     x9, esr_el1
    lsr     x9, x9, #ESR_EC_SHIFT
    cmp     x9, #EC_SVC64
    b.ne    el0_to_kernel           /* an abort or other exception with such an x7 */
    mov     x19, sp                 /* the thread's struct hal_tcb (its x19 is saved) */
    adrp    x9, kernel_stack_top
    add     x9, x9, :lo12:kernel_stack_top
    mov     sp, x9
    mov     x29, xzr                /* end of the frame-pointer chain */
    mov     x30, xzr
    ldr     x10, [x19, #HAL_TCB_NEXT_IP]
    sub     x10, x10, #4            /* FaultIP: the svc itself (ABI §3) */
    str     x10, [x19, #HAL_TCB_FAULT_IP]
    cmn     x7, #SYS_CALL_NEG
    b.ne    2f
    bl      fastpath_call
    cbz     w0, 3f
    b       4f
2:  bl      fastpath_reply_recv
    cbz     w0, 3f
4:  adrp    x0, ks                  /* ks.cur_thread is the first member */
    ldr     x0, [x0, :lo12:ks]
    b       aarch64_resume          /* does not return */
3:  mov     x0, #EL0_SYNC           /* declined: the slowpath, as el0_to_kernel would */
    mov     x1, x19
    bl      aarch64_el0_entry       /* does not return */
5:  wfi
    b       5b

#endif /* CONFIG_FASTPATH */
