/* SPDX-License-Identifier: BSD-2-Clause */
/* The conformance suite's threads: a TCB with a stack, TLS block and IPC buffer mapped in the root
 * VSpace, started at conf_thread_entry (a function of the root task's image on aarch64, a host
 * function on hostsim: both take x0 as their argument and need an SP inside the VSpace). */
#include "harness.h"

#define ROOT seL4_CapInitThreadCNode
#define DEPTH seL4_WordBits
#define PAGE 4096ull

void conf_thread_entry(struct conf_thread *t)
{
    kaal_tls_init((void *)(uintptr_t)t->tls, t->ipc_buffer);
    t->fn(t);
    if (t->done != seL4_CapNull) {
        sys_signal(t->done);
    }
    (void)sys_tcb_suspend(t->tcb);
    for (;;) {
        sys_yield(); /* not reached: suspended */
    }
}

seL4_CPtr conf_map_frame_in(struct conf_env *env, seL4_CPtr vspace, seL4_CPtr frame,
                            seL4_Word vaddr, seL4_CapRights_t rights, seL4_Word attr)
{
    if (frame == seL4_CapNull) {
        return seL4_CapNull;
    }
    seL4_Error err = sys_arm_page_map(frame, vspace, vaddr, rights, attr);
    for (int level = 0; level < 3 && err == seL4_FailedLookup; level++) {
        seL4_CPtr pt = conf_alloc(env, seL4_ARM_PageTableObject, 0);
        if (pt == seL4_CapNull) {
            return seL4_CapNull;
        }
        (void)sys_arm_page_table_map(pt, vspace, vaddr, seL4_ARM_Default_VMAttributes);
        err = sys_arm_page_map(frame, vspace, vaddr, rights, attr);
    }
    if (err != seL4_NoError) {
        conf_fail(__FILE__, __LINE__, "conf_map_frame_in: Page_Map", (seL4_Word)err, 0, 1);
        return seL4_CapNull;
    }
    return frame;
}

seL4_CPtr conf_map_frame(struct conf_env *env, seL4_Word vaddr, seL4_CapRights_t rights,
                         seL4_Word attr)
{
    return conf_map_frame_in(env, seL4_CapInitThreadVSpace,
                             conf_alloc(env, seL4_ARM_SmallPageObject, 0), vaddr, rights, attr);
}

#define IMAGE_VADDR 0x400000ull

void conf_map_image_in(struct conf_env *env, seL4_CPtr vs)
{
    const seL4_BootInfo *bi = env->bi;
    for (seL4_CPtr f = bi->userImageFrames.start; f < bi->userImageFrames.end && !conf_failed();
         f++) {
        seL4_CPtr copy = conf_copy(env, f, seL4_AllRights);
        (void)conf_map_frame_in(env, vs, copy, IMAGE_VADDR + (f - bi->userImageFrames.start) * PAGE,
                                seL4_ReadWrite, seL4_ARM_Default_VMAttributes);
    }
}

seL4_CPtr conf_vspace_with_image(struct conf_env *env)
{
    seL4_CPtr vs = conf_vspace(env);
    conf_map_image_in(env, vs);
    return vs;
}

void conf_thread_map_in(struct conf_env *env, struct conf_thread *t, seL4_CPtr vspace)
{
    for (unsigned p = 0; p < CONF_THREAD_STACK_PAGES && !conf_failed(); p++) {
        (void)conf_map_frame_in(env, vspace, conf_copy(env, t->stack_frames[p], seL4_AllRights),
                                t->base + p * PAGE, seL4_ReadWrite,
                                seL4_ARM_Default_VMAttributes | seL4_ARM_ExecuteNever);
    }
    (void)conf_map_frame_in(env, vspace, conf_copy(env, t->ipc_frame, seL4_AllRights),
                            (seL4_Word)(uintptr_t)t->ipc_buffer, seL4_ReadWrite,
                            seL4_ARM_Default_VMAttributes | seL4_ARM_ExecuteNever);
}

void conf_thread_move_vspace(struct conf_env *env, struct conf_thread *t, seL4_CPtr vspace,
                             seL4_CPtr fault_ep)
{
    conf_thread_map_in(env, t, vspace);
    if (conf_failed()) {
        return;
    }
    seL4_Error err = sys_tcb_set_space(t->tcb, fault_ep, seL4_CapInitThreadCNode, 0, vspace, 0);
    if (err != seL4_NoError) {
        conf_fail(__FILE__, __LINE__, "conf_thread_move_vspace: TCB_SetSpace", (seL4_Word)err, 0,
                  1);
    }
}

