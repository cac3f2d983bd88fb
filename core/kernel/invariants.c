/* SPDX-License-Identifier: BSD-2-Clause */
/* The debug kernel's invariant checker (<kaal/invariants.h>): find every reachable cap, then check
 * the derivation tree's list shape, object placement and untyped watermarks in O(n log n). */
#include <kaal/invariants.h>

#ifdef CONFIG_KERNEL_INVARIANTS
#include <stdarg.h>

#include <kaal/kernel.h>
#include <kaal/objecttype.h>
#include <kaal/printf.h>
#include <kaal/string.h>
#include <kaal/structures.h>
#include <kaal/vspace.h>

#include "invariants_internal.h"

#define NO_IDX UINT32_MAX
#define MAX_CAPS INVARIANTS_MAX_CAPS
/* A table of 4 * MAX_CAPS entries: slots and slot arrays stay below half full. */
#define HASH_BITS 18
#define HASH_SIZE (1u << HASH_BITS)
#define MAX_UNTYPED_BITS 47
#define MIN_UNTYPED_BITS 4
#define FREE_INDEX_UNIT_BITS 4 /* untyped free_index counts 16-byte units */

/* What the checker learned about one slot holding a cap. */
struct icap {
    cte_t *slot;
    paddr_t pa;       /* the slot's physical address */
    paddr_t found_in; /* the CNode/TCB slot array it was found in; 0: only through MDB links */
    word_t index;     /* its index there */
    paddr_t base;     /* object memory [base, base + 2^bits) when has_region */
    uint8_t bits;
    uint8_t type; /* cap type tag */
    bool has_region;
    bool device;
    uint32_t order;          /* position in the derivation-tree pre-order walk */
    uint32_t uparent;        /* nearest untyped ancestor */
    uint32_t same_children;  /* untyped: untyped descendants naming the same region */
    uint32_t other_children; /* untyped: other caps whose nearest untyped ancestor this is */
};

/* A slot array to scan: a CNode, a TCB's slots or a zombie's object. */
struct slot_array {
    paddr_t pa;
    word_t count;
    word_t live; /* zombie: slots at index >= live must be empty */
};

struct hentry {
    word_t key;
    uint32_t value;
    uint32_t gen;
};

/* Static state (no allocator in core; the checker is not reentrant). */
static struct icap caps[MAX_CAPS];
static uint32_t n_caps;
static struct slot_array arrays[MAX_CAPS];
static uint32_t n_arrays;
static struct hentry htab[HASH_SIZE];
static uint32_t hgen, hused;
static uint32_t scratch_a[MAX_CAPS]; /* walk stack, then the sorted region list */
static uint32_t scratch_b[MAX_CAPS]; /* nearest untyped on the walk stack, then group stack */
static uint32_t by_order[MAX_CAPS];
static word_t slots_scanned;
static char *why_buf;
static size_t why_size;
static char loc_buf[2][128];

/* Record a failure reason; always returns false so checks read `return fail(...)`. The format
 * takes %s (strings), and %x / %u (each a word_t: wrap narrower values in W()). */
static bool fail(const char *fmt, ...);

/* "slot 0x... (cnode 0x...[i]) untyped" for messages; two buffers so one message can name two caps.
 */
static const char *loc(uint32_t i)
{
    static unsigned which;
    char *buf = loc_buf[which++ & 1];
    const struct icap *c = &caps[i];
    if (c->found_in) {
        ksnprintf(buf, sizeof(loc_buf[0]), "slot 0x%lx (array 0x%lx[%lu], %s cap)",
                  (unsigned long)c->pa, (unsigned long)c->found_in, (unsigned long)c->index,
                  cap_type_name(c->type));
    } else {
        ksnprintf(buf, sizeof(loc_buf[0]), "slot 0x%lx (found through MDB links, %s cap)",
                  (unsigned long)c->pa, cap_type_name(c->type));
    }
    return buf;
}

static bool fail(const char *fmt, ...)
{
    if (why_buf != NULL && why_size > 0) {
        /* ksnprintf has no va_list form: expand %s, %x and %u here. */
        va_list ap;
        va_start(ap, fmt);
        char tmp[32];
        size_t out = 0;
        for (const char *p = fmt; *p && out + 1 < why_size; p++) {
            if (p[0] == '%' && p[1] == 's') {
                const char *s = va_arg(ap, const char *);
                for (; *s && out + 1 < why_size; s++) {
                    why_buf[out++] = *s;
                }
                p++;
            } else if (p[0] == '%' && p[1] == 'x') {
                ksnprintf(tmp, sizeof(tmp), "0x%lx", (unsigned long)va_arg(ap, word_t));
                for (const char *s = tmp; *s && out + 1 < why_size; s++) {
                    why_buf[out++] = *s;
                }
                p++;
            } else if (p[0] == '%' && p[1] == 'u') {
                ksnprintf(tmp, sizeof(tmp), "%lu", (unsigned long)va_arg(ap, word_t));
                for (const char *s = tmp; *s && out + 1 < why_size; s++) {
                    why_buf[out++] = *s;
                }
                p++;
            } else {
                why_buf[out++] = *p;
            }
        }
        why_buf[out] = '\0';
        va_end(ap);
    }
    return false;
}

