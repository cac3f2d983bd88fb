/* SPDX-License-Identifier: BSD-2-Clause */
/* Global kernel state and the kernel's entry points from the port. Booting resets all of it. */
#ifndef KAAL_KERNEL_H
#define KAAL_KERNEL_H

#include <kaal/errors.h>
#include <kaal/structures.h>

struct kernel_state {
    struct tcb *cur_thread;   /* the thread whose registers the port restores on exit */
    struct tcb *root_thread;  /* the root task's TCB */
    seL4_BootInfo *bootinfo;  /* kernel pointer to the root task's bootinfo frame */
    word_t work_units;        /* work done since the last preemption check */
    bool reschedule;          /* a handler asks the exit path to choose a thread */

    /* Owned by the VSpace layer: the ASID pool of each high ASID (physical address, 0: none). */
    paddr_t asid_table[1u << seL4_NumASIDPoolsBits];
};

extern struct kernel_state ks;

/* Port -> core: the current thread executed a system call with number sysno (its x7).
 * Handles it and returns; the port then calls kernel_exit(). */
void kernel_handle_syscall(sword_t sysno);

/* The one exit path: schedule if needed and let the port resume ks.cur_thread. */
void kernel_exit(void);

/* Long operations call this after each unit of work. Every
 * CONFIG_MAX_NUM_WORK_UNITS_PER_PREEMPTION units it asks the port whether an interrupt is pending;
 * if so it returns EXCEPTION_PREEMPTED and the system call is restarted from the top later. */
exception_t preemption_point(void);

/* Handle the interrupt the port reports as pending (after a preemption or an IRQ exception). */
void kernel_handle_pending_interrupt(void);

/* Reset all kernel globals (called first by boot, so a kernel can be booted again in-process). */
void kernel_state_reset(void);

#endif
