/* SPDX-License-Identifier: BSD-2-Clause */
/* Bad input from user mode, on QEMU: a child thread that executes garbage, jumps to kernel
 * addresses, touches kernel and device memory it has no mapping for, or floods interrupts must
 * not hurt the kernel or other threads. The root task (priority 255) is the child's fault handler:
 * each bad action must arrive as the seL4 fault docs/abi.md#faults describes, with the right
 * address, and afterwards a witness thread (same priority as the child, same address space) must
 * still be running, with its callee-saved registers intact, and the kernel must still answer system
 * calls. Prints one "ok"/"not ok" line per case and "N passed, M failed";
 * tests/qemu/run-badinput.sh judges the console. Built on libkaal (crt0, TLS, allocators), like the
 * conformance suite. */
#include <kaal/alloc.h>
#include <kaal/bootinfo.h>
#include <kaal/print.h>
#include <kaal/start.h>
#include <kaal/sys.h>

#include "case_report.h"

/* Child entry points in assembly: x0 is the argument, written by TCB_WriteRegisters. */
__asm__(".pushsection .text.badinput, \"ax\"\n"
        ".balign 16\n"
        ".global bad_garbage\n"
        "bad_garbage: .word 0x00000000, 0xffffffff\n" /* UDF #0, then an unallocated encoding */
        ".global bad_unallocated\n"
        "bad_unallocated: .word 0xffffffff\n"
        ".global bad_brk\n"
        "bad_brk: brk #0x42\n"
        ".global bad_sysreg\n"
        "bad_sysreg: msr sctlr_el1, x0\n" /* EL1 register from EL0 */
        ".global bad_eret\n"
        "bad_eret: eret\n"
        ".global bad_hvc\n"
        "bad_hvc: hvc #0\n"
        ".global bad_smc\n"
        "bad_smc: smc #0\n"
        ".global bad_svc\n"
        "bad_svc: mov x7, #0x4242\n" /* no such system call */
        "  svc #0\n"
        "  brk #1\n" /* never reached: a wrong fault instead of a hang */
        ".global bad_jump\n"
        "bad_jump: br x0\n"
        ".global bad_load\n"
        "bad_load: ldr x1, [x0]\n"
        "  brk #1\n"
        ".global bad_store\n"
        "bad_store: str x0, [x0]\n"
        "  brk #1\n"
        ".global bad_sp\n"
        "bad_sp: mov sp, x0\n" /* misaligned stack pointer, then use it */
        "  ldr x1, [sp]\n"
        "  brk #1\n"
        ".popsection\n");
extern const char bad_garbage[], bad_unallocated[], bad_brk[], bad_sysreg[], bad_eret[], bad_hvc[],
    bad_smc[], bad_svc[], bad_jump[], bad_load[], bad_store[], bad_sp[];

#define STACK_SIZE 4096
static _Alignas(16) unsigned char child_stack[STACK_SIZE];
static _Alignas(16) unsigned char witness_stack[STACK_SIZE];
static _Alignas(16) unsigned char flooder_stack[STACK_SIZE];

/* --- The witness: counts, and checks that its callee-saved registers survive everything the other
 * threads do (interrupts, faults, context switches). It signals the root every 2^16 rounds. --- */
static volatile seL4_Word witness_rounds;
static volatile seL4_Word witness_broken;

static void witness(seL4_CPtr ntfn)
{
    for (;;) {
        seL4_Word bad;
        __asm__ volatile("mov x19, #0x919\n"
                         "mov x28, #0x828\n"
                         "mov x1, #20000\n"
                         "1: subs x1, x1, #1\n"
                         "b.ne 1b\n"
                         "mov %0, #0\n"
                         "cmp x19, #0x919\n"
                         "cinc %0, %0, ne\n"
                         "cmp x28, #0x828\n"
                         "cinc %0, %0, ne\n"
                         : "=&r"(bad)
                         :
                         : "x1", "x19", "x28", "cc");
        if (bad) {
            witness_broken++;
        }
        witness_rounds++;
        if ((witness_rounds & 0xff) == 0) {
            sys_signal(ntfn);
        }
    }
}

/* --- The flooder: sends its SGI as fast as it can, forever. --- */
static volatile seL4_Word flood_sent;
static void flooder(seL4_CPtr sgi)
{
    for (;;) {
        sys_signal(sgi);
        flood_sent++;
    }
}

/* --- The root's objects --- */
static struct kaal_slots slots;
static struct kaal_untyped_pool pool;
static seL4_CPtr fault_ep, witness_ntfn, child_tcb, witness_tcb;
#ifdef CONFIG_KERNEL_MCS
static seL4_CPtr fault_reply; /* the root receives faults with it (no reply cap slot under MCS) */
#endif

