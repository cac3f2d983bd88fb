/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread state changes, IPC-buffer lookup and activation (the mechanisms under TCBs). */
#ifndef KAAL_THREAD_H
#define KAAL_THREAD_H

#include <kaal/invocation.h>
#include <kaal/structures.h>

/* The thread's IPC buffer as a kernel pointer, or NULL when it has none usable: the buffer slot
 * must hold a non-device frame cap, read-write for a receiver, at least read-only for a sender. */
word_t *thread_lookup_ipc_buffer(struct tcb *thread, bool is_receiver);

static inline word_t thread_state_type(const struct tcb *t) { return thread_state_get_ts_type(t->state); }
void thread_set_state(struct tcb *t, word_t ts_type);

/* Make a Restart thread run again from its FaultIP (NextIP := FaultIP, state Running). */
void thread_activate(struct tcb *t);

/* Send, NBSend or Call on an endpoint, notification or reply cap (IPC layer). */
exception_t decode_ipc_invocation(struct invocation_ctx *ctx);

/* The thread has a pending fault in t->fault: deliver it to its handler (or stop it). */
void thread_handle_fault(struct tcb *t);

#endif
