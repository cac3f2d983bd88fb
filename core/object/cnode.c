/* SPDX-License-Identifier: BSD-2-Clause */
/* CNode invocations (placeholder while the module is written; replaced in this issue). */
#include <kaal/objects.h>

exception_t decode_cnode_invocation(struct invocation_ctx *ctx) { return syscall_error_illegal_operation(ctx); }
