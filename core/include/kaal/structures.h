/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel object layouts: capability slots (CTEs), TCBs, and the packed words generated from
 * structures.bf. */
#ifndef KAAL_STRUCTURES_H
#define KAAL_STRUCTURES_H

#include <kaal/assert.h>
#include <kaal/types.h>
#undef KAAL_BF_ASSERT /* the ABI words default to no check; kernel words assert */
#define KAAL_BF_ASSERT(c) kassert(c)
#include <kaal/structures_gen.h>
#include <kaal/abi/abi.h>
#include <hal/hal.h>
#include <hal/mmu.h>

/* MCS_ARG(x): a parameter (or argument) only the MCS configuration has: ", x" there, nothing in
 * the base one, so a shared prototype reads as seL4's does in both. */
#ifdef CONFIG_KERNEL_MCS
#define MCS_ARG(...) , __VA_ARGS__
#else
#define MCS_ARG(...)
#endif

/* A capability slot: the cap and its derivation-tree links. 32 bytes (seL4_SlotBits = 5). */
typedef struct cte {
    cap_t cap;
    mdb_node_t mdb;
} cte_t;
_Static_assert(sizeof(cte_t) == (1u << seL4_SlotBits), "a CNode slot is 32 bytes");

/* Physical <-> kernel pointers. Every pointer kept in a packed word is a physical address. */
#define PTOV(type, pa) ((type *)hal_ptov((paddr_t)(pa)))
#define VTOP(ptr) hal_vtop((const void *)(ptr))
static inline cte_t *cte_from_paddr(paddr_t pa) { return pa ? PTOV(cte_t, pa) : NULL; }
static inline paddr_t cte_paddr(const cte_t *slot) { return slot ? VTOP(slot) : 0; }

/* Frame size field of frame caps. */
enum frame_size { FRAME_SMALL = 0, FRAME_LARGE = 1, FRAME_HUGE = 2 };
/* Arch frame rights (vm_rights field of frame caps): enum vm_rights, <hal/mmu.h>. */
/* zombie_type value for a TCB zombie; 0..63 are CNode radices. */
#define ZOMBIE_TYPE_TCB 64

/* The slots every TCB object carries in its first bytes (seL4's TCB CNode). */
#ifdef CONFIG_KERNEL_MCS
enum tcb_cnode_index {
    TCB_CTABLE = 0,          /* CSpace root */
    TCB_VTABLE = 1,          /* VSpace root */
    TCB_BUFFER = 2,          /* IPC buffer frame */
    TCB_FAULT_HANDLER = 3,   /* copy of the fault endpoint cap (null: no handler) */
    TCB_TIMEOUT_HANDLER = 4, /* copy of the timeout endpoint cap (null: no handler) */
    TCB_CNODE_ENTRIES = 5,
};
#else
enum tcb_cnode_index {
    TCB_CTABLE = 0, /* CSpace root */
    TCB_VTABLE = 1, /* VSpace root */
    TCB_REPLY = 2,  /* master reply cap */
    TCB_CALLER = 3, /* one-shot reply cap of the thread that last called this one */
    TCB_BUFFER = 4, /* IPC buffer frame */
    TCB_CNODE_ENTRIES = 5,
};
#endif

enum thread_state_type {
    ThreadState_Inactive = 0,
    ThreadState_Running = 1,
    ThreadState_Restart = 2,
    ThreadState_BlockedOnReceive = 3,
    ThreadState_BlockedOnSend = 4,
    ThreadState_BlockedOnReply = 5,
    ThreadState_BlockedOnNotification = 6,
    ThreadState_IdleThreadState = 7,
};

#define TCB_NAME_LEN 64

#ifdef CONFIG_KERNEL_MCS
struct sched_context;
struct reply;
#endif

/* A thread control block. The object is 2^seL4_TCBBits bytes; the struct sits at its start. */
struct tcb {
    /* Owned by the capability layer: the TCB's own slots (deleted when the TCB is finalised). */
    cte_t ctes[TCB_CNODE_ENTRIES];

    /* Owned by the port: saved user registers and FP state. Core never reads inside. */
    struct hal_tcb arch;

    /* Owned by the scheduler and IPC. */
    thread_state_t state;
    word_t priority;
    word_t mcp;
    word_t domain;
    word_t time_slice;
    word_t flags;                        /* seL4_TCBFlag_* */
    struct tcb *sched_next, *sched_prev; /* ready queue links (valid while sched_queued) */
    bool sched_queued;                   /* in its (domain, priority) ready queue */
    struct tcb *debug_next, *debug_prev; /* the scheduler's list of every TCB (debug dump) */
    struct tcb *ep_next, *ep_prev;
    paddr_t bound_notification;

#ifdef CONFIG_KERNEL_MCS
    /* MCS, owned by the scheduling-context layer (schedcontext.c, sched.c). */
    struct sched_context *sched_context; /* the SC it runs on (own or donated); NULL: passive */
    struct sched_context *yield_to;      /* the SC it yielded to (SchedContext_YieldTo), or NULL */
    /* MCS, owned by the reply layer (reply.c, ipc.c): BlockedOnReceive: the reply object it gave
     * to the receive (NULL: none); BlockedOnReply: the reply object its caller answers through. */
    struct reply *reply;
#else
    /* Owned by the syscall layer. */
    word_t fault_handler; /* CPtr looked up in this thread's CSpace when it faults */
#endif

