/* SPDX-License-Identifier: BSD-2-Clause */
/* The fuzzer's decoder and executor: bytes become kernel entries whose capability arguments come
 * mostly from the slots the program has filled (a resource model in the manner of syzkaller's), run
 * on a fresh hostsim kernel with the panic and invariant oracles after every entry. */
#include "kfuzz.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hostsim/emu.h>
#include <hostsim/hostsim.h>
#include <kaal/abi/abi.h>
#include <kaal/gen_config.h>
#include <kaal/invariants.h>
#include <kaal/kernel.h>
#ifdef CONFIG_KERNEL_MCS
#include <kaal/mcs.h>
#endif
#include <kaal/structures.h>
#include <kaal/thread.h>
#include <kaal/vspace.h>

#include "kfuzz_internal.h"
#include "kfuzz_prog.h"

#ifndef KFUZZ_DEFAULT_DTB
#error "KFUZZ_DEFAULT_DTB must name tests/fuzz/fuzz.dtb"
#endif

/* ---- Input bytes ---- */

struct in {
    const uint8_t *p;
    size_t n, i;
};

static uint8_t in_u8(struct in *in) { return in->i < in->n ? in->p[in->i++] : 0; }
static uint64_t in_u64(struct in *in)
{
    uint64_t w = 0;
    for (int b = 0; b < 8; b++) {
        w |= (uint64_t)in_u8(in) << (8 * b);
    }
    return w;
}
static bool in_done(const struct in *in) { return in->i >= in->n; }

/* ---- The resource pool: what the current thread's CSpace root holds ---- */

/* A CNode as a lookup sees it: its slots and the cptr bits that reach them. */
struct cnode_view {
    cte_t *slots;
    unsigned radix, guard_size;
    uint64_t guard;
};

static bool cnode_view_of(cap_t c, struct cnode_view *v)
{
    if (cap_get_cap_type(c) != cap_cnode_cap) {
        return false;
    }
    v->slots = PTOV(cte_t, cap_cnode_cap_get_ptr(c));
    v->radix = (unsigned)cap_cnode_cap_get_radix(c);
    v->guard_size = (unsigned)cap_cnode_cap_get_guard_size(c);
    v->guard = cap_cnode_cap_get_guard(c) & (v->guard_size >= 64 ? ~0ull : MASK(v->guard_size));
    return v->radix + v->guard_size <= 64 && v->radix >= 1;
}

/* The index of slot s when the view's CNode cap is the root of a lookup of depth radix + guard. */
static uint64_t view_index(const struct cnode_view *v, uint64_t s)
{
    return v->radix + v->guard_size == 0 ? 0 : (v->guard << v->radix) | s;
}
static uint64_t view_depth(const struct cnode_view *v) { return v->radix + v->guard_size; }
/* A cptr naming slot s of the CSpace root (the remaining bits, if any, are zero). */
static uint64_t view_cptr(const struct cnode_view *v, uint64_t s)
{
    unsigned used = v->radix + v->guard_size;
    return used >= 64 ? view_index(v, s) : view_index(v, s) << (64 - used);
}

#define POOL_MAX 512u /* slots of the CSpace root the pool follows */
#define N_TAGS 32u

static struct {
    bool valid;
    struct cnode_view root; /* the current thread's CSpace root */
    unsigned end;           /* slots [0, end) */
    uint16_t of_tag[N_TAGS][POOL_MAX];
    unsigned n_of_tag[N_TAGS];
    uint16_t full[POOL_MAX], empty[POOL_MAX];
    unsigned n_full, n_empty;
} pool;

static struct tcb *current_tcb(void)
{
    uint64_t t = hostsim_current_thread();
    return t ? PTOV(struct tcb, t) : NULL;
}

static void pool_refresh(void)
{
    memset(pool.n_of_tag, 0, sizeof(pool.n_of_tag));
    pool.n_full = pool.n_empty = 0;
    pool.valid = false;
    struct tcb *t = current_tcb();
    if (t == NULL || !cnode_view_of(t->ctes[TCB_CTABLE].cap, &pool.root)) {
        pool.end = 0;
        return;
    }
    pool.valid = true;
    pool.end = pool.root.radix >= 9 ? POOL_MAX : 1u << pool.root.radix;
    seL4_BootInfo *bi = hostsim_bootinfo();
    unsigned start = bi != NULL ? (unsigned)bi->empty.start % pool.end : 1;
    for (unsigned k = 0; k < pool.end; k++) {
        unsigned s = (start + k) % pool.end; /* empties in the order retype fills them */
        if (s != 0 && cap_get_cap_type(pool.root.slots[s].cap) == cap_null_cap) {
            pool.empty[pool.n_empty++] = (uint16_t)s;
        }
    }
    for (unsigned s = 0; s < pool.end; s++) {
        word_t tag = cap_get_cap_type(pool.root.slots[s].cap);
        if (tag == cap_null_cap) {
            continue;
        }
        pool.full[pool.n_full++] = (uint16_t)s;
        if (tag < N_TAGS) {
            pool.of_tag[tag][pool.n_of_tag[tag]++] = (uint16_t)s;
        }
    }
}

/* The slot a capability choice names (a pool slot number, or UINT64_MAX for a raw cptr in *raw). */
static uint64_t choose_cap_slot(struct in *in, unsigned tag, uint64_t *raw)
{
    uint8_t c = in_u8(in);
    *raw = 0;
    if (c == KFUZZ_RAW) {
        *raw = in_u64(in);
        return UINT64_MAX;
    }
    if (c >= 0xf0) {
        uint8_t b = in_u8(in);
        return pool.n_full ? pool.full[b % pool.n_full] : b;
    }
    if (c >= KFUZZ_CAP_SLOT) {
        return in_u8(in);
    }
    const uint16_t *list = pool.of_tag[tag < N_TAGS ? tag : 0];
    unsigned n = pool.n_of_tag[tag < N_TAGS ? tag : 0];
    if (tag == cap_null_cap || n == 0) { /* any cap */
        list = pool.full;
        n = pool.n_full;
    }
    if (n == 0) {
        return c;
    }
    return c < KFUZZ_CAP_NEWEST ? list[c % n] : list[n - 1 - (c - KFUZZ_CAP_NEWEST) % n];
}

static uint64_t choose_cap(struct in *in, unsigned tag)
{
    uint64_t raw, s = choose_cap_slot(in, tag, &raw);
    if (s == UINT64_MAX) {
        return raw;
    }
    return pool.valid ? view_cptr(&pool.root, s) : s;
}

/* The CNode view a cptr names in the pool (for index/depth arguments relative to it). */
static bool view_of_cptr(uint64_t cptr, struct cnode_view *v)
{
    if (!pool.valid) {
        return false;
    }
    unsigned used = pool.root.radix + pool.root.guard_size;
    uint64_t idx = used >= 64 ? cptr : cptr >> (64 - used);
    if ((idx >> pool.root.radix) != pool.root.guard) {
        return false;
    }
    uint64_t s = idx & MASK(pool.root.radix);
    return cnode_view_of(pool.root.slots[s].cap, v);
}

/* The tag of the cap a cptr names in the pool, or -1 (for the trace; no kernel entry). */
static int cptr_tag(uint64_t cptr)
{
    if (!pool.valid) {
        return -1;
    }
    unsigned used = pool.root.radix + pool.root.guard_size;
    uint64_t idx = used >= 64 ? cptr : cptr >> (64 - used);
    if ((idx >> pool.root.radix) != pool.root.guard) {
        return -1;
    }
    return (int)cap_get_cap_type(pool.root.slots[idx & MASK(pool.root.radix)].cap);
}

/* An index in CNode v: an empty slot (want_empty) or a full one. */
static uint64_t choose_index(struct in *in, const struct cnode_view *v, bool have_v,
                             bool want_empty)
{
    uint8_t e = in_u8(in);
    if (e == KFUZZ_RAW) {
        return in_u64(in);
    }
    if (e >= 0xe0) {
        uint8_t b = in_u8(in);
        return have_v ? view_index(v, b & MASK(v->radix)) : b;
    }
    if (!have_v) {
        return e;
    }
    unsigned n = 1u << MIN(v->radix, 9u);
    /* Empty slots are counted from the first free one after the boot caps (bootinfo empty.start)
     * and wrap; full ones from slot 0. e < 0x80 counts up, 0x80.. counts down from the last. */
    seL4_BootInfo *bi = hostsim_bootinfo();
    unsigned start =
        want_empty && bi != NULL && v->slots == pool.root.slots ? (unsigned)bi->empty.start % n : 1;
    unsigned matches = 0;
    uint16_t found[512];
    for (unsigned k = 0; k < n; k++) {
        unsigned s = (start + k) % n;
        if ((cap_get_cap_type(v->slots[s].cap) == cap_null_cap) == want_empty &&
            (s != 0 || !want_empty)) {
            found[matches++] = (uint16_t)s;
        }
    }
    if (matches == 0) {
        return view_index(v, e & MASK(v->radix));
    }
    unsigned pick = e < KFUZZ_CAP_NEWEST ? found[e % matches]
                                         : found[matches - 1 - (e - KFUZZ_CAP_NEWEST) % matches];
    return view_index(v, pick);
}

