/* SPDX-License-Identifier: BSD-2-Clause */
/* Root-thread system calls for tests and the simulator: registers in, kernel entry, registers out,
 * exactly as an `svc #0` would be taken on hardware (FaultIP = the svc, NextIP = the next one). */
#include <stdio.h>

#include <kaal/kernel.h>
#include <kaal/thread.h>
#include <hostsim/emu.h>
#include <hostsim/hostsim.h>

#include "internal.h"
#include "user_internal.h"

static bool machine_halted;

void hostsim_note_halt(void) { machine_halted = true; }

void hostsim_note_boot(void)
{
    machine_halted = false;
    hostsim_irq_reset();
}

/* Take every pending unmasked interrupt, each as one kernel entry followed by the exit path.
 * Returns false if the kernel halted. */
static bool take_interrupts(void)
{
    jmp_buf jb;
    hostsim_halt_target = &jb;
    if (setjmp(jb)) {
        hostsim_halt_target = NULL;
        machine_halted = true;
        return false;
    }
    while (hal_irq_get_active() != HAL_IRQ_NONE) {
        kernel_handle_interrupt_entry();
        kernel_exit();
    }
    hostsim_halt_target = NULL;
    return true;
}

/* Re-executions of one svc without a preemption before svc_as gives up (a thread looping on it). */
#define HOSTSIM_MAX_REWINDS 64

/* Execute one svc (and its restarts while t stays current) as thread t. */
static enum hostsim_status svc_as(struct tcb *t, unsigned *count)
{
    jmp_buf jb;
    hostsim_halt_target = &jb;
    if (setjmp(jb)) {
        hostsim_halt_target = NULL;
        machine_halted = true;
        return HOSTSIM_HALTED;
    }
    unsigned rewinds = 0;
    for (;;) {
        word_t svc = hal_reg_get(&t->arch, REG_NEXT_IP);
        unsigned long acks = hostsim_irq_acks;
        hal_reg_set(&t->arch, REG_FAULT_IP, svc);
        hal_reg_set(&t->arch, REG_NEXT_IP, svc + 4);
        t->arch.svc_pending = svc + 1; /* marks "inside svc at `svc`" for the restart check */
        kernel_handle_syscall((sword_t)hal_reg_get(&t->arch, REG_SYSCALL));
        kernel_exit();
        if (ks.cur_thread == t && thread_state_type(t) == ThreadState_Running &&
            hal_reg_get(&t->arch, REG_NEXT_IP) == svc) {
            if (hostsim_irq_acks == acks && ++rewinds > HOSTSIM_MAX_REWINDS) {
                /* Not preempted: the invocation itself set the thread back to its svc (as seL4
                 * does when CopyRegisters/WriteRegisters give the caller its own restart PC), and
                 * in user mode it executes the svc again and again. Stop with the svc pending: it
                 * runs again before each later call of this thread. */
                hostsim_halt_target = NULL;
                return HOSTSIM_BLOCKED;
            }
            (*count)++; /* preempted and chosen again: the svc runs again */
            continue;
        }
        break;
    }
    hostsim_halt_target = NULL;
    switch (thread_state_type(t)) {
    case ThreadState_Running:
        t->arch.svc_pending = 0; /* back in user mode after the svc */
        return HOSTSIM_OK;
    case ThreadState_Inactive:
        t->arch.svc_pending = 0;
        return HOSTSIM_STOPPED;
    default:
        /* Blocked on IPC, or preempted (Restart) while another thread runs: completes later. */
        return HOSTSIM_BLOCKED;
    }
}

/* A thread whose last svc was preempted (or restarted by the kernel) re-executes it first. */
static bool restart_pending(const struct tcb *t)
{
    return t->arch.svc_pending != 0 &&
           hal_reg_get(&t->arch, REG_NEXT_IP) == t->arch.svc_pending - 1 &&
           hal_reg_get(&t->arch, REG_FAULT_IP) == t->arch.svc_pending - 1;
}

