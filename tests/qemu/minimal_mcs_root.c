/* SPDX-License-Identifier: BSD-2-Clause */
/* A root task for seL4's MCS configuration written from its AArch64 ABI facts alone (no KaaL
 * header, no library, no seL4 header), built with `aarch64-linux-gnu-gcc -nostdlib -static`: what a
 * program compiled against libsel4 with CONFIG_KERNEL_MCS would put in its registers and IPC
 * buffer, typed in by hand from the numbers of docs/abi.md (MCS sections). It checks the MCS
 * bootinfo layout and initial caps, retypes a scheduling context, a reply object, an endpoint, a
 * notification and a TCB, provokes the SchedControl_ConfigureFlags and TCB errors a program can
 * meet, starts a child on a 1 ms per 10 ms sporadic budget with a timeout endpoint, answers its
 * Call through the reply object, lets its endless loop run out of budget, takes the timeout fault
 * (label 5, the SC's badge, the consumed time), restarts the child elsewhere by the fault reply,
 * reads Consumed, and suspends itself. Booted by QEMU (tests/qemu, -Dmcs=true) and by kaal-sim
 * --elf. -DWRONG_BADGE expects a wrong timeout badge, so exactly one check must fail (the test
 * proves a failing check is seen). */

/* System call numbers under MCS (x7). */
#define SYS_CALL (-1L)
#define SYS_SEND (-5L)
#define SYS_RECV (-7L)
#define SYS_NB_WAIT (-10L)
#define SYS_DEBUG_PUT_CHAR (-12L)
#define SYS_DEBUG_CAP_IDENTIFY (-15L)

/* Initial caps. */
#define CAP_INIT_THREAD_TCB 1UL
#define CAP_INIT_THREAD_CNODE 2UL
#define CAP_INIT_THREAD_VSPACE 3UL
#define CAP_INIT_THREAD_IPC_BUFFER 10UL
#define CAP_INIT_THREAD_SC 14UL

/* Invocation labels under MCS. */
#define LABEL_UNTYPED_RETYPE 1UL
#define LABEL_TCB_WRITE_REGISTERS 3UL
#define LABEL_TCB_CONFIGURE 5UL
#define LABEL_TCB_SET_SCHED_PARAMS 8UL
#define LABEL_TCB_SET_TIMEOUT_ENDPOINT 9UL
#define LABEL_TCB_SUSPEND 12UL
#define LABEL_CNODE_MINT 22UL
#define LABEL_SCHED_CONTROL_CONFIGURE_FLAGS 33UL
#define LABEL_SCHED_CONTEXT_CONSUMED 37UL

/* Object types under MCS and their size arguments. */
#define OBJ_TCB 1UL
#define OBJ_ENDPOINT 2UL
#define OBJ_NOTIFICATION 3UL
#define OBJ_SCHED_CONTEXT 5UL
#define OBJ_REPLY 6UL
#define OBJ_TYPE_COUNT 12UL
#define MIN_SCHED_CONTEXT_BITS 7UL

/* Errors, fault labels, DebugCapIdentify tags. */
#define ERR_NONE 0UL
#define ERR_INVALID_ARGUMENT 1UL
#define ERR_INVALID_CAPABILITY 2UL
#define ERR_RANGE 4UL
#define FAULT_TIMEOUT 5UL
#define TAG_ENDPOINT 4UL
#define TAG_NOTIFICATION 6UL
#define TAG_REPLY 8UL
#define TAG_THREAD 12UL
#define TAG_SCHED_CONTEXT 22UL
#define TAG_SCHED_CONTROL 24UL
#define RIGHTS_ALL 0xfUL

/* The scheduling limits on this platform: 20 us minimum budget, the dynamic maximum period. */
#define MIN_BUDGET_US 20UL
#define MAX_PERIOD_US 36893488147419UL

/* seL4_MessageInfo: label << 12 | capsUnwrapped << 9 | extraCaps << 7 | length. */
#define MSG_INFO(label, extra_caps, length) (((label) << 12) | ((extra_caps) << 7) | (length))
#define MSG_LABEL(info) ((info) >> 12)
#define MSG_LENGTH(info) ((info)&0x7fUL)

