/* SPDX-License-Identifier: BSD-2-Clause */
/* Randomized CNode and Untyped invocations as the root thread: after every one the kernel has not
 * panicked, its invariants hold, and a Call's reply is a valid seL4 error with its length
 * (docs/abi.md#errors). Seeded and reproducible: KTEST_SEED (default below),
 * KTEST_RANDOM_ITERATIONS (default 100000). */
#include "ktest.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kaal/gen_config.h>

#ifdef CONFIG_KERNEL_INVARIANTS
#include <kaal/cspace.h>
#include <kaal/invariants.h>
#include <kaal/kernel.h>
#include <kaal/structures.h>
#include <kaal/thread.h>

#define DEFAULT_SEED 0x4b61614cull /* "KaaL" */
#define DEFAULT_ITERATIONS 100000ul
#define REBOOT_EVERY 2000ul
#define PREEMPT_WINDOW_EVERY 500ul /* every so many ops, a window of forced preemption */
#define PREEMPT_WINDOW_LEN 100ul
#define POOL_EXTRA 128u /* slots past bootinfo.empty.start that random slot choices use */

static uint64_t rng_state;

/* splitmix64: small, fast, and every seed gives a good sequence. */
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static uint64_t below(uint64_t n) { return n ? rnd() % n : 0; }
static bool chance(unsigned percent) { return below(100) < percent; }

/* One invocation as generated, kept for the failure report. */
struct op {
    const char *what;
    int64_t sysno;
    uint64_t cptr;
    uint64_t label;
    unsigned length; /* message-info length field (0..127) */
    unsigned ncaps;  /* message-info extraCaps (0..3) */
    uint64_t mr[seL4_MsgMaxLength];
    uint64_t caps[seL4_MsgMaxExtraCaps];
    word_t invoked_type; /* cap type at cptr before the call (null when the lookup fails) */
};

static struct {
    uint64_t pool_end;   /* random slots come from [0, pool_end) of the root CNode */
    uint64_t cnodes[64]; /* root slots holding CNode caps (refreshed each op) */
    unsigned n_cnodes;
    uint64_t untypeds[64]; /* root slots holding untyped caps */
    unsigned n_untypeds;
    uint64_t full[4096], empty[4096]; /* pool slots holding a cap / empty */
    unsigned n_full, n_empty;
    unsigned long reboots, lost_root, revives, halts_checked, preempted_ops, restarts;
    unsigned long by_label[64], ok_by_label[64];
    unsigned long err_by_label[64][seL4_NumErrors + 1];
} st;

static const char *label_name(uint64_t label)
{
    switch (label) {
    case UntypedRetype:
        return "UntypedRetype";
    case CNodeRevoke:
        return "CNodeRevoke";
    case CNodeDelete:
        return "CNodeDelete";
    case CNodeCancelBadgedSends:
        return "CNodeCancelBadgedSends";
    case CNodeCopy:
        return "CNodeCopy";
    case CNodeMint:
        return "CNodeMint";
    case CNodeMove:
        return "CNodeMove";
    case CNodeMutate:
        return "CNodeMutate";
    case CNodeRotate:
        return "CNodeRotate";
#ifndef CONFIG_KERNEL_MCS
    case CNodeSaveCaller:
        return "CNodeSaveCaller";
#endif
    default:
        return "other";
    }
}

static const char *sys_name(int64_t sysno)
{
    return sysno == seL4_SysCall ? "Call" : sysno == seL4_SysSend ? "Send" : "NBSend";
}

static void describe(const struct op *o, char *buf, size_t size)
{
    int n = snprintf(buf, size,
                     "%s %s: cptr=%#" PRIx64 " (cap type %lu) label=%" PRIu64
                     " (%s) length=%u extraCaps=%u mr=[",
                     o->what, sys_name(o->sysno), o->cptr, (unsigned long)o->invoked_type, o->label,
                     label_name(o->label), o->length, o->ncaps);
    for (unsigned i = 0; i < MIN(o->length, 10u) && n > 0 && (size_t)n < size; i++) {
        n += snprintf(buf + n, size - n, "%s%#" PRIx64, i ? ", " : "", o->mr[i]);
    }
    if (o->length > 10 && n > 0 && (size_t)n < size) {
        n += snprintf(buf + n, size - n, ", ...");
    }
    if (n > 0 && (size_t)n < size) {
        n += snprintf(buf + n, size - n, "] caps=[");
    }
    for (unsigned i = 0; i < o->ncaps && n > 0 && (size_t)n < size; i++) {
        n += snprintf(buf + n, size - n, "%s%#" PRIx64, i ? ", " : "", o->caps[i]);
    }
    if (n > 0 && (size_t)n < size) {
        snprintf(buf + n, size - n, "]");
    }
}

