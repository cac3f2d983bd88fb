/* SPDX-License-Identifier: BSD-2-Clause */
/* The hostsim machine as the simulator and tests drive it: boot a fresh kernel from a device tree,
 * make system calls as the root thread with exactly the ABI's registers, inspect memory. */
#ifndef HOSTSIM_HOSTSIM_H
#define HOSTSIM_HOSTSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <kaal/abi/abi.h>

/* Boot a fresh kernel from the device tree blob (copied into simulated RAM). Tears down any
 * previous machine first. Returns 0, or -1 with *error set to a readable reason. */
int hostsim_boot(const void *dtb, size_t dtb_size, const char **error);
/* Read a device tree file and boot from it. */
int hostsim_boot_file(const char *dtb_path, const char **error);
/* Tear down the machine (unmap simulated memory). Safe to call when none is booted. */
void hostsim_shutdown(void);

/* Result of one system call made for a thread. */
enum hostsim_status {
    HOSTSIM_OK = 0,      /* the call returned to the thread */
    HOSTSIM_STOPPED = 1, /* the thread is Inactive afterwards (e.g. a fault with no handler) */
    HOSTSIM_HALTED = 2,  /* the kernel halted (DebugHalt or a kernel panic) */
    HOSTSIM_BLOCKED = 3, /* the thread blocked in the kernel (IPC); its call completes later */
    HOSTSIM_IDLE = 4,    /* no thread to act as: the kernel runs its idle thread */
};

/* Execute `svc #0` as the root thread with x0..x7 = regs[0..7] (x7 = system call number).
 * On return regs[0..7] hold the thread's x0..x7 afterwards. A preempted call is re-executed
 * from its svc, as hardware would, until it completes; *restarts (if not NULL) counts them. */
enum hostsim_status hostsim_root_syscall(uint64_t regs[8], unsigned *restarts);
/* The same with x8 too: regs[0..8] = x0..x8 in and out (MCS: NBSendRecv's destination is x8). */
enum hostsim_status hostsim_root_syscall_x8(uint64_t regs[9], unsigned *restarts);

/* --- "Puppet" threads, for kernel unit tests ---
 * On hostsim a user thread normally runs its own code. Kernel unit tests instead act as whichever
 * thread the kernel has scheduled: they make that thread's next system call with exact registers
 * and read back the registers the kernel left it. Thread handles are the TCB's physical address. */

/* The thread the kernel runs now, or 0 when it runs its idle thread. */
uint64_t hostsim_current_thread(void);
/* The root task's thread. */
uint64_t hostsim_root_thread(void);
/* Execute `svc #0` as the current thread (as hostsim_root_syscall does for the root thread).
 * Before the new call, a system call of this thread that was preempted and is pending restart is
 * re-executed first. Returns HOSTSIM_IDLE (and does nothing) when no thread is current; returns
 * HOSTSIM_BLOCKED when the thread blocked (its registers are final when it runs again), and also
 * when an invocation set the thread back to its own svc without a preemption (its frame copied or
 * written with its restart PC) and it re-executed it 64 times: such a thread loops on the svc, and
 * each later call runs the pending svc first (the new call is made only once the loop ends). */
enum hostsim_status hostsim_syscall_as_current(uint64_t regs[8], unsigned *restarts);
/* The same with x8 too: regs[0..8] = x0..x8 in and out. */
enum hostsim_status hostsim_syscall_as_current_x8(uint64_t regs[9], unsigned *restarts);
/* What a puppet system call does before the kernel sees it, for tests that then call the kernel's
 * entry functions themselves: the thread's FaultIP := NextIP (the svc), NextIP += 4, and the svc is
 * pending (re-executed first by the next call as the thread if the kernel restarts it). */
void hostsim_syscall_enter(uint64_t thread);
/* All N_USER_REGS saved registers of a thread (kernel order: x0..x30, sp, nextIP, spsr, faultIP,
 * tpidr, tpidrro) and its seL4 thread state (ThreadState_*). */
