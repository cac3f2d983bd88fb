/* SPDX-License-Identifier: BSD-2-Clause */
/* Puppet threads: system calls and faults made for tests and the simulator as whichever thread the
 * kernel runs: registers in, kernel entry, registers out, exactly as an `svc #0` would be taken on
 * hardware (FaultIP = the svc, NextIP = the next one). A puppet thread's pending svc is kept in
 * the machine's record of the thread (uthread.c), not in the TCB. */
#include <hostsim/emu.h>
#include <hostsim/hostsim.h>
#include <hostsim_if/kernel.h>
#include <hostsim_if/machine.h>

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
    const struct hostsim_entry interrupt = {.kind = ENTRY_INTERRUPT};
    word_t irq;
    while (hostsim_irq_active(&irq)) {
        if (!hostsim_kernel_entry(&interrupt)) {
            machine_halted = true;
            return false;
        }
    }
    return true;
}

/* Thread t executes the svc at its NextIP, as hardware takes it: FaultIP = the svc, NextIP = the
 * next instruction; the svc is pending (restart_pending) until the thread is back in user mode. */
static void enter_svc(struct hal_tcb *t)
{
    word_t svc = hal_reg_get(t, REG_NEXT_IP);
    hal_reg_set(t, REG_FAULT_IP, svc);
    hal_reg_set(t, REG_NEXT_IP, svc + 4);
    uthread_set_svc_mark(t, svc + 1);
}

void hostsim_syscall_enter(uint64_t thread) { enter_svc(hostsim_kernel_thread_at(thread)); }

/* Re-executions of one svc without a preemption before svc_as gives up (a thread looping on it). */
#define HOSTSIM_MAX_REWINDS 64

/* Execute one svc (and its restarts while t stays current) as thread t, the current thread. */
static enum hostsim_status svc_as(struct hal_tcb *t, unsigned *count)
{
    const struct hostsim_entry syscall = {.kind = ENTRY_SYSCALL};
    unsigned rewinds = 0;
    for (;;) {
        word_t svc = hal_reg_get(t, REG_NEXT_IP);
        unsigned long acks = hostsim_irq_acks;
        enter_svc(t);
        if (!hostsim_kernel_entry(&syscall)) {
            machine_halted = true;
            return HOSTSIM_HALTED;
        }
        if (hostsim_kernel_current() == t &&
            hostsim_kernel_thread_status(t) == HOSTSIM_THREAD_RUNNING &&
            hal_reg_get(t, REG_NEXT_IP) == svc) {
            if (hostsim_irq_acks == acks && ++rewinds > HOSTSIM_MAX_REWINDS) {
                /* Not preempted: the invocation itself set the thread back to its svc (as seL4
                 * does when CopyRegisters/WriteRegisters give the caller its own restart PC), and
                 * in user mode it executes the svc again and again. Stop with the svc pending: it
                 * runs again before each later call of this thread. */
                return HOSTSIM_BLOCKED;
            }
            (*count)++; /* preempted and chosen again: the svc runs again */
            continue;
        }
        break;
    }
    switch (hostsim_kernel_thread_status(t)) {
    case HOSTSIM_THREAD_RUNNING:
        uthread_set_svc_mark(t, 0); /* back in user mode after the svc */
        return HOSTSIM_OK;
    case HOSTSIM_THREAD_INACTIVE:
        uthread_set_svc_mark(t, 0);
        return HOSTSIM_STOPPED;
    default:
        /* Blocked on IPC, or preempted (Restart) while another thread runs: completes later. */
        return HOSTSIM_BLOCKED;
    }
}

/* A thread whose last svc was preempted (or restarted by the kernel) re-executes it first. */
static bool restart_pending(const struct hal_tcb *t)
{
    word_t mark = uthread_svc_mark(t);
    return mark != 0 && hal_reg_get(t, REG_NEXT_IP) == mark - 1 &&
           hal_reg_get(t, REG_FAULT_IP) == mark - 1;
}

/* regs[0..n-1] = x0..x(n-1): n is 8, or 9 with x8 (the _x8 entries). */
static enum hostsim_status syscall_as(struct hal_tcb *t, uint64_t *regs, int n, unsigned *restarts)
{
    unsigned count = 0;
    enum hostsim_status st;
    while (restart_pending(t)) {
        count++;
        st = svc_as(t, &count);
        if (st != HOSTSIM_OK || hostsim_kernel_current() != t) {
            goto out;
        }
    }
    for (int i = 0; i < n; i++) {
        hal_reg_set(t, REG_X0 + i, regs[i]);
    }
    st = svc_as(t, &count);
out:
    for (int i = 0; i < n; i++) {
        regs[i] = hal_reg_get(t, REG_X0 + i);
    }
    if (restarts) {
        *restarts = count;
    }
    return st;
}

static bool machine_ready(void) { return hostsim_booted && !machine_halted; }

static enum hostsim_status root_syscall(uint64_t *regs, int n, unsigned *restarts)
{
    struct hal_tcb *t = hostsim_kernel_root_thread();
    if (restarts) {
        *restarts = 0;
    }
    if (!machine_ready() || t == NULL) {
        return HOSTSIM_HALTED;
    }
    if (hostsim_kernel_thread_status(t) == HOSTSIM_THREAD_INACTIVE) {
        return HOSTSIM_STOPPED;
    }
    if (!take_interrupts()) {
        return HOSTSIM_HALTED;
    }
    if (hostsim_kernel_current() != t) {
        /* Another thread runs (or the root thread is blocked): the root cannot make a call now. */
        return hostsim_kernel_thread_status(t) == HOSTSIM_THREAD_RUNNING ? HOSTSIM_IDLE
                                                                         : HOSTSIM_BLOCKED;
    }
    return syscall_as(t, regs, n, restarts);
}