/* seL4_BootInfo byte offsets under MCS (the schedcontrol region moves the untyped ones by 16). */
#define BI_IPC_BUFFER 32
#define BI_EMPTY_START 40
#define BI_SCHED_CONTROL_START 152
#define BI_SCHED_CONTROL_END 160
#define BI_UNTYPED_START 168
#define BI_UNTYPED_END 176
#define BI_UNTYPED_LIST 184
/* The IPC buffer: MR i at byte 8 + 8i, caps_or_badges[i] at byte 976 + 8i. */
#define IPC_MR(i) (8 + 8 * (i))
#define IPC_CAP(i) (976 + 8 * (i))

#define BARE_ROOT_NAME "minimal MCS root task"
#include "../emu/bare_root.h" /* the svc, printing, checks and the start: no ABI number */

static unsigned long ipc;       /* the root's IPC buffer */
static unsigned long next_slot; /* the next free slot of the root CNode */

/* Untyped_Retype(untyped, type, size_bits, root CNode, index 0, depth 0, offset = a new slot, 1):
 * the reply's registers; the new slot in *slot. */
static struct regs retype(unsigned long untyped, unsigned long type, unsigned long size_bits,
                          unsigned long *slot)
{
    *slot = next_slot;
    set_word(ipc + IPC_MR(4), next_slot);
    set_word(ipc + IPC_MR(5), 1);
    set_word(ipc + IPC_CAP(0), CAP_INIT_THREAD_CNODE);
    struct regs r = {{untyped, MSG_INFO(LABEL_UNTYPED_RETYPE, 1, 6), type, size_bits, 0, 0}};
    syscall(SYS_CALL, &r);
    if (MSG_LABEL(r.x[1]) == ERR_NONE) {
        next_slot++;
    }
    return r;
}

/* CNode_Mint(root CNode, a new slot, 64, root CNode, src, 64, all rights, badge): the new slot. */
static unsigned long mint(unsigned long src, unsigned long badge)
{
    set_word(ipc + IPC_MR(4), RIGHTS_ALL);
    set_word(ipc + IPC_MR(5), badge);
    set_word(ipc + IPC_CAP(0), CAP_INIT_THREAD_CNODE);
    struct regs r = {
        {CAP_INIT_THREAD_CNODE, MSG_INFO(LABEL_CNODE_MINT, 1, 6), next_slot, 64, src, 64}};
    syscall(SYS_CALL, &r);
    check("CNode_Mint", MSG_LABEL(r.x[1]), ERR_NONE);
    return next_slot++;
}

/* SchedControl_ConfigureFlags(control, sc, budget, period, extra refills, badge, flags): the reply.
 */
static struct regs configure(unsigned long control, unsigned long sc, unsigned long budget_us,
                             unsigned long period_us, unsigned long extra, unsigned long badge)
{
    set_word(ipc + IPC_MR(4), 0); /* flags: seL4_SchedContext_NoFlag */
    set_word(ipc + IPC_CAP(0), sc);
    struct regs r = {{control, MSG_INFO(LABEL_SCHED_CONTROL_CONFIGURE_FLAGS, 1, 5), budget_us,
                      period_us, extra, badge}};
    syscall(SYS_CALL, &r);
    return r;
}

static unsigned long consumed(unsigned long sc)
{
    struct regs r = {{sc, MSG_INFO(LABEL_SCHED_CONTEXT_CONSUMED, 0, 0)}};
    syscall(SYS_CALL, &r);
    check("SchedContext_Consumed: label", MSG_LABEL(r.x[1]), ERR_NONE);
    check("SchedContext_Consumed: length", MSG_LENGTH(r.x[1]), 1);
    return r.x[2];
}

/* The child: Calls the endpoint, keeps the answer, then loops until its budget runs out. The
 * timeout fault's reply restarts it in child_after_timeout, which Sends a last word. */
static unsigned long child_ep;
static volatile unsigned long child_reply_label, child_reply_mr0, child_spins;
unsigned char child_stack[4096] __attribute__((aligned(16)));

