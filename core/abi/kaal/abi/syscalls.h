/* SPDX-License-Identifier: BSD-2-Clause */
/* System call numbers (x7), non-MCS numbering of libsel4 >= 16.0.0 (docs/abi.md#system-calls). One
 * table: X(name, number). */
#ifndef KAAL_ABI_SYSCALLS_H
#define KAAL_ABI_SYSCALLS_H

#define KAAL_SYSCALL_TABLE(X)  \
    X(Call, -1)                \
    X(ReplyRecv, -2)           \
    X(Send, -3)                \
    X(NBSend, -4)              \
    X(Recv, -5)                \
    X(Reply, -6)               \
    X(Yield, -7)               \
    X(NBRecv, -8)              \
    X(DebugPutChar, -9)        \
    X(DebugDumpScheduler, -10) \
    X(DebugHalt, -11)          \
    X(DebugCapIdentify, -12)   \
    X(DebugSnapshot, -13)      \
    X(DebugNameThread, -14)

typedef enum {
#define KAAL_SYSCALL_ENUM(name, num) seL4_Sys##name = (num),
    KAAL_SYSCALL_TABLE(KAAL_SYSCALL_ENUM)
#undef KAAL_SYSCALL_ENUM
} seL4_Syscall_ID;

/* The fast range check: numbers in [SYSCALL_MIN, SYSCALL_MAX] are the API syscalls. */
#define KAAL_SYSCALL_API_MIN (-8)
#define KAAL_SYSCALL_API_MAX (-1)

#endif