void hostsim_thread_regs(uint64_t thread, uint64_t regs[37]);
unsigned hostsim_thread_state(uint64_t thread);
/* The IPC buffer of a thread as a host pointer, or NULL when it has none. */
seL4_IPCBuffer *hostsim_thread_ipc_buffer(uint64_t thread);

/* Host pointers into simulated memory for the root thread's IPC buffer and its bootinfo frame. */
seL4_IPCBuffer *hostsim_root_ipc_buffer(void);
seL4_BootInfo *hostsim_bootinfo(void);
/* Host pointer for simulated physical address pa (RAM only), or NULL. */
void *hostsim_phys_to_host(uint64_t pa, size_t size);

/* Faults as the current thread: the instruction at its NextIP faults (FaultIP := NextIP), then
 * the kernel delivers the fault and exits. A VM fault (data: addr = the data address;
 * instruction: addr = the PC) with syndrome esr, or a user exception with ESR esr. Returns
 * HOSTSIM_BLOCKED when the fault went to a handler, HOSTSIM_STOPPED on a double fault (the
 * thread is Inactive), HOSTSIM_IDLE when no thread is current. */
enum hostsim_fault {
    HOSTSIM_FAULT_VM_DATA,
    HOSTSIM_FAULT_VM_INSTRUCTION,
    HOSTSIM_FAULT_USER_EXCEPTION
};
enum hostsim_status hostsim_fault_as_current(enum hostsim_fault kind, uint64_t addr, uint64_t esr);

/* --- The virtual interrupt controller ---
 * Lines 0..159; the kernel timer is line 27. Interrupts are taken only at defined points: a
 * pending unmasked interrupt is taken (one kernel entry and exit each) before the next puppet
 * system call or fault, or at once when the idle thread runs. So an interrupt that wakes a
 * higher-priority thread makes that thread the current one before the next call. */
/* n timer interrupts, each taken at once as a kernel entry followed by the exit path. */
void hostsim_tick(unsigned n);
/* Make line irq pending (taken at the next kernel entry, or now if the kernel is idle). */
void hostsim_raise_irq(unsigned irq);
/* Controller state, for tests. */
bool hostsim_irq_is_masked(unsigned irq);
bool hostsim_irq_is_pending(unsigned irq);
bool hostsim_irq_is_edge(unsigned irq);
/* The cache model (hal_cache_clean_new_memory): calls since the process started, and whether any
 * byte of [pa, pa + bytes) of RAM was zeroed by the kernel and not cleaned to the point of
 * coherency since (a fresh frame must never be). */
extern unsigned long hostsim_cache_clean_calls;
bool hostsim_cache_zeroed_not_cleaned(uint64_t pa, uint64_t bytes);
/* How many times SGI sgi was issued (IRQControl SGI signal caps). */
unsigned hostsim_sgi_count(unsigned sgi);

/* --- The MCS virtual clock (MCS builds only: CONFIG_KERNEL_MCS; hal/hostsim/machine/timer.c) ---
 * The kernel's clock counts 62.5 MHz ticks from 0 at boot and moves only when told to, so
 * budgets and releases are measured in the simulation's own time. Advancing it by n ticks lets
 * the current thread (a puppet) run for that long: every deadline the kernel programmed inside
 * the interval is taken as a timer interrupt at exactly its tick (the current thread may change
 * there), and the clock ends n ticks later. */
void hostsim_clock_advance(uint64_t ticks);
uint64_t hostsim_clock_now(void);
/* The deadline the kernel last programmed and has not acknowledged, UINT64_MAX when none. */
uint64_t hostsim_clock_deadline(void);
/* For a run loop whose threads all wait: if some thread waits in the release queue for a refill,
 * jump the clock to the deadline and make the timer interrupt pending (the caller takes it as a
 * kernel entry), true; false when nothing waits for time. */
bool hostsim_clock_skip_to_release(void);
/* For an engine with its own time in ns (one instruction as 1 ns, as QEMU -icount shift=0): move
 * the clock up to ns (never back), and the deadline in ns (UINT64_MAX: none) at which the engine
 * should stop and raise the timer interrupt. (hostsim's own emulated EL0 counts in instructions at
 * a configurable rate instead: hostsim_emu_set_clock_rate, <hostsim/emu.h>.) */
