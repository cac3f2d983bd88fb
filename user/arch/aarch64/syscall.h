/* SPDX-License-Identifier: BSD-2-Clause */
/* libkaal's port file for aarch64: the system call instruction and the TLS slot of the IPC buffer
 * pointer. Everything else in libkaal is shared by the ports. Installed as <kaal/arch/syscall.h>.
 */
#ifndef KAAL_ARCH_SYSCALL_H
#define KAAL_ARCH_SYSCALL_H

#include <kaal/abi/abi.h>

#define KAAL_ARCH_AARCH64 1

/* `svc #0` with x7 = sys and x0..x5 in and out (docs/abi.md#registers: the kernel writes only
 * x0..x5 and preserves every other register, so only those are outputs; "memory" because the kernel
 * reads and writes the IPC buffer). */
static inline void kaal_arch_syscall(seL4_Word sys, seL4_Word *a0, seL4_Word *a1, seL4_Word *a2,
                                     seL4_Word *a3, seL4_Word *a4, seL4_Word *a5)
{
    register seL4_Word x0 __asm__("x0") = *a0;
    register seL4_Word x1 __asm__("x1") = *a1;
    register seL4_Word x2 __asm__("x2") = *a2;
    register seL4_Word x3 __asm__("x3") = *a3;
    register seL4_Word x4 __asm__("x4") = *a4;
    register seL4_Word x5 __asm__("x5") = *a5;
    register seL4_Word x7 __asm__("x7") = sys;
    __asm__ volatile("svc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
                     : "r"(x7)
                     : "memory");
    *a0 = x0, *a1 = x1, *a2 = x2, *a3 = x3, *a4 = x4, *a5 = x5;
}

/* The same with x6 and x8 as further inputs (MCS: the reply object, NBSendWait's and
 * NBSendRecv's destinations; docs/abi.md#how-each-call-uses-the-registers). */
static inline void kaal_arch_syscall_x6x8(seL4_Word sys, seL4_Word *a0, seL4_Word *a1,
                                          seL4_Word *a2, seL4_Word *a3, seL4_Word *a4,
                                          seL4_Word *a5, seL4_Word a6, seL4_Word a8)
{
    register seL4_Word x0 __asm__("x0") = *a0;
    register seL4_Word x1 __asm__("x1") = *a1;
    register seL4_Word x2 __asm__("x2") = *a2;
    register seL4_Word x3 __asm__("x3") = *a3;
    register seL4_Word x4 __asm__("x4") = *a4;
    register seL4_Word x5 __asm__("x5") = *a5;
    register seL4_Word x6 __asm__("x6") = a6;
    register seL4_Word x7 __asm__("x7") = sys;
    register seL4_Word x8 __asm__("x8") = a8;
    __asm__ volatile("svc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
                     : "r"(x6), "r"(x7), "r"(x8)
                     : "memory");
    *a0 = x0, *a1 = x1, *a2 = x2, *a3 = x3, *a4 = x4, *a5 = x5;
}

/* The IPC buffer pointer is a `__thread` variable, as libsel4's __sel4_ipc_buffer: the compiler
 * reaches it through TPIDR_EL0, which crt0 (user/arch/aarch64/start.c) points at the thread's
 * TLS block ("TLS above TP", 16-byte TCB gap, docs/abi.md#tls-fpu-and-system-registers). */
extern __thread seL4_IPCBuffer *__sel4_ipc_buffer;
static inline seL4_IPCBuffer **kaal_arch_ipc_buffer_slot(void) { return &__sel4_ipc_buffer; }

/* TPIDR_EL0: EL0 reads and writes it directly (no SetTLSBase system call on AArch64). */
static inline seL4_Word kaal_arch_get_tls_base(void)
{
    seL4_Word v;
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(v));
    return v;
}
static inline void kaal_arch_set_tls_base(seL4_Word v)
{
    __asm__ volatile("msr tpidr_el0, %0" : : "r"(v));
}

#endif
