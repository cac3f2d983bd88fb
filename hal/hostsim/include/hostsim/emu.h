/* SPDX-License-Identifier: BSD-2-Clause */
/* hostsim's second kind of user thread: AArch64 EL0 code executed by an instruction-set emulator
 * (the Unicorn engine), while the kernel stays host code. See docs/hostsim.md, "Emulated EL0". */
#ifndef HOSTSIM_EMU_H
#define HOSTSIM_EMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <hostsim/hostsim.h>

/* Boot a fresh kernel from a device tree with a statically linked AArch64 ELF as the root task,
 * placed as the aarch64 loader places it: the device tree on the first free page of RAM, the
 * root task's image on the page after it, its PT_LOAD segments at vaddr + pv_offset, entry =
 * e_entry. Later hostsim_run() calls execute every user thread of this machine as AArch64 code
 * in the emulator. Returns 0, or -1 with *error set to a readable reason. */
int hostsim_boot_elf(const void *dtb, size_t dtb_size, const void *elf, size_t elf_size,
                     const char **error);

/* The virtual clock, in instructions: every user instruction executed by an emulated thread counts
 * one, and every kernel entry counts a fixed cost (the kernel is host code; its own instructions
 * are not counted). Base configuration: the kernel timer fires each time the clock has advanced n
 * more (0: never), before the next user instruction. The default n is the tick of QEMU under
 * -icount shift=0 (one instruction per ns): CONFIG_TIMER_TICK_MS * 10^6. MCS: there is no periodic
 * tick and this call does nothing (see hostsim_emu_set_clock_rate). */
void hostsim_emu_set_tick(uint64_t n);
/* MCS only (CONFIG_KERNEL_MCS): the instruction count is the kernel's clock (the 62.5 MHz virtual
 * clock of hostsim_clock_now()): every n instructions (and entry costs) make one of its ticks
 * (0 counts as 1), and the engine stops before the instruction at which the clock reaches the
 * deadline the kernel programmed, taking the timer interrupt there; so a thread's budget ends at
 * the same instruction every run. The default, HOSTSIM_EMU_CLOCK_RATE_DEFAULT, is QEMU's under
 * -icount shift=0: one instruction per ns, 16 ns per tick. Set it before a run; the clock moves
 * by whole ticks, the remainder carried to the next run. */
#define HOSTSIM_EMU_CLOCK_RATE_DEFAULT 16u
void hostsim_emu_set_clock_rate(uint64_t n);
uint64_t hostsim_emu_clock_rate(void);
/* The cost of one kernel entry on the virtual clock (default HOSTSIM_EMU_ENTRY_COST_DEFAULT, about
 * what a debug kernel's system call path executes on QEMU; a release kernel's IPC fastpath is
 * ~150, bench/baseline-qemu.json). */
#define HOSTSIM_EMU_ENTRY_COST_DEFAULT 1000u
void hostsim_emu_set_entry_cost(uint64_t n);
/* How much the cost of each kernel entry varies, in percent of the entry cost either way (0-100;
 * default HOSTSIM_EMU_ENTRY_JITTER_DEFAULT): a deterministic pseudo-random sequence with a fixed
 * seed, uniform around the entry cost, so runs stay identical while the clock does not
 * phase-lock with a periodic workload (as the kernel's cost per entry varies on hardware). */
#define HOSTSIM_EMU_ENTRY_JITTER_DEFAULT 50u
void hostsim_emu_set_entry_jitter(unsigned percent);

/* Pages one refill maps into the emulator at most (default 32): the page an access missed and the
 * neighbours that continue it (virtually and physically contiguous RAM, the same rights), one
 * region for the engine instead of many. 1: page by page (tests, benchmarks). */
void hostsim_emu_set_refill_run(unsigned pages);

/* Print every kernel entry of an emulated thread (kind, thread, PC, and the syscall number, fault
 * address or ESR) to out; NULL: off. */
void hostsim_emu_trace(FILE *out);

/* gdb's remote protocol for the emulated program (gdbstub.c; docs/hostsim.md, "Debugging"):
 * listen on 127.0.0.1:port (0: any free port; *port_out says which), then wait for gdb to
 * connect. Once connected the program stops before its first user instruction; gdb then reads and
 * writes registers and memory, sets breakpoints, steps and continues. Each returns 0, or -1 with
 * *error set. */
int hostsim_emu_gdb_listen(int port, int *port_out, const char **error);
int hostsim_emu_gdb_accept(const char **error);
/* The machine stopped with this status: tell gdb ("W" packet) and close the connection. */
void hostsim_emu_gdb_exited(int status);

/* --- AArch64 code from a puppet (the fuzzer's AArch64 operations; docs/fuzzing.md) ---
 * Outside a run, on any booted machine: the current thread executes real AArch64 code, so its
 * registers, PSTATE's flags, faults and exceptions reach the kernel as hardware delivers them. */

/* Write n instruction words at user address va of the current thread's VSpace (into the RAM page
 * mapped there, whatever its rights, as a loader would; clipped at the page's end). Returns 0, or
 * -1 when there is no current thread or no RAM mapped at va. */
int hostsim_emu_place_code(uint64_t va, const uint32_t *words, unsigned n);

/* What the current thread's code did before it entered the kernel. */
enum hostsim_emu_entry {
    HOSTSIM_EMU_SYSCALL = 1,    /* svc: detail = x7 */
    HOSTSIM_EMU_VM_FAULT,       /* an abort: detail = the address, esr */
    HOSTSIM_EMU_USER_EXCEPTION, /* undefined, brk, FP trap, WFI, ...: esr */
    HOSTSIM_EMU_INTERRUPT,      /* the budget ran out: the timer's tick; detail = the line */
};
struct hostsim_emu_step {
    enum hostsim_emu_entry kind;
    uint64_t pc;     /* the instruction that entered the kernel (the svc, the faulting one), or
                      * where the thread was preempted */
    uint64_t detail; /* see above */
    uint64_t esr;
};
/* The current thread (a puppet) runs AArch64 code in the emulator from its NextIP with its
 * registers until it enters the kernel, or until max_instructions have executed (then the timer
 * interrupt is taken, as when a tick falls there); the kernel handles that entry and exits, as it
 * would for a thread in a run. Pending interrupts are taken first. Returns what became of the
 * thread (HOSTSIM_OK: it is still current and running, HOSTSIM_BLOCKED, HOSTSIM_STOPPED,
 * HOSTSIM_IDLE when there was no current thread, HOSTSIM_HALTED). */
enum hostsim_status hostsim_emu_step_current(uint64_t max_instructions,
                                             struct hostsim_emu_step *out);

/* Counters since the process started (tests, benchmarks). */
struct hostsim_emu_stats {
    uint64_t instructions; /* user instructions executed */
    uint64_t clock;        /* the virtual clock: instructions + the cost of every entry */
    uint64_t entries;      /* kernel entries from emulated threads */
    uint64_t syscalls, vm_faults, user_exceptions, ticks;
    uint64_t refills; /* pages mapped into the emulator on a miss */
    uint64_t flushes; /* times every page was dropped (VSpace switch, ASID invalidation) */
};
void hostsim_emu_stats(struct hostsim_emu_stats *out);

#endif
