/* SPDX-License-Identifier: BSD-2-Clause */
/* The fuzzer's program byte format, shared by the decoder (kfuzz.c) and the seed-corpus generator
 * (kfuzz_seed.c). docs/fuzzing.md describes it in prose. */
#ifndef KFUZZ_PROG_H
#define KFUZZ_PROG_H

/* An operation starts with one byte; its range selects the kind (so that a mutated byte mostly
 * stays a valid operation). Encoders write the range's first value. */
#define KFUZZ_OP_INVOKE \
    0                    /* [0, 112): an invocation from the label table, arguments from the pool */
#define KFUZZ_OP_IPC 112 /* [112, 160): Send/NBSend/Call/Recv/NBRecv/Reply/ReplyRecv/Yield */
#define KFUZZ_OP_OBJECT 160  /* [160, 180): retype a useful object into the next free slot */
#define KFUZZ_OP_THREAD 180  /* [180, 192): retype a TCB, configure, set priority, resume */
#define KFUZZ_OP_TICK 192    /* [192, 204): timer ticks */
#define KFUZZ_OP_IRQ 204     /* [204, 214): raise an interrupt line */
#define KFUZZ_OP_FAULT 214   /* [214, 222): the current thread faults */
#define KFUZZ_OP_PREEMPT 222 /* [222, 226): force preemption of long operations every n checks */
#define KFUZZ_OP_DEBUG 226   /* [226, 236): debug system calls (not DebugHalt) */
#define KFUZZ_OP_RAW 236     /* [236, 244): a system call with raw registers */
#define KFUZZ_OP_MAP 244     /* [244, 256): map three page tables and a frame at one address */

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

/* IPC operation sub-byte: s % 8 is the system call, (s / 8) % 2 picks endpoint or notification. */
enum kfuzz_ipc {
    KFUZZ_IPC_SEND,
    KFUZZ_IPC_NBSEND,
    KFUZZ_IPC_CALL,
    KFUZZ_IPC_RECV,
    KFUZZ_IPC_NBRECV,
    KFUZZ_IPC_REPLY,
    KFUZZ_IPC_REPLYRECV,
    KFUZZ_IPC_YIELD
};

/* Object macro: the type byte indexes this table. */
#define KFUZZ_OBJECT_TYPES 11

#endif