static uint64_t choose_depth(struct in *in, const struct cnode_view *v, bool have_v)
{
    uint8_t d = in_u8(in);
    if (d < 0xe0) {
        return have_v ? view_depth(v) : 64;
    }
    return d == KFUZZ_RAW ? in_u64(in) : in_u8(in);
}

/* ---- Argument kinds and the invocation table ---- */

enum arg {
    A_WORD,
    A_ZERO,
    A_SMALL,
    A_BADGE,
    A_RIGHTS,
    A_TYPE,
    A_SIZE,
    A_COUNT,
    A_VADDR,
    A_ATTR,
    A_PRIO,
    A_IRQ,
    A_TRIGGER,
    A_DOMAIN,
    A_BUFFER,
    A_FLAGS,
    A_NREGS,
    A_OFFSET,
    A_REGS,
    A_EP_CPTR, /* a cptr word naming an endpoint (a fault endpoint) */
    A_TIME,    /* MCS: a budget or period in microseconds */
    A_REFILLS, /* MCS: extra refills */
    A_SCFLAGS, /* MCS: SchedControl_ConfigureFlags flags (seL4_SchedContext_Sporadic) */
    A_FULL,
    A_EMPTY,
    A_DEPTH, /* an index/depth relative to the CNode cap `ref` (R_INVOKED, R_CAP0..) */
};
enum ref { R_INVOKED = 0, R_CAP0 = 1, R_CAP1 = 2, R_CAP2 = 3 };

#define W(k, n)     \
    {               \
        A_##k, 0, n \
    }
#define WR(k, r, n)     \
    {                   \
        A_##k, R_##r, n \
    }

/* Capability kinds are seL4's AArch64 cap tags; 0 means any cap. */
const struct kfuzz_spec kfuzz_specs[] = {
    {UntypedRetype,
     cap_untyped_cap,
     6,
     {W(TYPE, "type"), W(SIZE, "size_bits"), W(ZERO, "node_index"), W(ZERO, "node_depth"),
      WR(EMPTY, CAP0, "node_offset"), W(COUNT, "num_objects")},
     1,
     {cap_cnode_cap}},
    {TCBReadRegisters, cap_thread_cap, 2, {W(FLAGS, "flags"), W(NREGS, "count")}, 0, {0}},
    {TCBWriteRegisters,
     cap_thread_cap,
     38,
     {W(FLAGS, "flags"), W(NREGS, "count"), W(REGS, "regs")},
     0,
     {0}},
    {TCBCopyRegisters, cap_thread_cap, 1, {W(FLAGS, "flags")}, 1, {cap_thread_cap}},
#ifdef CONFIG_KERNEL_MCS /* the fault endpoint is a cap; the scheduling context goes with it */
    {TCBConfigure,
     cap_thread_cap,
     3,
     {W(ZERO, "cspace_data"), W(ZERO, "vspace_data"), W(BUFFER, "buffer")},
     3,
     {cap_cnode_cap, cap_vspace_cap, cap_frame_cap}},
#else
    {TCBConfigure,
     cap_thread_cap,
     4,
     {W(EP_CPTR, "fault_ep"), W(ZERO, "cspace_data"), W(ZERO, "vspace_data"), W(BUFFER, "buffer")},
     3,
     {cap_cnode_cap, cap_vspace_cap, cap_frame_cap}},
#endif
    {TCBSetPriority, cap_thread_cap, 1, {W(PRIO, "priority")}, 1, {cap_thread_cap}},
    {TCBSetMCPriority, cap_thread_cap, 1, {W(PRIO, "mcp")}, 1, {cap_thread_cap}},
#ifdef CONFIG_KERNEL_MCS
    {TCBSetSchedParams,
     cap_thread_cap,
     2,
     {W(PRIO, "mcp"), W(PRIO, "priority")},
     3,
     {cap_thread_cap, cap_sched_context_cap, cap_endpoint_cap}},
    {TCBSetTimeoutEndpoint, cap_thread_cap, 0, {{0, 0, NULL}}, 1, {cap_endpoint_cap}},
#else
    {TCBSetSchedParams,
     cap_thread_cap,
     2,
     {W(PRIO, "mcp"), W(PRIO, "priority")},
     1,
     {cap_thread_cap}},
#endif
    {TCBSetIPCBuffer, cap_thread_cap, 1, {W(BUFFER, "buffer")}, 1, {cap_frame_cap}},
#ifdef CONFIG_KERNEL_MCS
    {TCBSetSpace,
     cap_thread_cap,
     2,
     {W(ZERO, "cspace_data"), W(ZERO, "vspace_data")},
     3,
     {cap_endpoint_cap, cap_cnode_cap, cap_vspace_cap}},
#else
    {TCBSetSpace,
     cap_thread_cap,
     3,
     {W(EP_CPTR, "fault_ep"), W(ZERO, "cspace_data"), W(ZERO, "vspace_data")},
     2,
     {cap_cnode_cap, cap_vspace_cap}},
#endif
    {TCBSuspend, cap_thread_cap, 0, {{0, 0, NULL}}, 0, {0}},
    {TCBResume, cap_thread_cap, 0, {{0, 0, NULL}}, 0, {0}},
    {TCBBindNotification, cap_thread_cap, 0, {{0, 0, NULL}}, 1, {cap_notification_cap}},
    {TCBUnbindNotification, cap_thread_cap, 0, {{0, 0, NULL}}, 0, {0}},
    {TCBSetTLSBase, cap_thread_cap, 1, {W(WORD, "tls_base")}, 0, {0}},
    {TCBSetFlags, cap_thread_cap, 2, {W(SMALL, "clear"), W(SMALL, "set")}, 0, {0}},
    {CNodeRevoke,
     cap_cnode_cap,
     2,
     {WR(FULL, INVOKED, "index"), WR(DEPTH, INVOKED, "depth")},
     0,
     {0}},
    {CNodeDelete,
     cap_cnode_cap,
     2,
     {WR(FULL, INVOKED, "index"), WR(DEPTH, INVOKED, "depth")},
     0,
     {0}},
    {CNodeCancelBadgedSends,
     cap_cnode_cap,
     2,
     {WR(FULL, INVOKED, "index"), WR(DEPTH, INVOKED, "depth")},
     0,
     {0}},
    {CNodeCopy,
     cap_cnode_cap,
     5,
     {WR(EMPTY, INVOKED, "dest"), WR(DEPTH, INVOKED, "dest_depth"), WR(FULL, CAP0, "src"),
      WR(DEPTH, CAP0, "src_depth"), W(RIGHTS, "rights")},
     1,
     {cap_cnode_cap}},
    {CNodeMint,
     cap_cnode_cap,
     6,
     {WR(EMPTY, INVOKED, "dest"), WR(DEPTH, INVOKED, "dest_depth"), WR(FULL, CAP0, "src"),
      WR(DEPTH, CAP0, "src_depth"), W(RIGHTS, "rights"), W(BADGE, "badge")},
     1,
     {cap_cnode_cap}},
    {CNodeMove,
     cap_cnode_cap,
     4,
     {WR(EMPTY, INVOKED, "dest"), WR(DEPTH, INVOKED, "dest_depth"), WR(FULL, CAP0, "src"),
      WR(DEPTH, CAP0, "src_depth")},
     1,
     {cap_cnode_cap}},
    {CNodeMutate,
     cap_cnode_cap,
     5,
     {WR(EMPTY, INVOKED, "dest"), WR(DEPTH, INVOKED, "dest_depth"), WR(FULL, CAP0, "src"),
      WR(DEPTH, CAP0, "src_depth"), W(BADGE, "badge")},
     1,
     {cap_cnode_cap}},
    {CNodeRotate,
     cap_cnode_cap,
     8,
     {WR(EMPTY, INVOKED, "dest"), WR(DEPTH, INVOKED, "dest_depth"), W(BADGE, "dest_badge"),
      WR(FULL, CAP0, "pivot"), WR(DEPTH, CAP0, "pivot_depth"), W(BADGE, "pivot_badge"),
      WR(FULL, CAP1, "src"), WR(DEPTH, CAP1, "src_depth")},
     2,
     {cap_cnode_cap, cap_cnode_cap}},
#ifndef CONFIG_KERNEL_MCS /* MCS has reply objects, not reply caps to save */
    {CNodeSaveCaller,
     cap_cnode_cap,
     2,
     {WR(EMPTY, INVOKED, "index"), WR(DEPTH, INVOKED, "depth")},
     0,
     {0}},
#endif
    {IRQIssueIRQHandler,
     cap_irq_control_cap,
     3,
     {W(IRQ, "irq"), WR(EMPTY, CAP0, "index"), WR(DEPTH, CAP0, "depth")},
     1,
     {cap_cnode_cap}},
    {IRQAckIRQ, cap_irq_handler_cap, 0, {{0, 0, NULL}}, 0, {0}},
    {IRQSetIRQHandler, cap_irq_handler_cap, 0, {{0, 0, NULL}}, 1, {cap_notification_cap}},
    {IRQClearIRQHandler, cap_irq_handler_cap, 0, {{0, 0, NULL}}, 0, {0}},
    {DomainSetSet, cap_domain_cap, 1, {W(DOMAIN, "domain")}, 1, {cap_thread_cap}},
    {DomainScheduleConfigure,
     cap_domain_cap,
     3,
     {W(SMALL, "index"), W(DOMAIN, "domain"), W(SMALL, "duration")},
     0,
     {0}},
    {DomainScheduleSetStart, cap_domain_cap, 1, {W(SMALL, "index")}, 0, {0}},
    {ARMVSpaceClean_Data, cap_vspace_cap, 2, {W(VADDR, "start"), W(VADDR, "end")}, 0, {0}},
    {ARMVSpaceInvalidate_Data, cap_vspace_cap, 2, {W(VADDR, "start"), W(VADDR, "end")}, 0, {0}},
    {ARMVSpaceCleanInvalidate_Data,
     cap_vspace_cap,
     2,
     {W(VADDR, "start"), W(VADDR, "end")},
     0,
     {0}},
    {ARMVSpaceUnify_Instruction, cap_vspace_cap, 2, {W(VADDR, "start"), W(VADDR, "end")}, 0, {0}},
    {ARMPageTableMap,
     cap_page_table_cap,
     2,
     {W(VADDR, "vaddr"), W(ATTR, "attr")},
     1,
     {cap_vspace_cap}},
    {ARMPageTableUnmap, cap_page_table_cap, 0, {{0, 0, NULL}}, 0, {0}},
    {ARMPageMap,
     cap_frame_cap,
     3,
     {W(VADDR, "vaddr"), W(RIGHTS, "rights"), W(ATTR, "attr")},
     1,
     {cap_vspace_cap}},
    {ARMPageUnmap, cap_frame_cap, 0, {{0, 0, NULL}}, 0, {0}},
    {ARMPageClean_Data, cap_frame_cap, 2, {W(OFFSET, "start"), W(OFFSET, "end")}, 0, {0}},
    {ARMPageInvalidate_Data, cap_frame_cap, 2, {W(OFFSET, "start"), W(OFFSET, "end")}, 0, {0}},
    {ARMPageCleanInvalidate_Data, cap_frame_cap, 2, {W(OFFSET, "start"), W(OFFSET, "end")}, 0, {0}},
    {ARMPageUnify_Instruction, cap_frame_cap, 2, {W(OFFSET, "start"), W(OFFSET, "end")}, 0, {0}},
    {ARMPageGetAddress, cap_frame_cap, 0, {{0, 0, NULL}}, 0, {0}},
    {ARMASIDControlMakePool,
     cap_asid_control_cap,
     2,
     {WR(EMPTY, CAP1, "index"), WR(DEPTH, CAP1, "depth")},
     2,
     {cap_untyped_cap, cap_cnode_cap}},
    {ARMASIDPoolAssign, cap_asid_pool_cap, 0, {{0, 0, NULL}}, 1, {cap_vspace_cap}},
    {ARMIRQIssueIRQHandlerTrigger,
     cap_irq_control_cap,
     4,
     {W(IRQ, "irq"), W(TRIGGER, "trigger"), WR(EMPTY, CAP0, "index"), WR(DEPTH, CAP0, "depth")},
     1,
     {cap_cnode_cap}},
#ifdef CONFIG_KERNEL_MCS
    {SchedControlConfigureFlags,
     cap_sched_control_cap,
     5,
     {W(TIME, "budget"), W(TIME, "period"), W(REFILLS, "extra_refills"), W(BADGE, "badge"),
      W(SCFLAGS, "flags")},
     1,
     {cap_sched_context_cap}},
    /* Bind and UnbindObject take a TCB or a notification: one entry for each. */
    {SchedContextBind, cap_sched_context_cap, 0, {{0, 0, NULL}}, 1, {cap_thread_cap}},
    {SchedContextBind, cap_sched_context_cap, 0, {{0, 0, NULL}}, 1, {cap_notification_cap}},
    {SchedContextUnbind, cap_sched_context_cap, 0, {{0, 0, NULL}}, 0, {0}},
    {SchedContextUnbindObject, cap_sched_context_cap, 0, {{0, 0, NULL}}, 1, {cap_thread_cap}},
    {SchedContextUnbindObject, cap_sched_context_cap, 0, {{0, 0, NULL}}, 1, {cap_notification_cap}},
    {SchedContextConsumed, cap_sched_context_cap, 0, {{0, 0, NULL}}, 0, {0}},
    {SchedContextYieldTo, cap_sched_context_cap, 0, {{0, 0, NULL}}, 0, {0}},
#endif
    {ARMIRQIssueSGISignal,
     cap_irq_control_cap,
     4,
     {W(SMALL, "sgi"), W(SMALL, "target"), WR(EMPTY, CAP0, "index"), WR(DEPTH, CAP0, "depth")},
     1,
     {cap_cnode_cap}},
};
const unsigned kfuzz_n_specs = ARRAY_SIZE(kfuzz_specs);