/* Because fail() formats by hand, its %x and %u take a word_t: W() makes every argument one. */
#define W(x) ((word_t)(x))

/* --- the visited table: slot addresses, and slot arrays (tagged with bit 0) --- */

static void hash_reset(void)
{
    hgen++;
    if (hgen == 0) {
        kmemset(htab, 0, sizeof(htab));
        hgen = 1;
    }
    hused = 0;
}

static uint32_t hash_slot(word_t key)
{
    return (uint32_t)(((key >> 4) * 0x9e3779b97f4a7c15ull) >> (64 - HASH_BITS));
}

/* Find key; returns its value or NO_IDX. */
static uint32_t hash_find(word_t key)
{
    for (uint32_t h = hash_slot(key);; h = (h + 1) & (HASH_SIZE - 1)) {
        if (htab[h].gen != hgen) {
            return NO_IDX;
        }
        if (htab[h].key == key) {
            return htab[h].value;
        }
    }
}

/* Insert key -> value (key not present). False when the table is too full. */
static bool hash_add(word_t key, uint32_t value)
{
    if (hused >= HASH_SIZE / 2) {
        return false;
    }
    uint32_t h = hash_slot(key);
    while (htab[h].gen == hgen) {
        h = (h + 1) & (HASH_SIZE - 1);
    }
    htab[h] = (struct hentry){.key = key, .value = value, .gen = hgen};
    hused++;
    return true;
}

/* --- what a cap names --- */

static bool region_in_ram(paddr_t base, word_t bits)
{
    return bits < 64 && hal_phys_is_ram(base, BIT(bits));
}

