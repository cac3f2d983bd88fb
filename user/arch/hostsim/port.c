/* SPDX-License-Identifier: BSD-2-Clause */
/* libkaal on hostsim: the trap function pointer, the TPIDR_EL0 it reads, TLS set-up, and the old
 * kaal_syscall_install() entry that sim/kaal-sim.c uses. No hostsim API here: the glue that
 * boots the machine (root.c) installs the port's functions. */
#include <kaal/start.h>
#include <kaal/sys.h>

#include "kaal_syscall.h"

static void no_trap(seL4_Word regs[8]) { (void)regs; /* no kernel to enter: registers unchanged */ }

kaal_hostsim_trap_fn kaal_hostsim_trap = no_trap;

static void trap_without_x8(seL4_Word regs[9]) { kaal_hostsim_trap(regs); }

kaal_hostsim_trap_x8_fn kaal_hostsim_trap_x8 = trap_without_x8;

static seL4_Word own_tpidr_el0;
seL4_Word *kaal_hostsim_tpidr_el0 = &own_tpidr_el0;

void kaal_tls_init(void *tls, seL4_IPCBuffer *ipc_buffer)
{
    seL4_IPCBuffer **slot = tls; /* the block's first word is the IPC buffer pointer */
    *slot = ipc_buffer;
    kaal_arch_set_tls_base((seL4_Word)(uintptr_t)tls);
}

/* --- the first user library's entry, kept for sim/kaal-sim.c --- */
static kaal_syscall_fn installed;

static void installed_trap(seL4_Word regs[8]) { (void)installed(regs); }

void kaal_syscall_install(kaal_syscall_fn fn)
{
    installed = fn;
    kaal_hostsim_trap = fn ? installed_trap : no_trap;
}

int kaal_syscall(seL4_Word regs[8]) { return installed ? installed(regs) : -1; }

void kaal_debug_put_char(char c) { sys_debug_put_char(c); }

seL4_Word kaal_debug_cap_identify(seL4_CPtr cptr) { return sys_debug_cap_identify(cptr); }