    /* Owned by the syscall layer. */
    word_t ipc_buffer; /* user vaddr of the IPC buffer, 0 for none */
    word_t fault[4];   /* the pending fault (type and words), for fault IPC */
    word_t lookup_failure[4];

    char name[TCB_NAME_LEN]; /* DebugNameThread */
};
_Static_assert(sizeof(struct tcb) <= (1u << seL4_TCBBits), "struct tcb fits its object");

#ifdef CONFIG_KERNEL_MCS
/* One refill of a scheduling context (16 bytes, seL4_RefillSizeBytes): `amount` ticks of budget
 * become available at time `release` (ticks of the kernel clock). */
typedef struct refill {
    uint64_t release;
    uint64_t amount;
} refill_t;
_Static_assert(sizeof(refill_t) == seL4_RefillSizeBytes, "a refill is 16 bytes");

/* A scheduling-context object (2^size_bits bytes, size_bits >= seL4_MinSchedContextBits): this
 * 96-byte header, then a circular buffer of refills that fills the rest of the object, as seL4
 * lays it out (refill_max = (2^size_bits - 96) / 16). Times are kernel ticks. */
struct sched_context {
    /* Owned by schedcontext.c (ConfigureFlags, refills, budget charging). */
    uint64_t period;   /* 0 for a round-robin SC (budget == period) */
    uint64_t budget;   /* configured budget: the sum of the refills' amounts when active */
    uint64_t consumed; /* ticks charged since the last Consumed / YieldTo / timeout fault */
    word_t badge;      /* ConfigureFlags badge (MR0 of timeout faults) */
    /* The circular refill buffer refills[0 .. refill_max): refill_count entries from refill_head
     * to refill_tail (wrapping). refill_max 0: inactive (never configured). 32 bits each, so the
     * header keeps seL4's 96 bytes; SC_REFILL_MAX clamps capacity to what they count. */
    uint32_t refill_max;
    uint32_t refill_head;
    uint32_t refill_tail;
    uint32_t refill_count;
    uint8_t sporadic;         /* seL4_SchedContext_Sporadic: refill pulled forward on unblock */
    uint8_t core;             /* the core it runs on (always 0) */
    uint8_t in_release_queue; /* it waits in the release queue for its head refill */
    uint8_t pad_[5];
    /* Owned by schedcontext.c and the scheduler: what it is bound to. */
    struct tcb *tcb;        /* the thread running on it (bound or donated to), or NULL */
    paddr_t notification;   /* the notification it is bound to (paddr), or 0 */
    struct tcb *yield_from; /* the thread waiting in SchedContext_YieldTo on it, or NULL */
    /* Owned by reply.c: the newest reply object of the call stack it was donated along. */
    struct reply *reply;
    /* Owned by sched.c: the release queue (ordered by the head refill's release time). */
    struct sched_context *release_next;
    refill_t refills[]; /* refill_max entries */
};
#define SC_HEADER_BYTES 96
_Static_assert(sizeof(struct sched_context) == SC_HEADER_BYTES,
               "the scheduling-context header fits 96 bytes");
_Static_assert(SC_HEADER_BYTES + 2 * seL4_RefillSizeBytes == seL4_CoreSchedContextBytes,
               "the smallest SC holds the header and two refills");
/* The refill capacity of an SC object of 2^size_bits bytes (seL4 refill_absolute_max); objects
 * beyond 64 GiB are held to 2^32 - 1 refills. */
static inline uint32_t sc_refill_max(word_t size_bits)
{
    word_t n = (BIT(size_bits) - SC_HEADER_BYTES) / seL4_RefillSizeBytes;
    return n > 0xffffffffu ? 0xffffffffu : (uint32_t)n;
}

/* A reply object (32 bytes, seL4_ReplyBits). A Call through an endpoint blocks the caller on the
 * reply object the receiver supplied; the object links into the call stack of the scheduling
 * context donated along the calls (seL4 reply_t). Owned by reply.c. */
struct reply {
    struct tcb *tcb;    /* BlockedOnReceive thread holding it, or BlockedOnReply caller; or NULL */
    struct reply *prev; /* call stack: the older reply object (further from the SC), or NULL */
    struct reply *next; /* call stack: the newer reply object, or NULL when it is the newest */
    struct sched_context *sc; /* newest on a stack: the SC whose call-stack head it is, or NULL */
};
_Static_assert(sizeof(struct reply) <= (1u << seL4_ReplyBits), "struct reply fits its object");

static inline struct sched_context *sc_from_paddr(paddr_t pa)
{
    return pa ? PTOV(struct sched_context, pa) : NULL;
}
static inline struct reply *reply_from_paddr(paddr_t pa)
{
    return pa ? PTOV(struct reply, pa) : NULL;
}
#endif

/* An ASID pool object (4 KiB): the VSpace root (physical, 0: free) of each of its 512 ASIDs. */
typedef struct asid_pool {
    paddr_t vspace[1u << seL4_ASIDPoolIndexBits];
} asid_pool_t;
_Static_assert(sizeof(asid_pool_t) == (1u << seL4_ASIDPoolBits), "an ASID pool fills its object");

static inline struct tcb *tcb_from_paddr(paddr_t pa) { return pa ? PTOV(struct tcb, pa) : NULL; }
static inline struct tcb *tcb_of_slot(const cte_t *slot) { return (struct tcb *)(uintptr_t)slot; }

/* The slot of a cap's kind that names a CNode's slot array. */
static inline cte_t *cnode_slots(cap_t cnode) { return PTOV(cte_t, cap_cnode_cap_get_ptr(cnode)); }

#endif
