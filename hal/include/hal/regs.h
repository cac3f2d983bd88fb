/* SPDX-License-Identifier: BSD-2-Clause */
/* The saved user register file both ports keep per thread, in the kernel's internal order.
 * hostsim emulates the AArch64 register file so the ABI (x0-x7, FaultIP, NextIP) is identical. */
#ifndef HAL_REGS_H
#define HAL_REGS_H

#include <kaal/types.h>

enum user_reg {
    REG_X0 = 0, /* X0..X30 are 0..30 */
    REG_X1,
    REG_X2,
    REG_X3,
    REG_X4,
    REG_X5,
    REG_X6,
    REG_X7,
    REG_X8,
    REG_X9,
    REG_X10,
    REG_X11,
    REG_X12,
    REG_X13,
    REG_X14,
    REG_X15,
    REG_X16,
    REG_X17,
    REG_X18,
    REG_X19,
    REG_X20,
    REG_X21,
    REG_X22,
    REG_X23,
    REG_X24,
    REG_X25,
    REG_X26,
    REG_X27,
    REG_X28,
    REG_X29,
    REG_X30,
    REG_SP = 31,       /* SP_EL0 */
    REG_NEXT_IP = 32,  /* ELR_EL1: where the thread resumes */
    REG_SPSR = 33,     /* SPSR_EL1 */
    REG_FAULT_IP = 34, /* the address of the faulting instruction / the svc */
    REG_TPIDR = 35,    /* TPIDR_EL0 */
    REG_TPIDRRO = 36,  /* TPIDRRO_EL0 */
    N_USER_REGS = 37,
};

/* ABI register roles (docs/abi.md#registers). */
#define REG_CAP REG_X0
#define REG_BADGE REG_X0
#define REG_MSG_INFO REG_X1
#define REG_MR0 REG_X2
#define REG_SYSCALL REG_X7
/* MCS (docs/mcs.md): the reply object of Recv/ReplyRecv/NBSendRecv, and NBSendWait's destination
 * (seL4 replyRegister); NBSendRecv's destination (seL4 nbsendRecvDest). */
#define REG_REPLY REG_X6
#define REG_NBSEND_RECV_DEST REG_X8
#define N_MSG_REGISTERS 4

/* SPSR for a thread entering EL0: EL0t, FIQ masked (the debug-build value,
 * docs/abi.md#root-task-start). */
#define USER_SPSR_INITIAL 0x40ul

/* Who owns which PSTATE bits of a thread (the saved SPSR_EL1; docs/aarch64.md, "PSTATE").
 *
 * The kernel owns the mode (M[4:0]: EL0t, AArch64), the exception masks DAIF, IL, SS, PAN, UAO and
 * ALLINT: EL0 cannot change any of them (SCTLR_EL1.UMA is 0), so they hold USER_SPSR_INITIAL's
 * values whenever the thread is at EL0. Everything else belongs to the thread: NZCV, and on CPUs
 * that have them DIT (bit 24), TCO (25), SSBS (12) and BTYPE (11:10, left by a br/blr when an
 * interrupt lands before the branch target runs). The SPSR the CPU saved on an exception from EL0
 * is restored as it is (seL4 does the same); only values user code writes through
 * TCB_WriteRegisters and fault replies are sanitised, as seL4's sanitiseRegister does: NZCV kept,
 * every other bit set to USER_SPSR_INITIAL (docs/abi.md#invocation-semantics). TCB_CopyRegisters
 * copies a value that was
 * one or the other, unchanged (as seL4). A bit a future CPU adds is left alone. */
#define SPSR_KERNEL_OWNED 0x00f023dful  /* M[4:0], F, I, A, D, ALLINT, IL, SS, PAN, UAO */
#define SPSR_USER_WRITABLE 0xf0000000ul /* NZCV: what WriteRegisters and fault replies may set */
static inline word_t user_spsr_sanitise(word_t v)
{
    return (v & SPSR_USER_WRITABLE) | USER_SPSR_INITIAL;
}

#endif