static seL4_CPtr alloc(seL4_Word type)
{
    seL4_CPtr cap = seL4_CapNull;
    seL4_Error err = kaal_untyped_alloc(&pool, type, 0, &cap);
    if (err != seL4_NoError) {
        kaal_puts("badinput: cannot allocate an object\n");
        return seL4_CapNull;
    }
    return cap;
}

/* A thread in the root's CSpace and VSpace, no IPC buffer, faults to fault_ep. MCS: it runs on a
 * scheduling context of its own, round robin with the same budget as the root's (5 ms). */
#ifdef CONFIG_KERNEL_MCS
static seL4_CPtr sched_control;
#define THREAD_BUDGET_US (CONFIG_BOOT_THREAD_TIME_SLICE * 1000u)
#endif
static seL4_CPtr make_thread(const char *name, seL4_Word priority)
{
    seL4_CPtr tcb = alloc(seL4_TCBObject);
#ifdef CONFIG_KERNEL_MCS
    seL4_CPtr sc = seL4_CapNull;
    if (kaal_untyped_alloc(&pool, seL4_SchedContextObject, seL4_MinSchedContextBits, &sc) !=
            seL4_NoError ||
        sys_tcb_configure(tcb, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0, 0,
                          seL4_CapNull) != seL4_NoError ||
        sys_sched_control_configure_flags(sched_control, sc, THREAD_BUDGET_US, THREAD_BUDGET_US, 0,
                                          0, seL4_SchedContext_NoFlag) != seL4_NoError ||
        sys_tcb_set_sched_params(tcb, seL4_CapInitThreadTCB, 0, priority, sc, fault_ep) !=
            seL4_NoError) {
        kaal_puts("badinput: cannot configure a thread\n");
    }
#else
    if (sys_tcb_configure(tcb, fault_ep, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0, 0,
                          seL4_CapNull) != seL4_NoError ||
        sys_tcb_set_priority(tcb, seL4_CapInitThreadTCB, priority) != seL4_NoError) {
        kaal_puts("badinput: cannot configure a thread\n");
    }
#endif
    sys_debug_name_thread(tcb, name);
    return tcb;
}

/* Start tcb at pc with x0 = arg and a fresh stack. */
static seL4_Error start(seL4_CPtr tcb, const void *pc, seL4_Word arg, unsigned char *stack)
{
    seL4_UserContext regs = {0};
    regs.pc = (seL4_Word)pc;
    regs.sp = (seL4_Word)(stack + STACK_SIZE);
    regs.x0 = arg;
    return sys_tcb_write_registers(tcb, 1, 0, 4, &regs);
}

/* The witness made progress (signalled at least twice more) and is intact. */
static void check_witness(void)
{
    seL4_Word before = witness_rounds;
    sys_wait(witness_ntfn, 0);
    sys_wait(witness_ntfn, 0);
    EXPECT(witness_rounds > before, witness_rounds, before);
    EXPECT_EQ(witness_broken, 0);
}

/* The kernel still answers: an invocation with a known answer. */
static void check_kernel(void)
{
    EXPECT_EQ(sys_debug_cap_identify(seL4_CapInitThreadTCB), KAAL_CAP_TAG_THREAD);
    EXPECT_EQ(sys_debug_cap_identify(fault_ep), KAAL_CAP_TAG_ENDPOINT);
}

/* Run the child at pc with x0 = arg; it must fault with the given label; MRs come back in mr[]. */
static seL4_Word mr[16];
static void run_fault(const void *pc, seL4_Word arg, seL4_Word want_label)
{
    EXPECT_EQ(start(child_tcb, pc, arg, child_stack), seL4_NoError);
    seL4_Word badge = 1;
#ifdef CONFIG_KERNEL_MCS
    seL4_MessageInfo_t info = sys_recv(fault_ep, &badge, fault_reply);
#else
    seL4_MessageInfo_t info = sys_recv(fault_ep, &badge);
#endif
    for (unsigned i = 0; i < 16; i++) {
        mr[i] = sys_get_mr((int)i);
    }
    EXPECT_EQ(seL4_MessageInfo_get_label(info), want_label);
    EXPECT_EQ(badge, 0);
    /* The child stays blocked on its fault; stop it for the next case. */
    EXPECT_EQ(sys_tcb_suspend(child_tcb), seL4_NoError);
}