enum hostsim_status hostsim_root_syscall(uint64_t regs[8], unsigned *restarts)
{
    return root_syscall(regs, 8, restarts);
}

enum hostsim_status hostsim_root_syscall_x8(uint64_t regs[9], unsigned *restarts)
{
    return root_syscall(regs, 9, restarts);
}

uint64_t hostsim_current_thread(void)
{
    struct hal_tcb *t = hostsim_kernel_current();
    if (!machine_ready() || t == NULL || hostsim_kernel_thread_status(t) == HOSTSIM_THREAD_IDLE) {
        return 0;
    }
    return hostsim_kernel_thread_handle(t);
}

uint64_t hostsim_root_thread(void)
{
    struct hal_tcb *t = hostsim_kernel_root_thread();
    return t != NULL ? hostsim_kernel_thread_handle(t) : 0;
}

static enum hostsim_status syscall_as_current(uint64_t *regs, int n, unsigned *restarts)
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
    return syscall_as(hostsim_kernel_thread_at(cur), regs, n, restarts);
}

enum hostsim_status hostsim_syscall_as_current(uint64_t regs[8], unsigned *restarts)
{
    return syscall_as_current(regs, 8, restarts);
}

enum hostsim_status hostsim_syscall_as_current_x8(uint64_t regs[9], unsigned *restarts)
{
    return syscall_as_current(regs, 9, restarts);
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
    struct hal_tcb *t = hostsim_kernel_thread_at(cur);
    /* The instruction the thread would execute next is the one that faults. */
    uthread_set_svc_mark(t, 0);
    hal_reg_set(t, REG_FAULT_IP, hal_reg_get(t, REG_NEXT_IP));
    struct hostsim_entry fault = {
        .kind = kind == HOSTSIM_FAULT_VM_DATA || kind == HOSTSIM_FAULT_VM_INSTRUCTION
                    ? ENTRY_VM_FAULT
                    : ENTRY_USER_EXCEPTION,
        .instruction = kind == HOSTSIM_FAULT_VM_INSTRUCTION,
        .addr = addr,
        .esr = esr,
    };
    if (!hostsim_kernel_entry(&fault)) {
        machine_halted = true;
        return HOSTSIM_HALTED;
    }
    switch (hostsim_kernel_thread_status(t)) {
    case HOSTSIM_THREAD_RUNNING:
        return HOSTSIM_OK;
    case HOSTSIM_THREAD_INACTIVE:
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
    struct hal_tcb *t = hostsim_kernel_thread_at(thread);
    for (int i = 0; i < N_USER_REGS; i++) {
        regs[i] = hal_reg_get(t, i);
    }
}

unsigned hostsim_thread_state(uint64_t thread)
{
    return hostsim_kernel_thread_state(hostsim_kernel_thread_at(thread));
}

seL4_IPCBuffer *hostsim_thread_ipc_buffer(uint64_t thread)
{
    return hostsim_kernel_ipc_buffer(hostsim_kernel_thread_at(thread));
}

int hostsim_emu_place_code(uint64_t va, const uint32_t *words, unsigned n)
{
    uint64_t cur = hostsim_current_thread();
    return cur != 0 && emu_place_code(hostsim_kernel_thread_at(cur), va, words, n) ? 0 : -1;
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
    struct hal_tcb *t = hostsim_kernel_thread_at(cur);
    uthread_set_svc_mark(t, 0); /* not inside a puppet's svc */
    emu_run_bounded(t, max_instructions);
    out->pc = hal_reg_get(t, REG_FAULT_IP);
    switch (hostsim_entry.kind) {
    case ENTRY_SYSCALL:
        out->kind = HOSTSIM_EMU_SYSCALL;
        out->detail = hal_reg_get(t, REG_SYSCALL);
        break;
    case ENTRY_VM_FAULT:
        out->kind = HOSTSIM_EMU_VM_FAULT;
        out->detail = hostsim_entry.addr;
        out->esr = hostsim_entry.esr;
        break;
    case ENTRY_USER_EXCEPTION:
        out->kind = HOSTSIM_EMU_USER_EXCEPTION;
        out->esr = hostsim_entry.esr;
        break;
    default: { /* the budget ran out (or an interrupt was pending): the timer's tick */
        word_t irq = 0;
        (void)hostsim_irq_active(&irq);
        out->kind = HOSTSIM_EMU_INTERRUPT;
        out->pc = hal_reg_get(t, REG_NEXT_IP);
        out->detail = irq;
        break;
    }
    }
    if (!hostsim_kernel_entry(&hostsim_entry)) { /* the trap, then the kernel's exit path */
        machine_halted = true;
        return HOSTSIM_HALTED;
    }
    switch (hostsim_kernel_thread_status(t)) {
    case HOSTSIM_THREAD_RUNNING:
        return HOSTSIM_OK;
    case HOSTSIM_THREAD_INACTIVE:
        return HOSTSIM_STOPPED;
    default:
        return HOSTSIM_BLOCKED;
    }
}
