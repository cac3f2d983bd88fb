/* SPDX-License-Identifier: BSD-2-Clause */
/* libkaal: every KaaL/seL4 system call as a sys_* function, the IPC buffer and message registers,
 * and every object invocation (generated from core/abi/invocations.def). Each sys_* name also has
 * its libsel4 name (seL4_Call, seL4_Recv, seL4_CNode_Copy, ...) with libsel4's signature and
 * libsel4's use of the registers (docs/abi.md#how-each-call-uses-the-registers), so libsel4
 * sources build against this header.
 * See docs/userlib.md. */
#ifndef KAAL_SYS_H
#define KAAL_SYS_H

#include <kaal/arch/syscall.h>
#include <kaal/sys_types.h>

/* --- The IPC buffer and message registers (docs/abi.md#ipc-buffer) --- */

/* The calling thread's IPC buffer (kept in thread-local storage, as libsel4 keeps it). */
static inline seL4_IPCBuffer *sys_get_ipc_buffer(void) { return *kaal_arch_ipc_buffer_slot(); }
static inline void sys_set_ipc_buffer(seL4_IPCBuffer *buffer)
{
    *kaal_arch_ipc_buffer_slot() = buffer;
}

static inline seL4_Word sys_get_mr(int i) { return sys_get_ipc_buffer()->msg[i]; }
static inline void sys_set_mr(int i, seL4_Word v) { sys_get_ipc_buffer()->msg[i] = v; }
static inline seL4_Word sys_get_user_data(void) { return sys_get_ipc_buffer()->userData; }
static inline void sys_set_user_data(seL4_Word v) { sys_get_ipc_buffer()->userData = v; }
/* Sending: the CPtr of extra cap i. Receiving: the badge of unwrapped cap i (same word). */
static inline void sys_set_cap(int i, seL4_CPtr cptr)
{
    sys_get_ipc_buffer()->caps_or_badges[i] = cptr;
}
static inline seL4_CPtr sys_get_cap(int i) { return sys_get_ipc_buffer()->caps_or_badges[i]; }
static inline seL4_Word sys_get_badge(int i) { return sys_get_ipc_buffer()->caps_or_badges[i]; }
/* Where a received cap goes: (index, depth) in the CNode receive_cnode names. */
static inline void sys_set_cap_receive_path(seL4_CPtr receive_cnode, seL4_CPtr index,
                                            seL4_Word depth)
{
    seL4_IPCBuffer *b = sys_get_ipc_buffer();
    b->receiveCNode = receive_cnode;
    b->receiveIndex = index;
    b->receiveDepth = depth;
}
static inline void sys_get_cap_receive_path(seL4_CPtr *receive_cnode, seL4_CPtr *index,
                                            seL4_Word *depth)
{
    seL4_IPCBuffer *b = sys_get_ipc_buffer();
    if (receive_cnode) {
        *receive_cnode = b->receiveCNode;
    }
    if (index) {
        *index = b->receiveIndex;
    }
    if (depth) {
        *depth = b->receiveDepth;
    }
}

/* --- System calls (docs/abi.md#system-calls, #how-each-call-uses-the-registers). MR0..MR3 travel
 * in x2..x5: the plain forms take them from
 * and return them to msg[0..3] of the IPC buffer; the _with_mrs forms use the caller's variables
 * (NULL: send 0 / discard). --- */

static inline seL4_Word kaal_mr_in(const seL4_Word *p) { return p ? *p : 0; }
static inline void kaal_mr_out(seL4_Word *p, seL4_Word v)
{
    if (p) {
        *p = v;
    }
}