/* Decode the object memory of the cap in c (type already set) and check its shape: (c), (e). */
static bool decode_cap(struct icap *c, uint32_t i)
{
    cap_t cap = c->slot->cap;
    c->has_region = true;
    c->device = false;
    switch (c->type) {
    case cap_untyped_cap: {
        c->base = cap_untyped_cap_get_ptr(cap);
        c->bits = (uint8_t)cap_untyped_cap_get_block_size(cap);
        c->device = cap_untyped_cap_get_is_device(cap);
        if (c->bits < MIN_UNTYPED_BITS || c->bits > MAX_UNTYPED_BITS) {
            return fail("%s: untyped size bits %u outside 4..47", loc(i), W(c->bits));
        }
        word_t used = cap_untyped_cap_get_free_index(cap) << FREE_INDEX_UNIT_BITS;
        if (used > BIT(c->bits)) {
            return fail("%s: untyped free index %x bytes is past its size %x", loc(i), used,
                        W(BIT(c->bits)));
        }
        break;
    }
    case cap_endpoint_cap:
        c->base = cap_endpoint_cap_get_ptr(cap);
        c->bits = seL4_EndpointBits;
        break;
    case cap_notification_cap:
        c->base = cap_notification_cap_get_ptr(cap);
        c->bits = seL4_NotificationBits;
        break;
    case cap_cnode_cap: {
        word_t radix = cap_cnode_cap_get_radix(cap);
        word_t guard_size = cap_cnode_cap_get_guard_size(cap);
        if (radix < 1 || radix + guard_size > seL4_WordBits) {
            return fail(
                "%s: CNode radix %u with guard size %u (need radix >= 1, radix + guard size <= 64)",
                loc(i), radix, guard_size);
        }
        if (radix + seL4_SlotBits > MAX_UNTYPED_BITS) {
            return fail("%s: CNode radix %u is larger than any object", loc(i), radix);
        }
        c->base = cap_cnode_cap_get_ptr(cap);
        c->bits = (uint8_t)(radix + seL4_SlotBits);
        break;
    }
    case cap_thread_cap:
        c->base = cap_thread_cap_get_tcb(cap);
        c->bits = seL4_TCBBits;
        break;
    case cap_zombie_cap: {
        word_t zt = cap_zombie_cap_get_zombie_type(cap);
        word_t n = cap_zombie_cap_get_number(cap);
        if (zt > ZOMBIE_TYPE_TCB || zt == 0 ||
            (zt != ZOMBIE_TYPE_TCB && zt + seL4_SlotBits > MAX_UNTYPED_BITS)) {
            return fail("%s: zombie type %u is neither a CNode radix nor a TCB", loc(i), zt);
        }
        word_t slots = zt == ZOMBIE_TYPE_TCB ? TCB_CNODE_ENTRIES : BIT(zt);
        if (n > slots) {
            return fail("%s: zombie counts %u slots still to clear but its object has %u", loc(i),
                        n, slots);
        }
        c->base = cap_zombie_cap_get_ptr(cap);
        c->bits = (uint8_t)(zt == ZOMBIE_TYPE_TCB ? seL4_TCBBits : zt + seL4_SlotBits);
        break;
    }
    case cap_frame_cap: {
        static const uint8_t frame_bits[] = {seL4_PageBits, seL4_LargePageBits, seL4_HugePageBits};
        word_t size = cap_frame_cap_get_size(cap);
        if (size >= ARRAY_SIZE(frame_bits)) {
            return fail("%s: frame size code %u is invalid", loc(i), size);
        }
        if (cap_frame_cap_get_vm_rights(cap) == 2) {
            return fail("%s: frame cap with write-only rights", loc(i));
        }
        c->base = cap_frame_cap_get_base(cap);
        c->bits = frame_bits[size];
        c->device = cap_frame_cap_get_is_device(cap);
        break;
    }
    case cap_page_table_cap:
        c->base = cap_page_table_cap_get_ptr(cap);
        c->bits = seL4_PageTableBits;
        break;
    case cap_vspace_cap:
        c->base = cap_vspace_cap_get_ptr(cap);
        c->bits = seL4_VSpaceBits;
        break;
    case cap_asid_pool_cap:
        c->base = cap_asid_pool_cap_get_ptr(cap);
        c->bits = seL4_ASIDPoolBits;
        break;
#ifdef CONFIG_KERNEL_MCS
    case cap_reply_cap:
        c->base = cap_reply_cap_get_ptr(cap);
        c->bits = seL4_ReplyBits;
        break;
    case cap_sched_context_cap:
        if (cap_sched_context_cap_get_size_bits(cap) < seL4_MinSchedContextBits) {
            return fail("%s: scheduling context of size 2^%u is below the minimum", loc(i),
                        W(cap_sched_context_cap_get_size_bits(cap)));
        }
        c->base = cap_sched_context_cap_get_ptr(cap);
        c->bits = (uint8_t)cap_sched_context_cap_get_size_bits(cap);
        break;
    case cap_sched_control_cap:
#else
    case cap_reply_cap:
#endif
    case cap_asid_control_cap:
    case cap_irq_control_cap:
    case cap_irq_handler_cap:
    case cap_domain_cap:
    case cap_sgi_signal_cap:
        c->has_region = false;
        return true;
    default:
        return fail("%s: invalid cap type tag %u", loc(i), W(c->type));
    }
    if (!IS_ALIGNED(c->base, c->bits)) {
        return fail("%s: object at %x is not aligned to its size 2^%u", loc(i), c->base,
                    W(c->bits));
    }
    if (!c->device && !region_in_ram(c->base, c->bits)) {
        return fail("%s: object [%x, +2^%u) is not in RAM", loc(i), c->base, W(c->bits));
    }
    return true;
}

/* Per-object state the cap's type implies: (c) "a live object of its type". */
static bool check_object_state(uint32_t i)
{
    const struct icap *c = &caps[i];
    switch (c->type) {
    case cap_thread_cap: {
        const struct tcb *t = PTOV(struct tcb, c->base);
        if (thread_state_get_ts_type(t->state) > ThreadState_IdleThreadState) {
            return fail("%s: TCB %x has invalid thread state %u", loc(i), c->base,
                        W(thread_state_get_ts_type(t->state)));
        }
        return true;
    }
    case cap_endpoint_cap: {
        const endpoint_t *ep = PTOV(endpoint_t, c->base);
        word_t state = endpoint_get_state(*ep);
        if (state > 2 ||
            (state == 0 && (endpoint_get_queue_head(*ep) || endpoint_get_queue_tail(*ep)))) {
            return fail("%s: endpoint %x has state %u with queue head %x", loc(i), c->base, state,
                        W(endpoint_get_queue_head(*ep)));
        }
        return true;
    }
    case cap_notification_cap: {
        const notification_t *n = PTOV(notification_t, c->base);
        if (notification_get_state(*n) > 2) {
            return fail("%s: notification %x has state %u", loc(i), c->base,
                        W(notification_get_state(*n)));
        }
        return true;
    }
    default:
        return true;
    }
}

