/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel entry from user mode and the one way out: classify what EL0 did (system call, abort,
 * other exception, interrupt), hand it to core, then run kernel_exit() and resume ks.cur_thread
 * (its VSpace, FP/SIMD state and registers) or wait in the idle loop. */
#include <hal/hal.h>
#include <hal/mmu.h>
#include <kaal/kernel.h>
#include <kaal/printf.h>
#include <kaal/thread.h>
#include <kaal/vspace.h>

#include "internal.h"

/* Kernel entries by kind, printed when the machine powers off (what a run exercised). */
static struct {
    word_t syscalls, vm_faults, user_exceptions, user_irqs, idle_irqs, fp_switches;
} entries;

/* --- FP/SIMD: switched eagerly when the CPU changes threads ---
 * fp_loaded is the thread whose V0-V31/FPSR/FPCR are in the registers, or NULL. It is only ever
 * the thread the kernel last returned to, i.e. the one that entered the kernel now (or NULL after
 * idle), so saving into it at the next switch writes to a TCB that existed at this entry. (A TCB
 * deleted during this entry is not reused before the entry ends: its memory goes back to an
 * untyped, and only a later Untyped_Retype resets it.) Threads with seL4_TCBFlag_fpuDisabled run
 * with CPACR_EL1 trapping EL0 FP/SIMD (EC 0x07 -> UserException). */
static struct tcb *fp_loaded;
static word_t cur_cpacr = CPACR_FPEN_NONE; /* _start enabled FP/SIMD at EL0 and EL1 */

static void set_cpacr(word_t cpacr)
{
    if (cpacr != cur_cpacr) {
        __asm__ volatile("msr cpacr_el1, %0; isb" ::"r"(cpacr));
        cur_cpacr = cpacr;
    }
}

static void fpu_release(void)
{
    if (fp_loaded != NULL) {
        set_cpacr(CPACR_FPEN_NONE); /* the kernel's own access must not trap */
        fpsimd_save(fp_loaded->arch.fpsimd);
        fp_loaded = NULL;
    }
}

static void fpu_switch_to(struct tcb *t)
{
    if (t->flags & seL4_TCBFlag_fpuDisabled) {
        fpu_release();
        set_cpacr(CPACR_FPEN_EL0);
        return;
    }
    set_cpacr(CPACR_FPEN_NONE);
    if (fp_loaded != t) {
        fpu_release();
        fpsimd_load(t->arch.fpsimd);
        fp_loaded = t;
        entries.fp_switches++;
    }
}

/* --- the VSpace: TTBR0_EL1 from the thread's VTable slot ---
 * Only a VSpace cap whose ASID still names that VSpace counts (seL4's findVSpaceForASID check in
 * setVMRoot); anything else runs on the empty table with the reserved ASID 0, so every user
 * access faults. */
static void vspace_activate(struct tcb *t)
{
    cap_t cap = t->ctes[TCB_VTABLE].cap;
    if (cap_get_cap_type(cap) == cap_vspace_cap && cap_vspace_cap_get_is_mapped(cap)) {
        word_t asid = cap_vspace_cap_get_mapped_asid(cap);
        paddr_t root = cap_vspace_cap_get_ptr(cap);
        if (asid_find_vspace(asid) == root) {
            hal_vspace_switch(root, asid);
            return;
        }
    }
    hal_vspace_switch(0, 0);
}

/* --- the exit path --- */

/* Nothing runnable: can anything ever run again? In a non-MCS kernel a blocked thread becomes
 * runnable only through another thread or a user interrupt (the timer tick only charges time
 * slices); with one domain and no user IRQ line unmasked the machine is done. */
static bool machine_is_done(void) { return CONFIG_NUM_DOMAINS == 1 && !gic_user_irq_enabled(); }

void aarch64_resume(struct tcb *t)
{
    vspace_activate(t);
    fpu_switch_to(t);
    /* Whatever was written into the saved SPSR (WriteRegisters, fault replies), the eret must
     * land in AArch64 EL0t: keep only the flags. */
    hal_reg_set(&t->arch, REG_SPSR, (hal_reg_get(&t->arch, REG_SPSR) & SPSR_USER_KEEP) | USER_SPSR_INITIAL);
    aarch64_return_to_user(&t->arch);
}

void aarch64_exit(void)
{
    kernel_exit();
    struct tcb *t = ks.cur_thread;
    if (t != NULL && thread_state_type(t) == ThreadState_Running) {
        aarch64_resume(t);
    }
    fpu_release();
    if (machine_is_done()) {
        kprintf("KaaL: no runnable thread and nothing left that could wake one (root thread %s); "
                "powering off\n",
                ks.root_thread != NULL && thread_state_type(ks.root_thread) == ThreadState_Inactive ? "inactive"
                                                                                                    : "blocked");
        kprintf("KaaL: kernel entries: %lu system calls, %lu VM faults, %lu user exceptions, %lu IRQs "
                "from EL0, %lu from idle (%lu timer ticks); %lu FP/SIMD loads\n",
                (unsigned long)entries.syscalls, (unsigned long)entries.vm_faults,
                (unsigned long)entries.user_exceptions, (unsigned long)entries.user_irqs,
                (unsigned long)entries.idle_irqs, (unsigned long)timer_ticks(), (unsigned long)entries.fp_switches);
        hal_halt();
    }
    aarch64_idle();
}

/* --- entries --- */

void aarch64_el0_entry(word_t kind, struct hal_tcb *arch)
{
    kassert(ks.cur_thread != NULL && arch == &ks.cur_thread->arch); /* SP_EL1 named the current thread */
    word_t elr = hal_reg_get(arch, REG_NEXT_IP);
    switch (kind) {
    case EL0_SYNC: {
        word_t esr, far;
        __asm__ volatile("mrs %0, esr_el1; mrs %1, far_el1" : "=r"(esr), "=r"(far));
        switch (esr >> ESR_EC_SHIFT & 0x3f) {
        case EC_SVC64:
            hal_reg_set(arch, REG_FAULT_IP, elr - 4); /* the svc itself (ABI §3) */
            entries.syscalls++;
            /* The vector tried the IPC fastpath already (fastpath.S, -Dfastpath). */
            kernel_handle_syscall_slowpath((sword_t)hal_reg_get(arch, REG_SYSCALL));
            break;
        case EC_DABT_LOWER:
            hal_reg_set(arch, REG_FAULT_IP, elr);
            entries.vm_faults++;
            kernel_handle_vm_fault(false, far, esr);
            break;
        case EC_IABT_LOWER:
            hal_reg_set(arch, REG_FAULT_IP, elr);
            entries.vm_faults++;
            kernel_handle_vm_fault(true, elr, esr);
            break;
        default: /* undefined instruction, FP trap, misaligned PC/SP, BRK, HVC/SMC, ... (ABI §9.1) */
            hal_reg_set(arch, REG_FAULT_IP, elr);
            entries.user_exceptions++;
            kernel_handle_user_exception(esr);
            break;
        }
        break;
    }
    case EL0_IRQ:
        entries.user_irqs++;
        kernel_handle_interrupt_entry();
        break;
    default:
        aarch64_user_panic(kind, arch);
    }
    aarch64_exit();
}

void aarch64_idle_irq(void)
{
    entries.idle_irqs++;
    kernel_handle_interrupt_entry();
    aarch64_exit();
}