/* Untyped_Retype: types the object macro makes, weighted toward the ones deep states need. */
static const uint8_t useful_types[KFUZZ_OBJECT_TYPES] = {
    seL4_TCBObject,           seL4_EndpointObject,      seL4_EndpointObject,
    seL4_NotificationObject,  seL4_NotificationObject,  seL4_CapTableObject,
    seL4_ARM_SmallPageObject, seL4_ARM_PageTableObject, seL4_ARM_PageTableObject,
    seL4_ARM_VSpaceObject,    seL4_UntypedObject,
#ifdef CONFIG_KERNEL_MCS
    seL4_SchedContextObject,  seL4_ReplyObject,         seL4_ReplyObject,
#endif
};

/* Virtual addresses programs map at: a few 4 KiB pages in a few 2 MiB and 1 GiB regions. */
static uint64_t typical_vaddr(uint8_t b)
{
    return 0x10000000ull + (uint64_t)(b & 7) * 0x1000 + (uint64_t)((b >> 3) & 3) * 0x200000 +
           (uint64_t)((b >> 5) & 3) * 0x40000000ull;
}

/* A value for one word argument. `words` holds the ones already chosen (for size_bits by type). */
static uint64_t choose_value(struct in *in, enum arg kind, const uint64_t *words)
{
    uint8_t b = in_u8(in);
    if (b == KFUZZ_RAW) {
        return in_u64(in);
    }
    if (b >= KFUZZ_VALUE_SMALL) {
        return b - KFUZZ_VALUE_SMALL;
    }
    switch (kind) {
    case A_ZERO:
        return 0;
    case A_SMALL:
        return b % 16;
    case A_BADGE:
        return b % 16;
    case A_RIGHTS:
        return b % 16;
    case A_TYPE:
        return b % seL4_ObjectTypeCount;
    case A_SIZE:
        if (words[0] == seL4_UntypedObject) {
            return 4 + b % 14;
        }
#ifdef CONFIG_KERNEL_MCS
        if (words[0] == seL4_SchedContextObject) { /* one below the minimum now and then */
            return seL4_MinSchedContextBits - 1 + b % 5;
        }
#endif
        return words[0] == seL4_CapTableObject ? 1 + b % 6 : 0;
    case A_COUNT:
        return 1 + b % 3;
    case A_VADDR:
        return typical_vaddr(b);
    case A_ATTR:
        return b % 8;
    case A_PRIO:
        return b;
    case A_IRQ:
        return b % 48;
    case A_TRIGGER:
        return b & 1;
    case A_DOMAIN:
        return b % 4;
    case A_BUFFER: {
        seL4_BootInfo *bi = hostsim_bootinfo();
        uint64_t root_buf = bi ? (uint64_t)(uintptr_t)bi->ipcBuffer : 0;
        return b < 0xa0 ? root_buf : typical_vaddr(b) + (b & 0x10 ? 0x200 : 0);
    }
    case A_FLAGS:
        return b & 0x1f;
    case A_NREGS:
        return b % 40;
    case A_OFFSET:
        return (uint64_t)(b % 17) * 256;
#ifdef CONFIG_KERNEL_MCS
    case A_TIME: { /* microseconds: around the minimum budget up to a second */
        static const uint64_t us[] = {MCS_MIN_BUDGET_US - 1,
                                      MCS_MIN_BUDGET_US,
                                      50,
                                      100,
                                      250,
                                      1000,
                                      2000,
                                      10000,
                                      100000,
                                      1000000};
        return us[b % ARRAY_SIZE(us)];
    }
    case A_REFILLS:
        return b % 12;
    case A_SCFLAGS:
        return b & 1 ? seL4_SchedContext_Sporadic : seL4_SchedContext_NoFlag;
#endif
    default:
        return b;
    }
}

/* ---- Running ---- */

static struct {
    struct kfuzz_config cfg;
    void *dtb;
    size_t dtb_size;
    struct kfuzz_result *res;
    double boot_us;
    unsigned op_index;
    bool stop; /* the machine halted or the oracle fired: the rest of the input is skipped */
    word_t root_cnode;             /* the root thread's CSpace root after boot (physical address) */
    unsigned n_buffers;            /* thread IPC buffers mapped so far (op_thread) */
    struct hostsim_snapshot *snap; /* the booted machine every input starts from */
} fz;