/* --- discovery --- */

static bool add_array(paddr_t pa, word_t count, word_t live)
{
    if (hash_find(pa | 1) != NO_IDX) {
        return true;
    }
    if (n_arrays >= MAX_CAPS || !hash_add(pa | 1, n_arrays)) {
        return fail("too many CNodes and TCBs for the checker's tables (%u)", W(MAX_CAPS));
    }
    arrays[n_arrays++] = (struct slot_array){.pa = pa, .count = count, .live = live};
    return true;
}

/* Record a non-empty slot (once); found_in is its slot array, or 0 when reached by an MDB link. */
static bool add_slot(cte_t *slot, paddr_t found_in, word_t index)
{
    paddr_t pa = VTOP(slot);
    if (hash_find(pa) != NO_IDX) {
        return true;
    }
    if (n_caps >= MAX_CAPS || !hash_add(pa, n_caps)) {
        return fail("too many caps for the checker's tables (%u)", W(MAX_CAPS));
    }
    uint32_t i = n_caps++;
    caps[i] = (struct icap){.slot = slot,
                            .pa = pa,
                            .found_in = found_in,
                            .index = index,
                            .type = (uint8_t)cap_get_cap_type(slot->cap),
                            .order = NO_IDX,
                            .uparent = NO_IDX};
    if (!decode_cap(&caps[i], i)) {
        return false;
    }
    cap_t cap = slot->cap;
    switch (caps[i].type) {
    case cap_cnode_cap:
        return add_array(caps[i].base, BIT(cap_cnode_cap_get_radix(cap)),
                         BIT(cap_cnode_cap_get_radix(cap)));
    case cap_thread_cap:
        return add_array(caps[i].base, TCB_CNODE_ENTRIES, TCB_CNODE_ENTRIES);
    case cap_zombie_cap: {
        word_t zt = cap_zombie_cap_get_zombie_type(cap);
        word_t count = zt == ZOMBIE_TYPE_TCB ? TCB_CNODE_ENTRIES : BIT(zt);
        return add_array(caps[i].base, count, cap_zombie_cap_get_number(cap));
    }
    default:
        return true;
    }
}

static bool mdb_is_empty(mdb_node_t m) { return m.words[0] == 0 && m.words[1] == 0; }

static bool scan_array(const struct slot_array *a)
{
    if (slots_scanned + a->count > INVARIANTS_MAX_SCANNED_SLOTS) {
        return fail("too many slots to scan (more than %u)", W(INVARIANTS_MAX_SCANNED_SLOTS));
    }
    slots_scanned += a->count;
    cte_t *slots = PTOV(cte_t, a->pa);
    for (word_t k = 0; k < a->count; k++) {
        cte_t *slot = &slots[k];
        if (cap_get_cap_type(slot->cap) == cap_null_cap) {
            if (!mdb_is_empty(slot->mdb)) {
                return fail("empty slot %x (array %x[%u]) has MDB links next %x prev %x",
                            VTOP(slot), a->pa, k, W(mdb_node_get_next(slot->mdb)),
                            W(mdb_node_get_prev(slot->mdb)));
            }
            continue;
        }
        if (k >= a->live) {
            return fail(
                "slot %x (array %x[%u]) of a zombie holds a %s cap past the zombie's count %u",
                VTOP(slot), a->pa, k, cap_type_name(cap_get_cap_type(slot->cap)), a->live);
        }
        if (!add_slot(slot, a->pa, k)) {
            return false;
        }
    }
    return true;
}

/* Follow one MDB link of cap i: the target must be a slot in RAM whose opposite link is i's slot.
 */
static bool follow_link(uint32_t i, paddr_t target, bool is_next)
{
    if (target == 0) {
        return true;
    }
    const char *dir = is_next ? "next" : "prev";
    if (!IS_ALIGNED(target, seL4_SlotBits) || !hal_phys_is_ram(target, BIT(seL4_SlotBits))) {
        return fail("%s: MDB %s link %x is not a slot in RAM", loc(i), dir, target);
    }
    cte_t *t = PTOV(cte_t, target);
    paddr_t back = is_next ? mdb_node_get_prev(t->mdb) : mdb_node_get_next(t->mdb);
    if (back != caps[i].pa) {
        return fail("%s: MDB %s is %x but that slot's %s is %x", loc(i), dir, target,
                    is_next ? "prev" : "next", back);
    }
    if (cap_get_cap_type(t->cap) == cap_null_cap) {
        return fail("%s: MDB %s link %x is an empty slot", loc(i), dir, target);
    }
    return add_slot(t, 0, 0);
}

