/* SPDX-License-Identifier: BSD-2-Clause */
/* libkaal's port file for hostsim: the system call is a call into the hostsim trap function, and
 * TPIDR_EL0 is the port's emulated register. Everything else in libkaal is shared by the ports.
 * Installed as <kaal/arch/syscall.h>. */
#ifndef KAAL_ARCH_SYSCALL_H
#define KAAL_ARCH_SYSCALL_H

#include <kaal/abi/abi.h>

#define KAAL_ARCH_HOSTSIM 1

/* The trap function: regs[0..7] = x0..x7 on entry (x7 = the system call number); on return
 * regs[0..5] hold x0..x5 as the kernel left them. The hostsim start-up glue installs it before the
 * root task runs: hostsim_user_trap (a real user thread trapping into the kernel), or, where the
 * port has no user mode, a function that makes the call as the root thread (hostsim_root_syscall).
 * Defined in user/arch/hostsim/port.c. */
typedef void (*kaal_hostsim_trap_fn)(seL4_Word regs[8]);
extern kaal_hostsim_trap_fn kaal_hostsim_trap;
/* The same trap with x8 too (regs[8] = x8), for the calls that read it (MCS: NBSendRecv's
 * destination): hostsim_user_trap_x8 or the root-syscall shim's form of it. Until the glue installs
 * one, port.c's default passes x0..x7 to kaal_hostsim_trap (an installed kaal_syscall_fn entry,
 * which knows eight registers only, so the kernel sees x8 = 0 through it). */
typedef void (*kaal_hostsim_trap_x8_fn)(seL4_Word regs[9]);
extern kaal_hostsim_trap_x8_fn kaal_hostsim_trap_x8;

/* The thread's TPIDR_EL0. The glue points this at the port's emulated register (hostsim_tpidr_el0,
 * saved and restored per thread by the kernel); until then it is one word in port.c. */
extern seL4_Word *kaal_hostsim_tpidr_el0;

static inline void kaal_arch_syscall(seL4_Word sys, seL4_Word *a0, seL4_Word *a1, seL4_Word *a2,
                                     seL4_Word *a3, seL4_Word *a4, seL4_Word *a5)
{
    seL4_Word r[8] = {*a0, *a1, *a2, *a3, *a4, *a5, 0, sys};
    kaal_hostsim_trap(r);
    *a0 = r[0], *a1 = r[1], *a2 = r[2], *a3 = r[3], *a4 = r[4], *a5 = r[5];
}

/* The same with x6 and x8 as further inputs (MCS), through the trap that carries x8. */
static inline void kaal_arch_syscall_x6x8(seL4_Word sys, seL4_Word *a0, seL4_Word *a1,
                                          seL4_Word *a2, seL4_Word *a3, seL4_Word *a4,
                                          seL4_Word *a5, seL4_Word a6, seL4_Word a8)
{
    seL4_Word r[9] = {*a0, *a1, *a2, *a3, *a4, *a5, a6, sys, a8};
    kaal_hostsim_trap_x8(r);
    *a0 = r[0], *a1 = r[1], *a2 = r[2], *a3 = r[3], *a4 = r[4], *a5 = r[5];
}

static inline seL4_Word kaal_arch_get_tls_base(void) { return *kaal_hostsim_tpidr_el0; }
static inline void kaal_arch_set_tls_base(seL4_Word v) { *kaal_hostsim_tpidr_el0 = v; }

/* Host code has no AArch64 TLS: a thread's TPIDR_EL0 points at its TLS block, whose first word
 * is the IPC buffer pointer (struct kaal_tls in <kaal/sys.h>). */
static inline seL4_IPCBuffer **kaal_arch_ipc_buffer_slot(void)
{
    return (seL4_IPCBuffer **)(uintptr_t)*kaal_hostsim_tpidr_el0;
}

#endif
