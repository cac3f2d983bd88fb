/* SPDX-License-Identifier: BSD-2-Clause */
/* The user-visible error layer: one-line helpers that fill the invocation context, and the
 * encoding of an error and of a lookup failure as message words (docs/abi.md#errors, #faults). */
#include <kaal/invocation.h>

/* Only the type is set here: syscall_error_words reads just the fields of the error's type, and
 * each helper below sets those (no need to clear the whole struct first). */
static exception_t set_error(struct invocation_ctx *ctx, word_t type)
{
    ctx->err.type = type;
    return EXCEPTION_SYSCALL_ERROR;
}

exception_t syscall_error_invalid_argument(struct invocation_ctx *ctx, word_t argument)
{
    set_error(ctx, seL4_InvalidArgument);
    ctx->err.invalid_argument = argument;
    return EXCEPTION_SYSCALL_ERROR;
}

exception_t syscall_error_invalid_capability(struct invocation_ctx *ctx, word_t cap_number)
{
    set_error(ctx, seL4_InvalidCapability);
    ctx->err.invalid_capability = cap_number;
    return EXCEPTION_SYSCALL_ERROR;
}

exception_t syscall_error_illegal_operation(struct invocation_ctx *ctx)
{
    return set_error(ctx, seL4_IllegalOperation);
}

exception_t syscall_error_range(struct invocation_ctx *ctx, word_t min, word_t max)
{
    set_error(ctx, seL4_RangeError);
    ctx->err.range_min = min;
    ctx->err.range_max = max;
    return EXCEPTION_SYSCALL_ERROR;
}

exception_t syscall_error_alignment(struct invocation_ctx *ctx)
{
    return set_error(ctx, seL4_AlignmentError);
}

exception_t syscall_error_failed_lookup(struct invocation_ctx *ctx, bool source,
                                        const struct lookup_fault *lf)
{
    set_error(ctx, seL4_FailedLookup);
    ctx->err.failed_lookup_source = source;
    ctx->err.lookup = *lf;
    return EXCEPTION_SYSCALL_ERROR;
}

exception_t syscall_error_truncated_message(struct invocation_ctx *ctx)
{
    return set_error(ctx, seL4_TruncatedMessage);
}

exception_t syscall_error_delete_first(struct invocation_ctx *ctx)
{
    return set_error(ctx, seL4_DeleteFirst);
}

exception_t syscall_error_revoke_first(struct invocation_ctx *ctx)
{
    return set_error(ctx, seL4_RevokeFirst);
}

exception_t syscall_error_not_enough_memory(struct invocation_ctx *ctx, word_t bytes_left)
{
    set_error(ctx, seL4_NotEnoughMemory);
    ctx->err.memory_left = bytes_left;
    return EXCEPTION_SYSCALL_ERROR;
}

word_t lookup_fault_words(const struct lookup_fault *lf, word_t mrs[4])
{
    mrs[0] = lf->type;
    switch (lf->type) {
    case seL4_InvalidRoot:
        return 1;
    case seL4_MissingCapability:
        mrs[1] = lf->bits_left;
        return 2;
    case seL4_DepthMismatch:
        mrs[1] = lf->bits_left;
        mrs[2] = lf->bits_found;
        return 3;
    case seL4_GuardMismatch:
        mrs[1] = lf->bits_left;
        mrs[2] = lf->guard_found;
        mrs[3] = lf->bits_found;
        return 4;
    default:
        kpanic("lookup fault of unknown type");
    }
}

word_t syscall_error_words(const struct syscall_error *err, word_t mrs[5])
{
    switch (err->type) {
    case seL4_InvalidArgument:
        mrs[0] = err->invalid_argument;
        return 1;
    case seL4_InvalidCapability:
        mrs[0] = err->invalid_capability;
        return 1;
    case seL4_RangeError:
        mrs[0] = err->range_min;
        mrs[1] = err->range_max;
        return 2;
    case seL4_FailedLookup:
        mrs[0] = err->failed_lookup_source ? 1 : 0;
        return 1 + lookup_fault_words(&err->lookup, &mrs[1]);
    case seL4_NotEnoughMemory:
        mrs[0] = err->memory_left;
        return 1;
    case seL4_IllegalOperation:
    case seL4_AlignmentError:
    case seL4_TruncatedMessage:
    case seL4_DeleteFirst:
    case seL4_RevokeFirst:
        return 0;
    default:
        kpanic("syscall error of unknown type");
    }
}
