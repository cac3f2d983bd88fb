/* SPDX-License-Identifier: BSD-2-Clause */
/* DebugSnapshot: a readable dump of every thread's CSpace and of the capability derivation tree. */
#include <kaal/cdt.h>
#include <kaal/debug.h>
#include <kaal/kernel.h>
#include <kaal/objecttype.h>
#include <kaal/printf.h>
#include <kaal/sched.h>

#ifdef CONFIG_DEBUG_BUILD

#define SNAPSHOT_MAX_CNODES 256 /* CNodes one snapshot prints; more are reported, not printed */
#define PARENT_SEARCH_MAX 4096  /* derivation-tree steps searched for one cap's parent */

/* The slot's derivation-tree parent: the nearest earlier slot in seL4's pre-order list that is a
 * parent of it (NULL for a tree root). Bounded, since this is a debug aid. */
static const cte_t *cdt_parent(const cte_t *slot)
{
    const cte_t *p = cte_from_paddr(mdb_node_get_prev(slot->mdb));
    for (word_t n = 0; p != NULL && n < PARENT_SEARCH_MAX; n++) {
        if (cdt_is_parent_of(p, slot)) {
            return p;
        }
        p = cte_from_paddr(mdb_node_get_prev(p->mdb));
    }
    return NULL;
}

static void print_cap(word_t index, const cte_t *slot)
{
    cap_t cap = slot->cap;
    word_t tag = cap_get_cap_type(cap);
    kprintf("  0x%04lx: %s", (unsigned long)index, cap_type_name(tag));
    switch (tag) {
    case cap_endpoint_cap:
        kprintf(" obj %p badge 0x%lx rights %c%c%c%c", (void *)cap_endpoint_cap_get_ptr(cap),
                (unsigned long)cap_endpoint_cap_get_badge(cap),
                cap_endpoint_cap_get_can_receive(cap) ? 'R' : '-',
                cap_endpoint_cap_get_can_send(cap) ? 'W' : '-',
                cap_endpoint_cap_get_can_grant(cap) ? 'G' : '-',
                cap_endpoint_cap_get_can_grant_reply(cap) ? 'P' : '-');
        break;
    case cap_notification_cap:
        kprintf(" obj %p badge 0x%lx rights %c%c", (void *)cap_notification_cap_get_ptr(cap),
                (unsigned long)cap_notification_cap_get_badge(cap),
                cap_notification_cap_get_can_receive(cap) ? 'R' : '-',
                cap_notification_cap_get_can_send(cap) ? 'W' : '-');
        break;
    case cap_irq_handler_cap:
        kprintf(" irq %lu", (unsigned long)cap_irq_handler_cap_get_irq(cap));
        break;
    default: {
        paddr_t pa = cap_object_paddr(cap);
        if (pa != 0) {
            kprintf(" obj %p size 2^%lu", (void *)pa, (unsigned long)cap_object_size_bits(cap));
        }
        break;
    }
    }
    const cte_t *parent = cdt_parent(slot);
    kprintf(" at %p", (void *)cte_paddr(slot));
    if (parent != NULL) {
        kprintf(" parent %p", (void *)cte_paddr(parent));
    }
    kprintf("\n");
}

/* The CNodes one snapshot prints, breadth first, each once: a CNode cap and who holds it. */
struct snapshot_queue {
    cap_t cnode[SNAPSHOT_MAX_CNODES];
    const char *owner[SNAPSHOT_MAX_CNODES];
    word_t n;
    word_t dropped;
};

static void queue_cnode(struct snapshot_queue *q, cap_t cnode, const char *owner)
{
    paddr_t pa = cap_cnode_cap_get_ptr(cnode);
    for (word_t i = 0; i < q->n; i++) {
        if (cap_cnode_cap_get_ptr(q->cnode[i]) == pa) {
            return; /* printed (or queued) already */
        }
    }
    if (q->n == SNAPSHOT_MAX_CNODES) {
        q->dropped++;
        return;
    }
    q->cnode[q->n] = cnode;
    q->owner[q->n] = owner;
    q->n++;
}

void debug_snapshot(void)
{
    static struct snapshot_queue q; /* debug only; the kernel has one thread of control */
    q.n = 0;
    q.dropped = 0;
    kprintf("KaaL snapshot: begin\n");
    for (const struct tcb *t = sched_debug_first_thread(); t != NULL; t = t->debug_next) {
        cap_t root = t->ctes[TCB_CTABLE].cap;
        if (cap_get_cap_type(root) == cap_cnode_cap) {
            queue_cnode(&q, root, t->name);
        } else {
            kprintf("KaaL snapshot: thread \"%s\" has no CSpace root\n", t->name);
        }
    }
    /* Print each queued CNode; the CNodes it holds caps to join the queue. */
    for (word_t k = 0; k < q.n; k++) {
        cap_t cnode = q.cnode[k];
        word_t slots = BIT(cap_cnode_cap_get_radix(cnode));
        const cte_t *s = cnode_slots(cnode);
        kprintf("KaaL snapshot: CNode %p (%lu slots) of thread \"%s\"\n",
                (void *)cap_cnode_cap_get_ptr(cnode), (unsigned long)slots, q.owner[k]);
        for (word_t i = 0; i < slots; i++) {
            word_t tag = cap_get_cap_type(s[i].cap);
            if (tag == cap_null_cap) {
                continue;
            }
            print_cap(i, &s[i]);
            if (tag == cap_cnode_cap) {
                queue_cnode(&q, s[i].cap, q.owner[k]);
            }
        }
    }
    if (q.dropped) {
        kprintf("KaaL snapshot: %lu more CNodes not printed\n", (unsigned long)q.dropped);
    }
    kprintf("KaaL snapshot: end\n");
}

#endif