/* The oracle after one kernel entry (or a few: ticks). */
static void oracle(enum hostsim_status st, const char *what)
{
    struct kfuzz_result *r = fz.res;
    if (st == HOSTSIM_HALTED || hostsim_panicked()) {
        const char *console = hostsim_console_take();
        snprintf(r->why, sizeof(r->why), "kernel halted after %s (op %u): %s", what, fz.op_index,
                 console && *console ? console : "(no console output)");
        r->finding = true;
        fz.stop = true;
        return;
    }
    /* The checker finds caps only through the root thread: once the root thread has lost its boot
     * CSpace (its TCB or CNode deleted, or another CNode made its CSpace root by TCB_Configure or
     * TCB_SetSpace), caps it cannot reach still exist and nothing it reports means anything, so
     * the program ends here (not a finding; see docs/fuzzing.md). */
    if (ks.root_thread == NULL ||
        cap_get_cap_type(ks.root_thread->ctes[TCB_CTABLE].cap) != cap_cnode_cap ||
        cap_cnode_cap_get_ptr(ks.root_thread->ctes[TCB_CTABLE].cap) != fz.root_cnode) {
        if (fz.cfg.trace) {
            fprintf(fz.cfg.trace,
                    "kfuzz: the root thread has lost its boot CSpace: the program ends\n");
        }
        fz.stop = true;
        return;
    }
#ifdef CONFIG_KERNEL_INVARIANTS
    if (fz.cfg.check == KFUZZ_CHECK_EVERY_ENTRY || fz.cfg.check == KFUZZ_CHECK_INCREMENTAL) {
        char why[400];
        bool ok = fz.cfg.check == KFUZZ_CHECK_EVERY_ENTRY
                      ? kernel_invariants_hold(why, sizeof(why))
                      : kernel_invariants_after_entry(why, sizeof(why));
        /* Known false alarm (docs/fuzzing.md, "Findings"): the checker trusts the bootinfo frame,
         * which is user memory the program may rightly overwrite (through its IPC buffer). */
        if (!ok && strncmp(why, "bootinfo ", 9) != 0) {
            snprintf(r->why, sizeof(r->why), "invariant failed after %s (op %u): %s", what,
                     fz.op_index, why);
            r->finding = true;
            fz.stop = true;
        }
    }
#endif
}

/* Make a system call as the current thread with registers regs (x7 = number; under MCS x8 too),
 * message words beyond the fourth and extra caps in its IPC buffer. */
static enum hostsim_status do_syscall(uint64_t regs[KFUZZ_NREGS], const uint64_t *mrs,
                                      unsigned n_mrs, const uint64_t *caps, unsigned ncaps,
                                      const char *what)
{
    uint64_t in_regs[KFUZZ_NREGS];
    struct tcb *t = current_tcb();
    if (t == NULL) {
        return HOSTSIM_IDLE;
    }
    seL4_IPCBuffer *buf = hostsim_thread_ipc_buffer(VTOP(t));
    for (unsigned i = 0; i < n_mrs && i < seL4_MsgMaxLength; i++) {
        if (i < 4) {
            regs[2 + i] = mrs[i];
        } else if (buf != NULL) {
            buf->msg[i] = mrs[i];
        }
    }
    for (unsigned i = 0; buf != NULL && i < ncaps && i < seL4_MsgMaxExtraCaps; i++) {
        buf->caps_or_badges[i] = caps[i];
    }
    memcpy(in_regs, regs, sizeof(in_regs));
    unsigned restarts = 0;
    if (fz.cfg.trace) {
        kfuzz_trace_call(fz.cfg.trace, fz.op_index, VTOP(t), in_regs, KFUZZ_NREGS,
                         cptr_tag(in_regs[0]), mrs, n_mrs, caps, ncaps);
    }
#ifdef CONFIG_KERNEL_MCS
    enum hostsim_status st = hostsim_syscall_as_current_x8(regs, &restarts);
#else
    enum hostsim_status st = hostsim_syscall_as_current(regs, &restarts);
#endif
    fz.res->syscalls++;
    fz.res->entries += 1 + restarts;
    if (st == HOSTSIM_OK && (int64_t)in_regs[7] == seL4_SysCall) {
        seL4_MessageInfo_t info = {{regs[1]}};
        if (seL4_MessageInfo_get_label(info) != seL4_NoError) {
            fz.res->errors++;
        }
    }
    if (fz.cfg.trace) {
        kfuzz_trace_result(fz.cfg.trace, in_regs, regs, buf, st, restarts);
    }
    oracle(st, what);
    return st;
}

static void set_receive_slot(struct in *in)
{
    struct tcb *t = current_tcb();
    seL4_IPCBuffer *buf = t ? hostsim_thread_ipc_buffer(VTOP(t)) : NULL;
    if (buf == NULL || !pool.valid) {
        return;
    }
    uint8_t b = in_u8(in);
    if (b == KFUZZ_RAW) {
        buf->receiveCNode = in_u64(in);
        buf->receiveIndex = in_u64(in);
        buf->receiveDepth = in_u8(in);
        return;
    }
    buf->receiveCNode = view_cptr(&pool.root, seL4_CapInitThreadCNode);
    buf->receiveIndex = pool.n_empty ? view_index(&pool.root, pool.empty[b % pool.n_empty]) : b;
    buf->receiveDepth = view_depth(&pool.root);
}

/* One invocation from the table, as decoded from the input. */
static void op_invoke(struct in *in, const struct kfuzz_spec *sp)
{
    uint64_t cptr = choose_cap(in, sp->invoked);
    uint64_t caps[seL4_MsgMaxExtraCaps] = {0};
    for (unsigned i = 0; i < sp->ncaps; i++) {
        caps[i] = choose_cap(in, sp->caps[i]);
    }
    uint64_t words[seL4_MsgMaxLength] = {0};
    unsigned len = sp->nwords;
    for (unsigned i = 0, w = 0; i < KFUZZ_MAX_ARGS && sp->args[i].name != NULL && w < len; i++) {
        const __typeof__(sp->args[0]) *a = &sp->args[i];
        if (a->kind == A_REGS) {
            for (; w < len; w++) {
                words[w] = choose_value(in, A_WORD, words);
            }
            break;
        }
        if (a->kind == A_EP_CPTR) {
            words[w++] = in_u8(in) < 0x20 ? 0 : choose_cap(in, cap_endpoint_cap);
            continue;
        }
        if (a->kind == A_FULL || a->kind == A_EMPTY || a->kind == A_DEPTH) {
            struct cnode_view v;
            bool have = view_of_cptr(a->ref == R_INVOKED ? cptr : caps[a->ref - 1], &v);
            words[w++] = a->kind == A_DEPTH ? choose_depth(in, &v, have)
                                            : choose_index(in, &v, have, a->kind == A_EMPTY);
            continue;
        }
        words[w++] = choose_value(in, (enum arg)a->kind, words);
    }
    unsigned ncaps = sp->ncaps;
    int64_t sysno = seL4_SysCall;
    uint8_t m = in_u8(in);
    if (m >= KFUZZ_MUT_NBSEND) {
        sysno = seL4_SysNBSend;
    } else if (m >= KFUZZ_MUT_SEND) {
        sysno = seL4_SysSend;
    } else if (m >= KFUZZ_MUT_NCAPS) {
        ncaps = m % 4;
        for (unsigned i = sp->ncaps; i < ncaps; i++) {
            caps[i] = choose_cap(in, cap_null_cap);
        }
    } else if (m >= KFUZZ_MUT_LENGTH) {
        len = in_u8(in) % 128;
    } else if (m >= KFUZZ_MUT_WORD) {
        words[m % 8] = in_u64(in);
        len = MAX(len, (unsigned)(m % 8) + 1);
    }
    seL4_MessageInfo_t info = seL4_MessageInfo_new(sp->label, 0, ncaps, len);
    uint64_t regs[KFUZZ_NREGS] = {cptr, info.words[0], 0, 0, 0, 0, 0, (uint64_t)sysno};
    do_syscall(regs, words, MIN(len, (unsigned)seL4_MsgMaxLength), caps, ncaps,
               kfuzz_label_name(sp->label));
}

/* IPC system calls (kfuzz_prog.h, enum kfuzz_ipc). Bytes: the sub-byte, the cap in x0 (not for
 * Yield, nor base Reply), under MCS the destination (NBSendRecv: x8, NBSendWait: x6) and the reply
 * object (x6: Recv, NBRecv, ReplyRecv, NBSendRecv), then the message's shape, words and caps (the
 * sending calls), then the receive slot (the receiving calls). */
