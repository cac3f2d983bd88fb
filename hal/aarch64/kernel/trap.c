/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel entry from user mode and the one way out: classify what EL0 did (system call, abort,
 * other exception, interrupt), hand it to core, then run kernel_exit() and resume ks.cur_thread
 * (its VSpace, FP/SIMD state and registers) or wait in the idle loop. */
#include <hal/hal.h>
#include <hal/mmu.h>
#include <kaal/invariants.h>
#include <kaal/kernel.h>
#include <kaal/printf.h>
#include <kaal/thread.h>
#include <kaal/vspace.h>

#include "internal.h"

/* Kernel entries by kind, printed when the machine powers off (what a run exercised). */
static struct {
    word_t syscalls, vm_faults, user_exceptions, user_irqs, idle_irqs;
} entries;

/* --- FP/SIMD: loaded for the threads that may use it, kept while the others run ---
 * fp_loaded is the thread whose V0-V31/FPSR/FPCR are in the registers, or NULL. A thread with
 * seL4_TCBFlag_fpuDisabled runs with CPACR_EL1 trapping EL0 FP/SIMD (EC 0x07 -> UserException), so
 * it can neither read nor change them: switching to it leaves the owner's state in the registers,
 * and switching back to the owner costs nothing but the CPACR write. Resuming an FPU-using thread
 * that is not the owner saves the owner's state and loads the new one, inline in aarch64_resume
 * (head.S; docs/performance.md#fpsimd-switching says why there and not on a trap). Kernel C code
 * is -mgeneral-regs-only and never touches the registers. When the owner's TCB is destroyed,
 * hal_tcb_destroy forgets it (its state dies with it). */
struct aarch64_cpu aarch64_cpu = {.cpacr = CPACR_FPEN_NONE, .vspace_epoch = 1};
#define cpu aarch64_cpu

/* Save the owner's registers (if any) and forget it: before idling, when nothing may own them.
 * CPACR_EL1 never traps EL1 (FPEN is 0b11 or 0b01), so the save needs no change of it. */
static void fpu_release(void)
{
    if (cpu.fp_loaded != NULL) {
        fpsimd_save(cpu.fp_loaded->arch.fpsimd);
        cpu.fp_loaded = NULL;
    }
}

void hal_tcb_destroy(struct hal_tcb *arch)
{
    if (cpu.fp_loaded != NULL && &cpu.fp_loaded->arch == arch) {
        cpu.fp_loaded = NULL;
    }
}

/* --- the VSpace ---
 * A thread runs in the VSpace tcb_vspace names (seL4's setVMRoot rule: a VSpace cap in its VTable
 * slot whose ASID still names that VSpace); anything else runs on the empty table with the
 * reserved ASID 0 (cpu.empty_ttbr0), so every user access faults. aarch64_resume (head.S) sets
 * TTBR0_EL1 from the value cached in the thread's struct hal_tcb, valid until core reports a
 * change of any VSpace binding; when stale it calls aarch64_vspace_refresh. (aarch64_exit checks in
 * debug builds that a valid cache still agrees: that core reported every change.) */
static word_t thread_ttbr0(const struct tcb *t)
{
    paddr_t root;
    word_t asid;
    return tcb_vspace(t, &root, &asid) ? root | (asid << TTBR_ASID_SHIFT) : cpu.empty_ttbr0;
}

void aarch64_vspace_refresh(struct tcb *t)
{
    t->arch.vspace_ttbr0 = thread_ttbr0(t);
    t->arch.vspace_epoch = cpu.vspace_epoch;
}

void hal_vspace_bindings_changed(void) { cpu.vspace_epoch++; }

#ifdef CONFIG_KERNEL_INVARIANTS
/* The FP/SIMD owner is a live thread; each thread's cached TTBR0 value, while its epoch is
 * current, is what its VTable slot gives now. */
