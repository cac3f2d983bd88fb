/* SPDX-License-Identifier: BSD-2-Clause */
/* VSpace, page table, frame and ASID invocations. Interim: they arrive with issue 3; until then each answers IllegalOperation. */
#include <kaal/objects.h>
#include <kaal/printf.h>

exception_t decode_arch_invocation(struct invocation_ctx *ctx)
{
    kuser_error("VSpace, page table, frame and ASID invocations are not implemented yet (label %lu)", (unsigned long)ctx->label);
    return syscall_error_illegal_operation(ctx);
}

void arch_finalise_cap(cap_t cap, bool final)
{
    /* Nothing is mapped dynamically yet: the VSpace issue unmaps frames and page tables and frees
     * ASIDs here (seL4's Arch_finaliseCap). */
    (void)cap;
    (void)final;
}
