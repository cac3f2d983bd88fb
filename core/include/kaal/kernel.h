/* SPDX-License-Identifier: BSD-2-Clause */
/* Global kernel state and the kernel's entry points from the port. Booting resets all of it. */
#ifndef KAAL_KERNEL_H
#define KAAL_KERNEL_H

#include <kaal/errors.h>
#include <kaal/structures.h>

struct kernel_state {
    struct tcb *cur_thread; /* the thread whose registers the port restores on exit */
    /* Owned by the scheduler (sched.h): what the exit path does next (seL4 ksSchedulerAction),
     * SCHED_RESUME_CURRENT, SCHED_CHOOSE_NEW or the woken thread to switch to. */
    struct tcb *sched_action;
    struct tcb *root_thread; /* the root task's TCB */
    seL4_BootInfo *bootinfo; /* kernel pointer to the root task's bootinfo frame */
    word_t work_units;       /* work done since the last preemption check */

    /* Owned by the VSpace layer: the ASID pool of each high ASID (physical address, 0: none). */
    paddr_t asid_table[1u << seL4_NumASIDPoolsBits];

    /* Owned by the interrupt layer (irq.c): whether a handler cap was issued for each IRQ, and
     * the IRQ node (seL4's intStateIRQNode): HAL_MAX_IRQ + 1 kernel-owned slots in RAM, allocated
     * at boot (boot.c), slot irq holding the notification cap that IRQ signals, a copy inserted
     * into the derivation tree as a child (or sibling) of the cap it was set from. */
    uint8_t irq_state[HAL_MAX_IRQ + 1]; /* enum irq_state */
    cte_t *irq_node;
};

/* Slots of the IRQ node, and its size as a power of two (at least one slot per IRQ). */
#define IRQ_NODE_SLOTS (HAL_MAX_IRQ + 1)
#define IRQ_NODE_BITS (seL4_SlotBits + 8)
_Static_assert(IRQ_NODE_SLOTS <= 1u << (IRQ_NODE_BITS - seL4_SlotBits),
               "the IRQ node holds every IRQ");

enum irq_state { IRQ_INACTIVE = 0, IRQ_SIGNAL = 1 };

extern struct kernel_state ks;

/* Port -> core: the current thread executed a system call with number sysno (its x7).
 * Handles it and returns; the port then calls kernel_exit(). */
void kernel_handle_syscall(sword_t sysno);
/* The same without trying the IPC fastpath (core/kernel/fastpath.c) first: for a port whose
 * entry code has tried it already (aarch64: hal/aarch64/kernel/fastpath.S). */
void kernel_handle_syscall_slowpath(sword_t sysno);
/* kernel_handle_syscall_slowpath(seL4_SysCall), for a port whose entry code knows the system call
 * is a Call (aarch64: the fastpath declined one): no dispatch on the number. */
void kernel_handle_call_slowpath(void);

/* The one exit path, kernel_exit(), is inline in <kaal/thread.h>. */

/* Long operations call this after each unit of work. Every
 * CONFIG_MAX_NUM_WORK_UNITS_PER_PREEMPTION units it asks the port whether an interrupt is pending;
 * if so it returns EXCEPTION_PREEMPTED and the system call is restarted from the top later. */
exception_t preemption_point(void);

/* Handle the interrupt the port reports as pending (after a preemption or an IRQ exception). */
void kernel_handle_pending_interrupt(void);

/* Port -> core: the current thread took a translation or permission fault. `instruction` is true
 * for an instruction abort (fault_addr is then the faulting PC), false for a data abort (FAR);
 * esr is the syndrome. The port has set FaultIP to the faulting instruction. Delivers a VMFault to
 * the thread's handler; the port then calls kernel_exit(). */
void kernel_handle_vm_fault(bool instruction, word_t fault_addr, word_t esr);

/* Port -> core: any other synchronous exception from user mode (undefined instruction, FP trap,
 * misalignment, ...), with its full ESR. FaultIP is the faulting instruction. Delivers a
 * UserException; the port then calls kernel_exit(). */
void kernel_handle_user_exception(word_t esr);

/* Port -> core: an IRQ exception (or the idle loop saw one pending). Handles the highest pending
 * interrupt; the port then calls kernel_exit(). */
void kernel_handle_interrupt_entry(void);

/* Reset all kernel globals (called first by boot, so a kernel can be booted again in-process). */
void kernel_state_reset(void);

#endif