void conf_thread_make(struct conf_env *env, struct conf_thread *t, conf_thread_fn fn,
                      seL4_Word prio, seL4_CPtr fault_ep)
{
    for (unsigned i = 0; i < sizeof(*t); i++) {
        ((volatile unsigned char *)t)[i] = 0;
    }
    if (env->threads >= CONF_THREAD_MAX) {
        conf_fail(__FILE__, __LINE__, "conf_thread_make: too many threads in one case", 0, 0, 0);
        return;
    }
    seL4_Word base = CONF_THREAD_VA + env->threads++ * CONF_THREAD_STRIDE;
    t->base = base;
    for (unsigned p = 0; p < CONF_THREAD_STACK_PAGES; p++) {
        t->stack_frames[p] = conf_map_frame(env, base + p * PAGE, seL4_ReadWrite,
                                            seL4_ARM_Default_VMAttributes | seL4_ARM_ExecuteNever);
        if (t->stack_frames[p] == seL4_CapNull) {
            return;
        }
    }
    seL4_Word buf = base + CONF_THREAD_STACK_PAGES * PAGE;
    t->ipc_frame = conf_map_frame(env, buf, seL4_ReadWrite,
                                  seL4_ARM_Default_VMAttributes | seL4_ARM_ExecuteNever);
    t->tcb = conf_alloc(env, seL4_TCBObject, 0);
    t->done = conf_alloc(env, seL4_NotificationObject, 0);
    t->reply = conf_reply_object(env);
    if (conf_failed()) {
        return;
    }
    t->fn = fn;
    t->ipc_buffer = (seL4_IPCBuffer *)(uintptr_t)buf;
    t->tls = buf - KAAL_TLS_BLOCK_SIZE;
    t->stack_top = t->tls - 64;
#ifdef CONFIG_KERNEL_MCS /* the fault handler goes in with SetSchedParams below */
    seL4_Error err =
        sys_tcb_configure(t->tcb, ROOT, 0, seL4_CapInitThreadVSpace, 0, buf, t->ipc_frame);
#else
    seL4_Error err = sys_tcb_configure(t->tcb, fault_ep, ROOT, 0, seL4_CapInitThreadVSpace, 0, buf,
                                       t->ipc_frame);
#endif
    if (err != seL4_NoError) {
        conf_fail(__FILE__, __LINE__, "conf_thread_make: TCB_Configure", (seL4_Word)err, 0, 1);
        return;
    }
#ifdef CONFIG_KERNEL_MCS
    t->sc = conf_alloc(env, seL4_SchedContextObject, seL4_MinSchedContextBits);
    if (conf_failed()) {
        return;
    }
    err =
        sys_sched_control_configure_flags(env->bi->schedcontrol.start, t->sc, CONF_THREAD_BUDGET_US,
                                          CONF_THREAD_BUDGET_US, 0, 0, seL4_SchedContext_NoFlag);
    if (err == seL4_IllegalOperation) {
        conf_skip("needs SchedControl_ConfigureFlags (MCS scheduling contexts not implemented)");
        return;
    }
    if (err != seL4_NoError) {
        conf_fail(__FILE__, __LINE__, "conf_thread_make: SchedControl_ConfigureFlags",
                  (seL4_Word)err, 0, 1);
        return;
    }
    err = sys_tcb_set_sched_params(t->tcb, seL4_CapInitThreadTCB, prio, prio, t->sc, fault_ep);
#else
    err = sys_tcb_set_sched_params(t->tcb, seL4_CapInitThreadTCB, prio, prio);
#endif
    if (err != seL4_NoError) {
        conf_fail(__FILE__, __LINE__, "conf_thread_make: TCB_SetSchedParams", (seL4_Word)err, 0, 1);
    }
}

void conf_thread_start(struct conf_thread *t) { conf_thread_start_as(t, t->tcb); }

void conf_thread_start_as(struct conf_thread *t, seL4_CPtr tcb)
{
    seL4_UserContext regs;
    for (unsigned i = 0; i < sizeof(regs) / sizeof(seL4_Word); i++) {
        ((seL4_Word *)&regs)[i] = 0;
    }
    regs.pc = (seL4_Word)(uintptr_t)conf_thread_entry;
    regs.sp = t->stack_top;
    regs.x0 = (seL4_Word)(uintptr_t)t;
    seL4_Error err = sys_tcb_write_registers(tcb, 1, 0, 4, &regs);
    if (err != seL4_NoError) {
        conf_fail(__FILE__, __LINE__, "conf_thread_start: TCB_WriteRegisters", (seL4_Word)err, 0,
                  1);
    }
}

void conf_thread_spawn(struct conf_env *env, struct conf_thread *t, conf_thread_fn fn,
                       seL4_Word prio, seL4_CPtr fault_ep)
{
    conf_thread_make(env, t, fn, prio, fault_ep);
    if (!conf_failed()) {
        conf_thread_start(t);
    }
}

void conf_thread_join(struct conf_thread *t) { (void)sys_wait(t->done, NULL); }
