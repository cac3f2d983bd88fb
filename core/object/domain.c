/* SPDX-License-Identifier: BSD-2-Clause */
/* DomainSet invocations. Interim: they arrive with issue 4; until then each answers IllegalOperation. */
#include <kaal/objects.h>
#include <kaal/printf.h>

exception_t decode_domain_invocation(struct invocation_ctx *ctx)
{
    kuser_error("DomainSet invocations are not implemented yet (label %lu)", (unsigned long)ctx->label);
    return syscall_error_illegal_operation(ctx);
}
