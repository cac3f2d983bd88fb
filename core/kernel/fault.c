/* SPDX-License-Identifier: BSD-2-Clause */
/* Faults: delivering a thread's fault to its handler as a Call on its fault endpoint, the fault
 * messages (docs/abi.md#faults), replies to them (docs/abi.md#fault-replies), double faults, and
 * the port's fault entries. */
#include <kaal/cspace.h>
#include <kaal/ipc.h>
#include <kaal/kernel.h>
#ifdef CONFIG_KERNEL_MCS
#include <kaal/mcs.h>
#endif
#include <kaal/printf.h>
#include <kaal/sched.h>
#include <kaal/string.h>
#include <kaal/thread.h>

/* Fault record in struct tcb: fault[0] = seL4_Fault_* type, then per type:
 *   CapFault:       fault[1] = CPtr, fault[2] = in receive phase; lookup_failure[] = its words
 *   UnknownSyscall: fault[1] = syscall number
 *   UserException:  fault[1] = ESR (Number), fault[2] = Code
 *   VMFault:        fault[1] = address, fault[2] = instruction fault, fault[3] = FSR */

void fault_set_cap_fault(struct tcb *t, cptr_t cptr, bool in_recv_phase,
                         const struct lookup_fault *lf)
{
    t->fault[0] = seL4_Fault_CapFault;
    t->fault[1] = cptr;
    t->fault[2] = in_recv_phase;
    t->fault[3] = 0;
    kmemset(t->lookup_failure, 0, sizeof(t->lookup_failure));
    lookup_fault_words(lf, t->lookup_failure);
}

/* ---- the message ------------------------------------------------------------------------- */

/* Words of the lookup failure of a cap fault: type, then 0..3 details. */
static word_t lookup_failure_length(const struct tcb *t)
{
    switch (t->lookup_failure[0]) {
    case seL4_InvalidRoot:
        return 1;
    case seL4_MissingCapability:
        return 2;
    case seL4_DepthMismatch:
        return 3;
    default:
        return 4; /* seL4_GuardMismatch */
    }
}

word_t fault_message(struct tcb *f, struct tcb *receiver, word_t *rbuf)
{
    word_t words[seL4_UnknownSyscall_Length];
    word_t n = 0;
    switch (f->fault[0]) {
    case seL4_Fault_CapFault:
        words[n++] = hal_reg_get(&f->arch, REG_FAULT_IP);
        words[n++] = f->fault[1];
        words[n++] = f->fault[2];
        for (word_t i = 0; i < lookup_failure_length(f); i++) {
            words[n++] = f->lookup_failure[i];
        }
        break;
    case seL4_Fault_UnknownSyscall:
        for (word_t r = 0; r < 8; r++) {
            words[n++] = hal_reg_get(&f->arch, REG_X0 + r);
        }
        words[n++] = hal_reg_get(&f->arch, REG_FAULT_IP);
        words[n++] = hal_reg_get(&f->arch, REG_SP);
        words[n++] = hal_reg_get(&f->arch, REG_NEXT_IP);
        words[n++] = hal_reg_get(&f->arch, REG_SPSR);
        words[n++] = f->fault[1];
        break;
    case seL4_Fault_UserException:
        words[n++] = hal_reg_get(&f->arch, REG_FAULT_IP);
        words[n++] = hal_reg_get(&f->arch, REG_SP);
        words[n++] = hal_reg_get(&f->arch, REG_SPSR);
        words[n++] = f->fault[1];
        words[n++] = f->fault[2];
        break;
#ifdef CONFIG_KERNEL_MCS
    case seL4_Fault_Timeout: /* the SC's badge, then (if it still has an SC) µs consumed */
        words[n++] = f->fault[1];
        n += sc_timeout_fault_consumed(f, &words[n]);
        break;
#endif
    case seL4_Fault_VMFault:
        words[n++] = hal_reg_get(&f->arch, REG_FAULT_IP);
        words[n++] = f->fault[1];
        words[n++] = f->fault[2];
        words[n++] = f->fault[3];
        break;
    default:
        kpanic("fault message for a thread without a known fault");
    }
    word_t sent = 0;
    for (word_t i = 0; i < n; i++) {
        word_t next = ipc_set_mr(receiver, rbuf, i, words[i]);
        if (next != i + 1) {
            break; /* no receive buffer: the message ends at the registers */
        }
        sent = next;
    }
    return sent;
}

/* ---- replies ----------------------------------------------------------------------------- */