void child_main(void);
void child_main(void)
{
    struct regs r = {{child_ep, MSG_INFO(0x33UL, 0, 2), 0x1111, 0x2222}};
    syscall(SYS_CALL, &r);
    child_reply_label = MSG_LABEL(r.x[1]);
    child_reply_mr0 = r.x[2];
    for (;;) {
        child_spins = child_spins + 1;
    }
}

void child_after_timeout(void);
void child_after_timeout(void)
{
    struct regs r = {{child_ep, MSG_INFO(0x55UL, 0, 1), child_spins != 0}};
    syscall(SYS_SEND, &r);
    for (;;) {
        struct regs y = {{0}};
        syscall(SYS_NB_WAIT, &y); /* not reached: the root suspends the child */
    }
}

void root_main(unsigned long bootinfo)
{
    puts_("minimal MCS root task: hello from AArch64 EL0\n");
    ipc = word_at(bootinfo + BI_IPC_BUFFER);
    next_slot = word_at(bootinfo + BI_EMPTY_START);
    unsigned long control = word_at(bootinfo + BI_SCHED_CONTROL_START);
    unsigned long first = word_at(bootinfo + BI_UNTYPED_START);
    unsigned long end = word_at(bootinfo + BI_UNTYPED_END);

    /* The MCS bootinfo and initial caps. */
    check("bootinfo: one SchedControl cap", word_at(bootinfo + BI_SCHED_CONTROL_END) - control, 1);
    check("DebugCapIdentify(SchedControl)", cap_identify(control), TAG_SCHED_CONTROL);
    check("DebugCapIdentify(slot 14: the root's SC)", cap_identify(CAP_INIT_THREAD_SC),
          TAG_SCHED_CONTEXT);
    (void)consumed(CAP_INIT_THREAD_SC);

    /* The first RAM untyped of at least 64 KiB. */
    unsigned long untyped = 0;
    for (unsigned long i = 0; i < end - first && untyped == 0; i++) {
        const unsigned char *desc = (const unsigned char *)(bootinfo + BI_UNTYPED_LIST + 16 * i);
        if (desc[9] == 0 && desc[8] >= 16) {
            untyped = first + i;
        }
    }
    check("a RAM untyped in the bootinfo", untyped != 0, 1);

    /* Retype: the MCS object numbers, and the SchedContext size rule. */
    unsigned long sc, reply, ep, ntfn, tcb, slot;
    struct regs r = retype(untyped, OBJ_SCHED_CONTEXT, MIN_SCHED_CONTEXT_BITS - 1, &slot);
    check("Retype a SchedContext below 7 bits", MSG_LABEL(r.x[1]), ERR_INVALID_ARGUMENT);
    check("  the bad argument", r.x[2], 1);
    r = retype(untyped, OBJ_TYPE_COUNT, 0, &slot);
    check("Retype type 12 (the MCS type count)", MSG_LABEL(r.x[1]), ERR_INVALID_ARGUMENT);
    r = retype(untyped, OBJ_SCHED_CONTEXT, 8, &sc);
    check("Retype a SchedContext (8 bits)", MSG_LABEL(r.x[1]), ERR_NONE);
    r = retype(untyped, OBJ_REPLY, 0, &reply);
    check("Retype a Reply", MSG_LABEL(r.x[1]), ERR_NONE);
    r = retype(untyped, OBJ_ENDPOINT, 0, &ep);
    check("Retype an Endpoint", MSG_LABEL(r.x[1]), ERR_NONE);
    r = retype(untyped, OBJ_NOTIFICATION, 0, &ntfn);
    check("Retype a Notification", MSG_LABEL(r.x[1]), ERR_NONE);
    r = retype(untyped, OBJ_TCB, 0, &tcb);
    check("Retype a TCB", MSG_LABEL(r.x[1]), ERR_NONE);
    check("DebugCapIdentify(SchedContext)", cap_identify(sc), TAG_SCHED_CONTEXT);
    check("DebugCapIdentify(Reply)", cap_identify(reply), TAG_REPLY);
    check("DebugCapIdentify(Endpoint)", cap_identify(ep), TAG_ENDPOINT);
    check("DebugCapIdentify(Notification)", cap_identify(ntfn), TAG_NOTIFICATION);
    check("DebugCapIdentify(TCB)", cap_identify(tcb), TAG_THREAD);

    /* SchedControl_ConfigureFlags: its range errors, then 1 ms per 10 ms, badge 0x5c. */
    r = configure(control, sc, MIN_BUDGET_US - 1, 10000, 0, 0);
    check("ConfigureFlags, budget 19 us", MSG_LABEL(r.x[1]), ERR_RANGE);
    check("  the minimum", r.x[2], MIN_BUDGET_US);
    check("  the maximum", r.x[3], MAX_PERIOD_US);
    r = configure(control, sc, 2000, 1000, 0, 0);
    check("ConfigureFlags, budget over period", MSG_LABEL(r.x[1]), ERR_RANGE);
    check("  the maximum is the period", r.x[3], 1000);
    r = configure(control, sc, 1000, 10000, 9, 0);
    check("ConfigureFlags, 9 extra refills in 8 bits", MSG_LABEL(r.x[1]), ERR_RANGE);
    check("  the most extra refills", r.x[3], 8);
    r = configure(control, ntfn, 1000, 10000, 0, 0);
    check("ConfigureFlags on a notification", MSG_LABEL(r.x[1]), ERR_INVALID_CAPABILITY);
    check("  the bad cap", r.x[2], 1);
    r = configure(control, sc, 1000, 10000, 0, 0x5c);
    check("ConfigureFlags 1 ms / 10 ms", MSG_LABEL(r.x[1]), ERR_NONE);

    /* The child thread: TCB_Configure's MCS form (no fault endpoint word), SetSchedParams with
     * its SC and a fault handler, SetTimeoutEndpoint, then WriteRegisters (pc, sp) and resume. */
    child_ep = mint(ep, 0x7);
    unsigned long timeout_ep = mint(ep, 0x99);
    set_word(ipc + IPC_CAP(0), CAP_INIT_THREAD_CNODE);
    set_word(ipc + IPC_CAP(1), CAP_INIT_THREAD_VSPACE);
    set_word(ipc + IPC_CAP(2), CAP_INIT_THREAD_IPC_BUFFER);
    r = (struct regs){{tcb, MSG_INFO(LABEL_TCB_CONFIGURE, 3, 3), 0, 0, 0}};
    syscall(SYS_CALL, &r);
    check("TCB_Configure (MCS form)", MSG_LABEL(r.x[1]), ERR_NONE);

    set_word(ipc + IPC_CAP(0), CAP_INIT_THREAD_TCB);
    set_word(ipc + IPC_CAP(1), ntfn);
    set_word(ipc + IPC_CAP(2), ep);
    r = (struct regs){{tcb, MSG_INFO(LABEL_TCB_SET_SCHED_PARAMS, 3, 2), 0, 254}};
    syscall(SYS_CALL, &r);
    check("SetSchedParams with a notification for the SC", MSG_LABEL(r.x[1]),
          ERR_INVALID_CAPABILITY);
    check("  the bad cap", r.x[2], 2);
    set_word(ipc + IPC_CAP(1), sc);
    set_word(ipc + IPC_CAP(2), ntfn);
    r = (struct regs){{tcb, MSG_INFO(LABEL_TCB_SET_SCHED_PARAMS, 3, 2), 0, 254}};
    syscall(SYS_CALL, &r);
    check("SetSchedParams with a notification for the fault handler", MSG_LABEL(r.x[1]),
          ERR_INVALID_CAPABILITY);
    check("  the bad cap", r.x[2], 3);
    set_word(ipc + IPC_CAP(2), ep);
    r = (struct regs){{tcb, MSG_INFO(LABEL_TCB_SET_SCHED_PARAMS, 3, 2), 0, 254}};
    syscall(SYS_CALL, &r);
    check("SetSchedParams (prio 254, the SC, a fault handler)", MSG_LABEL(r.x[1]), ERR_NONE);

    set_word(ipc + IPC_CAP(0), ntfn);
    r = (struct regs){{tcb, MSG_INFO(LABEL_TCB_SET_TIMEOUT_ENDPOINT, 1, 0)}};
    syscall(SYS_CALL, &r);
    check("SetTimeoutEndpoint(a notification)", MSG_LABEL(r.x[1]), ERR_INVALID_CAPABILITY);
    check("  the bad cap", r.x[2], 1);
    set_word(ipc + IPC_CAP(0), timeout_ep);
    r = (struct regs){{tcb, MSG_INFO(LABEL_TCB_SET_TIMEOUT_ENDPOINT, 1, 0)}};
    syscall(SYS_CALL, &r);
    check("SetTimeoutEndpoint(badge 0x99)", MSG_LABEL(r.x[1]), ERR_NONE);

    r = (struct regs){{tcb, MSG_INFO(LABEL_TCB_WRITE_REGISTERS, 0, 4), 1, 2,
                       (unsigned long)child_main,
                       (unsigned long)(child_stack + sizeof child_stack)}};
    syscall(SYS_CALL, &r);
    check("WriteRegisters (pc, sp) and resume", MSG_LABEL(r.x[1]), ERR_NONE);

    /* The child's Call, received with the reply object in x6, answered through it. */
    r = (struct regs){{ep, 0, 0, 0, 0, 0, reply}};
    syscall(SYS_RECV, &r);
    check("Recv: the child's badge", r.x[0], 0x7);
    check("Recv: the label", MSG_LABEL(r.x[1]), 0x33);
    check("Recv: the length", MSG_LENGTH(r.x[1]), 2);
    check("Recv: MR0", r.x[2], 0x1111);
    check("Recv: MR1", r.x[3], 0x2222);
    r = (struct regs){{reply, MSG_INFO(0x44UL, 0, 1), 0x1112}};
    syscall(SYS_SEND, &r);

    /* The child loops until its 1 ms is spent: the timeout fault, with a reply object. */
    r = (struct regs){{ep, 0, 0, 0, 0, 0, reply}};
    syscall(SYS_RECV, &r);
    check("the child saw the reply's label", child_reply_label, 0x44);
    check("the child saw the reply's MR0", child_reply_mr0, 0x1112);
    check("timeout fault: the timeout endpoint's badge", r.x[0], 0x99);
    check("timeout fault: label", MSG_LABEL(r.x[1]), FAULT_TIMEOUT);
    check("timeout fault: length", MSG_LENGTH(r.x[1]), 2);
#ifdef WRONG_BADGE
    check("timeout fault: the SC's badge", r.x[2], 0x5d);
#else
    check("timeout fault: the SC's badge", r.x[2], 0x5c);
#endif
    /* At least the budget less the minimum a kernel entry needs (20 us); the time it overran by
     * depends on where its kernel entry fell, not more than a second budget here. */
    check("timeout fault: the budget was used up (us consumed)",
          r.x[3] >= 1000 - MIN_BUDGET_US && r.x[3] <= 2000 ? 0 : r.x[3], 0);

    /* Reply label 0, MR0 = FaultIP: the child restarts there, on its next refill. */
    r = (struct regs){{reply, MSG_INFO(0, 0, 1), (unsigned long)child_after_timeout}};
    syscall(SYS_SEND, &r);
    r = (struct regs){{ep, 0, 0, 0, 0, 0, reply}};
    syscall(SYS_RECV, &r);
    check("after the timeout reply: badge", r.x[0], 0x7);
    check("after the timeout reply: label", MSG_LABEL(r.x[1]), 0x55);
    check("after the timeout reply: the loop ran", r.x[2], 1);
    r = (struct regs){{tcb, MSG_INFO(LABEL_TCB_SUSPEND, 0, 0)}};
    syscall(SYS_CALL, &r);
    check("suspend the child", MSG_LABEL(r.x[1]), ERR_NONE);
    check("Consumed after the timeout fault: the counter was reset", consumed(sc) < 1000, 1);

    finish(CAP_INIT_THREAD_TCB, LABEL_TCB_SUSPEND);
}