static void op_ipc(struct in *in)
{
    uint8_t s = in_u8(in);
    enum kfuzz_ipc kind = (enum kfuzz_ipc)((s % KFUZZ_IPC_NTFN) % KFUZZ_IPC_KINDS);
    unsigned tag = (s / KFUZZ_IPC_NTFN) % 2 ? cap_notification_cap : cap_endpoint_cap;
#ifdef CONFIG_KERNEL_MCS
    /* Reply is a Send on a reply object under MCS (there is no Reply system call). */
    static const int64_t sysnos[KFUZZ_IPC_KINDS] = {
        seL4_SysSend,       seL4_SysNBSend,     seL4_SysCall,      seL4_SysRecv,
        seL4_SysNBRecv,     seL4_SysSend,       seL4_SysReplyRecv, seL4_SysYield,
        seL4_SysNBSendRecv, seL4_SysNBSendWait, seL4_SysWait,      seL4_SysNBWait};
    static const char *names[KFUZZ_IPC_KINDS] = {
        "Send",      "NBSend", "Call",       "Recv",       "NBRecv", "Reply (Send to a reply)",
        "ReplyRecv", "Yield",  "NBSendRecv", "NBSendWait", "Wait",   "NBWait"};
    bool sends = kind != KFUZZ_IPC_RECV && kind != KFUZZ_IPC_NBRECV && kind != KFUZZ_IPC_YIELD &&
                 kind != KFUZZ_IPC_WAIT && kind != KFUZZ_IPC_NBWAIT;
    bool receives = kind != KFUZZ_IPC_SEND && kind != KFUZZ_IPC_NBSEND && kind != KFUZZ_IPC_REPLY &&
                    kind != KFUZZ_IPC_YIELD;
#else
    static const int64_t sysnos[KFUZZ_IPC_KINDS] = {
        seL4_SysSend,   seL4_SysNBSend, seL4_SysCall,      seL4_SysRecv,
        seL4_SysNBRecv, seL4_SysReply,  seL4_SysReplyRecv, seL4_SysYield};
    static const char *names[KFUZZ_IPC_KINDS] = {"Send",   "NBSend", "Call",      "Recv",
                                                 "NBRecv", "Reply",  "ReplyRecv", "Yield"};
    bool sends = kind == KFUZZ_IPC_SEND || kind == KFUZZ_IPC_NBSEND || kind == KFUZZ_IPC_CALL ||
                 kind == KFUZZ_IPC_REPLY || kind == KFUZZ_IPC_REPLYRECV;
    bool receives = kind == KFUZZ_IPC_RECV || kind == KFUZZ_IPC_NBRECV || kind == KFUZZ_IPC_CALL ||
                    kind == KFUZZ_IPC_REPLYRECV;
#endif
    uint64_t regs[KFUZZ_NREGS] = {0};
    regs[7] = (uint64_t)sysnos[kind];
    uint64_t mrs[8] = {0}, caps[seL4_MsgMaxExtraCaps] = {0};
    unsigned n = 0, ncaps = 0;
#ifdef CONFIG_KERNEL_MCS
    if (kind == KFUZZ_IPC_REPLY) {
        regs[0] = choose_cap(in, cap_reply_cap);
    } else if (kind != KFUZZ_IPC_YIELD) {
        regs[0] = choose_cap(in, tag);
    }
    if (kind == KFUZZ_IPC_NBSENDRECV) {
        regs[8] = choose_cap(in, cap_endpoint_cap);
    } else if (kind == KFUZZ_IPC_NBSENDWAIT) {
        regs[6] = choose_cap(in, cap_endpoint_cap);
    }
    if (kind == KFUZZ_IPC_RECV || kind == KFUZZ_IPC_NBRECV || kind == KFUZZ_IPC_REPLYRECV ||
        kind == KFUZZ_IPC_NBSENDRECV) {
        regs[6] = choose_cap(in, cap_reply_cap);
    }
#else
    if (kind != KFUZZ_IPC_YIELD && kind != KFUZZ_IPC_REPLY) {
        regs[0] = choose_cap(in, tag);
    }
#endif
    if (sends) {
        uint8_t shape = in_u8(in);
        n = shape % 6;
        ncaps = (shape / 8) % 4 == 3 ? 0 : (shape / 8) % 4; /* 0, 1 or 2 caps */
        uint64_t label = (shape >> 5) == 7 ? in_u8(in) : (shape >> 5);
        for (unsigned i = 0; i < n; i++) {
            mrs[i] = choose_value(in, A_WORD, mrs);
        }
        for (unsigned i = 0; i < ncaps; i++) {
            caps[i] = choose_cap(in, cap_null_cap);
        }
        regs[1] = seL4_MessageInfo_new(label, 0, ncaps, n).words[0];
    }
    if (receives) {
        set_receive_slot(in);
    }
    do_syscall(regs, mrs, n, caps, ncaps, names[kind]);
}

/* Retype one useful object (type byte, untyped choice, empty slot, count); returns the untyped
 * cptr it used. */
static uint64_t retype_into_root(struct in *in, uint64_t type)
{
    uint64_t untyped = choose_cap(in, cap_untyped_cap);
    uint8_t e = in_u8(in);
    uint8_t cnt = in_u8(in);
    if (!pool.valid) {
        return untyped;
    }
    uint64_t offset = pool.n_empty ? pool.empty[e % pool.n_empty] : e;
    uint64_t size = type == seL4_UntypedObject    ? 8 + cnt % 8
                    : type == seL4_CapTableObject ? 2 + cnt % 4
                                                  : 0;
#ifdef CONFIG_KERNEL_MCS
    if (type == seL4_SchedContextObject) { /* room for 2 to 16 refills */
        size = seL4_MinSchedContextBits + cnt % 4;
    }
#endif
    uint64_t words[6] = {type, size, 0, 0, offset, 1 + (cnt >> 6)};
    uint64_t caps[1] = {view_cptr(&pool.root, seL4_CapInitThreadCNode)};
    /* The CSpace root itself: its slot 2 holds a cap to it only in the root task's CSpace, so name
     * it through any pool CNode cap to the same object when there is one. */
    for (unsigned i = 0; i < pool.n_of_tag[cap_cnode_cap]; i++) {
        unsigned s = pool.of_tag[cap_cnode_cap][i];
        if (cap_cnode_cap_get_ptr(pool.root.slots[s].cap) == VTOP(pool.root.slots)) {
            caps[0] = view_cptr(&pool.root, s);
            break;
        }
    }
    seL4_MessageInfo_t info = seL4_MessageInfo_new(UntypedRetype, 0, 1, 6);
    uint64_t regs[KFUZZ_NREGS] = {untyped, info.words[0], 0, 0, 0, 0, 0, (uint64_t)seL4_SysCall};
    do_syscall(regs, words, 6, caps, 1, "UntypedRetype");
    return untyped;
}

/* Invoke a table entry with the given decoded-arguments bytes prefix already consumed by the
 * caller's choices: used by the macros so each of their steps is a real invocation. */
static void invoke_words(uint64_t cptr, uint64_t label, const uint64_t *words, unsigned n,
                         const uint64_t *caps, unsigned ncaps)
{
    seL4_MessageInfo_t info = seL4_MessageInfo_new(label, 0, ncaps, n);
    uint64_t regs[KFUZZ_NREGS] = {cptr, info.words[0], 0, 0, 0, 0, 0, (uint64_t)seL4_SysCall};
    do_syscall(regs, words, n, caps, ncaps, kfuzz_label_name(label));
}

/* Threads' own IPC buffers: 4 KiB frames mapped in the root VSpace in the 2 MiB region of the root
 * task's image, whose page table boot made (so a Page_Map needs no new tables). */
#define THREAD_BUFFERS_VBASE 0x5c0000ull
#define THREAD_BUFFERS 64u

/* A frame of its own for a new thread's IPC buffer (so threads' messages and extra caps do not
 * overwrite each other's), retyped from `untyped` and mapped in the root VSpace. Returns its
 * virtual address, or 0 when any step fails (the thread then shares the root's buffer). */
static uint64_t thread_buffer(uint64_t untyped, uint64_t *frame_cptr)
{
    pool_refresh();
    if (!pool.valid || pool.n_empty == 0) {
        return 0;
    }
    unsigned slot = pool.empty[0];
    uint64_t words[6] = {seL4_ARM_SmallPageObject, 0, 0, 0, slot, 1};
    uint64_t caps[1] = {view_cptr(&pool.root, seL4_CapInitThreadCNode)};
    invoke_words(untyped, UntypedRetype, words, 6, caps, 1);
    if (fz.stop || cap_get_cap_type(pool.root.slots[slot].cap) != cap_frame_cap) {
        return 0;
    }
    uint64_t vaddr = THREAD_BUFFERS_VBASE + (uint64_t)(fz.n_buffers++ % THREAD_BUFFERS) * 0x1000;
    uint64_t map[3] = {vaddr, seL4_ReadWrite, 0};
    uint64_t vspace[1] = {view_cptr(&pool.root, seL4_CapInitThreadVSpace)};
    *frame_cptr = view_cptr(&pool.root, slot);
    invoke_words(*frame_cptr, ARMPageMap, map, 3, vspace, 1);
    if (fz.stop || cap_frame_cap_get_mapped_asid(pool.root.slots[slot].cap) == ASID_INVALID) {
        return 0;
    }
    return vaddr;
}

#ifdef CONFIG_KERNEL_MCS
/* A scheduling context for a new thread (op_thread's sc byte, at least 0x20): retyped from
 * `untyped` into the first empty slot (2^8 bytes, 2^9 with sc & 0x40) and configured through the
 * first SchedControl cap with one of a few budget/period pairs (sc % 4; round robin when they are
 * equal), sporadic when sc & 4, two extra refills when sc & 0x10, the badge sc. Returns its cptr,
 * or 0 when any step fails (the thread then has none). */
