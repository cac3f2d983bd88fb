/* SPDX-License-Identifier: BSD-2-Clause */
/* The context of one invocation: who invoked what with which words and extra caps, and where
 * its error goes. Decoders read arguments through it and report errors with one-line helpers. */
#ifndef KAAL_INVOCATION_H
#define KAAL_INVOCATION_H

#include <kaal/errors.h>
#include <kaal/structures.h>

struct invocation_ctx {
    /* Set by the syscall layer before decode. */
    struct tcb *thread; /* the invoker */
    word_t label;       /* message label */
    word_t length;      /* message length in words (already clamped to seL4_MsgMaxLength, and to the
                         * registers when there is no buffer) */
    word_t *ipc_buffer; /* invoker's IPC buffer (sender view) to read arguments and extra cap
                         * addresses from; looked up only when the message needs it (length >
                         * N_MSG_REGISTERS or extra caps), else NULL */
    cte_t *slot;        /* slot of the invoked cap */
    cap_t cap;          /* the invoked cap */
    word_t nextra;      /* extra caps found (<= 3) */
    cte_t *extra_slots[seL4_MsgMaxExtraCaps]; /* [0, nextra) are set; decoders check nextra first */
    cap_t extra_caps[seL4_MsgMaxExtraCaps];   /* [0, nextra) are set */
    bool is_call;                             /* Call (a reply is expected) or Send */
    bool is_blocking;                         /* Send/Call block; NBSend does not */
#ifdef CONFIG_KERNEL_MCS
    bool can_donate;  /* MCS: the send may donate the invoker's SC (Call, NBSendRecv, ...) */
    bool first_phase; /* MCS: the send half of ReplyRecv/NBSendRecv/NBSendWait (docs/abi.md) */
#endif
    bool reply_buffer_known; /* reply_buffer has been looked up (inv_reply_buffer) */
    word_t
        *reply_buffer; /* where kernel reply words beyond the registers go: the buffer only if it is
                        * writable (receiver view, as seL4's replies), else NULL and replies stop at
                        * the registers. Looked up when first needed: use inv_reply_buffer() */

    /* Filled by decode/perform. */
    struct syscall_error err; /* valid when EXCEPTION_SYSCALL_ERROR is returned */
    word_t reply_length;      /* success reply words (results) written with inv_set_result() */
};

/* Message register i of the invocation: x2..x5 for i < 4, the IPC buffer beyond. Inline: with the
 * constant index of INV_WORD it is one load. */
static inline word_t inv_arg(const struct invocation_ctx *ctx, word_t i)
{
    if (i < N_MSG_REGISTERS) {
        return hal_reg_get(&ctx->thread->arch, REG_MR0 + i);
    }
    /* Decoders check the length first; the syscall layer looks the buffer up whenever the length
     * exceeds the registers and clamps the length to them when there is no IPC buffer, so this
     * never reads a missing buffer for a valid index. */
    kassert(ctx->ipc_buffer != NULL);
    return ctx->ipc_buffer[KAAL_IPCBUF_MSG_WORD(i)];
}
/* The invoker's buffer for reply words beyond the registers (writable view), or NULL; looked up
 * once. */
word_t *inv_reply_buffer(struct invocation_ctx *ctx);
/* Write result word i of a successful invocation's reply and grow reply_length to cover it. */
void inv_set_result(struct invocation_ctx *ctx, word_t i, word_t value);

/* Argument helpers from the generated positions: the kernel reads whole words (as seL4 does);
 * INV_BITS extracts a sub-word field (Bool, Uint8 sharing a word). */
#define INV_WORD(ctx, inv, arg) inv_arg((ctx), KAAL_ARG_##inv##_##arg##_WORD)
#define INV_BITS(ctx, inv, arg)                                                        \
    ((inv_arg((ctx), KAAL_ARG_##inv##_##arg##_WORD) >> KAAL_ARG_##inv##_##arg##_BIT) & \
     MASK(KAAL_ARG_##inv##_##arg##_WIDTH))
/* True when the message is too short for invocation inv. */
#define INV_TRUNCATED(ctx, inv) \
    ((ctx)->length < KAAL_INV_##inv##_LEN || (ctx)->nextra < KAAL_INV_##inv##_NCAPS)

/* One-line error helpers: fill ctx->err and return EXCEPTION_SYSCALL_ERROR. */
exception_t syscall_error_invalid_argument(struct invocation_ctx *ctx, word_t argument);
exception_t syscall_error_invalid_capability(struct invocation_ctx *ctx, word_t cap_number);
exception_t syscall_error_illegal_operation(struct invocation_ctx *ctx);
exception_t syscall_error_range(struct invocation_ctx *ctx, word_t min, word_t max);
exception_t syscall_error_alignment(struct invocation_ctx *ctx);
exception_t syscall_error_failed_lookup(struct invocation_ctx *ctx, bool source,
                                        const struct lookup_fault *lf);
exception_t syscall_error_truncated_message(struct invocation_ctx *ctx);
exception_t syscall_error_delete_first(struct invocation_ctx *ctx);
exception_t syscall_error_revoke_first(struct invocation_ctx *ctx);
exception_t syscall_error_not_enough_memory(struct invocation_ctx *ctx, word_t bytes_left);

#endif