/* Send on dest (endpoint IPC, notification signal, reply cap, or a kernel invocation). */
static inline void sys_send_with_mrs(seL4_CPtr dest, seL4_MessageInfo_t info, seL4_Word *mr0,
                                     seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_Word x0 = dest, x1 = info.words[0], x2 = kaal_mr_in(mr0), x3 = kaal_mr_in(mr1),
              x4 = kaal_mr_in(mr2), x5 = kaal_mr_in(mr3);
    kaal_arch_syscall((seL4_Word)seL4_SysSend, &x0, &x1, &x2, &x3, &x4, &x5);
}
static inline void sys_send(seL4_CPtr dest, seL4_MessageInfo_t info)
{
    seL4_Word x0 = dest, x1 = info.words[0], x2 = sys_get_mr(0), x3 = sys_get_mr(1),
              x4 = sys_get_mr(2), x5 = sys_get_mr(3);
    kaal_arch_syscall((seL4_Word)seL4_SysSend, &x0, &x1, &x2, &x3, &x4, &x5);
}
/* Send that never blocks: with no receiver waiting the message is dropped. */
static inline void sys_nbsend_with_mrs(seL4_CPtr dest, seL4_MessageInfo_t info, seL4_Word *mr0,
                                       seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_Word x0 = dest, x1 = info.words[0], x2 = kaal_mr_in(mr0), x3 = kaal_mr_in(mr1),
              x4 = kaal_mr_in(mr2), x5 = kaal_mr_in(mr3);
    kaal_arch_syscall((seL4_Word)seL4_SysNBSend, &x0, &x1, &x2, &x3, &x4, &x5);
}
static inline void sys_nbsend(seL4_CPtr dest, seL4_MessageInfo_t info)
{
    seL4_Word x0 = dest, x1 = info.words[0], x2 = sys_get_mr(0), x3 = sys_get_mr(1),
              x4 = sys_get_mr(2), x5 = sys_get_mr(3);
    kaal_arch_syscall((seL4_Word)seL4_SysNBSend, &x0, &x1, &x2, &x3, &x4, &x5);
}

/* Send and wait for the reply (invocations: the reply's label is the seL4_Error). */
static inline seL4_MessageInfo_t sys_call_with_mrs(seL4_CPtr dest, seL4_MessageInfo_t info,
                                                   seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2,
                                                   seL4_Word *mr3)
{
    seL4_Word x0 = dest, x1 = info.words[0], x2 = kaal_mr_in(mr0), x3 = kaal_mr_in(mr1),
              x4 = kaal_mr_in(mr2), x5 = kaal_mr_in(mr3);
    kaal_arch_syscall((seL4_Word)seL4_SysCall, &x0, &x1, &x2, &x3, &x4, &x5);
    kaal_mr_out(mr0, x2), kaal_mr_out(mr1, x3), kaal_mr_out(mr2, x4), kaal_mr_out(mr3, x5);
    seL4_MessageInfo_t out = {{x1}};
    return out;
}
static inline seL4_MessageInfo_t sys_call(seL4_CPtr dest, seL4_MessageInfo_t info)
{
    seL4_Word x0 = dest, x1 = info.words[0], x2 = sys_get_mr(0), x3 = sys_get_mr(1),
              x4 = sys_get_mr(2), x5 = sys_get_mr(3);
    kaal_arch_syscall((seL4_Word)seL4_SysCall, &x0, &x1, &x2, &x3, &x4, &x5);
    sys_set_mr(0, x2), sys_set_mr(1, x3), sys_set_mr(2, x4), sys_set_mr(3, x5);
    seL4_MessageInfo_t out = {{x1}};
    return out;
}

#ifndef CONFIG_KERNEL_MCS
/* Reply to the thread in the caller slot (nothing happens if there is none). */
static inline void sys_reply_with_mrs(seL4_MessageInfo_t info, seL4_Word *mr0, seL4_Word *mr1,
                                      seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_Word x0 = 0, x1 = info.words[0], x2 = kaal_mr_in(mr0), x3 = kaal_mr_in(mr1),
              x4 = kaal_mr_in(mr2), x5 = kaal_mr_in(mr3);
    kaal_arch_syscall((seL4_Word)seL4_SysReply, &x0, &x1, &x2, &x3, &x4, &x5);
}
static inline void sys_reply(seL4_MessageInfo_t info)
{
    seL4_Word x0 = 0, x1 = info.words[0], x2 = sys_get_mr(0), x3 = sys_get_mr(1),
              x4 = sys_get_mr(2), x5 = sys_get_mr(3);
    kaal_arch_syscall((seL4_Word)seL4_SysReply, &x0, &x1, &x2, &x3, &x4, &x5);
}