/* Copy the first n reply MRs of the replier (x2..x5, then its buffer) into the registers regs[]. */
static void copy_reply_to_regs(struct tcb *faulting, struct tcb *replier, const enum user_reg *regs,
                               word_t n)
{
    const word_t *sbuf = thread_lookup_ipc_buffer(replier, false);
    for (word_t i = 0; i < n; i++) {
        word_t v;
        if (i < N_MSG_REGISTERS) {
            v = hal_reg_get(&replier->arch, REG_MR0 + i);
        } else if (sbuf != NULL) {
            v = sbuf[KAAL_IPCBUF_MSG_WORD(i)];
        } else {
            return;
        }
        hal_reg_set(&faulting->arch, regs[i], regs[i] == REG_SPSR ? user_spsr_sanitise(v) : v);
    }
}

static const enum user_reg syscall_reply_regs[] = {
    REG_X0, REG_X1, REG_X2,       REG_X3, REG_X4,      REG_X5,
    REG_X6, REG_X7, REG_FAULT_IP, REG_SP, REG_NEXT_IP, REG_SPSR,
};
static const enum user_reg exception_reply_regs[] = {REG_FAULT_IP, REG_SP, REG_SPSR};
#ifdef CONFIG_KERNEL_MCS
/* A timeout fault's reply: seL4_UserContext's order without the two TLS registers (the index of
 * each register is its word in seL4_UserContext, so the order is the ABI struct's). */
#define CTX(field) (offsetof(seL4_UserContext, field) / sizeof(seL4_Word))
static const enum user_reg timeout_reply_regs[] = {
    [CTX(pc)] = REG_FAULT_IP, [CTX(sp)] = REG_SP,   [CTX(spsr)] = REG_SPSR, [CTX(x0)] = REG_X0,
    [CTX(x1)] = REG_X1,       [CTX(x2)] = REG_X2,   [CTX(x3)] = REG_X3,     [CTX(x4)] = REG_X4,
    [CTX(x5)] = REG_X5,       [CTX(x6)] = REG_X6,   [CTX(x7)] = REG_X7,     [CTX(x8)] = REG_X8,
    [CTX(x16)] = REG_X16,     [CTX(x17)] = REG_X17, [CTX(x18)] = REG_X18,   [CTX(x29)] = REG_X29,
    [CTX(x30)] = REG_X30,     [CTX(x9)] = REG_X9,   [CTX(x10)] = REG_X10,   [CTX(x11)] = REG_X11,
    [CTX(x12)] = REG_X12,     [CTX(x13)] = REG_X13, [CTX(x14)] = REG_X14,   [CTX(x15)] = REG_X15,
    [CTX(x19)] = REG_X19,     [CTX(x20)] = REG_X20, [CTX(x21)] = REG_X21,   [CTX(x22)] = REG_X22,
    [CTX(x23)] = REG_X23,     [CTX(x24)] = REG_X24, [CTX(x25)] = REG_X25,   [CTX(x26)] = REG_X26,
    [CTX(x27)] = REG_X27,     [CTX(x28)] = REG_X28,
};
_Static_assert(ARRAY_SIZE(timeout_reply_regs) == CTX(tpidr_el0) && CTX(tpidr_el0) == 34,
               "a timeout reply sets the 34 registers before the TLS ones (n_timeoutMessage)");
#undef CTX
#endif

bool fault_handle_reply(struct tcb *f, struct tcb *replier)
{
    seL4_MessageInfo_t info = {{hal_reg_get(&replier->arch, REG_MSG_INFO)}};
    word_t label = seL4_MessageInfo_get_label(info);
    word_t length = MIN(seL4_MessageInfo_get_length(info), (word_t)seL4_MsgMaxLength);
    switch (f->fault[0]) {
    case seL4_Fault_UnknownSyscall:
        copy_reply_to_regs(f, replier, syscall_reply_regs,
                           MIN(length, ARRAY_SIZE(syscall_reply_regs)));
        return label == 0;
    case seL4_Fault_UserException:
        copy_reply_to_regs(f, replier, exception_reply_regs,
                           MIN(length, ARRAY_SIZE(exception_reply_regs)));
        return label == 0;
#ifdef CONFIG_KERNEL_MCS
    case seL4_Fault_Timeout:
        copy_reply_to_regs(f, replier, timeout_reply_regs,
                           MIN(length, ARRAY_SIZE(timeout_reply_regs)));
        return label == 0;
#endif
    default: /* CapFault, VMFault: the message is ignored and the thread restarts */
        return true;
    }
}

/* ---- delivery ---------------------------------------------------------------------------- */

