/* SPDX-License-Identifier: BSD-2-Clause */
/* The IPC fastpath (core/kernel/fastpath.c; -Dfastpath, CONFIG_FASTPATH). */
#ifndef KAAL_FASTPATH_H
#define KAAL_FASTPATH_H

#include <kaal/types.h>

/* Called by kernel_handle_syscall (or a port's own entry) for Call / ReplyRecv by ks.cur_thread,
 * whose registers hold the system call, before the slowpath. Returns false, having changed
 * nothing, when the case is not the fastpath's; true when the system call is complete and
 * ks.cur_thread is the thread to resume (the scheduler has nothing to choose). */
bool fastpath_call(void);
bool fastpath_reply_recv(void);

#endif