/* Receive on src (endpoint or notification); *sender (if not NULL) gets the badge. */
static inline seL4_MessageInfo_t kaal_recv_common(seL4_Word sys, seL4_CPtr src, seL4_Word *sender,
                                                  seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2,
                                                  seL4_Word *mr3, int to_buffer)
{
    seL4_Word x0 = src, x1 = 0, x2 = 0, x3 = 0, x4 = 0, x5 = 0;
    kaal_arch_syscall(sys, &x0, &x1, &x2, &x3, &x4, &x5);
    if (to_buffer) {
        sys_set_mr(0, x2), sys_set_mr(1, x3), sys_set_mr(2, x4), sys_set_mr(3, x5);
    } else {
        kaal_mr_out(mr0, x2), kaal_mr_out(mr1, x3), kaal_mr_out(mr2, x4), kaal_mr_out(mr3, x5);
    }
    kaal_mr_out(sender, x0);
    seL4_MessageInfo_t out = {{x1}};
    return out;
}
static inline seL4_MessageInfo_t sys_recv(seL4_CPtr src, seL4_Word *sender)
{
    return kaal_recv_common((seL4_Word)seL4_SysRecv, src, sender, 0, 0, 0, 0, 1);
}
static inline seL4_MessageInfo_t sys_recv_with_mrs(seL4_CPtr src, seL4_Word *sender, seL4_Word *mr0,
                                                   seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    return kaal_recv_common((seL4_Word)seL4_SysRecv, src, sender, mr0, mr1, mr2, mr3, 0);
}
/* Receive without blocking: with nothing pending the badge is 0. */
static inline seL4_MessageInfo_t sys_nbrecv(seL4_CPtr src, seL4_Word *sender)
{
    return kaal_recv_common((seL4_Word)seL4_SysNBRecv, src, sender, 0, 0, 0, 0, 1);
}

/* Reply to the caller, then receive on src. */
static inline seL4_MessageInfo_t sys_reply_recv(seL4_CPtr src, seL4_MessageInfo_t info,
                                                seL4_Word *sender)
{
    seL4_Word x0 = src, x1 = info.words[0], x2 = sys_get_mr(0), x3 = sys_get_mr(1),
              x4 = sys_get_mr(2), x5 = sys_get_mr(3);
    kaal_arch_syscall((seL4_Word)seL4_SysReplyRecv, &x0, &x1, &x2, &x3, &x4, &x5);
    sys_set_mr(0, x2), sys_set_mr(1, x3), sys_set_mr(2, x4), sys_set_mr(3, x5);
    kaal_mr_out(sender, x0);
    seL4_MessageInfo_t out = {{x1}};
    return out;
}
static inline seL4_MessageInfo_t sys_reply_recv_with_mrs(seL4_CPtr src, seL4_MessageInfo_t info,
                                                         seL4_Word *sender, seL4_Word *mr0,
                                                         seL4_Word *mr1, seL4_Word *mr2,
                                                         seL4_Word *mr3)
{
    seL4_Word x0 = src, x1 = info.words[0], x2 = kaal_mr_in(mr0), x3 = kaal_mr_in(mr1),
              x4 = kaal_mr_in(mr2), x5 = kaal_mr_in(mr3);
    kaal_arch_syscall((seL4_Word)seL4_SysReplyRecv, &x0, &x1, &x2, &x3, &x4, &x5);
    kaal_mr_out(mr0, x2), kaal_mr_out(mr1, x3), kaal_mr_out(mr2, x4), kaal_mr_out(mr3, x5);
    kaal_mr_out(sender, x0);
    seL4_MessageInfo_t out = {{x1}};
    return out;
}

