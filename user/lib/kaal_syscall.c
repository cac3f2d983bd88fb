/* SPDX-License-Identifier: BSD-2-Clause */
/* The system call entry installed by the port's glue, and the debug system calls built on it. */
#include "kaal_syscall.h"

static kaal_syscall_fn syscall_entry;

void kaal_syscall_install(kaal_syscall_fn fn) { syscall_entry = fn; }

int kaal_syscall(seL4_Word regs[8])
{
    if (syscall_entry == 0) {
        return -1;
    }
    return syscall_entry(regs);
}

void kaal_debug_put_char(char c)
{
    seL4_Word regs[8] = {(seL4_Word)(unsigned char)c, 0, 0, 0, 0, 0, 0, (seL4_Word)seL4_SysDebugPutChar};
    (void)kaal_syscall(regs);
}

seL4_Word kaal_debug_cap_identify(seL4_CPtr cptr)
{
    seL4_Word regs[8] = {cptr, 0, 0, 0, 0, 0, 0, (seL4_Word)seL4_SysDebugCapIdentify};
    if (kaal_syscall(regs) != 0) {
        return 0;
    }
    return regs[0];
}
