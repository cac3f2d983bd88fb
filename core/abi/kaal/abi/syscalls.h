/* SPDX-License-Identifier: BSD-2-Clause */
/* System call numbers (x7) of libsel4 >= 16.0.0 on AArch64, one table per configuration
 * (docs/abi.md#system-calls): X(name, number). The base table is seL4's non-MCS list, the MCS table
 * its MCS list (CONFIG_KERNEL_MCS); KAAL_SYSCALL_TABLE is the one this build speaks. */
#ifndef KAAL_ABI_SYSCALLS_H
#define KAAL_ABI_SYSCALLS_H

#include <kaal/gen_config.h>

#define KAAL_SYSCALL_TABLE_BASE(X) \
    X(Call, -1)                    \
    X(ReplyRecv, -2)               \
    X(Send, -3)                    \
    X(NBSend, -4)                  \
    X(Recv, -5)                    \
    X(Reply, -6)                   \
    X(Yield, -7)                   \
    X(NBRecv, -8)                  \
    X(DebugPutChar, -9)            \
    X(DebugDumpScheduler, -10)     \
    X(DebugHalt, -11)              \
    X(DebugCapIdentify, -12)       \
    X(DebugSnapshot, -13)          \
    X(DebugNameThread, -14)

#define KAAL_SYSCALL_TABLE_MCS(X) \
    X(Call, -1)                   \
    X(ReplyRecv, -2)              \
    X(NBSendRecv, -3)             \
    X(NBSendWait, -4)             \
    X(Send, -5)                   \
    X(NBSend, -6)                 \
    X(Recv, -7)                   \
    X(NBRecv, -8)                 \
    X(Wait, -9)                   \
    X(NBWait, -10)                \
    X(Yield, -11)                 \
    X(DebugPutChar, -12)          \
    X(DebugDumpScheduler, -13)    \
    X(DebugHalt, -14)             \
    X(DebugCapIdentify, -15)      \
    X(DebugSnapshot, -16)         \
    X(DebugNameThread, -17)

#ifdef CONFIG_KERNEL_MCS
#define KAAL_SYSCALL_TABLE(X) KAAL_SYSCALL_TABLE_MCS(X)
/* The fast range check: numbers in [SYSCALL_MIN, SYSCALL_MAX] are the API syscalls. */
#define KAAL_SYSCALL_API_MIN (-11)
#else
#define KAAL_SYSCALL_TABLE(X) KAAL_SYSCALL_TABLE_BASE(X)
#define KAAL_SYSCALL_API_MIN (-8)
#endif
#define KAAL_SYSCALL_API_MAX (-1)

typedef enum {
#define KAAL_SYSCALL_ENUM(name, num) seL4_Sys##name = (num),
    KAAL_SYSCALL_TABLE(KAAL_SYSCALL_ENUM)
#undef KAAL_SYSCALL_ENUM
} seL4_Syscall_ID;

#endif