#else /* CONFIG_KERNEL_MCS */
/* MCS receives (docs/mcs.md): x6 carries the reply object an endpoint receive fills (Recv, NBRecv,
 * ReplyRecv, NBSendRecv) or NBSendWait's destination; x8 NBSendRecv's destination. */
static inline seL4_MessageInfo_t kaal_mcs_call(seL4_Word sys, seL4_Word x0, seL4_MessageInfo_t info,
                                               seL4_Word x6, seL4_Word x8, seL4_Word *sender,
                                               seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2,
                                               seL4_Word *mr3, int use_buffer)
{
    seL4_Word x1 = info.words[0], x2, x3, x4, x5;
    if (use_buffer) {
        x2 = sys_get_mr(0), x3 = sys_get_mr(1), x4 = sys_get_mr(2), x5 = sys_get_mr(3);
    } else {
        x2 = kaal_mr_in(mr0), x3 = kaal_mr_in(mr1), x4 = kaal_mr_in(mr2), x5 = kaal_mr_in(mr3);
    }
    kaal_arch_syscall_x6x8(sys, &x0, &x1, &x2, &x3, &x4, &x5, x6, x8);
    if (use_buffer) {
        sys_set_mr(0, x2), sys_set_mr(1, x3), sys_set_mr(2, x4), sys_set_mr(3, x5);
    } else {
        kaal_mr_out(mr0, x2), kaal_mr_out(mr1, x3), kaal_mr_out(mr2, x4), kaal_mr_out(mr3, x5);
    }
    kaal_mr_out(sender, x0);
    seL4_MessageInfo_t out = {{x1}};
    return out;
}
static const seL4_MessageInfo_t kaal_no_info = {{0}};

