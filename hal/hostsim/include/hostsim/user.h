/* SPDX-License-Identifier: BSD-2-Clause */
/* hostsim user mode: real user threads (host code on host contexts), the run loop that enters the
 * kernel on their traps, and the shadow MMU's user window. See docs/hostsim.md, "User mode". */
#ifndef HOSTSIM_USER_H
#define HOSTSIM_USER_H

#include <stdbool.h>
#include <stdint.h>

#include <kaal/abi/abi.h>

/* The user window: user virtual addresses [HOSTSIM_WINDOW_BASE, HOSTSIM_WINDOW_END) are the same
 * host addresses while a user thread runs. The shadow MMU maps pages there on first touch from the
 * current thread's VSpace; everything else in it is PROT_NONE. 60 MiB: it starts at the root task's
 * image (0x400000) and stops below 0x4000000, where Valgrind loads the dynamic linker. */
#define HOSTSIM_WINDOW_BASE 0x400000ull
#define HOSTSIM_WINDOW_END 0x4000000ull

/* The ESR a thread gets (as a UserException) when its host function returns: the syndrome of
 * `brk #0xdead` (EC 0x3C, IL 1). A reply with label 0 restarts it at FaultIP = its entry. */
#define HOSTSIM_ESR_THREAD_RETURNED 0xf200deadull
/* The ESR of an instruction fetch from an executable user page: hostsim cannot execute AArch64
 * code, so this is a UserException "unknown reason" (EC 0, IL 1). */
#define HOSTSIM_ESR_EXEC_IN_WINDOW 0x02000000ull

/* Emulated TPIDR_EL0 of the running user thread: loaded from its saved TPIDR register when it is
 * entered, saved back when it enters the kernel. User code reads and writes it directly. */
extern uint64_t hostsim_tpidr_el0;

/* How a run ended. */
enum hostsim_run_status {
    HOSTSIM_RUN_DONE = 0, /* nothing runnable and nothing waiting: every thread is Inactive */
    HOSTSIM_RUN_DEADLOCK =
        1,                  /* nothing runnable, no interrupt pending, and some thread is blocked */
    HOSTSIM_RUN_HALTED = 2, /* the kernel halted (DebugHalt or a panic) */
    HOSTSIM_RUN_ERROR = 3,  /* no machine is booted, or the user window could not be reserved */
};

/* Run the booted machine: exit the kernel to its current thread and keep going (system calls,
 * faults, interrupts), entering each chosen thread's host context, until nothing can run.
 * A thread without a host context gets one on its first run: its NextIP is a host function
 * called as pc(x0, x1, x2, x3, x4, x5) on the stack at SP (which should lie in the window).
 * Blocked or inactive threads keep their contexts for a later run. Outside a run nothing is
 * entered (kernel unit tests act as "puppet" threads instead). Not reentrant. */
enum hostsim_run_status hostsim_run(void);

/* Run entry as the root task of the booted machine: like a crt0, set the root thread's NextIP to
 * entry and its SP to the top of its user image (so its stack lives in its own VSpace, in the
 * image's top pages), then hostsim_run(). entry gets x0 = the bootinfo frame's user address. */
enum hostsim_run_status hostsim_run_root(void (*entry)(seL4_BootInfo *bi));

/* The system call instruction (`svc #0`) for user code. regs[0..7] = x0..x7 (x7 = number). Returns
 * when the kernel resumes the thread, with regs[0..5] = the thread's x0..x5 afterwards; regs[6]
 * and regs[7] are left alone (docs/abi.md#registers). Inside a run it traps into the kernel from
 * the current thread's host context; outside one it makes the call as the kernel's current thread
 * (hostsim_syscall_as_current), so the same user library works in kernel unit tests. */
void hostsim_user_trap(uint64_t regs[8]);
/* The same with x8 too (regs[8] = x8 in, left alone): the calls that read x8 (MCS NBSendRecv's
 * destination) go through this one; the others keep the eight-register trap, so the saved x8 of a
 * thread making them is untouched, as before. */
void hostsim_user_trap_x8(uint64_t regs[9]);

/* Has the thread (a handle as in hostsim.h) a host context: has it run in a run? Puppet threads
 * (kernel unit tests acting as the thread) have none. */
bool hostsim_thread_has_context(uint64_t thread);

/* Shadow MMU statistics since the process started (tests, benchmarks). */
struct hostsim_window_stats {
    uint64_t refills;   /* pages mapped into the window on a fault */
    uint64_t vm_faults; /* faults delivered to the kernel as VMFaults */
    uint64_t flushes;   /* times the window was emptied */
    uint64_t switches;  /* kernel -> user context switches */
};
void hostsim_window_stats(struct hostsim_window_stats *out);
/* How many pages are mapped in the window now (0 outside a run). */
unsigned hostsim_window_pages(void);

#endif