static bool discover(void)
{
    paddr_t root_tcb = VTOP(ks.root_thread);
    if (!region_in_ram(root_tcb, seL4_TCBBits) || !IS_ALIGNED(root_tcb, seL4_TCBBits)) {
        return fail("ks.root_thread %x is not a TCB in RAM", root_tcb);
    }
    if (!add_array(root_tcb, TCB_CNODE_ENTRIES, TCB_CNODE_ENTRIES)) {
        return false;
    }
    /* The IRQ node: each IRQ's notification cap (seL4's intStateIRQNode), in the derivation tree.
     */
    if (ks.irq_node != NULL && !add_array(VTOP(ks.irq_node), IRQ_NODE_SLOTS, IRQ_NODE_SLOTS)) {
        return false;
    }
    /* Every live thread's own slots too (the scheduler's list of TCB objects, checked by
     * inv_threads_begin): caps outside the root's CSpace, such as reply caps in Caller slots. */
    for (uint32_t i = 0; i < kernel_invariants_thread_count(); i++) {
        if (!add_array(VTOP(kernel_invariants_thread(i)), TCB_CNODE_ENTRIES, TCB_CNODE_ENTRIES)) {
            return false;
        }
    }
    uint32_t next_array = 0, next_cap = 0;
    while (next_array < n_arrays || next_cap < n_caps) {
        if (next_array < n_arrays) {
            if (!scan_array(&arrays[next_array++])) {
                return false;
            }
            continue;
        }
        uint32_t i = next_cap++;
        mdb_node_t m = caps[i].slot->mdb;
        if (!follow_link(i, mdb_node_get_next(m), true) ||
            !follow_link(i, mdb_node_get_prev(m), false)) {
            return false;
        }
    }
    return true;
}

/* --- (f) the root thread --- */

static bool check_root_thread(void)
{
    static const struct {
        word_t slot;
        word_t type;
        const char *name;
    } expect[] = {
        {TCB_CTABLE, cap_cnode_cap, "CTable"},
        {TCB_VTABLE, cap_vspace_cap, "VTable"},
#ifdef CONFIG_KERNEL_MCS
        {TCB_FAULT_HANDLER, cap_endpoint_cap, "FaultHandler"},
        {TCB_TIMEOUT_HANDLER, cap_endpoint_cap, "TimeoutHandler"},
#else
        {TCB_REPLY, cap_reply_cap, "Reply"},   {TCB_CALLER, cap_reply_cap, "Caller"},
#endif
        {TCB_BUFFER, cap_frame_cap, "Buffer"},
    };
    for (word_t k = 0; k < ARRAY_SIZE(expect); k++) {
        word_t type = cap_get_cap_type(ks.root_thread->ctes[expect[k].slot].cap);
        if (type != cap_null_cap && type != expect[k].type) {
            return fail("root TCB %x: %s slot holds a %s cap", VTOP(ks.root_thread), expect[k].name,
                        cap_type_name(type));
        }
    }
    /* The bootinfo frame is not checked here: it is user memory (the root task may even make it
     * its IPC buffer), so its contents are a promise made at boot, checked by the boot tests. */
    return true;
}

/* --- (a) the derivation tree as seL4's pre-order list --- */

static bool same_region(const struct icap *a, const struct icap *b)
{
    cap_t ca = a->slot->cap, cb = b->slot->cap;
    switch (a->type) {
    case cap_untyped_cap:
        return b->has_region && a->base <= b->base &&
               b->base + BIT(b->bits) <= a->base + BIT(a->bits);
    case cap_endpoint_cap:
    case cap_notification_cap:
    case cap_cnode_cap:
    case cap_thread_cap:
    case cap_frame_cap:
    case cap_page_table_cap:
    case cap_vspace_cap:
    case cap_asid_pool_cap:
#ifdef CONFIG_KERNEL_MCS
    case cap_reply_cap:
    case cap_sched_context_cap:
#endif
        return b->type == a->type && b->base == a->base && b->bits == a->bits;
#ifdef CONFIG_KERNEL_MCS
    case cap_sched_control_cap:
        return b->type == cap_sched_control_cap &&
               cap_sched_control_cap_get_core(ca) == cap_sched_control_cap_get_core(cb);
#else
    case cap_reply_cap:
        return b->type == cap_reply_cap && cap_reply_cap_get_tcb(ca) == cap_reply_cap_get_tcb(cb);
#endif
    case cap_irq_control_cap:
        return b->type == cap_irq_control_cap || b->type == cap_irq_handler_cap ||
               b->type == cap_sgi_signal_cap;
    case cap_irq_handler_cap:
        return b->type == cap_irq_handler_cap &&
               cap_irq_handler_cap_get_irq(ca) == cap_irq_handler_cap_get_irq(cb);
    case cap_sgi_signal_cap:
        return b->type == cap_sgi_signal_cap &&
               cap_sgi_signal_cap_get_irq(ca) == cap_sgi_signal_cap_get_irq(cb) &&
               cap_sgi_signal_cap_get_target(ca) == cap_sgi_signal_cap_get_target(cb);
    case cap_asid_control_cap:
    case cap_domain_cap:
        return b->type == a->type;
    default:
        return false; /* null and zombie caps are nobody's parent */
    }
}