/* Receive on src; an endpoint receive fills the reply object `reply` (its cap) with the caller. */
static inline seL4_MessageInfo_t sys_recv(seL4_CPtr src, seL4_Word *sender, seL4_CPtr reply)
{
    return kaal_mcs_call((seL4_Word)seL4_SysRecv, src, kaal_no_info, reply, 0, sender, 0, 0, 0, 0,
                         1);
}
static inline seL4_MessageInfo_t sys_recv_with_mrs(seL4_CPtr src, seL4_Word *sender, seL4_Word *mr0,
                                                   seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3,
                                                   seL4_CPtr reply)
{
    return kaal_mcs_call((seL4_Word)seL4_SysRecv, src, kaal_no_info, reply, 0, sender, mr0, mr1,
                         mr2, mr3, 0);
}
/* Receive without blocking: with nothing pending the badge is 0. */
static inline seL4_MessageInfo_t sys_nbrecv(seL4_CPtr src, seL4_Word *sender, seL4_CPtr reply)
{
    return kaal_mcs_call((seL4_Word)seL4_SysNBRecv, src, kaal_no_info, reply, 0, sender, 0, 0, 0, 0,
                         1);
}
/* Reply through the reply object `reply`, then receive on src with it. */
static inline seL4_MessageInfo_t sys_reply_recv(seL4_CPtr src, seL4_MessageInfo_t info,
                                                seL4_Word *sender, seL4_CPtr reply)
{
    return kaal_mcs_call((seL4_Word)seL4_SysReplyRecv, src, info, reply, 0, sender, 0, 0, 0, 0, 1);
}
static inline seL4_MessageInfo_t sys_reply_recv_with_mrs(seL4_CPtr src, seL4_MessageInfo_t info,
                                                         seL4_Word *sender, seL4_Word *mr0,
                                                         seL4_Word *mr1, seL4_Word *mr2,
                                                         seL4_Word *mr3, seL4_CPtr reply)
{
    return kaal_mcs_call((seL4_Word)seL4_SysReplyRecv, src, info, reply, 0, sender, mr0, mr1, mr2,
                         mr3, 0);
}
/* Send on dest without blocking (may donate the SC to a passive receiver), then receive on src. */
static inline seL4_MessageInfo_t sys_nbsend_recv(seL4_CPtr dest, seL4_MessageInfo_t info,
                                                 seL4_CPtr src, seL4_Word *sender, seL4_CPtr reply)
{
    return kaal_mcs_call((seL4_Word)seL4_SysNBSendRecv, src, info, reply, dest, sender, 0, 0, 0, 0,
                         1);
}
static inline seL4_MessageInfo_t sys_nbsend_recv_with_mrs(seL4_CPtr dest, seL4_MessageInfo_t info,
                                                          seL4_CPtr src, seL4_Word *sender,
                                                          seL4_Word *mr0, seL4_Word *mr1,
                                                          seL4_Word *mr2, seL4_Word *mr3,
                                                          seL4_CPtr reply)
{
    return kaal_mcs_call((seL4_Word)seL4_SysNBSendRecv, src, info, reply, dest, sender, mr0, mr1,
                         mr2, mr3, 0);
}
/* Send on dest without blocking, then wait on src without a reply object. */
static inline seL4_MessageInfo_t sys_nbsend_wait(seL4_CPtr dest, seL4_MessageInfo_t info,
                                                 seL4_CPtr src, seL4_Word *sender)
{
    return kaal_mcs_call((seL4_Word)seL4_SysNBSendWait, src, info, dest, 0, sender, 0, 0, 0, 0, 1);
}
static inline seL4_MessageInfo_t sys_nbsend_wait_with_mrs(seL4_CPtr dest, seL4_MessageInfo_t info,
                                                          seL4_CPtr src, seL4_Word *sender,
                                                          seL4_Word *mr0, seL4_Word *mr1,
                                                          seL4_Word *mr2, seL4_Word *mr3)
{
    return kaal_mcs_call((seL4_Word)seL4_SysNBSendWait, src, info, dest, 0, sender, mr0, mr1, mr2,
                         mr3, 0);
}
/* Wait on src (endpoint or notification) without a reply object: a Call is not answerable. */
static inline seL4_MessageInfo_t sys_wait(seL4_CPtr src, seL4_Word *sender)
{
    return kaal_mcs_call((seL4_Word)seL4_SysWait, src, kaal_no_info, 0, 0, sender, 0, 0, 0, 0, 1);
}
static inline seL4_MessageInfo_t sys_wait_with_mrs(seL4_CPtr src, seL4_Word *sender, seL4_Word *mr0,
                                                   seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    return kaal_mcs_call((seL4_Word)seL4_SysWait, src, kaal_no_info, 0, 0, sender, mr0, mr1, mr2,
                         mr3, 0);
}
static inline seL4_MessageInfo_t sys_nbwait(seL4_CPtr src, seL4_Word *sender)
{
    return kaal_mcs_call((seL4_Word)seL4_SysNBWait, src, kaal_no_info, 0, 0, sender, 0, 0, 0, 0, 1);
}
/* Poll = NBWait under MCS. */
static inline seL4_MessageInfo_t sys_poll(seL4_CPtr src, seL4_Word *sender)
{
    return sys_nbwait(src, sender);
}

#endif

/* Give up the rest of the time slice (to the tail of the priority's ready queue). */
static inline void sys_yield(void)
{
    seL4_Word x0 = 0, x1 = 0, x2 = 0, x3 = 0, x4 = 0, x5 = 0;
    kaal_arch_syscall((seL4_Word)seL4_SysYield, &x0, &x1, &x2, &x3, &x4, &x5);
}

/* Notifications: Signal = Send with an empty message. Non-MCS: Wait = Recv; Poll = NBRecv (MCS:
 * their own system calls, above). */