static void case_user_exception(const char *name, const char *pc, seL4_Word want_ec)
{
    run_fault(pc, 0, seL4_Fault_UserException);
    EXPECT_EQ(mr[seL4_UserException_FaultIP], (seL4_Word)pc);
    EXPECT_EQ(mr[seL4_UserException_SP], (seL4_Word)(child_stack + STACK_SIZE));
    EXPECT_EQ(mr[seL4_UserException_Number] >> 26, want_ec);
    check_kernel();
    check_witness();
    report(name);
}

/* An instruction fetch or data access at addr: a VMFault naming addr, never a kernel crash. */
static void case_vm_fault(const char *name, const char *pc, seL4_Word addr, int prefetch)
{
    run_fault(pc, addr, seL4_Fault_VMFault);
    EXPECT_EQ(mr[seL4_VMFault_IP], prefetch ? addr : (seL4_Word)pc);
    EXPECT_EQ(mr[seL4_VMFault_Addr], addr);
    EXPECT_EQ(mr[seL4_VMFault_PrefetchFault], (seL4_Word)prefetch);
    /* FSR is the ESR: an instruction abort (0x20) or data abort (0x24) from a lower EL. */
    EXPECT_EQ(mr[seL4_VMFault_FSR] >> 26, prefetch ? 0x20u : 0x24u);
    check_kernel();
    check_witness();
    report(name);
}

static void case_unknown_syscall(void)
{
    run_fault(bad_svc, 0, seL4_Fault_UnknownSyscall);
    EXPECT_EQ(mr[8], (seL4_Word)bad_svc + 4); /* FaultIP: the svc */
    EXPECT_EQ(mr[12], 0x4242);                /* the number that was in x7 */
    check_kernel();
    check_witness();
    report("garbage/unknown_syscall");
}

/* The flood: a thread at the witness's priority sends SGI 1 in a loop; the root owns SGI 1 (an
 * IRQHandler bound to a notification) and acknowledges N of them. Meanwhile the witness must keep
 * running (the timer still preempts the flooder), and afterwards the kernel must be intact. */
static void case_flood(void)
{
    const seL4_Word sgi = 1, rounds = 2000, max_rounds = 200000;
    seL4_CPtr handler = kaal_slots_alloc(&slots), signal = kaal_slots_alloc(&slots);
    seL4_CPtr ntfn = alloc(seL4_NotificationObject);
    EXPECT_EQ(sys_irq_control_get(seL4_CapIRQControl, sgi, seL4_CapInitThreadCNode, handler, 64),
              seL4_NoError);
    EXPECT_EQ(sys_irq_handler_set_notification(handler, ntfn), seL4_NoError);
    EXPECT_EQ(sys_irq_control_issue_sgi_signal(seL4_CapIRQControl, sgi, 0, seL4_CapInitThreadCNode,
                                               signal, 64),
              seL4_NoError);
    /* The kernel's timer line is not for users. */
    seL4_CPtr timer = kaal_slots_alloc(&slots);
    EXPECT(sys_irq_control_get(seL4_CapIRQControl, 27, seL4_CapInitThreadCNode, timer, 64) !=
               seL4_NoError,
           0, 1);
    if (failure != 0) {
        report("interrupts/sgi_flood");
        return;
    }
    seL4_CPtr flooder_tcb = make_thread("flooder", 100);
    EXPECT_EQ(start(flooder_tcb, (const void *)flooder, signal, flooder_stack), seL4_NoError);
    /* At least `rounds` SGIs, and on until the witness has run 512 rounds during the flood (it only
     * runs when the timer ends the flooder's time slice); a starved witness fails at max_rounds. */
    seL4_Word witness_before = witness_rounds, delivered = 0;
    while (delivered < rounds || witness_rounds - witness_before < 512) {
        if (delivered == max_rounds) {
            break;
        }
        sys_wait(ntfn, 0);
        delivered++;
        EXPECT_EQ(sys_irq_handler_ack(handler), seL4_NoError);
    }
    EXPECT(witness_rounds - witness_before >= 512, witness_rounds - witness_before, 512);
    EXPECT(flood_sent + 1 >= delivered, flood_sent,
           delivered); /* the last one may not be counted yet */
    seL4_Word witness_during = witness_rounds - witness_before;
    check_witness();
    EXPECT_EQ(sys_tcb_suspend(flooder_tcb), seL4_NoError);
    /* The last SGI may still be pending: the line is masked until acked; unbinding leaves it so. */
    EXPECT_EQ(sys_irq_handler_clear(handler), seL4_NoError);
    kaal_puts("badinput: ");
    kaal_put_dec(delivered);
    kaal_puts(" SGIs delivered and acknowledged, the flooder sent ");
    kaal_put_dec(flood_sent);
    kaal_puts(", the witness ran ");
    kaal_put_dec(witness_during);
    kaal_puts(" rounds meanwhile\n");
    check_kernel();
    report("interrupts/sgi_flood");
}