static cte_t *root_cnode_slots(void)
{
    cap_t c = ks.root_thread->ctes[TCB_CTABLE].cap;
    return cap_get_cap_type(c) == cap_cnode_cap ? PTOV(cte_t, cap_cnode_cap_get_ptr(c)) : NULL;
}

/* Which pool slots hold CNode and untyped caps now (read from kernel memory; the test may look). */
static void refresh_known_slots(void)
{
    cte_t *slots = root_cnode_slots();
    st.n_cnodes = st.n_untypeds = st.n_full = st.n_empty = 0;
    if (slots == NULL) {
        return;
    }
    for (uint64_t i = 0; i < st.pool_end; i++) {
        word_t t = cap_get_cap_type(slots[i].cap);
        if (t == cap_null_cap) {
            st.empty[st.n_empty++] = i;
        } else {
            st.full[st.n_full++] = i;
        }
        if (t == cap_cnode_cap && st.n_cnodes < ARRAY_SIZE(st.cnodes)) {
            st.cnodes[st.n_cnodes++] = i;
        } else if (t == cap_untyped_cap && st.n_untypeds < ARRAY_SIZE(st.untypeds)) {
            st.untypeds[st.n_untypeds++] = i;
        }
    }
}

static void reboot(void)
{
    hostsim_shutdown();
    ktest_boot(below(10) == 0 ? KTEST_DTB_VIRT : KTEST_DTB_SMALL);
    st.pool_end = ktest_first_empty() + POOL_EXTRA;
    st.reboots++;
}

/* The root task's own TCB and CNode caps (slots 1, 2): destructive operations spare them mostly,
 * or the rest of the run between reboots would only see InvalidCapability. */
static bool precious(uint64_t slot)
{
    return slot == seL4_CapInitThreadTCB || slot == seL4_CapInitThreadCNode;
}

/* A pool slot holding a cap (sources), or an empty one (destinations); any pool slot if none. */
static uint64_t full_slot(void)
{
    for (int tries = 0; tries < 4 && st.n_full > 0; tries++) {
        uint64_t s = st.full[below(st.n_full)];
        if (!precious(s) || chance(5)) {
            return s;
        }
    }
    return below(st.pool_end);
}
static uint64_t empty_slot(void)
{
    return st.n_empty ? st.empty[below(st.n_empty)] : below(st.pool_end);
}

/* A root-CNode slot: mostly from the pool, sometimes anywhere, sometimes a random word. */
static uint64_t any_cptr(void)
{
    unsigned r = (unsigned)below(100);
    if (r < 80) {
        return below(st.pool_end);
    }
    if (r < 88) {
        return below(BIT(CONFIG_ROOT_CNODE_SIZE_BITS));
    }
    if (r < 94) {
        return rnd();
    }
    return below(4) == 0 ? 0 : rnd() >> below(64);
}

static uint64_t random_depth(void) { return chance(50) ? below(256) : below(70); }

/* A (root, index, depth) triple naming a slot for a CNode argument: through the root CNode (depth
 * 64), or through a child CNode cap given as the root (its guard + radix bits, maybe two levels).
 */
struct addr {
    uint64_t root, index, depth;
};

enum slot_kind { SLOT_ANY, SLOT_FULL, SLOT_EMPTY };

