/* SPDX-License-Identifier: BSD-2-Clause */
/* hostsim port: the kernel as the simulated machine sees it (<hostsim_if/kernel.h>): the trap into
 * the kernel (the one kernel-entry path: entry, then the exit path), boot, halting, and the few
 * facts about threads the machine needs. The only file of hal/hostsim that reads kernel state. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

#include <hal/hal.h>
#include <hostsim_if/kernel.h>
#include <hostsim_if/machine.h>
#include <kaal/gen_config.h>
#include <kaal/kernel.h>
#include <kaal/sched.h>
#include <kaal/thread.h>
#include <kaal/vspace.h>

/* Where hal_halt() returns to during a kernel entry or boot (NULL outside one). */
static jmp_buf *halt_target;

void hal_halt(void)
{
    if (halt_target) {
        longjmp(*halt_target, 1);
    }
    fprintf(stderr, "hostsim: kernel halted outside a kernel entry\n");
    abort();
}

static struct tcb *tcb_of(const struct hal_tcb *a)
{
    return (struct tcb *)((const char *)a - offsetof(struct tcb, arch));
}

/* Print the current thread's registers (after a panic). */
static void dump_state(void)
{
    struct tcb *t = ks.cur_thread;
    if (t == NULL) {
        fprintf(stderr, "hostsim: no current thread\n");
        return;
    }
    fprintf(stderr, "hostsim: thread \"%s\" registers:\n", t->name);
    for (int i = 0; i < N_USER_REGS; i++) {
        fprintf(stderr, "  r%-2d %016llx%s", i, (unsigned long long)hal_reg_get(&t->arch, i),
                i % 4 == 3 ? "\n" : "");
    }
    fprintf(stderr, "\n");
}

void hal_panic_dump(void)
{
    hostsim_note_panic();
    dump_state();
}

bool hostsim_kernel_entry(const struct hostsim_entry *entry)
{
    jmp_buf jb;
    jmp_buf *outer = halt_target;
    halt_target = &jb;
    if (setjmp(jb)) {
        halt_target = outer;
        return false;
    }
    switch (entry->kind) {
    case ENTRY_SYSCALL:
        kernel_handle_syscall((sword_t)hal_reg_get(&ks.cur_thread->arch, REG_SYSCALL));
        break;
    case ENTRY_VM_FAULT:
        kernel_handle_vm_fault(entry->instruction, entry->addr, entry->esr);
        break;
    case ENTRY_USER_EXCEPTION:
        kernel_handle_user_exception(entry->esr);
        break;
    case ENTRY_INTERRUPT:
        kernel_handle_interrupt_entry();
        break;
    case ENTRY_NONE:
        break;
    }
    kernel_exit();
    halt_target = outer;
    return true;
}

int hostsim_kernel_boot(const struct boot_params *params, const char **error)
{
    jmp_buf jb;
    int result;
    halt_target = &jb;
    if (setjmp(jb)) {
        *error = "hostsim: the kernel halted during boot (see the console)";
        result = -1;
    } else {
        result = kernel_boot(params, error);
    }
    halt_target = NULL;
    if (result != 0) {
        kernel_state_reset();
    }
    return result;
}

void hostsim_kernel_reset(void) { kernel_state_reset(); }

#ifdef CONFIG_KERNEL_MCS
bool hostsim_kernel_release_pending(void) { return sched_release_queue_head() != NULL; }
#endif

enum hostsim_thread_status hostsim_kernel_thread_status(const struct hal_tcb *t)
{
    switch (thread_state_type(tcb_of(t))) {
    case ThreadState_Running:
        return HOSTSIM_THREAD_RUNNING;
    case ThreadState_Restart:
        return HOSTSIM_THREAD_RESTART;
    case ThreadState_Inactive:
        return HOSTSIM_THREAD_INACTIVE;
    case ThreadState_IdleThreadState:
        return HOSTSIM_THREAD_IDLE;
    default:
        return HOSTSIM_THREAD_BLOCKED;
    }
}

unsigned hostsim_kernel_thread_state(const struct hal_tcb *t)
{
    return (unsigned)thread_state_type(tcb_of(t));
}

struct hal_tcb *hostsim_kernel_current(void)
{
    return ks.cur_thread != NULL ? &ks.cur_thread->arch : NULL;
}

struct hal_tcb *hostsim_kernel_root_thread(void)
{
    return ks.root_thread != NULL ? &ks.root_thread->arch : NULL;
}

uint64_t hostsim_kernel_thread_handle(const struct hal_tcb *t) { return VTOP(tcb_of(t)); }

struct hal_tcb *hostsim_kernel_thread_at(uint64_t handle)
{
    return &PTOV(struct tcb, handle)->arch;
}

bool hostsim_kernel_thread_vspace(const struct hal_tcb *t, paddr_t *root, word_t *asid)
{
    return tcb_vspace(tcb_of(t), root, asid);
}

paddr_t hostsim_kernel_asid_vspace(word_t asid) { return asid_find_vspace(asid); }

bool hostsim_kernel_thread_fpu_disabled(const struct hal_tcb *t)
{
    return (tcb_of(t)->flags & seL4_TCBFlag_fpuDisabled) != 0;
}

seL4_IPCBuffer *hostsim_kernel_ipc_buffer(const struct hal_tcb *t)
{
    return (seL4_IPCBuffer *)thread_lookup_ipc_buffer(tcb_of(t), false);
}

seL4_BootInfo *hostsim_kernel_bootinfo(void) { return ks.bootinfo; }

void hostsim_kernel_areas(struct hostsim_kernel_area out[HOSTSIM_KERNEL_AREAS])
{
    word_t sched_size;
    void *sched = sched_state(&sched_size);
    out[0] = (struct hostsim_kernel_area){"ks", &ks, sizeof(ks)};
    out[1] = (struct hostsim_kernel_area){"sched", sched, sched_size};
}