bool hal_invariants_hold(char *why, size_t why_len)
{
    if (cpu.fp_loaded != NULL && !kernel_invariants_thread_is_live(VTOP(cpu.fp_loaded))) {
        ksnprintf(why, why_len, "aarch64: the FP/SIMD owner %lx is not a live TCB",
                  (unsigned long)VTOP(cpu.fp_loaded));
        return false;
    }
    for (uint32_t i = 0; i < kernel_invariants_thread_count(); i++) {
        const struct tcb *t = kernel_invariants_thread(i);
        if (t->arch.vspace_epoch == cpu.vspace_epoch && t->arch.vspace_ttbr0 != thread_ttbr0(t)) {
            ksnprintf(why, why_len,
                      "aarch64: TCB %lx caches TTBR0 %lx for this epoch, but its VTable gives %lx",
                      (unsigned long)VTOP(t), (unsigned long)t->arch.vspace_ttbr0,
                      (unsigned long)thread_ttbr0(t));
            return false;
        }
    }
    return true;
}
#endif

/* --- the exit path --- */

/* Nothing runnable: can anything ever run again? In a non-MCS kernel a blocked thread becomes
 * runnable only through another thread or a user interrupt (the timer tick only charges time
 * slices); with one domain and no user IRQ line unmasked the machine is done. Under MCS the timer
 * also releases threads waiting for their next refill: while one waits, the machine is not done. */
static bool machine_is_done(void)
{
#ifdef CONFIG_KERNEL_MCS
    if (sched_release_queue_head() != NULL) {
        return false;
    }
#endif
    return CONFIG_NUM_DOMAINS == 1 && !gic_user_irq_enabled();
}

void aarch64_cpu_init(void) { cpu.empty_ttbr0 = kernel_image_vtop(mmu_empty_ttbr0()); }

/* aarch64_exit when no thread runs: nothing left to do (power off), or the idle thread. Out of
 * line, so that the usual exit (resume a thread) needs no stack frame of its own for this. */
static __attribute__((noinline, noreturn, cold)) void exit_to_idle(void)
{
    fpu_release();
    if (machine_is_done()) {
        kprintf("KaaL: no runnable thread and nothing left that could wake one (root thread %s); "
                "powering off\n",
                ks.root_thread != NULL && thread_state_type(ks.root_thread) == ThreadState_Inactive
                    ? "inactive"
                    : "blocked");
        kprintf(
            "KaaL: kernel entries: %lu system calls, %lu VM faults, %lu user exceptions, %lu IRQs "
            "from EL0, %lu from idle (%lu timer ticks); %lu FP/SIMD loads\n",
            (unsigned long)entries.syscalls, (unsigned long)entries.vm_faults,
            (unsigned long)entries.user_exceptions, (unsigned long)entries.user_irqs,
            (unsigned long)entries.idle_irqs, (unsigned long)timer_ticks(),
            (unsigned long)cpu.fp_loads);
        hal_halt();
    }
    aarch64_idle();
}

void aarch64_exit(void)
{
    kernel_exit();
    struct tcb *t = ks.cur_thread;
    if (t != NULL && thread_state_type(t) == ThreadState_Running) {
        /* Only the bits the kernel owns are its invariant: the rest is the thread's (regs.h). */
        kassert((hal_reg_get(&t->arch, REG_SPSR) & SPSR_KERNEL_OWNED) == USER_SPSR_INITIAL);
        kassert(t->arch.vspace_epoch != cpu.vspace_epoch ||
                t->arch.vspace_ttbr0 == thread_ttbr0(t));
        aarch64_resume(t);
    }
    exit_to_idle();
}

/* --- entries --- */

void aarch64_svc_entry(void)
{
    struct hal_tcb *arch = &ks.cur_thread->arch; /* the vector saved into it (SP_EL1) */
    entries.syscalls++;
    /* The vector stored FaultIP (the svc) and, with -Dfastpath, tried the IPC fastpath already. */
    kernel_handle_syscall_slowpath((sword_t)hal_reg_get(arch, REG_SYSCALL));
    aarch64_exit();
}

void aarch64_el0_entry(word_t kind, struct hal_tcb *arch)
{
    kassert(ks.cur_thread != NULL &&
            arch == &ks.cur_thread->arch); /* SP_EL1 named the current thread */
    word_t elr = hal_reg_get(arch, REG_NEXT_IP);
    switch (kind) {
    case EL0_SYNC: {
        word_t esr, far;
        __asm__ volatile("mrs %0, esr_el1; mrs %1, far_el1" : "=r"(esr), "=r"(far));
        switch (esr >> ESR_EC_SHIFT & 0x3f) {
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
        default: /* undefined instruction, FP trap, misaligned PC/SP, BRK, HVC/SMC, ...
                    (docs/abi.md#faults) */
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
