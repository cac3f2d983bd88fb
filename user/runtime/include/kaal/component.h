/* SPDX-License-Identifier: BSD-2-Clause */
/* Components: programs the root task starts, each in its own CSpace and VSpace with its own TCB,
 * stack and IPC buffer, holding exactly the caps it was granted (docs/tutorial.md).
 *
 * What a component finds when its main(args) runs:
 * - its CSpace is one CNode of 2^KAAL_COMPONENT_CNODE_BITS slots, guarded so that plain CPtrs
 *   (depth seL4_WordBits) name its slots; fixed slots below, granted caps from
 *   KAAL_COMPONENT_FIRST_GRANT in grant order, empty slots from args->first_free;
 * - args (at KAAL_COMPONENT_ARGS_VADDR) names every granted cap and shared region, so code looks
 *   them up by name: kaal_component_cap(args, "uart");
 * - its stack (64 KiB) ends just below args; its IPC buffer is at KAAL_COMPONENT_IPC_VADDR and the
 *   library's TLS is set up.
 * When main returns the component suspends itself.
 *
 * Code: on aarch64 components are functions linked into the root task's image; a component's
 * VSpace maps that image read-only and executable at the same address (so it can run the code and
 * read constants, never write the root task's data: components keep their state on their stack).
 * On hostsim a component's code is host code (a host function, as every hostsim user thread's is),
 * and its stack, args, IPC buffer and mappings are real pages of its own VSpace in the user window.
 */
#ifndef KAAL_COMPONENT_H
#define KAAL_COMPONENT_H

#include <kaal/broker.h>
#include <kaal/sys_types.h>

/* The component's own CSpace. */
#define KAAL_COMPONENT_CNODE_BITS 8
#define KAAL_COMPONENT_CNODE 1    /* its CNode */
#define KAAL_COMPONENT_TCB 2      /* its TCB */
#define KAAL_COMPONENT_VSPACE 3   /* its VSpace */
#define KAAL_COMPONENT_FAULT_EP 4 /* where its faults go (when the root task gave it a handler) */
#define KAAL_COMPONENT_REPLY 5    /* MCS: its reply object (the kaal_server_* calls of a server) */
#define KAAL_COMPONENT_REPLY2 \
    6 /* MCS: a second one, to keep a caller waiting while serving others */
#define KAAL_COMPONENT_FIRST_GRANT 8

/* MCS: each component runs on a scheduling context of its own, round robin with this budget. */
#define KAAL_COMPONENT_BUDGET_US 5000

/* Its address space: everything below KAAL_COMPONENT_LAYOUT_END (inside hostsim's user window). */
#define KAAL_COMPONENT_LAYOUT_END 0x4000000ul
#define KAAL_COMPONENT_STACK_VADDR 0x2001000ul /* a guard page below it */
#define KAAL_COMPONENT_STACK_PAGES 16
#define KAAL_COMPONENT_ARGS_VADDR (KAAL_COMPONENT_STACK_VADDR + KAAL_COMPONENT_STACK_PAGES * 4096ul)
#define KAAL_COMPONENT_IPC_VADDR (KAAL_COMPONENT_ARGS_VADDR + 4096ul)
#define KAAL_COMPONENT_REGION_VADDR \
    0x2100000ul /* shared regions and device frames, in grant order */

#define KAAL_COMPONENT_MAX_CAPS 24
#define KAAL_COMPONENT_MAX_REGIONS 8
#define KAAL_COMPONENT_NAME_LEN 16
#define KAAL_COMPONENT_ARGS_MAGIC 0x4b61614c41726773ul /* "KaaLArgs" */

struct kaal_component_args;
typedef void (*kaal_component_main_fn)(const struct kaal_component_args *args);

/* The start-up page, read-only to nobody in particular: the component may write it (its TLS
 * block lives here). */
