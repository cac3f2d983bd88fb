/* SPDX-License-Identifier: BSD-2-Clause */
/* hostsim run loop: exit the kernel to the chosen thread (its host context, or its AArch64 code in
 * the emulator), take its next kernel entry (system call, VM fault, user exception, the timer) or,
 * when the kernel is idle, the next interrupt, until nothing can run. resume_user is the one place
 * a context switch happens. Also the one place that knows both kinds of user thread: TLB
 * maintenance and the machine's end reach both from here. */
#include <stdarg.h>
#include <stdio.h>

#include <hostsim/hostsim.h>
#include <hostsim/user.h>
#include <hostsim_if/kernel.h>
#include <hostsim_if/machine.h>
#include <kaal/gen_config.h>

#include "internal.h"
#include "user_internal.h"

bool hostsim_running;
bool hostsim_emu_active;

void hostsim_tlb_invalidate_asid(word_t asid)
{
    shadow_invalidate_asid(asid);
    emu_invalidate_asid(asid);
}

void hostsim_tlb_invalidate_va(word_t asid, word_t vaddr)
{
    shadow_invalidate_va(asid, vaddr);
    emu_invalidate_va(asid, vaddr);
}

void hostsim_cpus_machine_gone(void)
{
    uthread_destroy_all(); /* their records name TCBs in the RAM that goes away */
    emu_machine_gone();    /* its pages are that RAM */
}

/* Console output that honours hostsim_console_quiet / _capture. */
static void run_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void run_report(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    for (const char *p = buf; *p; p++) {
        hostsim_console_putc(*p);
    }
}

/* Resume the kernel's current thread in user mode, after the exit path chose it (inside a run):
 * switch the user window to its VSpace and enter its host context, returning when it next enters
 * the kernel (hostsim_entry says why), or at once when the idle thread is current. */
static void resume_user(void)
{
    hostsim_entry.kind = ENTRY_NONE;
    struct hal_tcb *t = hostsim_kernel_current();
    if (t == NULL || hostsim_kernel_thread_status(t) != HOSTSIM_THREAD_RUNNING) {
        return; /* the idle thread: the run loop waits for an interrupt */
    }
    /* The shadow MMU's window follows the thread's VSpace (root 0: none; the kernel's rule). */
    paddr_t root;
    word_t asid;
    if (!hostsim_kernel_thread_vspace(t, &root, &asid)) {
        root = 0;
        asid = 0;
    }
    if (hostsim_emu_active) {
        emu_run(t); /* AArch64 user code: the emulator keeps its own page map (emu_el0.c) */
        return;
    }
    shadow_switch(root, asid);
    uthread_run(t);
}

static enum hostsim_run_status run_loop(void)
{
    const struct hostsim_entry exit_only = {.kind = ENTRY_NONE};
    if (!hostsim_kernel_entry(&exit_only)) { /* a run starts on the kernel's exit path */
        return HOSTSIM_RUN_HALTED;
    }
    for (;;) {
        resume_user();
        if (hostsim_entry.kind == ENTRY_NONE) {
            /* Idle. Time is virtual: with nothing runnable it moves on to the next interrupt.
             * Base configuration: there is none unless one is pending now (no timeouts). MCS:
             * when a scheduling context waits for a refill, the clock jumps to the kernel's next
             * deadline and its timer interrupt is taken there (timer.c). */
            word_t irq;
            if (hostsim_irq_active(&irq)) {
                hostsim_entry.kind = ENTRY_INTERRUPT;
#ifdef CONFIG_KERNEL_MCS
            } else if (hostsim_kernel_release_pending() && hostsim_pl011_wait_input(0) > 0 &&
                       hostsim_irq_active(&irq)) {
                /* Before skipping idle time to a refill: input that arrived meanwhile (a real
                 * machine would have received it while it idled). A thread that spins on a
                 * budget never lets the run end for its caller to wait for input (the MCS
                 * demo's 'spin' under kaal-sim --elf). */
                hostsim_entry.kind = ENTRY_INTERRUPT;
            } else if (hostsim_clock_skip_to_release()) {
                hostsim_entry.kind = ENTRY_INTERRUPT;
#endif
            } else if (hostsim_emu_active ? hostsim_user_irq_unmasked() : uthread_any_blocked()) {
                /* Emulated threads have no host context to ask: as the aarch64 port decides when
                 * to power off, only an unmasked user interrupt line can still wake one. */
                run_report(
                    "hostsim: deadlock: no thread can run, no interrupt is pending, and threads "
                    "wait forever\n");
                return HOSTSIM_RUN_DEADLOCK;
            } else {
                return HOSTSIM_RUN_DONE;
            }
        }
        /* A system call, fault or exception of the thread, an emulated thread's timer tick (its
         * instruction budget ran out), or the idle kernel's interrupt. */
        if (!hostsim_kernel_entry(&hostsim_entry)) {
            return HOSTSIM_RUN_HALTED;
        }
    }
}

enum hostsim_run_status hostsim_run(void)
{
    const char *error;
    if (!hostsim_booted || hostsim_kernel_current() == NULL || hostsim_running) {
        return HOSTSIM_RUN_ERROR;
    }
    bool window = !hostsim_emu_active; /* emulated threads need no user window */
    if (window && uthread_init(&error) != 0) {
        fprintf(stderr, "%s\n", error);
        return HOSTSIM_RUN_ERROR;
    }
    hostsim_running = true;
    enum hostsim_run_status status = run_loop();
    if (status == HOSTSIM_RUN_HALTED) {
        hostsim_note_halt();
    }
    hostsim_running = false;
    hostsim_user_mode = 0;
    if (window) {
        shadow_run_end(); /* the window emptied: outside a run nothing may touch user memory */
    }
    return status;
}

enum hostsim_run_status hostsim_run_root(void (*entry)(seL4_BootInfo *bi))
{
    struct hal_tcb *t = hostsim_kernel_root_thread();
    const seL4_BootInfo *bi = hostsim_kernel_bootinfo();
    if (!hostsim_booted || t == NULL || bi == NULL) {
        return HOSTSIM_RUN_ERROR;
    }
    /* The hostsim crt0: the image's code is host code, its pages are the root task's stack. */
    word_t image_top = HOSTSIM_WINDOW_BASE + (bi->userImageFrames.end - bi->userImageFrames.start) *
                                                 (1ul << seL4_PageBits);
    hal_reg_set(t, REG_NEXT_IP, (word_t)entry);
    hal_reg_set(t, REG_FAULT_IP, (word_t)entry);
    hal_reg_set(t, REG_SP, image_top);
    return hostsim_run();
}
