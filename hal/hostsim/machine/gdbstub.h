/* SPDX-License-Identifier: BSD-2-Clause */
/* gdbstub.c's side of the emulated EL0 (emu_el0.c calls it from the engine's hooks). */
#ifndef HOSTSIM_GDBSTUB_H
#define HOSTSIM_GDBSTUB_H

#include <stdbool.h>
#include <stdint.h>

#include <unicorn/unicorn.h>

#include <kaal/types.h>

/* Signals a stop is reported with (gdb's numbers). */
#define GDB_SIGILL 4
#define GDB_SIGTRAP 5
#define GDB_SIGSEGV 11

/* Is gdb attached? (Read before every user instruction: one load when it is not.) */
extern bool gdbstub_active;

/* Before the user instruction at pc (emu_el0.c's code hook, gdb attached): is a breakpoint there,
 * or does a single step end here? */
bool gdbstub_wants_stop(uint64_t pc);

/* The emulated thread stopped at pc (before that instruction executes) with gdb's signal: tell
 * gdb, and serve its requests (registers of the engine uc, memory through the VSpace root,
 * breakpoints) until it continues or steps. Called from an engine hook. */
void gdbstub_stop(uc_engine *uc, paddr_t root, uint64_t pc, int signal);

#endif
