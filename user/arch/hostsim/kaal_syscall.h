/* SPDX-License-Identifier: BSD-2-Clause */
/* The first user library's system call entry, kept for sim/kaal-sim.c (hostsim only). New code uses
 * <kaal/sys.h>; on hostsim this entry is one way to install the trap that libkaal calls. */
#ifndef KAAL_USER_SYSCALL_H
#define KAAL_USER_SYSCALL_H

#include <kaal/abi/abi.h>

/* A system call as the hardware takes it: regs[0..7] are x0..x7 on entry (x7 = the system call
 * number) and hold x0..x7 afterwards. Returns 0 when the call returned to the thread, non-zero when
 * the thread cannot continue (it faulted, or the kernel halted).
 *
 * The simulator installs a function that enters the simulated kernel as the root thread
 * (hostsim_root_syscall); libkaal's sys_* calls then go through it too (user/arch/hostsim/port.c).
 */
typedef int (*kaal_syscall_fn)(seL4_Word regs[8]);

/* Install the system call entry. Called once by the port's start-up glue, before any call. */
void kaal_syscall_install(kaal_syscall_fn fn);

/* Make one system call (see kaal_syscall_fn). Returns non-zero if no entry is installed. */
int kaal_syscall(seL4_Word regs[8]);

/* seL4_DebugPutChar: print one character on the kernel console. */
void kaal_debug_put_char(char c);

/* seL4_DebugCapIdentify: the cap type tag (docs/abi.md#cap-types) of the cap cptr names in the
 * caller's CSpace at depth 64; 0 (null) if the slot is empty or the lookup fails. */
seL4_Word kaal_debug_cap_identify(seL4_CPtr cptr);

#endif
