/* SPDX-License-Identifier: BSD-2-Clause */
/* The invariant checker's view of MCS reply objects and call stacks (invariants_internal.h): which
 * thread holds which reply object, and that every call stack is a well-linked list whose reply
 * objects all have their callers blocked on them (docs/mcs.md#invariants). */
#include "invariants_internal.h"

#if defined(CONFIG_KERNEL_INVARIANTS) && defined(CONFIG_KERNEL_MCS)
#include <kaal/invariants.h>
#include <kaal/kernel.h>
#include <kaal/printf.h>
#include <kaal/thread.h>

static char *why_buf;
static size_t why_size;

static bool fail(const char *fmt, unsigned long a, unsigned long b, unsigned long c)
{
    if (why_buf != NULL && why_size > 0) {
        ksnprintf(why_buf, why_size, fmt, a, b, c);
    }
    return false;
}

/* A pointer the checker may follow: an object of 2^bits bytes in RAM, aligned. */
static bool object_ok(const void *p, word_t bits)
{
    paddr_t pa = VTOP(p);
    return IS_ALIGNED(pa, bits) && hal_phys_is_ram(pa, BIT(bits));
}

static unsigned long pa_of(const void *p) { return p != NULL ? VTOP(p) : 0; }

/* Is r the reply object of a live thread blocked on it (a caller)? */
static bool has_caller(const struct reply *r)
{
    const struct tcb *c = r->tcb;
    return c != NULL && kernel_invariants_thread_is_live(VTOP(c)) && c->reply == r &&
           thread_state_type(c) == ThreadState_BlockedOnReply;
}

/* Thread t's reply object: only a receiver or a caller holds one, every caller holds one, it
 * names t back; a receiver's is on no stack; a caller's agrees with its neighbours on the stack
 * (next/prev both ways, the newest one and its SC both ways) and the neighbours have callers. */
static bool check_thread_reply(const struct tcb *t)
{
    paddr_t pa = VTOP(t);
    word_t ts = thread_state_type(t);
    const struct reply *r = t->reply;
    if (r == NULL) {
        if (ts == ThreadState_BlockedOnReply) {
            return fail("TCB %lx is blocked on reply but holds no reply object", pa, 0, 0);
        }
        return true;
    }
    if (ts != ThreadState_BlockedOnReceive && ts != ThreadState_BlockedOnReply) {
        return fail("TCB %lx holds reply object %lx in state %lu (only a receiver or a caller)", pa,
                    pa_of(r), ts);
    }
    if (!object_ok(r, seL4_ReplyBits)) {
        return fail("TCB %lx holds reply object %lx, not an object in RAM", pa, pa_of(r), 0);
    }
    if (r->tcb != t) {
        return fail("TCB %lx holds reply object %lx, which names TCB %lx", pa, pa_of(r),
                    pa_of(r->tcb));
    }
    if (ts == ThreadState_BlockedOnReceive) {
        if (r->prev != NULL || r->next != NULL || r->sc != NULL) {
            return fail("receiver TCB %lx waits with reply object %lx, which is on a call stack",
                        pa, pa_of(r), 0);
        }
        return true;
    }
    if (r->next != NULL) {
        if (!object_ok(r->next, seL4_ReplyBits) || r->next->prev != r) {
            return fail("call stack: reply object %lx's next %lx does not point back at it",
                        pa_of(r), pa_of(r->next), 0);
        }
        if (!has_caller(r->next)) {
            return fail("call stack: reply object %lx (newer than %lx) has no caller blocked on it",
                        pa_of(r->next), pa_of(r), 0);
        }
        if (r->sc != NULL) {
            return fail("call stack: reply object %lx heads SC %lx yet has a newer one %lx",
                        pa_of(r), pa_of(r->sc), pa_of(r->next));
        }
    }
    if (r->prev != NULL) {
        if (!object_ok(r->prev, seL4_ReplyBits) || r->prev->next != r) {
            return fail("call stack: reply object %lx's prev %lx does not point forward to it",
                        pa_of(r), pa_of(r->prev), 0);
        }
        if (!has_caller(r->prev)) {
            return fail("call stack: reply object %lx (older than %lx) has no caller blocked on it",
                        pa_of(r->prev), pa_of(r), 0);
        }
    }
    if (r->sc != NULL && (!object_ok(r->sc, seL4_MinSchedContextBits) || r->sc->reply != r)) {
        return fail("call stack: reply object %lx heads SC %lx, whose newest reply object is %lx",
                    pa_of(r), pa_of(r->sc), r->sc != NULL ? pa_of(r->sc->reply) : 0);
    }
    return true;
}