static inline void sys_signal(seL4_CPtr dest)
{
    seL4_Word x0 = dest, x1 = 0, x2 = 0, x3 = 0, x4 = 0, x5 = 0;
    kaal_arch_syscall((seL4_Word)seL4_SysSend, &x0, &x1, &x2, &x3, &x4, &x5);
}
#ifndef CONFIG_KERNEL_MCS
static inline void sys_wait(seL4_CPtr src, seL4_Word *sender) { (void)sys_recv(src, sender); }
static inline seL4_MessageInfo_t sys_poll(seL4_CPtr src, seL4_Word *sender)
{
    return sys_nbrecv(src, sender);
}
#endif

/* --- Servers: receive a request, answer it, answer and receive the next, written once for both
 * configurations. reply is the server's reply object under MCS; the base configuration ignores it
 * (the kernel's caller slot answers). --- */
static inline seL4_MessageInfo_t kaal_server_recv(seL4_CPtr ep, seL4_Word *badge, seL4_CPtr reply)
{
#ifdef CONFIG_KERNEL_MCS
    return sys_recv(ep, badge, reply);
#else
    (void)reply;
    return sys_recv(ep, badge);
#endif
}
static inline void kaal_server_reply(seL4_CPtr reply, seL4_MessageInfo_t info)
{
#ifdef CONFIG_KERNEL_MCS
    sys_send(reply, info);
#else
    (void)reply;
    sys_reply(info);
#endif
}
static inline seL4_MessageInfo_t kaal_server_reply_recv(seL4_CPtr ep, seL4_MessageInfo_t info,
                                                        seL4_Word *badge, seL4_CPtr reply)
{
#ifdef CONFIG_KERNEL_MCS
    return sys_reply_recv(ep, info, badge, reply);
#else
    (void)reply;
    return sys_reply_recv(ep, info, badge);
#endif
}

/* --- Debug system calls (debug kernels) --- */
static inline void sys_debug_put_char(char c)
{
    seL4_Word x0 = (seL4_Word)(unsigned char)c, x1 = 0, x2 = 0, x3 = 0, x4 = 0, x5 = 0;
    kaal_arch_syscall((seL4_Word)seL4_SysDebugPutChar, &x0, &x1, &x2, &x3, &x4, &x5);
}
static inline void sys_debug_put_string(const char *s)
{
    while (*s) {
        sys_debug_put_char(*s++);
    }
}
static inline void sys_debug_dump_scheduler(void)
{
    seL4_Word x0 = 0, x1 = 0, x2 = 0, x3 = 0, x4 = 0, x5 = 0;
    kaal_arch_syscall((seL4_Word)seL4_SysDebugDumpScheduler, &x0, &x1, &x2, &x3, &x4, &x5);
}
/* Halts the machine; does not return on a kernel that implements it. */
static inline void sys_debug_halt(void)
{
    seL4_Word x0 = 0, x1 = 0, x2 = 0, x3 = 0, x4 = 0, x5 = 0;
    kaal_arch_syscall((seL4_Word)seL4_SysDebugHalt, &x0, &x1, &x2, &x3, &x4, &x5);
}
/* The kernel's cap type tag of the cap at cptr (docs/abi.md#cap-types); 0 for an empty slot. */
static inline seL4_Uint32 sys_debug_cap_identify(seL4_CPtr cptr)
{
    seL4_Word x0 = cptr, x1 = 0, x2 = 0, x3 = 0, x4 = 0, x5 = 0;
    kaal_arch_syscall((seL4_Word)seL4_SysDebugCapIdentify, &x0, &x1, &x2, &x3, &x4, &x5);
    return (seL4_Uint32)x0;
}
static inline void sys_debug_snapshot(void)
{
    seL4_Word x0 = 0, x1 = 0, x2 = 0, x3 = 0, x4 = 0, x5 = 0;
    kaal_arch_syscall((seL4_Word)seL4_SysDebugSnapshot, &x0, &x1, &x2, &x3, &x4, &x5);
}
/* Name a thread for kernel diagnostics: the NUL-terminated name goes to the IPC buffer at msg[0]
 * (names of 960 bytes or more halt a seL4 debug kernel; this copy truncates to 959). */
