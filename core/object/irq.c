/* SPDX-License-Identifier: BSD-2-Clause */
/* IRQControl invocations. Interim: they arrive with issue 4; until then each answers IllegalOperation. */
#include <kaal/objects.h>
#include <kaal/printf.h>

exception_t decode_irq_control_invocation(struct invocation_ctx *ctx)
{
    kuser_error("IRQControl invocations are not implemented yet (label %lu)", (unsigned long)ctx->label);
    return syscall_error_illegal_operation(ctx);
}

exception_t decode_irq_handler_invocation(struct invocation_ctx *ctx)
{
    kuser_error("IRQHandler invocations are not implemented yet (label %lu)", (unsigned long)ctx->label);
    return syscall_error_illegal_operation(ctx);
}
