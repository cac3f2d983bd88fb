/* SPDX-License-Identifier: BSD-2-Clause */
/* The hostsim interface, port side: the kernel as the simulated machine sees it. The port
 * (hal/hostsim/port/kernel.c) implements these; the machine (hal/hostsim/machine/) calls them and
 * reaches the kernel in no other way (docs/hostsim.md, "Port and machine"). A thread is named by
 * its saved register file, the TCB's struct hal_tcb (<hal_port/hal_port.h>), which the machine
 * reads and writes as the CPU's state between runs; everything else about a TCB stays the port's.
 * The machine's half of the interface is <hostsim_if/machine.h>. */
#ifndef HOSTSIM_IF_KERNEL_H
#define HOSTSIM_IF_KERNEL_H

#include <stdbool.h>
#include <stddef.h>

#include <hal_port/hal_port.h>
#include <kaal/abi/abi.h>
#include <kaal/boot.h>

/* Why a thread enters the kernel: the exception the trap reports. */
enum hostsim_entry_kind {
    ENTRY_NONE,           /* no event: only the exit path (the start of a run) */
    ENTRY_SYSCALL,        /* svc: the number is the current thread's x7 */
    ENTRY_VM_FAULT,       /* a data or instruction abort */
    ENTRY_USER_EXCEPTION, /* any other synchronous exception from user mode */
    ENTRY_INTERRUPT       /* the interrupt controller has an active line */
};
struct hostsim_entry {
    enum hostsim_entry_kind kind;
    bool instruction; /* VM fault: instruction abort */
    word_t addr;      /* VM fault: FAR (data) or the PC (instruction) */
    word_t esr;       /* VM fault, user exception: the syndrome */
};

/* The trap into the kernel, the one way in: take entry as the current thread (whose registers,
 * FaultIP and NextIP included, the machine has saved as hardware would), then leave through the
 * kernel's exit path, which chooses the thread to run next. Returns false when the kernel halted
 * (DebugHalt, a failed kassert) instead: the machine is then halted. Kernel context (the host
 * context the machine was called on); not reentrant. */
bool hostsim_kernel_entry(const struct hostsim_entry *entry);

/* Boot the kernel with the loader's handoff (the machine plays the loader). Forgets the previous
 * kernel's state first. 0, or -1 with *error set (a halt during boot is reported as an error and
 * leaves no kernel state behind). */
int hostsim_kernel_boot(const struct boot_params *params, const char **error);
/* Forget every kernel global (its pointers are into RAM that is about to go away). */
void hostsim_kernel_reset(void);

/* What a thread is doing, as far as the machine cares. */
enum hostsim_thread_status {
    HOSTSIM_THREAD_RUNNING,  /* runs (or may run) user code */
    HOSTSIM_THREAD_RESTART,  /* will re-execute its system call when it next runs */
    HOSTSIM_THREAD_BLOCKED,  /* waits in the kernel (IPC, a notification, a reply) */
    HOSTSIM_THREAD_INACTIVE, /* stopped */
    HOSTSIM_THREAD_IDLE,     /* the kernel's idle thread */
};
enum hostsim_thread_status hostsim_kernel_thread_status(const struct hal_tcb *t);
/* The seL4 thread state (ThreadState_*), as the test API reports it. */
unsigned hostsim_kernel_thread_state(const struct hal_tcb *t);
/* The thread the kernel has chosen to run (possibly its idle thread), the root task's thread: NULL
 * when there is none. */
struct hal_tcb *hostsim_kernel_current(void);
struct hal_tcb *hostsim_kernel_root_thread(void);
/* A thread's handle in the test API (the physical address of its TCB), and back. */
uint64_t hostsim_kernel_thread_handle(const struct hal_tcb *t);
struct hal_tcb *hostsim_kernel_thread_at(uint64_t handle);
/* The VSpace the thread runs in (its root table's physical address and ASID); false when it has
 * none (every user access faults), by the kernel's one rule (tcb_vspace). */
bool hostsim_kernel_thread_vspace(const struct hal_tcb *t, paddr_t *root, word_t *asid);
/* The VSpace root the ASID names now, 0 when none. */
paddr_t hostsim_kernel_asid_vspace(word_t asid);
/* Does the thread run with seL4_TCBFlag_fpuDisabled (FP/SIMD use traps)? */
bool hostsim_kernel_thread_fpu_disabled(const struct hal_tcb *t);
/* The IPC buffer the kernel uses for the thread, as a host pointer; NULL when it has none. */
seL4_IPCBuffer *hostsim_kernel_ipc_buffer(const struct hal_tcb *t);
/* The root task's bootinfo frame (NULL before boot). */
seL4_BootInfo *hostsim_kernel_bootinfo(void);

/* MCS: does a thread wait in the release queue for a refill (the clock may skip to its release)? */
bool hostsim_kernel_release_pending(void);

/* The kernel's state outside simulated RAM (its globals, the scheduler's), for snapshots: n areas,
 * each a named host range the machine may copy out and back between kernel entries. */
#define HOSTSIM_KERNEL_AREAS 2
struct hostsim_kernel_area {
    const char *name;
    void *base;
    size_t size;
};
void hostsim_kernel_areas(struct hostsim_kernel_area out[HOSTSIM_KERNEL_AREAS]);

#endif