int kaal_root_main(const seL4_BootInfo *bi)
{
    kaal_puts("badinput: KaaL bad-input root task\n");
    kaal_slots_init_bootinfo(&slots, bi);
    kaal_untyped_init(&pool, &slots);
    kaal_untyped_add_bootinfo(&pool, bi, 16);
    fault_ep = alloc(seL4_EndpointObject);
    witness_ntfn = alloc(seL4_NotificationObject);
#ifdef CONFIG_KERNEL_MCS
    sched_control = bi->schedcontrol.start;
    fault_reply = alloc(seL4_ReplyObject);
#endif
    child_tcb = make_thread("badinput-child", 100);
    witness_tcb = make_thread("witness", 100);
    if (start(witness_tcb, (const void *)witness, witness_ntfn, witness_stack) != seL4_NoError) {
        kaal_puts("badinput: cannot start the witness\n");
        return 1;
    }

    /* Executing garbage: each becomes a UserException with Number = ESR (docs/abi.md#faults). */
    case_user_exception("garbage/udf", bad_garbage, 0x00);
    case_user_exception("garbage/unallocated_encoding", bad_unallocated, 0x00);
    case_user_exception("garbage/brk", bad_brk, 0x3c);
    case_user_exception("garbage/msr_sctlr_el1", bad_sysreg, 0x00);
    case_user_exception("garbage/eret", bad_eret, 0x00);
    case_user_exception("garbage/hvc", bad_hvc, 0x00);
    case_user_exception("garbage/smc", bad_smc, 0x00);
    case_user_exception("garbage/misaligned_pc", bad_garbage + 2, 0x22);
    case_unknown_syscall();

    /* Jumps into the kernel's half and to nowhere: instruction aborts, VMFault with prefetch = 1.
     */
    case_vm_fault("jump/kernel_image", bad_jump, 0xffffffffc0000000ul, 1);
    case_vm_fault("jump/kernel_entry_vector", bad_jump, 0xffffffffc0000800ul, 1);
    case_vm_fault("jump/physical_window", bad_jump, 0xffffff8040000000ul, 1);
    case_vm_fault("jump/device_window", bad_jump, 0xffffffffffe00000ul, 1);
    case_vm_fault("jump/non_canonical", bad_jump, 0x8000000000400000ul, 1);
    case_vm_fault("jump/unmapped_user", bad_jump, 0x0000fffffffff000ul, 1);

    /* Kernel memory and devices without a mapping: data aborts, VMFault with prefetch = 0. */
    case_vm_fault("memory/load_kernel_image", bad_load, 0xffffffffc0000000ul, 0);
    case_vm_fault("memory/store_kernel_image", bad_store, 0xffffffffc0001000ul, 0);
    case_vm_fault("memory/store_physical_window", bad_store, 0xffffff8040000000ul, 0);
    case_vm_fault("memory/load_kernel_uart", bad_load, 0xffffffffffe00000ul, 0);
    case_vm_fault("memory/store_kernel_gic", bad_store, 0xffffffffffe01000ul, 0);
    case_vm_fault("memory/load_uart_physical", bad_load, 0x09000000ul, 0);
    case_vm_fault("memory/store_gic_distributor_physical", bad_store, 0x08000000ul, 0);
    case_vm_fault("memory/load_null", bad_load, 0, 0);
    /* A misaligned SP used as a base register: an SP alignment fault (EC 0x26) if SCTLR_EL1.SA0 is
     * set, else the load works and the brk after it traps (EC 0x3c); a UserException either way. */
    run_fault(bad_sp, (seL4_Word)(child_stack + 1000 + 4), seL4_Fault_UserException);
    if (mr[seL4_UserException_Number] >> 26 == 0x26) {
        EXPECT_EQ(mr[seL4_UserException_FaultIP], (seL4_Word)bad_sp + 4);
    } else {
        EXPECT_EQ(mr[seL4_UserException_Number] >> 26, 0x3c);
        EXPECT_EQ(mr[seL4_UserException_FaultIP], (seL4_Word)bad_sp + 8);
    }
    check_kernel();
    check_witness();
    report("memory/misaligned_sp");

    /* Interrupts. */
    case_flood();

    /* Done: the witness must not run on after the root (the kernel then powers off). */
    sys_tcb_suspend(witness_tcb);
    sys_tcb_suspend(child_tcb);
    kaal_put_dec((seL4_Word)passed);
    kaal_puts(" passed, ");
    kaal_put_dec((seL4_Word)failed);
    kaal_puts(" failed\n");
    return failed == 0 ? 0 : 1;
}
