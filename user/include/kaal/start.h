/* SPDX-License-Identifier: BSD-2-Clause */
/* libkaal: how a root task starts. The port's start-up code (aarch64: user/arch/aarch64/crt0.S and
 * start.c; hostsim: the glue in user/arch/hostsim/) sets up a stack, the thread's TLS block and
 * its IPC buffer pointer (bootinfo->ipcBuffer), records the bootinfo (kaal_bootinfo()), and calls
 * kaal_root_main(bi). When it returns, the root thread suspends itself (aarch64) or its run ends
 * (hostsim) with that status. */
#ifndef KAAL_START_H
#define KAAL_START_H

#include <kaal/sys_types.h>

/* Provided by the root task. */
int kaal_root_main(const seL4_BootInfo *bi);

/* The status kaal_root_main returned (valid after it returned; -1 before). */
int kaal_root_status(void);
/* For start-up code: record it. */
void kaal_set_root_status(int status);

/* Non-zero when the root task runs as a user thread whose memory is its VSpace (aarch64; hostsim
 * with its user mode), so it can touch the pages it maps. Zero when hostsim runs it as host code
 * that makes the root thread's system calls (the root-syscall shim): pointers such as
 * bootinfo->ipcBuffer are then user addresses it cannot dereference. */
int kaal_root_user_mode(void);
void kaal_set_root_user_mode(int user_mode);

/* Set up the calling thread's TLS for the library: tls points at a block of at least
 * KAAL_TLS_BLOCK_SIZE bytes, 16-byte aligned; TPIDR_EL0 is set to it and the IPC buffer pointer
 * to ipc_buffer. Root-task start-up does this already; new threads call it first thing. */
#define KAAL_TLS_BLOCK_SIZE 256
void kaal_tls_init(void *tls, seL4_IPCBuffer *ipc_buffer);

#endif