static uint64_t thread_sched_context(uint64_t untyped, uint8_t sc)
{
    static const uint64_t budget_period_us[4][2] = {
        {1000, 1000}, {300, 1000}, {100, 2000}, {MCS_MIN_BUDGET_US, 100}};
    pool_refresh();
    if (!pool.valid || pool.n_empty == 0 || pool.n_of_tag[cap_sched_control_cap] == 0) {
        return 0;
    }
    unsigned slot = pool.empty[0];
    uint64_t words[6] = {
        seL4_SchedContextObject, seL4_MinSchedContextBits + 1 + (sc >> 6) % 2, 0, 0, slot, 1};
    uint64_t caps[1] = {view_cptr(&pool.root, seL4_CapInitThreadCNode)};
    invoke_words(untyped, UntypedRetype, words, 6, caps, 1);
    if (fz.stop || cap_get_cap_type(pool.root.slots[slot].cap) != cap_sched_context_cap) {
        return 0;
    }
    uint64_t sc_cptr = view_cptr(&pool.root, slot);
    uint64_t conf[5] = {budget_period_us[sc % 4][0], budget_period_us[sc % 4][1], sc & 0x10 ? 2 : 0,
                        sc, sc & 4 ? seL4_SchedContext_Sporadic : seL4_SchedContext_NoFlag};
    uint64_t sc_caps[1] = {sc_cptr};
    invoke_words(view_cptr(&pool.root, pool.of_tag[cap_sched_control_cap][0]),
                 SchedControlConfigureFlags, conf, 5, sc_caps, 1);
    return fz.stop ? 0 : sc_cptr;
}
#endif

/* A thread made in steps, each a real invocation: a TCB retyped (type byte skipped: the untyped,
 * empty slot and count bytes), then bytes vs (its VSpace), prio, ep (>= 0x40: a fault endpoint) and
 * under MCS sc (see thread_sched_context; < 0x20: none, the thread stays passive; with bit 3 the
 * fault endpoint is its timeout endpoint too); configured, prioritised and resumed. */
static void op_thread(struct in *in)
{
    uint64_t untyped = retype_into_root(in, seL4_TCBObject);
    uint8_t vs = in_u8(in), prio = in_u8(in), ep = in_u8(in);
#ifdef CONFIG_KERNEL_MCS
    uint8_t sc = in_u8(in);
#endif
    if (fz.stop) {
        return;
    }
    pool_refresh();
    if (!pool.valid || pool.n_of_tag[cap_thread_cap] == 0) {
        return;
    }
    uint64_t tcb =
        view_cptr(&pool.root, pool.of_tag[cap_thread_cap][pool.n_of_tag[cap_thread_cap] - 1]);
    uint64_t cnode = view_cptr(&pool.root, seL4_CapInitThreadCNode);
    unsigned nv = pool.n_of_tag[cap_vspace_cap];
    uint64_t vspace =
        nv ? view_cptr(&pool.root, pool.of_tag[cap_vspace_cap][vs % nv]) : seL4_CapInitThreadVSpace;
    bool root_vspace = nv == 0 || pool.of_tag[cap_vspace_cap][vs % nv] == seL4_CapInitThreadVSpace;
    unsigned ne = pool.n_of_tag[cap_endpoint_cap];
    uint64_t fault_ep =
        ne && ep >= 0x40 ? view_cptr(&pool.root, pool.of_tag[cap_endpoint_cap][ep % ne]) : 0;
    seL4_BootInfo *bi = hostsim_bootinfo();
    uint64_t buffer = root_vspace && bi ? (uint64_t)(uintptr_t)bi->ipcBuffer : 0;
    uint64_t buffer_cap = buffer ? view_cptr(&pool.root, seL4_CapInitThreadIPCBuffer) : 0;
    uint64_t frame = 0, own = root_vspace ? thread_buffer(untyped, &frame) : 0;
    if (fz.stop) {
        return;
    }
    if (own != 0) {
        buffer = own;
        buffer_cap = frame;
    }
#ifdef CONFIG_KERNEL_MCS
    uint64_t sc_cptr = sc >= 0x20 ? thread_sched_context(untyped, sc) : 0;
    if (fz.stop) {
        return;
    }
    uint64_t conf[3] = {0, 0, buffer};
    uint64_t conf_caps[3] = {cnode, vspace, buffer_cap};
    invoke_words(tcb, TCBConfigure, conf, 3, conf_caps, 3);
    if (fz.stop) {
        return;
    }
    uint64_t sched[2] = {255, prio};
    uint64_t sched_caps[3] = {view_cptr(&pool.root, seL4_CapInitThreadTCB), sc_cptr, fault_ep};
    invoke_words(tcb, TCBSetSchedParams, sched, 2, sched_caps, 3);
    if (fz.stop) {
        return;
    }
    if ((sc & 8) && fault_ep != 0) {
        uint64_t timeout_ep[1] = {fault_ep};
        invoke_words(tcb, TCBSetTimeoutEndpoint, NULL, 0, timeout_ep, 1);
        if (fz.stop) {
            return;
        }
    }
#else
    uint64_t conf[4] = {fault_ep, 0, 0, buffer};
    uint64_t conf_caps[3] = {cnode, vspace, buffer_cap};
    invoke_words(tcb, TCBConfigure, conf, 4, conf_caps, 3);
    if (fz.stop) {
        return;
    }
    uint64_t sched[2] = {255, prio};
    uint64_t auth[1] = {view_cptr(&pool.root, seL4_CapInitThreadTCB)};
    invoke_words(tcb, TCBSetSchedParams, sched, 2, auth, 1);
    if (fz.stop) {
        return;
    }
#endif
    invoke_words(tcb, TCBResume, NULL, 0, NULL, 0);
}

static void op_map(struct in *in)
{
    uint64_t frame = choose_cap(in, cap_frame_cap);
    uint64_t vspace = choose_cap(in, cap_vspace_cap);
    uint64_t vaddr = choose_value(in, A_VADDR, NULL);
    uint8_t rights = in_u8(in);
    for (int level = 0; level < 3 && !fz.stop; level++) {
        uint64_t pt = choose_cap(in, cap_page_table_cap);
        uint64_t w[2] = {vaddr, 0};
        uint64_t c[1] = {vspace};
        invoke_words(pt, ARMPageTableMap, w, 2, c, 1);
    }
    if (!fz.stop) {
        uint64_t w[3] = {vaddr, rights % 16, 0};
        uint64_t c[1] = {vspace};
        invoke_words(frame, ARMPageMap, w, 3, c, 1);
    }
}

static void entries_between(void (*fn)(unsigned), unsigned arg, const char *what)
{
    if (fz.cfg.trace) {
        fprintf(fz.cfg.trace, "#%u %s %u\n", fz.op_index, what, arg);
    }
    fn(arg);
    fz.res->entries++;
    oracle(HOSTSIM_OK, what);
}

#ifdef CONFIG_KERNEL_MCS
/* MCS time passes: the virtual clock advances by n's amount, below 0xc0 (1 + n % 32) * 50 us (up
 * to budgets and short periods), else (1 + n % 64) * 10 ms (long periods, releases); the current
 * thread runs meanwhile and every deadline the kernel programmed is taken at its tick. */
static void clock_advance(unsigned n)
{
    uint64_t us = n < 0xc0 ? (1 + n % 32) * 50ull : (1 + n % 64) * 10000ull;
    hostsim_clock_advance(mcs_us_to_ticks(us));
}
#endif

static void op_fault(struct in *in)
{
    uint8_t k = in_u8(in);
    uint64_t addr = choose_value(in, A_VADDR, NULL);
    uint64_t esr = choose_value(in, A_WORD, NULL);
    if (current_tcb() == NULL) {
        return;
    }
    enum hostsim_fault kind = (enum hostsim_fault)(k % 3);
    static const char *names[] = {"VM data fault", "VM instruction fault", "user exception"};
    if (fz.cfg.trace) {
        fprintf(fz.cfg.trace, "#%u %s thread=%#" PRIx64 " addr=%#" PRIx64 " esr=%#" PRIx64 "\n",
                fz.op_index, names[k % 3], hostsim_current_thread(), addr, esr);
    }
    enum hostsim_status st = hostsim_fault_as_current(kind, addr, esr);
    fz.res->entries++;
    if (fz.cfg.trace) {
        fprintf(fz.cfg.trace, "    -> %s\n", kfuzz_status_name(st));
    }
    oracle(st, names[k % 3]);
}

/* AArch64 mode: instructions a sequence draws from (a byte picks one; KFUZZ_RAW: four raw bytes),
 * chosen for what they make the kernel see: system calls with the numbers the ABI has, loads and
 * stores (aborts), flags, TLS registers, privileged and undefined instructions, the FP trap, WFI,
 * loops (preempted by the budget's tick). */