static word_t cap_badge(const struct icap *c)
{
    if (c->type == cap_endpoint_cap) {
        return cap_endpoint_cap_get_badge(c->slot->cap);
    }
    if (c->type == cap_notification_cap) {
        return cap_notification_cap_get_badge(c->slot->cap);
    }
    return 0;
}

/* seL4's isMDBParentOf, written here independently of cdt.c so the two can check each other. */
static bool is_parent(uint32_t ai, uint32_t bi)
{
    const struct icap *a = &caps[ai], *b = &caps[bi];
    if (!mdb_node_get_revocable(a->slot->mdb) || !same_region(a, b)) {
        return false;
    }
    if (a->type == cap_endpoint_cap || a->type == cap_notification_cap) {
        word_t badge = cap_badge(a);
        return badge == 0 || (badge == cap_badge(b) && !mdb_node_get_first_badged(b->slot->mdb));
    }
    return true;
}

/* Walk every MDB list from its head: order the caps, and find each cap's nearest untyped ancestor
 * with a stack of open subtrees (an ancestor must accept every cap in its descendants' runs). */
static bool walk_mdb(void)
{
    uint32_t *stack = scratch_a, *ustack = scratch_b;
    uint32_t order = 0;
    for (uint32_t h = 0; h < n_caps; h++) {
        if (mdb_node_get_prev(caps[h].slot->mdb) != 0) {
            continue;
        }
        uint32_t sp = 0;
        for (uint32_t c = h; c != NO_IDX;) {
            if (caps[c].order != NO_IDX) {
                return fail("%s: MDB list from %s loops back", loc(c), loc(h));
            }
            caps[c].order = order;
            by_order[order++] = c;
            while (sp > 0 && !is_parent(stack[sp - 1], c)) {
                sp--;
            }
            for (uint32_t k = 0; k + 1 < sp; k++) {
                if (!is_parent(stack[k], c)) {
                    return fail("%s follows its parent %s in the MDB list, but that cap's ancestor "
                                "%s is not "
                                "a parent of it (subtrees must be contiguous)",
                                loc(c), loc(stack[sp - 1]), loc(stack[k]));
                }
            }
            caps[c].uparent = sp > 0 ? ustack[sp - 1] : NO_IDX;
            stack[sp] = c;
            ustack[sp] = caps[c].type == cap_untyped_cap ? c : caps[c].uparent;
            sp++;
            paddr_t next = mdb_node_get_next(caps[c].slot->mdb);
            c = next ? hash_find(next) : NO_IDX;
        }
    }
    for (uint32_t i = 0; i < n_caps; i++) {
        if (caps[i].order == NO_IDX) {
            return fail("%s: on an MDB cycle with no head (no cap with an empty prev link)",
                        loc(i));
        }
    }
    return true;
}

static bool same_untyped_region(uint32_t a, uint32_t b)
{
    return caps[a].type == cap_untyped_cap && caps[b].type == cap_untyped_cap &&
           caps[a].base == caps[b].base && caps[a].bits == caps[b].bits;
}

/* (c), (d): each cap against its nearest untyped ancestor. */
static bool check_untyped_children(void)
{
    for (uint32_t i = 0; i < n_caps; i++) {
        uint32_t u = caps[i].uparent;
        if (u == NO_IDX) {
            continue;
        }
        if (same_untyped_region(i, u)) {
            caps[u].same_children++;
        } else {
            caps[u].other_children++;
        }
    }
    for (uint32_t i = 0; i < n_caps; i++) {
        const struct icap *c = &caps[i];
        uint32_t u = c->uparent;
        if (c->type == cap_untyped_cap && c->same_children > 1) {
            return fail("%s: %u untyped children name its whole region (copies must form a chain)",
                        loc(i), W(c->same_children));
        }
        if (c->type == cap_untyped_cap && c->same_children > 0 && c->other_children > 0) {
            return fail(
                "%s: has a child untyped naming its whole region and also %u other children",
                loc(i), W(c->other_children));
        }
        if (u == NO_IDX || !c->has_region) {
            continue;
        }
        const struct icap *p = &caps[u];
        word_t watermark =
            p->base + (cap_untyped_cap_get_free_index(p->slot->cap) << FREE_INDEX_UNIT_BITS);
        if (c->base + BIT(c->bits) > watermark) {
            return fail("%s: object [%x, +2^%u) lies above its untyped's watermark %x", loc(i),
                        c->base, W(c->bits), watermark);
        }
        bool may_be_device = c->type == cap_untyped_cap || c->type == cap_frame_cap;
        if (p->device && (!may_be_device || !c->device)) {
            return fail("%s: non-device object inside device %s", loc(i), loc(u));
        }
        if (!p->device && c->device) {
            return fail("%s: device object inside non-device %s", loc(i), loc(u));
        }
    }
    return true;
}