static enum hostsim_status syscall_as(struct tcb *t, uint64_t regs[8], unsigned *restarts)
{
    unsigned count = 0;
    enum hostsim_status st;
    while (restart_pending(t)) {
        count++;
        st = svc_as(t, &count);
        if (st != HOSTSIM_OK || ks.cur_thread != t) {
            goto out;
        }
    }
    for (int i = 0; i < 8; i++) {
        hal_reg_set(&t->arch, REG_X0 + i, regs[i]);
    }
    st = svc_as(t, &count);
out:
    for (int i = 0; i < 8; i++) {
        regs[i] = hal_reg_get(&t->arch, REG_X0 + i);
    }
    if (restarts) {
        *restarts = count;
    }
    return st;
}

static bool machine_ready(void) { return hostsim_booted && !machine_halted; }

enum hostsim_status hostsim_root_syscall(uint64_t regs[8], unsigned *restarts)
{
    struct tcb *t = ks.root_thread;
    if (restarts) {
        *restarts = 0;
    }
    if (!machine_ready() || t == NULL) {
        return HOSTSIM_HALTED;
    }
    if (thread_state_type(t) == ThreadState_Inactive) {
        return HOSTSIM_STOPPED;
    }
    if (!take_interrupts()) {
        return HOSTSIM_HALTED;
    }
    if (ks.cur_thread != t) {
        /* Another thread runs (or the root thread is blocked): the root cannot make a call now. */
        return thread_state_type(t) == ThreadState_Running ? HOSTSIM_IDLE : HOSTSIM_BLOCKED;
    }
    return syscall_as(t, regs, restarts);
}

uint64_t hostsim_current_thread(void)
{
    if (!machine_ready() || ks.cur_thread == NULL ||
        thread_state_type(ks.cur_thread) == ThreadState_IdleThreadState) {
        return 0;
    }
    return VTOP(ks.cur_thread);
}

uint64_t hostsim_root_thread(void) { return ks.root_thread ? VTOP(ks.root_thread) : 0; }

enum hostsim_status hostsim_syscall_as_current(uint64_t regs[8], unsigned *restarts)
{
    if (restarts) {
        *restarts = 0;
    }
    if (!machine_ready()) {
        return HOSTSIM_HALTED;
    }
    if (!take_interrupts()) {
        return HOSTSIM_HALTED;
    }
    uint64_t cur = hostsim_current_thread();
    if (cur == 0) {
        return HOSTSIM_IDLE;
    }
    return syscall_as(PTOV(struct tcb, cur), regs, restarts);
}

enum hostsim_status hostsim_fault_as_current(enum hostsim_fault kind, uint64_t addr, uint64_t esr)
{
    if (!machine_ready() || !take_interrupts()) {
        return HOSTSIM_HALTED;
    }
    uint64_t cur = hostsim_current_thread();
    if (cur == 0) {
        return HOSTSIM_IDLE;
    }
    struct tcb *t = PTOV(struct tcb, cur);
    jmp_buf jb;
    hostsim_halt_target = &jb;
    if (setjmp(jb)) {
        hostsim_halt_target = NULL;
        machine_halted = true;
        return HOSTSIM_HALTED;
    }
    /* The instruction the thread would execute next is the one that faults. */
    t->arch.svc_pending = 0;
    hal_reg_set(&t->arch, REG_FAULT_IP, hal_reg_get(&t->arch, REG_NEXT_IP));
    switch (kind) {
    case HOSTSIM_FAULT_VM_DATA:
        kernel_handle_vm_fault(false, addr, esr);
        break;
    case HOSTSIM_FAULT_VM_INSTRUCTION:
        kernel_handle_vm_fault(true, addr, esr);
        break;
    default:
        kernel_handle_user_exception(esr);
        break;
    }
    kernel_exit();
    hostsim_halt_target = NULL;
    switch (thread_state_type(t)) {
    case ThreadState_Running:
        return HOSTSIM_OK;
    case ThreadState_Inactive:
        return HOSTSIM_STOPPED;
    default:
        return HOSTSIM_BLOCKED;
    }
}