/* mov x7, #n for a negative system call number n (movn x7, #(-n - 1)). */
#define MOVN_X7(n) (0x92800007u | (uint32_t)(-(n)-1) << 5)
static const uint32_t aarch64_insns[KFUZZ_N_INSNS] = {
    [KFUZZ_INSN_SVC] = 0xd4000001,       /* svc #0 */
    [KFUZZ_INSN_BRK] = 0xd4200000,       /* brk #0 */
    [KFUZZ_INSN_UDF] = 0x00000000,       /* udf #0 */
    [KFUZZ_INSN_NOP] = 0xd503201f,       /* nop */
    [KFUZZ_INSN_WFI] = 0xd503207f,       /* wfi */
    [KFUZZ_INSN_LDR_X0_X1] = 0xf9400020, /* ldr x0, [x1] */
    [KFUZZ_INSN_STR_X0_X1] = 0xf9000020, /* str x0, [x1] */
    [KFUZZ_INSN_LDR_X2_SP] = 0xf94003e2, /* ldr x2, [sp] */
    [KFUZZ_INSN_PUSH_X2] = 0xf81f0fe2,   /* str x2, [sp, #-16]! */
    [KFUZZ_INSN_ADD_X0_1] = 0x91000400,  /* add x0, x0, #1 */
    [KFUZZ_INSN_SUBS_X0_1] = 0xf1000400, /* subs x0, x0, #1 */
    [KFUZZ_INSN_CMP_X0_X1] = 0xeb01001f, /* cmp x0, x1 */
    [KFUZZ_INSN_X7_CALL] = MOVN_X7(seL4_SysCall),
    [KFUZZ_INSN_X7_SEND] = MOVN_X7(seL4_SysSend),
    [KFUZZ_INSN_X7_RECV] = MOVN_X7(seL4_SysRecv),
    [KFUZZ_INSN_X7_YIELD] = MOVN_X7(seL4_SysYield),
    [KFUZZ_INSN_X7_NBRECV] = MOVN_X7(seL4_SysNBRecv),
    [KFUZZ_INSN_MSR_TPIDR] = 0xd51bd040,     /* msr tpidr_el0, x0 */
    [KFUZZ_INSN_MRS_TPIDRRO] = 0xd53bd060,   /* mrs x0, tpidrro_el0 */
    [KFUZZ_INSN_MSR_TPIDRRO] = 0xd51bd060,   /* msr tpidrro_el0, x0 (undefined at EL0) */
    [KFUZZ_INSN_FMOV_D0_X0] = 0x9e670000,    /* fmov d0, x0 (traps if fpuDisabled) */
    [KFUZZ_INSN_MRS_CTR] = 0xd53b0020,       /* mrs x0, ctr_el0 */
    [KFUZZ_INSN_MSR_SCTLR_EL1] = 0xd5181000, /* msr sctlr_el1, x0 (undefined at EL0) */
    [KFUZZ_INSN_ERET] = 0xd69f03e0,          /* eret (undefined at EL0) */
    [KFUZZ_INSN_LOOP] = 0x14000000,          /* b . */
    [KFUZZ_INSN_BNE_BACK] = 0x54ffffe1,      /* b.ne .-4 */
    [KFUZZ_INSN_BLR_X1] = 0xd63f0020,        /* blr x1 */
    [KFUZZ_INSN_RET] = 0xd65f03c0,           /* ret */
    [KFUZZ_INSN_LDXR_X0_X1] = 0xc85f7c20,    /* ldxr x0, [x1] */
    [KFUZZ_INSN_HVC] = 0xd4000002,           /* hvc #0 */
};
#define AARCH64_MAX_WORDS 8
#define AARCH64_CODE_PAGE 0x40f000ull /* the root's user image's last page (RW, executable) */

/* The current thread runs a short AArch64 sequence from the input, with registers and flags from
 * the input, until it enters the kernel (or a budget of instructions ends in the timer's tick). */
static void op_aarch64(struct in *in)
{
    uint8_t h = in_u8(in);
    unsigned n = 1 + h % AARCH64_MAX_WORDS;
    uint32_t words[AARCH64_MAX_WORDS];
    for (unsigned i = 0; i < n; i++) {
        uint8_t b = in_u8(in);
        if (b == KFUZZ_RAW) {
            words[i] = (uint32_t)in_u8(in) | (uint32_t)in_u8(in) << 8 | (uint32_t)in_u8(in) << 16 |
                       (uint32_t)in_u8(in) << 24;
        } else {
            words[i] = aarch64_insns[b % KFUZZ_N_INSNS];
        }
    }
    uint64_t regs[8];
    for (int i = 0; i < 7; i++) {
        uint8_t b = in_u8(in);
        regs[i] = b == KFUZZ_RAW ? in_u64(in)
                  : b < 0x80 && pool.valid && pool.n_full
                      ? view_cptr(&pool.root, pool.full[b % pool.n_full])
                      : b;
    }
    uint8_t k = in_u8(in);
    regs[7] = k == KFUZZ_RAW ? in_u64(in) : (uint64_t) - (int64_t)(1 + k % 16);
    if ((int64_t)regs[7] == seL4_SysDebugHalt) {
        regs[7] = (uint64_t)seL4_SysDebugSnapshot;
    }
    uint8_t flags = in_u8(in);
    uint8_t place = in_u8(in);
    uint64_t pc = place == KFUZZ_RAW ? in_u64(in) : AARCH64_CODE_PAGE + 4u * (place % 64);
    uint64_t budget = 1 + in_u8(in) % 32;
    struct tcb *t = current_tcb();
    if (t == NULL) {
        return;
    }
    bool placed = hostsim_emu_place_code(pc, words, n) == 0;
    for (int i = 0; i < 8; i++) {
        hal_reg_set(&t->arch, REG_X0 + i, regs[i]);
    }
    hal_reg_set(&t->arch, REG_NEXT_IP, pc);
    hal_reg_set(&t->arch, REG_SP, AARCH64_CODE_PAGE);
    hal_reg_set(&t->arch, REG_SPSR,
                (hal_reg_get(&t->arch, REG_SPSR) & ~0xf0000000ull) | (uint64_t)(flags & 0xf) << 28);
    if (fz.cfg.trace) {
        fprintf(fz.cfg.trace, "#%u aarch64 thread=%#" PRIx64 " pc=%#" PRIx64 "%s budget=%" PRIu64,
                fz.op_index, hostsim_current_thread(), pc, placed ? "" : " (not placed)", budget);
        for (unsigned i = 0; i < n; i++) {
            fprintf(fz.cfg.trace, " %08x", words[i]);
        }
        fprintf(fz.cfg.trace, " x0-x7=");
        for (int i = 0; i < 8; i++) {
            fprintf(fz.cfg.trace, "%s%#" PRIx64, i ? "," : "", regs[i]);
        }
        fprintf(fz.cfg.trace, " nzcv=%x\n", flags & 0xf);
    }
    struct hostsim_emu_step step;
    enum hostsim_status st = hostsim_emu_step_current(budget, &step);
    fz.res->entries++;
    if (step.kind == HOSTSIM_EMU_SYSCALL) {
        fz.res->syscalls++;
    }
    if (fz.cfg.trace) {
        static const char *kinds[] = {"none", "svc", "vm fault", "user exception", "tick"};
        fprintf(fz.cfg.trace,
                "    -> %s at %#" PRIx64 " (%#" PRIx64 ", esr %#" PRIx64 "), %s, x0=%#" PRIx64 "\n",
                kinds[step.kind <= HOSTSIM_EMU_INTERRUPT ? step.kind : 0], step.pc, step.detail,
                step.esr, kfuzz_status_name(st), hal_reg_get(&t->arch, REG_X0));
    }
    oracle(st, "aarch64 code");
}

static void op_debug(struct in *in)
{
    uint8_t s = in_u8(in);
    uint64_t regs[KFUZZ_NREGS] = {0};
    switch (s % 4) {
    case 0:
        regs[0] = in_u8(in);
        regs[7] = (uint64_t)seL4_SysDebugPutChar;
        break;
    case 1:
        regs[0] = choose_cap(in, cap_null_cap);
        regs[7] = (uint64_t)seL4_SysDebugCapIdentify;
        break;
    case 2: {
        regs[0] = choose_cap(in, cap_thread_cap);
        regs[7] = (uint64_t)seL4_SysDebugNameThread;
        struct tcb *t = current_tcb();
        seL4_IPCBuffer *buf = t ? hostsim_thread_ipc_buffer(VTOP(t)) : NULL;
        if (buf != NULL) {
            uint8_t len = in_u8(in);
            char *name = (char *)&buf->msg[0];
            for (unsigned i = 0; i < (unsigned)(len % 24); i++) {
                name[i] = (char)('a' + i % 26);
            }
            name[len % 24] = len >= 0xf0 ? 'x' : '\0'; /* sometimes unterminated within the word */
        }
        break;
    }
    default:
        regs[7] = (uint64_t)seL4_SysDebugDumpScheduler;
        break;
    }
    do_syscall(regs, NULL, 0, NULL, 0, "debug call");
}