/* Print a fault the way seL4's debug kernel does ("cap fault in send phase at address 0x..."). */
static void print_fault(const word_t fault[4])
{
    switch (fault[0]) {
    case seL4_Fault_CapFault:
        kprintf("cap fault in %s phase at address %p", fault[2] ? "receive" : "send",
                (void *)fault[1]);
        break;
    case seL4_Fault_UnknownSyscall:
        kprintf("unknown syscall %ld", (long)fault[1]);
        break;
    case seL4_Fault_UserException:
        kprintf("user exception 0x%lx code %lu", (unsigned long)fault[1], (unsigned long)fault[2]);
        break;
#ifdef CONFIG_KERNEL_MCS
    case seL4_Fault_Timeout:
        kprintf("timeout fault for scheduling context with badge 0x%lx", (unsigned long)fault[1]);
        break;
#endif
    case seL4_Fault_VMFault:
        kprintf("vm fault on %s at address %p with status 0x%lx", fault[2] ? "code" : "data",
                (void *)fault[1], (unsigned long)fault[3]);
        break;
    default:
        kprintf("fault %lu", (unsigned long)fault[0]);
        break;
    }
}

#ifndef CONFIG_KERNEL_MCS
/* The handler cannot take the fault: the thread stops (seL4 handleDoubleFault). */
static void double_fault(struct tcb *t, const word_t second[4])
{
    kprintf("Caught ");
    print_fault(second);
    kprintf("\nwhile trying to handle:\n");
    print_fault(t->fault);
    kprintf("\nin thread %p \"%s\" at address %p\n", (void *)t, t->name,
            (void *)hal_reg_get(&t->arch, REG_FAULT_IP));
    t->fault[0] = seL4_Fault_NullFault;
    sched_set_thread_state(t, ThreadState_Inactive);
}
#endif

#ifdef CONFIG_KERNEL_MCS
void thread_handle_fault(struct tcb *t)
{
    /* MCS: the handler is the endpoint cap copied into the TCB (validated when it was installed;
     * null: none). The fault message goes like a Call and may donate the thread's SC. There is no
     * second fault: without a handler the thread stops. */
    cap_t cap = t->ctes[TCB_FAULT_HANDLER].cap;
    if (cap_get_cap_type(cap) == cap_endpoint_cap) {
        kassert(cap_endpoint_cap_get_can_send(cap)); /* checked by the TCB decoders */
        ep_send(PTOV(endpoint_t, cap_endpoint_cap_get_ptr(cap)), t, IPC_BUFFER_UNKNOWN,
                cap_endpoint_cap_get_badge(cap), cap_endpoint_cap_get_can_grant(cap), true, true,
                true, t->sched_context != NULL);
        return;
    }
    kprintf("Found thread has no fault handler while trying to handle:\n");
    print_fault(t->fault);
    kprintf("\nin thread %p \"%s\" at address %p\n", (void *)t, t->name,
            (void *)hal_reg_get(&t->arch, REG_FAULT_IP));
    t->fault[0] = seL4_Fault_NullFault;
    sched_set_thread_state(t, ThreadState_Inactive);
}
#else
void thread_handle_fault(struct tcb *t)
{
    cptr_t handler = t->fault_handler;
    cte_t *slot;
    cap_t cap;
    struct lookup_fault lf;
    if (cspace_lookup_cap(t, handler, &slot, &cap, &lf) == EXCEPTION_NONE &&
        cap_get_cap_type(cap) == cap_endpoint_cap && cap_endpoint_cap_get_can_send(cap) &&
        (cap_endpoint_cap_get_can_grant(cap) || cap_endpoint_cap_get_can_grant_reply(cap))) {
        ep_send(PTOV(endpoint_t, cap_endpoint_cap_get_ptr(cap)), t, IPC_BUFFER_UNKNOWN,
                cap_endpoint_cap_get_badge(cap), cap_endpoint_cap_get_can_grant(cap), true, true,
                true);
        return;
    }
    /* The second fault: a send-phase cap fault on the handler CPtr (its lookup failure, or a
     * missing capability when the cap is of the wrong kind or lacks rights). */
    word_t second[4] = {seL4_Fault_CapFault, handler, 0, 0};
    double_fault(t, second);
}
#endif

/* ---- the port's entries ------------------------------------------------------------------ */

void kernel_handle_vm_fault(bool instruction, word_t fault_addr, word_t esr)
{
    struct tcb *t = ks.cur_thread;
#ifdef CONFIG_KERNEL_MCS
    if (!mcs_charge_on_entry()) {
        return; /* out of budget: the instruction faults again when the thread next runs */
    }
#endif
    t->fault[0] = seL4_Fault_VMFault;
    t->fault[1] = fault_addr;
    t->fault[2] = instruction;
    t->fault[3] = esr & 0xfffffffful; /* seL4 keeps the FSR in 32 bits */
    thread_handle_fault(t);
}

void kernel_handle_user_exception(word_t esr)
{
    struct tcb *t = ks.cur_thread;
#ifdef CONFIG_KERNEL_MCS
    if (!mcs_charge_on_entry()) {
        return;
    }
#endif
    t->fault[0] = seL4_Fault_UserException;
    t->fault[1] = esr;
    t->fault[2] = 0;
    t->fault[3] = 0;
    thread_handle_fault(t);
}