void hostsim_tick(unsigned n)
{
    for (unsigned i = 0; i < n && machine_ready(); i++) {
        hostsim_irq_set_pending(HAL_TIMER_IRQ);
        if (!take_interrupts()) {
            return;
        }
    }
}

void hostsim_raise_irq(unsigned irq)
{
    if (!machine_ready() || irq > HAL_MAX_IRQ) {
        return;
    }
    hostsim_irq_set_pending(irq);
    if (hostsim_current_thread() == 0) {
        take_interrupts(); /* the idle thread runs: the interrupt is taken at once */
    }
}

void hostsim_thread_regs(uint64_t thread, uint64_t regs[37])
{
    struct tcb *t = PTOV(struct tcb, thread);
    for (int i = 0; i < N_USER_REGS; i++) {
        regs[i] = hal_reg_get(&t->arch, i);
    }
}

unsigned hostsim_thread_state(uint64_t thread)
{
    return (unsigned)thread_state_type(PTOV(struct tcb, thread));
}

seL4_IPCBuffer *hostsim_thread_ipc_buffer(uint64_t thread)
{
    return (seL4_IPCBuffer *)thread_lookup_ipc_buffer(PTOV(struct tcb, thread), false);
}

void hostsim_dump_state(void)
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

int hostsim_emu_place_code(uint64_t va, const uint32_t *words, unsigned n)
{
    uint64_t cur = hostsim_current_thread();
    return cur != 0 && emu_place_code(PTOV(struct tcb, cur), va, words, n) ? 0 : -1;
}

enum hostsim_status hostsim_emu_step_current(uint64_t max_instructions,
                                             struct hostsim_emu_step *out)
{
    *out = (struct hostsim_emu_step){0};
    if (!machine_ready() || !take_interrupts()) {
        return HOSTSIM_HALTED;
    }
    uint64_t cur = hostsim_current_thread();
    if (cur == 0) {
        return HOSTSIM_IDLE;
    }
    struct tcb *t = PTOV(struct tcb, cur);
    jmp_buf jb;
    hostsim_halt_target = &jb;
    if (setjmp(jb)) {
        hostsim_halt_target = NULL;
        machine_halted = true;
        return HOSTSIM_HALTED;
    }
    t->arch.svc_pending = 0; /* not inside a puppet's svc */
    emu_run_bounded(t, max_instructions);
    out->pc = hal_reg_get(&t->arch, REG_FAULT_IP);
    switch (hostsim_entry.kind) {
    case ENTRY_SYSCALL:
        out->kind = HOSTSIM_EMU_SYSCALL;
        out->detail = hal_reg_get(&t->arch, REG_SYSCALL);
        kernel_handle_syscall((sword_t)out->detail);
        break;
    case ENTRY_VM_FAULT:
        out->kind = HOSTSIM_EMU_VM_FAULT;
        out->detail = hostsim_entry.addr;
        out->esr = hostsim_entry.esr;
        kernel_handle_vm_fault(hostsim_entry.instruction, hostsim_entry.addr, hostsim_entry.esr);
        break;
    case ENTRY_USER_EXCEPTION:
        out->kind = HOSTSIM_EMU_USER_EXCEPTION;
        out->esr = hostsim_entry.esr;
        kernel_handle_user_exception(hostsim_entry.esr);
        break;
    default: /* the budget ran out: the timer's tick */
        out->kind = HOSTSIM_EMU_INTERRUPT;
        out->pc = hal_reg_get(&t->arch, REG_NEXT_IP);
        out->detail = hal_irq_get_active();
        kernel_handle_interrupt_entry();
        break;
    }
    kernel_exit();
    hostsim_halt_target = NULL;
    switch (thread_state_type(t)) {
    case ThreadState_Running:
        return HOSTSIM_OK;
    case ThreadState_Inactive:
        return HOSTSIM_STOPPED;
    default:
        return HOSTSIM_BLOCKED;
    }
}
