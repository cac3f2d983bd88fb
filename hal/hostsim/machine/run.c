/* SPDX-License-Identifier: BSD-2-Clause */
/* hostsim run loop: exit the kernel to the chosen thread's host context, take its next kernel
 * entry (system call, VM fault, user exception) or, when the kernel is idle, the next interrupt,
 * until nothing can run. resume_user is the one place a context switch happens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>

#include <hal/hal.h>
#include <hostsim/hostsim.h>
#include <hostsim/user.h>
#include <kaal/kernel.h>
#include <kaal/thread.h>
#include <kaal/vspace.h>

#include "internal.h"
#include "user_internal.h"

bool hostsim_running;

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
        hal_console_putc(*p);
    }
}

/* Resume ks.cur_thread in user mode, after kernel_exit chose it (inside a run): switch the user
 * window to its VSpace and enter its host context, returning when it next enters the kernel
 * (hostsim_entry says why), or at once when the idle thread is current. */
static void resume_user(void)
{
    hostsim_entry.kind = ENTRY_NONE;
    struct tcb *t = ks.cur_thread;
    if (t == NULL || thread_state_type(t) != ThreadState_Running) {
        return; /* the idle thread: the run loop waits for an interrupt */
    }
    /* The shadow MMU's window follows the thread's VSpace (root 0: none; tcb_vspace's rule). */
    paddr_t root;
    word_t asid;
    if (!tcb_vspace(t, &root, &asid)) {
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
    for (;;) {
        kernel_exit();
        resume_user();
        struct tcb *t = ks.cur_thread;
        switch (hostsim_entry.kind) {
        case ENTRY_SYSCALL:
            kernel_handle_syscall((sword_t)hal_reg_get(&t->arch, REG_SYSCALL));
            break;
        case ENTRY_VM_FAULT:
            kernel_handle_vm_fault(hostsim_entry.instruction, hostsim_entry.addr,
                                   hostsim_entry.esr);
            break;
        case ENTRY_USER_EXCEPTION:
            kernel_handle_user_exception(hostsim_entry.esr);
            break;
        case ENTRY_INTERRUPT: /* an emulated thread's instruction budget ran out: the timer fired */
            kernel_handle_interrupt_entry();
            break;
        case ENTRY_NONE:
            /* Idle. Time is virtual: with nothing runnable it moves on to the next interrupt, and
             * there is none unless one is pending now (no timeouts in this kernel). */
            if (hal_irq_get_active() != HAL_IRQ_NONE) {
                kernel_handle_interrupt_entry();
                break;
            }
            /* Emulated threads have no host context to ask: as the aarch64 port decides when to
             * power off, only an unmasked user interrupt line can still wake one. */
            if (hostsim_emu_active ? hostsim_user_irq_unmasked() : uthread_any_blocked()) {
                run_report(
                    "hostsim: deadlock: no thread can run, no interrupt is pending, and threads "
                    "wait forever\n");
                return HOSTSIM_RUN_DEADLOCK;
            }
            return HOSTSIM_RUN_DONE;
        }
    }
}

enum hostsim_run_status hostsim_run(void)
{
    const char *error;
    if (!hostsim_booted || ks.cur_thread == NULL || hostsim_running) {
        return HOSTSIM_RUN_ERROR;
    }
    bool window = !hostsim_emu_active; /* emulated threads need no user window */
    if (window && shadow_init(&error) != 0) {
        fprintf(stderr, "%s\n", error);
        return HOSTSIM_RUN_ERROR;
    }
    uthread_prune();
    enum hostsim_run_status status;
    jmp_buf jb;
    jmp_buf *outer = hostsim_halt_target;
    hostsim_running = true;
    hostsim_halt_target = &jb;
    if (setjmp(jb)) {
        status = HOSTSIM_RUN_HALTED;
        hostsim_note_halt();
    } else {
        status = run_loop();
    }
    hostsim_halt_target = outer;
    hostsim_running = false;
    hostsim_user_mode = 0;
    if (window) {
        shadow_run_end(); /* the window emptied: outside a run nothing may touch user memory */
    }
    return status;
}

enum hostsim_run_status hostsim_run_root(void (*entry)(seL4_BootInfo *bi))
{
    if (!hostsim_booted || ks.root_thread == NULL || ks.bootinfo == NULL) {
        return HOSTSIM_RUN_ERROR;
    }
    /* The hostsim crt0: the image's code is host code, its pages are the root task's stack. */
    struct tcb *t = ks.root_thread;
    const seL4_BootInfo *bi = ks.bootinfo;
    word_t image_top = HOSTSIM_WINDOW_BASE + (bi->userImageFrames.end - bi->userImageFrames.start) *
                                                 (1ul << seL4_PageBits);
    hal_reg_set(&t->arch, REG_NEXT_IP, (word_t)entry);
    hal_reg_set(&t->arch, REG_FAULT_IP, (word_t)entry);
    hal_reg_set(&t->arch, REG_SP, image_top);
    return hostsim_run();
}
