/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread state changes, IPC-buffer lookup and activation (the mechanisms under TCBs). */
#ifndef KAAL_THREAD_H
#define KAAL_THREAD_H

#include <kaal/invocation.h>
#include <kaal/sched.h>
#include <kaal/structures.h>

/* The thread's IPC buffer as a kernel pointer, or NULL when it has none usable: the buffer slot
 * must hold a non-device frame cap, read-write for a receiver, at least read-only for a sender.
 * Inline: the IPC slowpath looks buffers up on every long message. */
static inline word_t *thread_lookup_ipc_buffer(struct tcb *thread, bool is_receiver)
{
    cap_t buf = thread->ctes[TCB_BUFFER].cap;
    if (cap_get_cap_type(buf) != cap_frame_cap || cap_frame_cap_get_is_device(buf)) {
        return NULL;
    }
    word_t rights = cap_frame_cap_get_vm_rights(buf);
    if (rights != VM_READ_WRITE && (is_receiver || rights != VM_READ_ONLY)) {
        return NULL;
    }
    /* Frame sizes 0, 1, 2: 4 KiB, 2 MiB, 1 GiB (one translation level, 9 bits, apart). */
    _Static_assert(seL4_LargePageBits == seL4_PageBits + 9 &&
                       seL4_HugePageBits == seL4_PageBits + 18,
                   "frame size n is seL4_PageBits + 9 * n bits");
    word_t bits = seL4_PageBits + 9 * cap_frame_cap_get_size(buf);
    paddr_t pa = cap_frame_cap_get_base(buf) +
                 (thread->ipc_buffer & MASK(bits) & ~MASK(seL4_IPCBufferSizeBits));
    return PTOV(word_t, pa);
}

static inline word_t thread_state_type(const struct tcb *t)
{
    return thread_state_get_ts_type(t->state);
}
/* Set t's state word's type with its scheduling consequences: the same as sched_set_thread_state
 * (seL4 setThreadState), under the name the thread layer uses. */
static inline void thread_set_state(struct tcb *t, word_t ts_type)
{
    sched_set_thread_state(t, ts_type);
}

/* Make a Restart thread run again from its FaultIP (NextIP := FaultIP, state Running). Called by
 * kernel_exit for the thread the scheduler chose (runnable or the idle thread) when it is not
 * Running. */
void thread_activate(struct tcb *t);

/* The one exit path, run by the port after every entry (system call, fault, interrupt): schedule
 * if needed, then make sure ks.cur_thread can run (thread_activate unless it is Running); the port
 * then resumes ks.cur_thread, or idles. Inline: the port's exit code tests the same thread state
 * right after it, and the compiler merges the two tests. */
static inline void kernel_exit(void)
{
    struct tcb *cur = ks.cur_thread;
    if (cur == NULL) {
        return; /* no kernel booted */
    }
#ifdef CONFIG_KERNEL_MCS
    sched_schedule(); /* MCS: every exit wakes what is due and may move the deadline */
#else
    if (ks.sched_action != SCHED_RESUME_CURRENT) {
        sched_schedule(); /* chooses and activates */
    } else if (thread_state_type(cur) != ThreadState_Running) {
        thread_activate(cur); /* Restart, or the idle thread */
    }
#endif
}

/* Is t stopped: Inactive or blocked in IPC (Resume restarts only such threads)? */
bool thread_is_stopped(const struct tcb *t);
/* seL4 suspend: cancel t's IPC, make it Inactive and take it off the ready queues. A thread
 * stopped while Running resumes later at its next instruction. Never fails. */
void thread_suspend(struct tcb *t);
/* seL4 restart: if t is stopped, cancel its IPC and make it Restart (it runs its FaultIP again),
 * queued and possibly switched to. A running or ready thread is left alone. Never fails. */
void thread_restart(struct tcb *t);

/* Send, NBSend or Call on an endpoint, notification or reply cap (IPC layer). */
exception_t decode_ipc_invocation(struct invocation_ctx *ctx);

#ifndef CONFIG_KERNEL_MCS
/* Put a master reply cap into t's TCB_REPLY slot if it has none (seL4 setupReplyMaster). Calls
 * need it to derive the one-shot reply cap; Resume/Restart call this, and so does IPC lazily. */
void thread_setup_reply_master(struct tcb *t);
#endif

/* The thread has a pending fault in t->fault: deliver it to its handler (or stop it). */
void thread_handle_fault(struct tcb *t);

#endif
