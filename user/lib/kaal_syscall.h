/* SPDX-License-Identifier: BSD-2-Clause */
/* The one way user code in this tree enters the kernel for now: x0..x7 in and out, exactly as `svc #0`. */
#ifndef KAAL_USER_SYSCALL_H
#define KAAL_USER_SYSCALL_H

#include <kaal/abi/abi.h>

/* A system call as the hardware takes it: regs[0..7] are x0..x7 on entry (x7 = the system call
 * number) and hold x0..x7 afterwards. Returns 0 when the call returned to the thread, non-zero when
 * the thread cannot continue (it faulted, or the kernel halted).
 *
 * On hostsim the simulator installs a function that enters the simulated kernel as the root thread
 * (hostsim_root_syscall). The aarch64 port's libkaal (a later issue) replaces this with `svc #0`. */
typedef int (*kaal_syscall_fn)(seL4_Word regs[8]);

/* Install the system call entry. Called once by the port's start-up glue, before any call. */
void kaal_syscall_install(kaal_syscall_fn fn);

/* Make one system call (see kaal_syscall_fn). Returns non-zero if no entry is installed. */
int kaal_syscall(seL4_Word regs[8]);

/* seL4_DebugPutChar: print one character on the kernel console. */
void kaal_debug_put_char(char c);

/* seL4_DebugCapIdentify: the cap type tag (ABI sheet §13.3) of the cap cptr names in the caller's
 * CSpace at depth 64; 0 (null) if the slot is empty or the lookup fails. */
seL4_Word kaal_debug_cap_identify(seL4_CPtr cptr);

#endif