void hostsim_clock_sync_ns(uint64_t ns);
uint64_t hostsim_clock_deadline_ns(void);

/* Every n-th preemption check sees a pending timer interrupt (0: never). Lets tests drive the
 * restart paths of preemptible operations deterministically. */
void hostsim_set_preempt_interval(unsigned n);

/* Console: by default kernel output goes to stderr. Quiet mode drops it (random tests); capture
 * mode appends it to a buffer that hostsim_console_take() returns and clears. */
void hostsim_console_quiet(bool quiet);
void hostsim_console_capture(bool capture);
const char *hostsim_console_take(void);

/* Did the last kernel entry end in a panic (kassert failure)? Cleared by hostsim_boot. */
bool hostsim_panicked(void);

/* --- Snapshots (snapshot.c) ---
 * Save the booted machine (simulated RAM, the kernel's globals, the interrupt controller) and
 * return to that moment later without booting again: a fuzzer boots once and restores before
 * every input. Restoring copies back only the RAM pages that differ. A snapshot belongs to one
 * boot: after hostsim_shutdown or another hostsim_boot, restore refuses it. For puppet-thread
 * machines (the host contexts of hostsim_run's user threads are not saved). */
struct hostsim_snapshot;
/* NULL when no machine is booted (or out of host memory). */
struct hostsim_snapshot *hostsim_snapshot_take(void);
/* 0, or -1 when s is not of the machine booted now. Clears halt and panic; SGI counts restart. */
int hostsim_snapshot_restore(const struct hostsim_snapshot *s);
void hostsim_snapshot_free(struct hostsim_snapshot *s);
/* Compare the machine now with snapshot s: RAM, the kernel's globals (ks) and the scheduler's state
 * (the interrupt controller is not compared). 0 when equal, -1 when s is not of the machine booted
 * now, 1 when they differ: then d (if not NULL) names the first difference: its area ("RAM",
 * "ks", "sched"), the byte's physical address (RAM) or offset in the structure, and the 8-byte
 * aligned word holding it then (in s) and now. */
struct hostsim_snapshot_diff {
    const char *area;
    uint64_t offset;
    uint64_t then, now;
};
int hostsim_snapshot_compare(const struct hostsim_snapshot *s, struct hostsim_snapshot_diff *d);

/* --- Device models (hal/hostsim/machine/pl011.c) ---
 * A PL011 UART at physical page paddr (outside RAM: it is device memory, reached through a device
 * untyped's frame) with interrupt line irq. Transmitted bytes go to out_fd at once; received bytes
 * come from in_fd when hostsim_pl011_wait_input() reads it, or from hostsim_pl011_feed(). Its RX
 * interrupt is level-triggered (raised while the receive FIFO holds data and RXIM/RTIM is set). */
int hostsim_pl011_attach(uint64_t paddr, unsigned irq, int in_fd, int out_fd);
/* Wait up to timeout_ms (-1: for ever) for input on in_fd and queue what arrived. Call it between
 * runs (hostsim_run() ended in HOSTSIM_RUN_DEADLOCK: everything waits, e.g. for input). (MCS: an
 * idle run loop also reads what has arrived, without waiting, before it skips the clock to a
 * refill.) Returns the number of bytes queued, 0 on timeout, -1 at end of input. */
int hostsim_pl011_wait_input(int timeout_ms);
/* Queue n bytes of input (tests). 0, or -1 when the FIFO (4 KiB) has no room. */
int hostsim_pl011_feed(const void *bytes, unsigned n);
/* A 32-bit device access by the running user thread at user address vaddr: translated through its
 * VSpace as the MMU would; a modelled device answers it, anything else is accessed directly (so
 * the shadow MMU raises the VM fault). User mode only (user/dddk's accessors call it). */
uint32_t hostsim_mmio_access(uint64_t vaddr, int write, uint32_t value);

#endif