static struct addr slot_addr(enum slot_kind kind)
{
    uint64_t index = any_cptr();
    if (kind != SLOT_ANY && chance(75)) {
        index = kind == SLOT_FULL ? full_slot() : empty_slot();
    }
    struct addr a = {seL4_CapInitThreadCNode, index, 64};
    if (st.n_cnodes > 0 && chance(30)) {
        uint64_t s = st.cnodes[below(st.n_cnodes)];
        cap_t c = root_cnode_slots()[s].cap;
        uint64_t radix = cap_cnode_cap_get_radix(c), gs = cap_cnode_cap_get_guard_size(c);
        uint64_t guard = cap_cnode_cap_get_guard(c) & MASK(gs);
        a.root = s;
        a.depth = gs + radix;
        a.index =
            (guard << radix) | below(BIT(radix)); /* gs + radix <= 64: the shift keeps the guard */
        if (chance(20)) {
            a.index ^= BIT(below(a.depth ? a.depth : 1)); /* a guard mismatch or another slot */
        }
        /* Two levels: the slot may hold a CNode; address inside it with a deeper depth. */
        if (chance(20) && a.depth < 60) {
            uint64_t more = below(8);
            a.index = (a.index << more) | below(BIT(more));
            a.depth += more;
        }
    }
    if (chance(12)) {
        a.depth = random_depth();
    }
    if (chance(3)) {
        a.root = any_cptr();
    }
    return a;
}

static uint64_t random_rights(void) { return chance(85) ? below(16) : rnd(); }

static uint64_t random_badge(void)
{
    unsigned r = (unsigned)below(10);
    return r < 3   ? 0
           : r < 7 ? below(1000)
           : r < 9 ? seL4_CNode_CapData_new(below(1000), below(70)).words[0]
                   : rnd();
}

static uint64_t retype_size_bits(uint64_t type)
{
    if (chance(8)) {
        return below(65);
    }
    switch (type) {
    case seL4_UntypedObject:
        return 4 + below(14);
    case seL4_CapTableObject:
        return below(9);
    default:
        return below(4) == 0 ? below(65) : 0;
    }
}

