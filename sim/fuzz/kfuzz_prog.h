/* SPDX-License-Identifier: BSD-2-Clause */
/* The fuzzer's program byte format, shared by the decoder (kfuzz.c) and the seed-corpus generator
 * (kfuzz_seed.c). docs/fuzzing.md describes it in prose. */
#ifndef KFUZZ_PROG_H
#define KFUZZ_PROG_H

#include <kaal/gen_config.h>

/* An operation starts with one byte; its range selects the kind (so that a mutated byte mostly
 * stays a valid operation). Encoders write the range's first value. */
#define KFUZZ_OP_INVOKE \
    0                    /* [0, 112): an invocation from the label table, arguments from the pool */
#define KFUZZ_OP_IPC 112 /* [112, 160): Send/NBSend/Call/Recv/NBRecv/Reply/ReplyRecv/Yield/... */
#define KFUZZ_OP_OBJECT 160  /* [160, 180): retype a useful object into the next free slot */
#define KFUZZ_OP_THREAD 180  /* [180, 192): retype a TCB, configure, set priority, resume */
#define KFUZZ_OP_TICK 192    /* [192, 204): timer ticks (MCS: the virtual clock advances) */
#define KFUZZ_OP_IRQ 204     /* [204, 214): raise an interrupt line */
#define KFUZZ_OP_FAULT 214   /* [214, 222): the current thread faults (AArch64 mode: runs code) */
#define KFUZZ_OP_PREEMPT 222 /* [222, 226): force preemption of long operations every n checks */
#define KFUZZ_OP_DEBUG 226   /* [226, 236): debug system calls (not DebugHalt) */
#define KFUZZ_OP_RAW 236     /* [236, 244): a system call with raw registers */
#define KFUZZ_OP_MAP 244     /* [244, 256): map three page tables and a frame at one address */

/* AArch64 mode's code operation (KFUZZ_OP_FAULT's range with kfuzz_config.aarch64): a byte h
 * (1 + h % 8 instructions), one byte per instruction (an insn choice below, or KFUZZ_RAW and four
 * bytes of a raw word), x0-x6 (one byte each: < 0x80 a full slot's cptr, KFUZZ_RAW 8 bytes, else
 * the byte), x7 (k: -(1 + k % 16), KFUZZ_RAW: 8 bytes), NZCV (low 4 bits), where (p: the root
 * image's last page + 4 * (p % 64); KFUZZ_RAW: an 8-byte address) and the budget (1 + b % 32
 * instructions before the timer's tick). */
enum kfuzz_insn {
    KFUZZ_INSN_SVC,
    KFUZZ_INSN_BRK,
    KFUZZ_INSN_UDF,
    KFUZZ_INSN_NOP,
    KFUZZ_INSN_WFI,
    KFUZZ_INSN_LDR_X0_X1,
    KFUZZ_INSN_STR_X0_X1,
    KFUZZ_INSN_LDR_X2_SP,
    KFUZZ_INSN_PUSH_X2,
    KFUZZ_INSN_ADD_X0_1,
    KFUZZ_INSN_SUBS_X0_1,
    KFUZZ_INSN_CMP_X0_X1,
    KFUZZ_INSN_X7_CALL,
    KFUZZ_INSN_X7_SEND,
    KFUZZ_INSN_X7_RECV,
    KFUZZ_INSN_X7_YIELD,
    KFUZZ_INSN_X7_NBRECV,
    KFUZZ_INSN_MSR_TPIDR,
    KFUZZ_INSN_MRS_TPIDRRO,
    KFUZZ_INSN_MSR_TPIDRRO,
    KFUZZ_INSN_FMOV_D0_X0,
    KFUZZ_INSN_MRS_CTR,
    KFUZZ_INSN_MSR_SCTLR_EL1,
    KFUZZ_INSN_ERET,
    KFUZZ_INSN_LOOP,
    KFUZZ_INSN_BNE_BACK,
    KFUZZ_INSN_BLR_X1,
    KFUZZ_INSN_RET,
    KFUZZ_INSN_LDXR_X0_X1,
    KFUZZ_INSN_HVC,
    KFUZZ_N_INSNS
};

/* A capability choice byte: c < 0x80 the c-th cap of the wanted kind counting from the lowest
 * slot, [0x80, 0xe0) the (c - 0x80)-th counting from the highest (0x80: the newest); 0xe0..0xef the
 * next byte as a pool slot; 0xf0..0xfe the next byte as any full slot; 0xff the next 8 bytes. */
#define KFUZZ_CAP_NEWEST 0x80
#define KFUZZ_CAP_SLOT 0xe0
#define KFUZZ_RAW 0xff

/* An empty-slot choice byte: e < 0xe0 the e-th empty slot (lowest first); else a raw byte index
 * (0xff: 8 raw bytes). A depth byte: < 0xe0 the right depth for its CNode; else the next byte. A
 * value byte: < 0xf0 a typical value for the argument; 0xf0..0xfe the small number b - 0xf0;
 * 0xff the next 8 bytes as a word. */
#define KFUZZ_VALUE_SMALL 0xf0

/* The byte after an invocation: below KFUZZ_MUT_NONE_END a clean Call; then one corruption. */
#define KFUZZ_MUT_NONE_END 200
#define KFUZZ_MUT_WORD 200   /* [200, 220): the word (b % 8) becomes the next 8 bytes */
#define KFUZZ_MUT_LENGTH 220 /* [220, 230): the message length becomes the next byte % 128 */
#define KFUZZ_MUT_NCAPS 230  /* [230, 240): the extra-cap count becomes b % 4 */
#define KFUZZ_MUT_SEND 240   /* [240, 248): sent with Send, not Call */
#define KFUZZ_MUT_NBSEND 248 /* [248, 256): sent with NBSend */

/* IPC operation sub-byte s: (s % KFUZZ_IPC_NTFN) % KFUZZ_IPC_KINDS is the system call,
 * (s / KFUZZ_IPC_NTFN) % 2 picks endpoint or notification (base: s % 8 and (s / 8) % 2). Under
 * MCS, Reply is a Send on a reply object, the receiving calls name a reply object (x6), and the
 * MCS-only calls follow. */
enum kfuzz_ipc {
    KFUZZ_IPC_SEND,
    KFUZZ_IPC_NBSEND,
    KFUZZ_IPC_CALL,
    KFUZZ_IPC_RECV,
    KFUZZ_IPC_NBRECV,
    KFUZZ_IPC_REPLY,
    KFUZZ_IPC_REPLYRECV,
    KFUZZ_IPC_YIELD,
#ifdef CONFIG_KERNEL_MCS
    KFUZZ_IPC_NBSENDRECV,
    KFUZZ_IPC_NBSENDWAIT,
    KFUZZ_IPC_WAIT,
    KFUZZ_IPC_NBWAIT,
#endif
    KFUZZ_IPC_KINDS
};
#ifdef CONFIG_KERNEL_MCS
#define KFUZZ_IPC_NTFN 16
#else
#define KFUZZ_IPC_NTFN 8
#endif

/* Object macro: the type byte indexes this table (MCS adds scheduling contexts and replies). */
#ifdef CONFIG_KERNEL_MCS
#define KFUZZ_OBJECT_TYPES 14
#else
#define KFUZZ_OBJECT_TYPES 11
#endif

#endif
