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
enum tcb_cnode_index {
    TCB_CTABLE = 0, /* CSpace root */
    TCB_VTABLE = 1, /* VSpace root */
    TCB_REPLY = 2,  /* master reply cap */
    TCB_CALLER = 3, /* one-shot reply cap of the thread that last called this one */
    TCB_BUFFER = 4, /* IPC buffer frame */
    TCB_CNODE_ENTRIES = 5,
};

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

    /* Owned by the syscall layer. */
    word_t fault_handler; /* CPtr looked up in this thread's CSpace when it faults */
    word_t ipc_buffer;    /* user vaddr of the IPC buffer, 0 for none */
    word_t fault[4];      /* the pending fault (type and words), for fault IPC */
    word_t lookup_failure[4];

    char name[TCB_NAME_LEN]; /* DebugNameThread */
};
_Static_assert(sizeof(struct tcb) <= (1u << seL4_TCBBits), "struct tcb fits its object");

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