/* Fill o with one random invocation. */
static void generate(struct op *o)
{
    memset(o, 0, sizeof(*o));
    unsigned r = (unsigned)below(100);
    o->cptr = any_cptr();
    if (r < 30) {
        o->what = "retype";
        o->label = UntypedRetype;
        if (st.n_untypeds > 0 && chance(80)) {
            o->cptr = st.untypeds[below(st.n_untypeds)];
        }
        uint64_t type = chance(90) ? below(seL4_ObjectTypeCount) : below(13);
        unsigned how = (unsigned)below(100);
        uint64_t window = st.pool_end; /* slots of the destination CNode */
        o->caps[0] = seL4_CapInitThreadCNode;
        if (how < 60) {
            o->mr[2] = below(4) == 0 ? rnd() : 0; /* depth 0: the root cap itself, index ignored */
            o->mr[3] = 0;
        } else if (how < 90 && st.n_cnodes > 0) {
            uint64_t cn = st.cnodes[below(st.n_cnodes)];
            o->mr[2] = cn; /* a child CNode in the root CNode, by depth 64 */
            o->mr[3] = 64;
            window = BIT(cap_cnode_cap_get_radix(root_cnode_slots()[cn].cap));
        } else {
            struct addr a = slot_addr(SLOT_ANY);
            o->caps[0] = a.root;
            o->mr[2] = a.index;
            o->mr[3] = a.depth;
        }
        o->mr[0] = type;
        o->mr[1] = retype_size_bits(type);
        uint64_t off =
            window == st.pool_end && st.n_empty && chance(80) ? empty_slot() : below(window);
        o->mr[4] =
            chance(90) ? off : (chance(50) ? below(BIT(CONFIG_ROOT_CNODE_SIZE_BITS)) : rnd());
        o->mr[5] = chance(80) ? 1 + below(4) : below(301);
        o->length = KAAL_INV_UntypedRetype_LEN;
        o->ncaps = 1;
    } else if (r < 70) {
        static const uint64_t labels[] = {CNodeCopy, CNodeMint, CNodeMove, CNodeMutate};
        o->label = labels[below(4)];
        o->what = "copy/mint/move/mutate";
        struct addr d = slot_addr(SLOT_EMPTY), s = slot_addr(SLOT_FULL);
        if (o->label == CNodeMove || o->label == CNodeMutate) {
            while (precious(s.index) && s.root == seL4_CapInitThreadCNode && !chance(5)) {
                s = slot_addr(SLOT_FULL);
            }
        }
        o->cptr = d.root;
        o->mr[0] = d.index;
        o->mr[1] = d.depth;
        o->mr[2] = s.index;
        o->mr[3] = s.depth;
        o->caps[0] = s.root;
        o->ncaps = 1;
        if (o->label == CNodeCopy) {
            o->mr[4] = random_rights();
            o->length = KAAL_INV_CNodeCopy_LEN;
        } else if (o->label == CNodeMint) {
            o->mr[4] = random_rights();
            o->mr[5] = random_badge();
            o->length = KAAL_INV_CNodeMint_LEN;
        } else if (o->label == CNodeMove) {
            o->length = KAAL_INV_CNodeMove_LEN;
        } else {
            o->mr[4] = random_badge();
            o->length = KAAL_INV_CNodeMutate_LEN;
        }
    } else if (r < 83) {
        static const uint64_t labels[] = {
            CNodeDelete,           CNodeRevoke, CNodeDelete, CNodeRevoke, CNodeCancelBadgedSends,
#ifdef CONFIG_KERNEL_MCS
            CNodeCancelBadgedSends}; /* no SaveCaller under MCS: the same odds for the others */
#else
            CNodeSaveCaller};
#endif
        o->label = labels[below(ARRAY_SIZE(labels))];
        o->what = "slot op";
        struct addr a = slot_addr(SLOT_FULL);
        while (precious(a.index) && a.root == seL4_CapInitThreadCNode && !chance(5)) {
            a = slot_addr(SLOT_FULL);
        }
        o->cptr = a.root;
        o->mr[0] = a.index;
        o->mr[1] = a.depth;
        o->length = 2;
    } else if (r < 90) {
        o->label = CNodeRotate;
        o->what = "rotate";
        struct addr d = slot_addr(SLOT_EMPTY), p = slot_addr(SLOT_FULL), s = slot_addr(SLOT_FULL);
        while (precious(p.index) && !chance(5)) {
            p = slot_addr(SLOT_FULL);
        }
        while (precious(s.index) && !chance(5)) {
            s = slot_addr(SLOT_FULL);
        }
        if (chance(30)) {
            d = s; /* a swap */
        }
        o->cptr = d.root;
        o->mr[0] = d.index;
        o->mr[1] = d.depth;
        o->mr[2] = random_badge();
        o->mr[3] = p.index;
        o->mr[4] = p.depth;
        o->mr[5] = random_badge();
        o->mr[6] = s.index;
        o->mr[7] = s.depth;
        o->caps[0] = p.root;
        o->caps[1] = s.root;
        o->length = KAAL_INV_CNodeRotate_LEN;
        o->ncaps = 2;
    } else {
        o->what = "random label";
        o->label = below(61);
        o->length = (unsigned)below(11);
        for (unsigned i = 0; i < seL4_MsgMaxLength; i++) {
            o->mr[i] = chance(50) ? below(st.pool_end) : rnd();
        }
        o->ncaps = (unsigned)below(4);
        for (unsigned i = 0; i < o->ncaps; i++) {
            o->caps[i] = any_cptr();
        }
    }
    /* Perturb the shape: short or long messages, wrong extra-cap counts, random words. */
    if (chance(8)) {
        o->length = (unsigned)below(11);
    } else if (chance(2)) {
        o->length = 121 + (unsigned)below(7);
    }
    if (chance(5)) {
        o->ncaps = (unsigned)below(4);
        for (unsigned i = 0; i < seL4_MsgMaxExtraCaps; i++) {
            if (o->caps[i] == 0) {
                o->caps[i] = any_cptr();
            }
        }
    }
    if (chance(3)) {
        o->mr[below(8)] = rnd();
    }
    unsigned s = (unsigned)below(100);
    o->sysno = s < 80 ? seL4_SysCall : s < 90 ? seL4_SysSend : seL4_SysNBSend;
}

/* The reply length each seL4 error has (docs/abi.md#errors); -1 when the label is not an error. */
static int error_length(const struct ktest_reply *r)
{
    switch (r->label) {
    case seL4_InvalidArgument:
    case seL4_InvalidCapability:
    case seL4_NotEnoughMemory:
        return 1;
    case seL4_IllegalOperation:
    case seL4_AlignmentError:
    case seL4_TruncatedMessage:
    case seL4_DeleteFirst:
    case seL4_RevokeFirst:
        return 0;
    case seL4_RangeError:
        return 2;
    case seL4_FailedLookup:
        return r->mr[1] >= seL4_InvalidRoot && r->mr[1] <= seL4_GuardMismatch ? 1 + (int)r->mr[1]
                                                                              : -1;
    default:
        return -1;
    }
}

static char report[4096];

