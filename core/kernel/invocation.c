/* SPDX-License-Identifier: BSD-2-Clause */
/* Writing invocation results (reading arguments is inline in <kaal/invocation.h>;
 * decode_invocation, the dispatch to the object decoders, is the hub's: core/object/objecttype.c).
 */
#include <kaal/invocation.h>
#include <kaal/objects.h>
#include <kaal/printf.h>
#include <kaal/thread.h>

word_t *inv_reply_buffer(struct invocation_ctx *ctx)
{
    if (!ctx->reply_buffer_known) {
        ctx->reply_buffer = thread_lookup_ipc_buffer(ctx->thread, true);
        ctx->reply_buffer_known = true;
    }
    return ctx->reply_buffer;
}

void inv_set_result(struct invocation_ctx *ctx, word_t i, word_t value)
{
    if (!ctx->is_call) {
        return; /* a Send gets no reply, so no results are written */
    }
    if (i < N_MSG_REGISTERS) {
        hal_reg_set(&ctx->thread->arch, REG_MR0 + i, value);
    } else if (i < seL4_MsgMaxLength && inv_reply_buffer(ctx) != NULL) {
        ctx->reply_buffer[KAAL_IPCBUF_MSG_WORD(i)] = value;
    } else {
        return; /* no room: the reply is truncated at the registers, as seL4's setMR does */
    }
    if (i + 1 > ctx->reply_length) {
        ctx->reply_length = i + 1;
    }
}