static inline void sys_debug_name_thread(seL4_CPtr tcb, const char *name)
{
    char *dst = (char *)sys_get_ipc_buffer()->msg;
    unsigned i = 0;
    for (; name[i] != '\0' && i < sizeof(sys_get_ipc_buffer()->msg) - 1; i++) {
        dst[i] = name[i];
    }
    dst[i] = '\0';
    seL4_Word x0 = tcb, x1 = 0, x2 = 0, x3 = 0, x4 = 0, x5 = 0;
    kaal_arch_syscall((seL4_Word)seL4_SysDebugNameThread, &x0, &x1, &x2, &x3, &x4, &x5);
}

/* --- Object invocations: sys_<object>_<method>() and their libsel4 names, generated --- */
#include <kaal/sys_invocations_gen.h>

/* --- libsel4 names --- */
#define seL4_GetIPCBuffer sys_get_ipc_buffer
#define seL4_SetIPCBuffer sys_set_ipc_buffer
#define seL4_GetMR sys_get_mr
#define seL4_SetMR sys_set_mr
#define seL4_GetUserData sys_get_user_data
#define seL4_SetUserData sys_set_user_data
#define seL4_SetCap sys_set_cap
#define seL4_GetCap sys_get_cap
#define seL4_GetBadge sys_get_badge
#define seL4_SetCapReceivePath sys_set_cap_receive_path
#define seL4_GetCapReceivePath sys_get_cap_receive_path
#define seL4_Send sys_send
#define seL4_SendWithMRs sys_send_with_mrs
#define seL4_NBSend sys_nbsend
#define seL4_NBSendWithMRs sys_nbsend_with_mrs
#define seL4_Call sys_call
#define seL4_CallWithMRs sys_call_with_mrs
#ifdef CONFIG_KERNEL_MCS
#define seL4_NBSendRecv sys_nbsend_recv
#define seL4_NBSendRecvWithMRs sys_nbsend_recv_with_mrs
#define seL4_NBSendWait sys_nbsend_wait
#define seL4_NBSendWaitWithMRs sys_nbsend_wait_with_mrs
#define seL4_WaitWithMRs sys_wait_with_mrs
#define seL4_NBWait sys_nbwait
/* libsel4's inline wrapper: ConfigureFlags with no flags. */
static inline seL4_Error sys_sched_control_configure(seL4_SchedControl control,
                                                     seL4_SchedContext sc, seL4_Time budget,
                                                     seL4_Time period, seL4_Word extra_refills,
                                                     seL4_Word badge)
{
    return sys_sched_control_configure_flags(control, sc, budget, period, extra_refills, badge,
                                             seL4_SchedContext_NoFlag);
}
#define seL4_SchedControl_Configure sys_sched_control_configure
#else
#define seL4_Reply sys_reply
#define seL4_ReplyWithMRs sys_reply_with_mrs
#endif
#define seL4_Recv sys_recv
#define seL4_RecvWithMRs sys_recv_with_mrs
#define seL4_NBRecv sys_nbrecv
#define seL4_ReplyRecv sys_reply_recv
#define seL4_ReplyRecvWithMRs sys_reply_recv_with_mrs
#define seL4_Yield sys_yield
#define seL4_Signal sys_signal
#define seL4_Wait sys_wait
#define seL4_Poll sys_poll
#define seL4_DebugPutChar sys_debug_put_char
#define seL4_DebugPutString sys_debug_put_string
#define seL4_DebugDumpScheduler sys_debug_dump_scheduler
#define seL4_DebugHalt sys_debug_halt
#define seL4_DebugCapIdentify sys_debug_cap_identify
#define seL4_DebugSnapshot sys_debug_snapshot
#define seL4_DebugNameThread sys_debug_name_thread

#endif