static void op_raw(struct in *in)
{
    uint64_t regs[KFUZZ_NREGS] = {0};
    uint8_t k = in_u8(in);
    /* 0xf0..: a number no system call has (an UnknownSyscall fault), else one of -1..-16. */
    int64_t sysno = k >= 0xf0 ? (k == KFUZZ_RAW ? (int64_t)in_u64(in) : 0x100 + (k & 0xf))
                              : -(int64_t)(1 + k % 16);
    if (sysno == seL4_SysDebugHalt) {
        sysno = seL4_SysDebugSnapshot;
    }
    /* x0..x5, and under MCS x6 (the reply object) and x8 (NBSendRecv's destination) too. */
    static const int raw_regs[] = {0, 1, 2, 3, 4, 5,
#ifdef CONFIG_KERNEL_MCS
                                   6, 8
#endif
    };
    for (unsigned i = 0; i < ARRAY_SIZE(raw_regs); i++) {
        uint8_t b = in_u8(in);
        regs[raw_regs[i]] = b == KFUZZ_RAW ? in_u64(in)
                            : b < 0x80 && pool.valid && pool.n_full
                                ? view_cptr(&pool.root, pool.full[b % pool.n_full])
                                : b;
    }
    regs[7] = (uint64_t)sysno;
    do_syscall(regs, NULL, 0, NULL, 0, "raw system call");
}

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time: the machine may be shared */
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void run_program(const uint8_t *data, size_t size)
{
    struct in in = {data, size, 0};
    for (fz.op_index = 0; fz.op_index < KFUZZ_MAX_OPS && !in_done(&in) && !fz.stop; fz.op_index++) {
        pool_refresh();
        fz.res->ops++;
        uint8_t k = in_u8(&in);
        if (k < KFUZZ_OP_IPC) {
            op_invoke(&in, &kfuzz_specs[in_u8(&in) % kfuzz_n_specs]);
        } else if (k < KFUZZ_OP_OBJECT) {
            op_ipc(&in);
        } else if (k < KFUZZ_OP_THREAD) {
            retype_into_root(&in, useful_types[in_u8(&in) % KFUZZ_OBJECT_TYPES]);
        } else if (k < KFUZZ_OP_TICK) {
            op_thread(&in);
        } else if (k < KFUZZ_OP_IRQ) {
            uint8_t n = in_u8(&in);
#ifdef CONFIG_KERNEL_MCS
            entries_between(clock_advance, n, "clock advance (units)");
#else
            entries_between(hostsim_tick, 1 + n % 4, "tick");
#endif
        } else if (k < KFUZZ_OP_FAULT) {
            uint8_t line = in_u8(&in);
            entries_between(hostsim_raise_irq, line % 48, "irq");
        } else if (k < KFUZZ_OP_PREEMPT) {
            if (fz.cfg.aarch64) {
                op_aarch64(&in); /* real code delivers the faults */
            } else {
                op_fault(&in);
            }
        } else if (k < KFUZZ_OP_DEBUG) {
            unsigned n = in_u8(&in) % 5;
            hostsim_set_preempt_interval(n);
            if (fz.cfg.trace) {
                fprintf(fz.cfg.trace, "#%u preempt every %u checks\n", fz.op_index, n);
            }
        } else if (k < KFUZZ_OP_RAW) {
            op_debug(&in);
        } else if (k < KFUZZ_OP_MAP) {
            op_raw(&in);
        } else {
            op_map(&in);
        }
    }
    hostsim_set_preempt_interval(0);
#ifdef CONFIG_KERNEL_INVARIANTS
    if (!fz.stop && (fz.cfg.check == KFUZZ_CHECK_END || fz.cfg.check == KFUZZ_CHECK_INCREMENTAL)) {
        enum kfuzz_check mode = fz.cfg.check;
        fz.cfg.check = KFUZZ_CHECK_EVERY_ENTRY;
        oracle(HOSTSIM_OK, "the last operation");
        fz.cfg.check = mode;
    }
#endif
}

/* A fresh kernel for the next input: a snapshot of the booted machine restored (the default), or a
 * boot (fresh_boot, or the first input, whose boot the snapshot is then taken of). */
static void boot(void)
{
    const char *error = NULL;
    double t0 = now_us();
    if (fz.cfg.fresh_boot || fz.snap == NULL || hostsim_snapshot_restore(fz.snap) != 0) {
        if (hostsim_boot(fz.dtb, fz.dtb_size, &error) != 0) {
            fprintf(stderr, "kfuzz: boot failed: %s\n", error ? error : "?");
            abort();
        }
        fz.root_cnode = cap_cnode_cap_get_ptr(ks.root_thread->ctes[TCB_CTABLE].cap);
        if (!fz.cfg.fresh_boot) {
            hostsim_snapshot_free(fz.snap);
            fz.snap = hostsim_snapshot_take();
        }
    }
    fz.boot_us = now_us() - t0;
    hostsim_console_take();
}

void kfuzz_run(const uint8_t *data, size_t size, struct kfuzz_result *result)
{
    memset(result, 0, sizeof(*result));
    fz.res = result;
    fz.stop = false;
    fz.n_buffers = 0;
    boot();
#ifdef CONFIG_KERNEL_INVARIANTS
    kernel_invariants_incremental_reset(fz.cfg.check_period ? fz.cfg.check_period
                                                            : KFUZZ_DEFAULT_CHECK_PERIOD);
#endif
    if (fz.cfg.trace) {
        fprintf(fz.cfg.trace,
                "kfuzz: %zu bytes, fresh kernel (root CNode %u slots, bootinfo empty from %" PRIu64
                ")\n",
                size, 1u << CONFIG_ROOT_CNODE_SIZE_BITS, (uint64_t)hostsim_bootinfo()->empty.start);
    }
    run_program(data, size);
    if (fz.cfg.trace) {
        fprintf(fz.cfg.trace,
                "kfuzz: %u ops, %u kernel entries, %u system calls, %u error replies%s%s\n",
                result->ops, result->entries, result->syscalls, result->errors,
                result->finding ? "; FINDING: " : "", result->finding ? result->why : "");
    }
    if (result->finding && fz.cfg.abort_on_finding) {
        fprintf(stderr, "kfuzz: FINDING: %s\nkfuzz: the input as a trace:\n", result->why);
        struct kfuzz_result again;
        FILE *saved = fz.cfg.trace;
        fz.cfg.trace = stderr;
        memset(&again, 0, sizeof(again));
        fz.res = &again;
        fz.stop = false;
        fz.n_buffers = 0;
        boot();
        run_program(data, size);
        fz.cfg.trace = saved;
        fflush(stderr);
        abort();
    }
}

double kfuzz_last_boot_us(void) { return fz.boot_us; }

void kfuzz_set_trace(FILE *trace) { fz.cfg.trace = trace; }

void kfuzz_set_fresh_boot(bool fresh) { fz.cfg.fresh_boot = fresh; }

void kfuzz_check_from_env(struct kfuzz_config *cfg)
{
    const char *check = getenv("KFUZZ_CHECK");
    cfg->check = KFUZZ_CHECK_INCREMENTAL;
    if (check != NULL && strcmp(check, "end") == 0) {
        cfg->check = KFUZZ_CHECK_END;
    } else if (check != NULL && strcmp(check, "full") == 0) {
        cfg->check = KFUZZ_CHECK_EVERY_ENTRY;
    } else if (check != NULL && strcmp(check, "none") == 0) {
        cfg->check = KFUZZ_CHECK_NONE;
    }
    const char *period = getenv("KFUZZ_CHECK_PERIOD");
    cfg->check_period = period ? (unsigned)strtoul(period, NULL, 0) : 0;
}

int kfuzz_init(const struct kfuzz_config *config, const char **error)
{
    fz.cfg = *config;
    hostsim_snapshot_free(fz.snap);
    fz.snap = NULL;
    free(fz.dtb);
    fz.dtb = NULL;
    const char *path = config->dtb_path ? config->dtb_path : getenv("KFUZZ_DTB");
    if (path == NULL) {
        path = KFUZZ_DEFAULT_DTB;
    }
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        *error = "kfuzz: cannot open the device tree (KFUZZ_DTB or tests/fuzz/fuzz.dtb)";
        return -1;
    }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    fz.dtb = malloc(len > 0 ? (size_t)len : 1);
    fz.dtb_size = fz.dtb && len > 0 ? fread(fz.dtb, 1, (size_t)len, f) : 0;
    fclose(f);
    if (fz.dtb_size == 0) {
        *error = "kfuzz: cannot read the device tree";
        return -1;
    }
#ifndef CONFIG_KERNEL_INVARIANTS
    fz.cfg.check = KFUZZ_CHECK_NONE;
#endif
    const char *aarch64 = getenv("KFUZZ_AARCH64");
    if (aarch64 != NULL && strcmp(aarch64, "1") == 0) {
        fz.cfg.aarch64 = true;
    }
    if (fz.cfg.aarch64) {
        hostsim_emu_set_tick(0); /* only an operation's budget ends in a tick: replayable */
    }
    const char *snapshot = getenv("KFUZZ_SNAPSHOT");
    if (snapshot != NULL && strcmp(snapshot, "0") == 0) {
        fz.cfg.fresh_boot = true;
    }
    /* The table must agree with the ABI's message lengths and cap counts. */
    for (unsigned i = 0; i < kfuzz_n_specs; i++) {
        const struct kfuzz_spec *sp = &kfuzz_specs[i];
        if (sp->nwords != kfuzz_label_length(sp->label) ||
            sp->ncaps != kfuzz_label_ncaps(sp->label)) {
            fprintf(stderr, "kfuzz: table entry %s: %u words %u caps, the ABI says %u and %u\n",
                    kfuzz_label_name(sp->label), sp->nwords, sp->ncaps,
                    kfuzz_label_length(sp->label), kfuzz_label_ncaps(sp->label));
            *error = "kfuzz: the invocation table disagrees with core/abi/invocations.def";
            return -1;
        }
    }
    hostsim_console_quiet(false);
    hostsim_console_capture(true);
    return 0;
}

void kfuzz_enc_byte(struct kfuzz_enc *e, uint8_t b)
{
    if (e->len < sizeof(e->buf)) {
        e->buf[e->len++] = b;
    }
}

void kfuzz_enc_word(struct kfuzz_enc *e, uint64_t w)
{
    for (int i = 0; i < 8; i++) {
        kfuzz_enc_byte(e, (uint8_t)(w >> (8 * i)));
    }
}
