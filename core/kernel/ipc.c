/* SPDX-License-Identifier: BSD-2-Clause */
/* IPC: Send/Call/Recv/Reply on endpoints, notifications and reply caps, and message transfer. */
#include <kaal/printf.h>
#include <kaal/thread.h>

exception_t decode_ipc_invocation(struct invocation_ctx *ctx)
{
    /* Endpoint, notification and reply IPC arrive with the threads/IPC work (issue 4). Until then
     * the kernel answers with an error instead of pretending to deliver. */
    kuser_error("IPC on endpoint/notification/reply caps is not implemented yet");
    return syscall_error_illegal_operation(ctx);
}