/* --- (b) placement: sort all object regions, sweep with a stack of open untyped regions --- */

/* Sort key order: base ascending, size descending, untyped first, then type. */
static bool region_less(uint32_t a, uint32_t b)
{
    const struct icap *x = &caps[a], *y = &caps[b];
    if (x->base != y->base) {
        return x->base < y->base;
    }
    if (x->bits != y->bits) {
        return x->bits > y->bits;
    }
    bool xu = x->type == cap_untyped_cap, yu = y->type == cap_untyped_cap;
    if (xu != yu) {
        return xu;
    }
    if (x->type != y->type) {
        return x->type < y->type;
    }
    return x->order < y->order;
}

/* Bottom-up merge sort by region_less (a strict total order: the walk order breaks every tie), so
 * the result is the one any correct sort gives. Runs that are already in order cost one comparison
 * per merge; the caps come mostly in address order. */
static uint32_t sort_tmp[MAX_CAPS];

static void region_sort(uint32_t *v, uint32_t n)
{
    uint32_t *src = v, *dst = sort_tmp;
    for (uint32_t width = 1; width < n; width *= 2) {
        for (uint32_t lo = 0; lo < n; lo += 2 * width) {
            uint32_t mid = MIN(lo + width, n), hi = MIN(lo + 2 * width, n);
            uint32_t i = lo, j = mid, k = lo;
            if (mid < hi && region_less(src[mid], src[mid - 1])) {
                while (i < mid && j < hi) {
                    dst[k++] = region_less(src[j], src[i]) ? src[j++] : src[i++];
                }
            }
            while (i < mid) {
                dst[k++] = src[i++];
            }
            while (j < hi) {
                dst[k++] = src[j++];
            }
        }
        uint32_t *t = src;
        src = dst;
        dst = t;
    }
    for (uint32_t k = 0; src != v && k < n; k++) {
        v[k] = src[k];
    }
}

static word_t region_end(uint32_t i) { return caps[i].base + BIT(caps[i].bits); }

/* One run of untyped caps with the same region: their derivation must be a chain whose head sits
 * under the innermost enclosing untyped region (outer: a member of that run, or NO_IDX). */
static bool check_untyped_group(const uint32_t *v, uint32_t n, uint32_t outer)
{
    uint32_t heads = 0, head = NO_IDX;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t up = caps[v[k]].uparent;
        if (up == NO_IDX || !same_untyped_region(up, v[k])) {
            heads++;
            head = v[k];
        }
    }
    if (heads != 1) {
        return fail("%u unrelated untyped caps name region [%x, +2^%u), e.g. %s", W(heads),
                    caps[v[0]].base, W(caps[v[0]].bits), loc(v[0]));
    }
    uint32_t up = caps[head].uparent;
    if (outer != NO_IDX &&
        (up == NO_IDX || caps[up].base != caps[outer].base || caps[up].bits != caps[outer].bits)) {
        return fail("%s lies inside %s but is not derived from it", loc(head), loc(outer));
    }
    return true;
}