struct kaal_component_args {
    seL4_Word magic;
    char name[KAAL_COMPONENT_NAME_LEN];
    seL4_IPCBuffer *ipc_buffer;
    seL4_Word first_free; /* first empty slot of its CNode */
    seL4_Word words[4];   /* free-form start-up words from the root task */
    seL4_Word n_caps;
    struct {
        char name[KAAL_COMPONENT_NAME_LEN];
        seL4_CPtr slot;
    } caps[KAAL_COMPONENT_MAX_CAPS];
    seL4_Word n_regions;
    struct {
        char name[KAAL_COMPONENT_NAME_LEN];
        seL4_Word vaddr, size;
    } regions[KAAL_COMPONENT_MAX_REGIONS];
    _Alignas(16) unsigned char tls[256];
};

/* The slot of the granted cap called name, or seL4_CapNull. */
seL4_CPtr kaal_component_cap(const struct kaal_component_args *args, const char *name);
/* The address of the region called name (NULL if none); *size gets its size. */
void *kaal_component_region(const struct kaal_component_args *args, const char *name,
                            seL4_Word *size);

/* --- the root task's side --- */
struct kaal_component {
    struct kaal_broker *broker;
    seL4_CPtr tcb, cnode, vspace, ipc_frame, args_frame;
#ifdef CONFIG_KERNEL_MCS
    seL4_CPtr sc, reply, reply2; /* its scheduling context and reply objects (root-CNode slots) */
#endif
    seL4_Word next_region;       /* next free address for regions */
    kaal_component_main_fn main; /* a function of the root task's image (kaal_component_create) */
    seL4_Word entry;             /* or an ELF image's entry point (kaal_component_create_elf) */
    struct kaal_component_args args; /* what it will find at start */
};

/* Build a component's objects: CNode, VSpace (with an ASID), TCB, stack, IPC buffer, the code
 * mapping; fault_ep (a cap in the root CNode, or seL4_CapNull) is minted with fault_badge into its
 * fault slot and becomes its fault handler. Nothing runs yet. */
seL4_Error kaal_component_create(struct kaal_broker *b, struct kaal_component *c, const char *name,
                                 kaal_component_main_fn main, seL4_Word priority,
                                 seL4_CPtr fault_ep, seL4_Word fault_badge);
/* The same without any code: for loaders (kaal_component_create_elf) that map the code themselves
 * and set c->entry. */
seL4_Error kaal_component_create_bare(struct kaal_broker *b, struct kaal_component *c,
                                      const char *name, seL4_Word priority, seL4_CPtr fault_ep,
                                      seL4_Word fault_badge);
/* Grant cap (a root-CNode slot) to it under name, minted with rights and badge (badge 0: a copy).
 * *slot (if not NULL) gets its slot in the component's CNode. */
seL4_Error kaal_component_grant(struct kaal_component *c, const char *name, seL4_CPtr cap,
                                seL4_CapRights_t rights, seL4_Word badge, seL4_CPtr *slot);
/* Map frames (consecutive root-CNode slots, each mapped once so far at most) into it as a region
 * called name; rights and attributes as Page_Map takes them. The frames are copied first, so the
 * caller may map them itself as well (shared memory). */
seL4_Error kaal_component_map_region(struct kaal_component *c, const char *name,
                                     seL4_CPtr first_frame, seL4_Word n_frames,
                                     seL4_CapRights_t rights, seL4_Word attr);
/* Set a start-up word (0..3). */
void kaal_component_set_word(struct kaal_component *c, unsigned i, seL4_Word v);
/* Write its start-up page and start it. */
seL4_Error kaal_component_start(struct kaal_component *c);

/* Where the root task maps start-up pages to fill them (kaal_component_start): one page per
 * component started, never reused; so at most KAAL_ROOT_SCRATCH_PAGES components. */
#define KAAL_ROOT_SCRATCH_VADDR 0x3000000ul
#define KAAL_ROOT_SCRATCH_PAGES 256ul

#endif