/* Check one Call's reply; returns NULL or what is wrong. */
static const char *check_reply(const struct op *o, const struct ktest_reply *r)
{
    static char msg[256];
    if (r->label == seL4_NoError) {
        bool cnode_or_untyped =
            o->invoked_type == cap_cnode_cap || o->invoked_type == cap_untyped_cap;
        if (cnode_or_untyped && r->length != 0) {
            snprintf(msg, sizeof(msg),
                     "success reply with %" PRIu64 " words (CNode/Untyped results are empty)",
                     r->length);
            return msg;
        }
        return NULL;
    }
    if (r->label >= seL4_NumErrors) {
        snprintf(msg, sizeof(msg), "reply label %" PRIu64 " is not an seL4_Error", r->label);
        return msg;
    }
    int len = error_length(r);
    /* Without an IPC buffer the kernel writes only the register MRs (seL4 setMR): at most 4. */
    if (len > N_MSG_REGISTERS && thread_lookup_ipc_buffer(ks.root_thread, true) == NULL) {
        len = N_MSG_REGISTERS;
    }
    if (len < 0 || r->length != (uint64_t)len) {
        snprintf(msg, sizeof(msg),
                 "error %" PRIu64 " with length %" PRIu64 " (expected %d; mr0 %#" PRIx64
                 " mr1 %#" PRIx64 ")",
                 r->label, r->length, len, r->mr[0], r->mr[1]);
        return msg;
    }
    if (r->label == seL4_FailedLookup && r->mr[0] > 1) {
        snprintf(msg, sizeof(msg), "FailedLookup source flag %" PRIu64, r->mr[0]);
        return msg;
    }
    if (r->label == seL4_RangeError && r->mr[0] > r->mr[1]) {
        snprintf(msg, sizeof(msg), "RangeError(%" PRIu64 ", %" PRIu64 ") has min > max", r->mr[0],
                 r->mr[1]);
        return msg;
    }
    if (r->extra_caps != 0 || r->caps_unwrapped != 0 || r->badge != 0) {
        snprintf(msg, sizeof(msg),
                 "error reply with extraCaps %" PRIu64 " capsUnwrapped %" PRIu64 " badge %#" PRIx64,
                 r->extra_caps, r->caps_unwrapped, r->badge);
        return msg;
    }
    return NULL;
}

static word_t invoked_type(uint64_t cptr)
{
    cte_t *slot;
    struct lookup_fault lf;
    if (cap_get_cap_type(ks.root_thread->ctes[TCB_CTABLE].cap) != cap_cnode_cap ||
        cspace_lookup_slot(ks.root_thread, cptr, &slot, &lf) != EXCEPTION_NONE || slot == NULL) {
        return cap_null_cap;
    }
    return cap_get_cap_type(slot->cap);
}