/* The SC t runs on: its newest reply object, if any, names it back. */
static bool check_sc_head(const struct tcb *t)
{
    const struct sched_context *sc = t->sched_context;
    if (sc == NULL || sc->reply == NULL) {
        return true;
    }
    if (!object_ok(sc->reply, seL4_ReplyBits) || sc->reply->sc != sc) {
        return fail("SC %lx (of TCB %lx) names reply object %lx as its newest, which does not "
                    "name it back",
                    pa_of(sc), VTOP(t), pa_of(sc->reply));
    }
    if (!has_caller(sc->reply)) {
        return fail("SC %lx's newest reply object %lx has no caller blocked on it", pa_of(sc),
                    pa_of(sc->reply), 0);
    }
    return true;
}

/* The first reply object a cap names that is broken on its own side (full check), and why. */
static const struct reply *bad_reply;
static const char *bad_reply_why;

void inv_reply_note(const struct reply *r)
{
    if (bad_reply != NULL) {
        return;
    }
    if (r->tcb == NULL) {
        if (r->prev != NULL || r->next != NULL || r->sc != NULL) {
            bad_reply = r;
            bad_reply_why = "is free (no thread) yet linked into a call stack";
        }
    } else if (!kernel_invariants_thread_is_live(VTOP(r->tcb))) {
        bad_reply = r;
        bad_reply_why = "names a TCB that is not live";
    } else if (r->tcb->reply != r) {
        bad_reply = r;
        bad_reply_why = "names a TCB whose reply object is another";
    }
}

bool inv_reply_check(bool full, char *why, size_t why_len)
{
    why_buf = why;
    why_size = why_len;
    const struct reply *bad = bad_reply;
    bad_reply = NULL;
    if (full && bad != NULL) {
        return fail("reply object %lx %s", pa_of(bad), (unsigned long)bad_reply_why, 0);
    }
    uint32_t n = kernel_invariants_thread_count();
    uint32_t callers = 0;
    for (uint32_t i = 0; i < n; i++) {
        const struct tcb *t = kernel_invariants_thread(i);
        if (!check_thread_reply(t) || !check_sc_head(t)) {
            return false;
        }
        callers += thread_state_type(t) == ThreadState_BlockedOnReply;
    }
    /* With the links agreeing both ways, two stacks cannot share a reply object; a closed ring
     * has no newest one. So walking each stack from its newest reply object (a caller's with no
     * newer one) to its oldest must meet every caller's reply object exactly once. */
    uint32_t walked = 0;
    for (uint32_t i = 0; i < n; i++) {
        const struct tcb *t = kernel_invariants_thread(i);
        if (thread_state_type(t) != ThreadState_BlockedOnReply || t->reply->next != NULL) {
            continue;
        }
        for (const struct reply *r = t->reply; r != NULL; r = r->prev) {
            if (++walked > callers) {
                return fail("call stack from reply object %lx does not end (a cycle)",
                            pa_of(t->reply), 0, 0);
            }
        }
    }
    if (walked != callers) {
        return fail("%lu callers are blocked on reply, but the call stacks hold %lu of their reply "
                    "objects (a ring of reply objects)",
                    callers, walked, 0);
    }
    return true;
}

#endif