static bool check_placement(void)
{
    uint32_t *v = scratch_a, *groups = scratch_b;
    uint32_t n = 0;
    for (uint32_t i = 0; i < n_caps; i++) {
        if (caps[i].has_region) {
            v[n++] = i;
        }
    }
    region_sort(v, n);

    uint32_t gsp = 0;           /* stack of open untyped regions (first cap of each run) */
    uint32_t last_obj = NO_IDX; /* the last non-untyped object: such objects never nest */
    for (uint32_t k = 0; k < n;) {
        uint32_t x = v[k];
        while (gsp > 0 && region_end(groups[gsp - 1]) <= caps[x].base) {
            gsp--;
        }
        uint32_t outer = gsp > 0 ? groups[gsp - 1] : NO_IDX;
        if (outer != NO_IDX && region_end(x) > region_end(outer)) {
            return fail("%s: object [%x, +2^%u) straddles the end of %s", loc(x), caps[x].base,
                        W(caps[x].bits), loc(outer));
        }
        if (last_obj != NO_IDX && caps[x].base < region_end(last_obj)) {
            const struct icap *o = &caps[last_obj];
            if (caps[x].type != o->type || caps[x].base != o->base || caps[x].bits != o->bits) {
                return fail("%s overlaps %s", loc(x), loc(last_obj));
            }
        }
        if (caps[x].type == cap_untyped_cap) {
            uint32_t run = 1;
            while (k + run < n && same_untyped_region(v[k + run], x)) {
                run++;
            }
            if (!check_untyped_group(&v[k], run, outer)) {
                return false;
            }
            groups[gsp++] = x;
            k += run;
            continue;
        }
        /* A kernel object (or zombie) inside untyped memory must derive from the innermost untyped.
         */
        uint32_t up = caps[x].uparent;
        if (outer != NO_IDX && (up == NO_IDX || caps[up].base != caps[outer].base ||
                                caps[up].bits != caps[outer].bits)) {
            return fail("%s lies inside %s but is not derived from it", loc(x), loc(outer));
        }
        /* Caps to one object form one contiguous block of the MDB list. */
        uint32_t run = 1;
        uint32_t lo = caps[x].order, hi = caps[x].order;
        while (k + run < n && caps[v[k + run]].type == caps[x].type &&
               caps[v[k + run]].base == caps[x].base && caps[v[k + run]].bits == caps[x].bits) {
            uint32_t o = caps[v[k + run]].order;
            lo = MIN(lo, o);
            hi = MAX(hi, o);
            run++;
        }
        if (caps[x].type != cap_zombie_cap && hi - lo + 1 != run) {
            uint32_t stray = by_order[lo + 1];
            for (uint32_t o = lo; o <= hi; o++) {
                const struct icap *s = &caps[by_order[o]];
                if (s->type != caps[x].type || s->base != caps[x].base) {
                    stray = by_order[o];
                    break;
                }
            }
            return fail(
                "the %u caps to object %x are not contiguous in the MDB list: %s sits among them",
                W(run), caps[x].base, loc(stray));
        }
        for (uint32_t r = 0; r < run; r++) {
            if (!check_object_state(v[k + r])) {
                return false;
            }
        }
        last_obj = x;
        k += run;
    }
    return true;
}

bool kernel_invariants_hold(char *why, size_t why_len)
{
    why_buf = why;
    why_size = why_len;
    if (why != NULL && why_len > 0) {
        why[0] = '\0';
    }
    if (ks.root_thread == NULL) {
        return true; /* nothing booted */
    }
    n_caps = 0;
    n_arrays = 0;
    slots_scanned = 0;
    hash_reset();
    if (!inv_threads_begin(why, why_len) || !discover() || !check_root_thread() || !walk_mdb() ||
        !check_untyped_children() || !check_placement()) {
        return false;
    }
    for (uint32_t i = 0; i < n_caps; i++) {
        inv_threads_note_cap(caps[i].slot);
    }
#ifdef CONFIG_KERNEL_MCS
    bool sc_ok = true;
    for (uint32_t i = 0; i < n_caps; i++) {
        inv_mcs_note_cap(caps[i].slot, why, why_len, &sc_ok);
    }
    if (!sc_ok || !inv_threads_check(true, why, why_len) || !inv_mcs_check(why, why_len)) {
        return false;
    }
#else
    if (!inv_threads_check(true, why, why_len)) {
        return false;
    }
#endif
    return vspace_invariants_hold(why, why_len);
}

bool kernel_invariants_quick(char *why, size_t why_len)
{
    if (why != NULL && why_len > 0) {
        why[0] = '\0';
    }
    if (ks.root_thread == NULL) {
        return true;
    }
    return inv_threads_begin(why, why_len) && inv_threads_check(false, why, why_len)
#ifdef CONFIG_KERNEL_MCS
           && inv_mcs_check(why, why_len)
#endif
        ;
}

static unsigned inc_period = 1, inc_count;

void kernel_invariants_incremental_reset(unsigned period)
{
    inc_period = period == 0 ? 1 : period;
    inc_count = 0;
}

bool kernel_invariants_after_entry(char *why, size_t why_len)
{
    if (++inc_count >= inc_period) {
        inc_count = 0;
        return kernel_invariants_hold(why, why_len);
    }
    return kernel_invariants_quick(why, why_len);
}

#endif