START_TEST(test_random_invocations)
{
    const char *seed_env = getenv("KTEST_SEED");
    const char *iter_env = getenv("KTEST_RANDOM_ITERATIONS");
    uint64_t seed = seed_env ? strtoull(seed_env, NULL, 0) : DEFAULT_SEED;
    unsigned long iterations = iter_env ? strtoul(iter_env, NULL, 0) : DEFAULT_ITERATIONS;
    rng_state = seed;
    memset(&st, 0, sizeof(st));
    st.pool_end = ktest_first_empty() + POOL_EXTRA;
    fprintf(stderr,
            "check_random: seed %#" PRIx64
            " (KTEST_SEED), %lu iterations (KTEST_RANDOM_ITERATIONS)\n",
            seed, iterations);

    unsigned preempt_left = 0;
    char why[512];
    for (unsigned long it = 0; it < iterations; it++) {
        if (it > 0 && it % REBOOT_EVERY == 0) {
            reboot();
            preempt_left = 0;
            hostsim_set_preempt_interval(0);
        }
        if (it % PREEMPT_WINDOW_EVERY == PREEMPT_WINDOW_EVERY / 2) {
            preempt_left = PREEMPT_WINDOW_LEN;
            hostsim_set_preempt_interval(1 + (unsigned)below(4));
        } else if (preempt_left > 0 && --preempt_left == 0) {
            hostsim_set_preempt_interval(0);
        }
        cte_t *root = root_cnode_slots();
        if (root == NULL || cap_get_cap_type(root[seL4_CapInitThreadCNode].cap) != cap_cnode_cap) {
            reboot(); /* the root task lost its own CNode cap: little left to exercise */
            st.lost_root++;
        }
        refresh_known_slots();

        struct op o;
        generate(&o);
        o.invoked_type = invoked_type(o.cptr);
        seL4_MessageInfo_t info = seL4_MessageInfo_new(o.label, 0, o.ncaps, o.length);
        struct ktest_reply r =
            ktest_syscall(o.sysno, o.cptr, info.words[0],
                          MIN(o.length, (unsigned)seL4_MsgMaxLength), o.mr, o.ncaps, o.caps);
        st.by_label[o.label < 64 ? o.label : 63]++;
        st.restarts += r.restarts;
        if (preempt_left > 0) {
            st.preempted_ops++;
        }

        const char *wrong = NULL;
        if (r.status == HOSTSIM_HALTED) {
            wrong = "the kernel halted (panic)";
        } else if (!kernel_invariants_hold(why, sizeof(why))) {
            wrong = why;
        } else if (r.status == HOSTSIM_OK && o.sysno == seL4_SysCall) {
            wrong = check_reply(&o, &r);
            if (r.label == seL4_NoError) {
                st.ok_by_label[o.label < 64 ? o.label : 63]++;
            }
            st.err_by_label[o.label < 64 ? o.label : 63][MIN(r.label, (uint64_t)seL4_NumErrors)]++;
        }
        if (wrong != NULL) {
            char desc[1024];
            describe(&o, desc, sizeof(desc));
            snprintf(report, sizeof(report),
                     "check_random failed: seed %#" PRIx64
                     " iteration %lu (op %lu since boot %lu): %s\n  invocation: %s\n"
                     "  reproduce: KTEST_SEED=%#" PRIx64 " KTEST_RANDOM_ITERATIONS=%lu %s",
                     seed, it, it % REBOOT_EVERY, st.reboots, wrong, desc, seed, it + 1,
                     "build/tests/check_random");
            fprintf(stderr, "%s\n", report);
            ck_abort_msg("%s", report);
        }
        if (r.status == HOSTSIM_STOPPED) {
            /* The root thread faulted (a Call/Send on a bad cptr) or lost its CSpace or TCB: revive
             * it when it still has a CSpace (as a Resume would), else boot afresh. */
            if (root_cnode_slots() != NULL &&
                cap_get_cap_type(root_cnode_slots()[seL4_CapInitThreadTCB].cap) == cap_thread_cap) {
                /* Through the kernel's own restart and exit path: the thread is queued and
                 * chosen as a Resume would make it (the checker sees the scheduler's queues). */
                thread_restart(ks.root_thread);
                kernel_exit();
                st.revives++;
            } else {
                reboot();
            }
        }
    }
    hostsim_set_preempt_interval(0);
    fprintf(stderr,
            "check_random: %lu invocations (invariant check after each); %lu reboots (%lu after "
            "losing the root CNode cap), "
            "%lu revives after faults, %lu ops under forced preemption, %lu restarts\n",
            iterations, st.reboots, st.lost_root, st.revives, st.preempted_ops, st.restarts);
    fprintf(stderr, "check_random: successes by label:");
    for (unsigned l = 0; l < 64; l++) {
        if (st.ok_by_label[l]) {
            fprintf(stderr, " %s(%u)=%lu/%lu", label_name(l), l, st.ok_by_label[l], st.by_label[l]);
        }
    }
    fprintf(stderr, "\n");
    if (getenv("KTEST_VERBOSE")) {
        for (unsigned l = 0; l < 64; l++) {
            if (st.by_label[l]) {
                fprintf(stderr, "  %-24s", label_name(l));
                for (unsigned e = 0; e <= seL4_NumErrors; e++) {
                    fprintf(stderr, " %6lu", st.err_by_label[l][e]);
                }
                fprintf(stderr, "\n");
            }
        }
    }
}
END_TEST

static Suite *random_suite(void)
{
    Suite *s = suite_create("random");
    TCase *tc = tcase_create("random_invocations");
    tcase_add_checked_fixture(tc, ktest_setup, ktest_teardown);
    tcase_set_timeout(tc, 0); /* meson's timeout governs */
    tcase_add_test(tc, test_random_invocations);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return ktest_run(random_suite()); }

#else /* !CONFIG_KERNEL_INVARIANTS: needs the invariant checker */
int main(void)
{
    puts("1..0 # SKIP the randomized test needs the debug kernel's invariant checker");
    return 0;
}
#endif
