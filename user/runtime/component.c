/* SPDX-License-Identifier: BSD-2-Clause */
/* Components (kaal/component.h): the root task's loader and the component's start-up. */
#include <kaal/gen_config.h>
#include <kaal/bootinfo.h>
#include <kaal/component.h>
#include <kaal/start.h>
#include <kaal/sys.h>

#define PAGE_SIZE (1ul << seL4_PageBits)

static int name_eq(const char *a, const char *b)
{
    unsigned i = 0;
    for (; i < KAAL_COMPONENT_NAME_LEN && a[i] && a[i] == b[i]; i++) {
    }
    return i == KAAL_COMPONENT_NAME_LEN || a[i] == b[i];
}

static void name_copy(char *dst, const char *src)
{
    unsigned i = 0;
    for (; i + 1 < KAAL_COMPONENT_NAME_LEN && src[i]; i++) {
        dst[i] = src[i];
    }
    for (; i < KAAL_COMPONENT_NAME_LEN; i++) {
        dst[i] = 0;
    }
}

seL4_CPtr kaal_component_cap(const struct kaal_component_args *args, const char *name)
{
    for (seL4_Word i = 0; i < args->n_caps; i++) {
        if (name_eq(args->caps[i].name, name)) {
            return args->caps[i].slot;
        }
    }
    return seL4_CapNull;
}

void *kaal_component_region(const struct kaal_component_args *args, const char *name,
                            seL4_Word *size)
{
    for (seL4_Word i = 0; i < args->n_regions; i++) {
        if (name_eq(args->regions[i].name, name)) {
            if (size) {
                *size = args->regions[i].size;
            }
            return (void *)args->regions[i].vaddr;
        }
    }
    return 0;
}

/* --- the component's side: its first function --- */

static void component_entry(struct kaal_component_args *args, kaal_component_main_fn main)
{
    kaal_tls_init(args->tls, args->ipc_buffer);
    main(args);
    sys_tcb_suspend(KAAL_COMPONENT_TCB);
    for (;;) {
        sys_yield(); /* not reached: a suspended thread does not run */
    }
}

/* --- the root task's side --- */

/* Mint cap into the component's slot dest (its CNode as the root task holds it: no guard, so
 * depth = its radix). */
static seL4_Error mint_into(struct kaal_component *c, seL4_Word dest, seL4_CPtr cap,
                            seL4_CapRights_t rights, seL4_Word badge)
{
    if (badge == 0) {
        return sys_cnode_copy(c->cnode, dest, KAAL_COMPONENT_CNODE_BITS, seL4_CapInitThreadCNode,
                              cap, seL4_WordBits, rights);
    }
    return sys_cnode_mint(c->cnode, dest, KAAL_COMPONENT_CNODE_BITS, seL4_CapInitThreadCNode, cap,
                          seL4_WordBits, rights, badge);
}

/* Map n fresh RW pages into the component at vaddr; *first gets the first frame's slot. */
static seL4_Error map_fresh(struct kaal_component *c, seL4_Word vaddr, unsigned n, seL4_CPtr *first)
{
    for (unsigned i = 0; i < n; i++) {
        seL4_CPtr frame;
        seL4_Error err = kaal_broker_alloc(c->broker, seL4_ARM_SmallPageObject, 0, &frame);
        if (err == seL4_NoError) {
            err =
                kaal_broker_map(c->broker, c->vspace, frame, vaddr + i * PAGE_SIZE, seL4_ReadWrite,
                                seL4_ARM_Default_VMAttributes | seL4_ARM_ExecuteNever);
        }
        if (err != seL4_NoError) {
            return err;
        }
        if (i == 0 && first) {
            *first = frame;
        }
    }
    return seL4_NoError;
}

/* aarch64: the root task's image, read-only and executable, at the same address. */
static seL4_Error map_code(struct kaal_component *c)
{
#ifdef __aarch64__
    const seL4_BootInfo *bi = c->broker->bi;
    for (seL4_CPtr f = bi->userImageFrames.start; f < bi->userImageFrames.end; f++) {
        seL4_CPtr copy;
        seL4_Error err = kaal_broker_copy(c->broker, f, &copy);
        if (err == seL4_NoError) {
            err = kaal_broker_map(c->broker, c->vspace, copy,
                                  0x400000ul + (f - bi->userImageFrames.start) * PAGE_SIZE,
                                  seL4_CanRead, seL4_ARM_Default_VMAttributes);
        }
        if (err != seL4_NoError) {
            return err;
        }
    }
#else
    (void)c; /* hostsim: components are host functions */
#endif
    return seL4_NoError;
}

#ifdef CONFIG_KERNEL_MCS
/* MCS: CSpace, VSpace and IPC buffer (Configure has no fault handler there); a scheduling context
 * of its own (round robin, KAAL_COMPONENT_BUDGET_US) bound with its priority and the fault
 * handler (a badged copy of fault_ep, which the kernel copies into the TCB); reply objects in its
 * KAAL_COMPONENT_REPLY and KAAL_COMPONENT_REPLY2 slots. A kernel whose SchedControl cannot
 * configure the scheduling context yet (IllegalOperation) leaves it unconfigured. */
static seL4_Error mcs_sched_and_reply(struct kaal_broker *b, struct kaal_component *c,
                                      seL4_Word guard, seL4_Word priority, seL4_CPtr fault_ep,
                                      seL4_Word fault_badge)
{
    seL4_Error err;
    seL4_CPtr handler = seL4_CapNull;
    if ((err = sys_tcb_configure(c->tcb, c->cnode, guard, c->vspace, 0, KAAL_COMPONENT_IPC_VADDR,
                                 c->ipc_frame)) ||
        (err = kaal_broker_alloc(b, seL4_SchedContextObject, seL4_MinSchedContextBits, &c->sc)) ||
        (err = kaal_broker_alloc(b, seL4_ReplyObject, 0, &c->reply)) ||
        (err = kaal_broker_alloc(b, seL4_ReplyObject, 0, &c->reply2)) ||
        (err = mint_into(c, KAAL_COMPONENT_REPLY, c->reply, seL4_AllRights, 0)) ||
        (err = mint_into(c, KAAL_COMPONENT_REPLY2, c->reply2, seL4_AllRights, 0))) {
        return err;
    }
    err = sys_sched_control_configure_flags(b->bi->schedcontrol.start, c->sc,
                                            KAAL_COMPONENT_BUDGET_US, KAAL_COMPONENT_BUDGET_US, 0,
                                            0, seL4_SchedContext_NoFlag);
    if (err != seL4_NoError && err != seL4_IllegalOperation) {
        return err;
    }
    if (fault_ep != seL4_CapNull) {
        handler = kaal_broker_slot(b);
        if (handler == seL4_CapNull) {
            return seL4_NotEnoughMemory;
        }
        if ((err = sys_cnode_mint(seL4_CapInitThreadCNode, handler, seL4_WordBits,
                                  seL4_CapInitThreadCNode, fault_ep, seL4_WordBits, seL4_AllRights,
                                  fault_badge))) {
            return err;
        }
    }
    return sys_tcb_set_sched_params(c->tcb, seL4_CapInitThreadTCB, priority, priority, c->sc,
                                    handler);
}
#endif

seL4_Error kaal_component_create_bare(struct kaal_broker *b, struct kaal_component *c,
                                      const char *name, seL4_Word priority, seL4_CPtr fault_ep,
                                      seL4_Word fault_badge)
{
    unsigned char *raw = (unsigned char *)&c->args;
    for (seL4_Word i = 0; i < sizeof(c->args); i++) {
        raw[i] = 0;
    }
    c->broker = b;
    c->main = 0;
    c->entry = 0;
    c->next_region = KAAL_COMPONENT_REGION_VADDR;
    c->args.magic = KAAL_COMPONENT_ARGS_MAGIC;
    name_copy(c->args.name, name);
    c->args.ipc_buffer = (seL4_IPCBuffer *)KAAL_COMPONENT_IPC_VADDR;
    c->args.first_free = KAAL_COMPONENT_FIRST_GRANT;

    seL4_Error err;
    if ((err = kaal_broker_alloc(b, seL4_CapTableObject, KAAL_COMPONENT_CNODE_BITS, &c->cnode)) ||
        (err = kaal_broker_vspace(b, &c->vspace)) ||
        (err = kaal_broker_alloc(b, seL4_TCBObject, 0, &c->tcb))) {
        return err;
    }
    /* Its own CNode, guarded so that a CPtr resolves with all 64 bits (guard 0). */
    seL4_Word guard = seL4_CNode_CapData_new(0, seL4_WordBits - KAAL_COMPONENT_CNODE_BITS).words[0];
    if ((err = sys_cnode_mint(c->cnode, KAAL_COMPONENT_CNODE, KAAL_COMPONENT_CNODE_BITS,
                              seL4_CapInitThreadCNode, c->cnode, seL4_WordBits, seL4_AllRights,
                              guard)) ||
        (err = sys_cnode_copy(c->cnode, KAAL_COMPONENT_TCB, KAAL_COMPONENT_CNODE_BITS,
                              seL4_CapInitThreadCNode, c->tcb, seL4_WordBits, seL4_AllRights)) ||
        (err = sys_cnode_copy(c->cnode, KAAL_COMPONENT_VSPACE, KAAL_COMPONENT_CNODE_BITS,
                              seL4_CapInitThreadCNode, c->vspace, seL4_WordBits, seL4_AllRights))) {
        return err;
    }
    if (fault_ep != seL4_CapNull &&
        (err = sys_cnode_mint(c->cnode, KAAL_COMPONENT_FAULT_EP, KAAL_COMPONENT_CNODE_BITS,
                              seL4_CapInitThreadCNode, fault_ep, seL4_WordBits, seL4_AllRights,
                              fault_badge))) {
        return err;
    }
    if ((err = map_fresh(c, KAAL_COMPONENT_STACK_VADDR, KAAL_COMPONENT_STACK_PAGES, 0)) ||
        (err = map_fresh(c, KAAL_COMPONENT_IPC_VADDR, 1, &c->ipc_frame)) ||
        (err = kaal_broker_alloc(b, seL4_ARM_SmallPageObject, 0, &c->args_frame))) {
        return err;
    }
#ifdef CONFIG_KERNEL_MCS
    if ((err = mcs_sched_and_reply(b, c, guard, priority, fault_ep, fault_badge))) {
        return err;
    }
#else
    if ((err = sys_tcb_configure(
             c->tcb, fault_ep != seL4_CapNull ? KAAL_COMPONENT_FAULT_EP : seL4_CapNull, c->cnode,
             guard, c->vspace, 0, KAAL_COMPONENT_IPC_VADDR, c->ipc_frame)) ||
        (err = sys_tcb_set_sched_params(c->tcb, seL4_CapInitThreadTCB, priority, priority))) {
        return err;
    }
#endif
#ifdef CONFIG_DEBUG_BUILD
    /* Names exist only in debug kernels (as with libsel4, the call is absent from release ones). */
    sys_debug_name_thread(c->tcb, c->args.name);
#endif
    return seL4_NoError;
}

seL4_Error kaal_component_create(struct kaal_broker *b, struct kaal_component *c, const char *name,
                                 kaal_component_main_fn main, seL4_Word priority,
                                 seL4_CPtr fault_ep, seL4_Word fault_badge)
{
    seL4_Error err = kaal_component_create_bare(b, c, name, priority, fault_ep, fault_badge);
    if (err == seL4_NoError) {
        err = map_code(c);
    }
    c->main = main;
    return err;
}

seL4_Error kaal_component_grant(struct kaal_component *c, const char *name, seL4_CPtr cap,
                                seL4_CapRights_t rights, seL4_Word badge, seL4_CPtr *slot)
{
    seL4_Word n = c->args.n_caps;
    seL4_Word dest = c->args.first_free;
    if (n >= KAAL_COMPONENT_MAX_CAPS || dest >= (1ul << KAAL_COMPONENT_CNODE_BITS)) {
        return seL4_NotEnoughMemory;
    }
    seL4_Error err = mint_into(c, dest, cap, rights, badge);
    if (err != seL4_NoError) {
        return err;
    }
    name_copy(c->args.caps[n].name, name);
    c->args.caps[n].slot = dest;
    c->args.n_caps = n + 1;
    c->args.first_free = dest + 1;
    if (slot) {
        *slot = dest;
    }
    return seL4_NoError;
}

seL4_Error kaal_component_map_region(struct kaal_component *c, const char *name,
                                     seL4_CPtr first_frame, seL4_Word n_frames,
                                     seL4_CapRights_t rights, seL4_Word attr)
{
    seL4_Word n = c->args.n_regions;
    if (n >= KAAL_COMPONENT_MAX_REGIONS) {
        return seL4_NotEnoughMemory;
    }
    seL4_Word base = c->next_region;
    for (seL4_Word i = 0; i < n_frames; i++) {
        seL4_CPtr copy;
        seL4_Error err = kaal_broker_copy(c->broker, first_frame + i, &copy);
        if (err == seL4_NoError) {
            err = kaal_broker_map(c->broker, c->vspace, copy, base + i * PAGE_SIZE, rights, attr);
        }
        if (err != seL4_NoError) {
            return err;
        }
    }
    name_copy(c->args.regions[n].name, name);
    c->args.regions[n].vaddr = base;
    c->args.regions[n].size = n_frames * PAGE_SIZE;
    c->args.n_regions = n + 1;
    c->next_region = base + (n_frames + 1) * PAGE_SIZE; /* a guard page between regions */
    return seL4_NoError;
}

void kaal_component_set_word(struct kaal_component *c, unsigned i, seL4_Word v)
{
    if (i < 4) {
        c->args.words[i] = v;
    }
}

seL4_Error kaal_component_start(struct kaal_component *c)
{
    /* Fill the start-up page through a temporary mapping in the root task's VSpace, at a fresh
     * address each time (so no stale translation of an earlier page can be hit). */
    static seL4_Word scratch_used;
    if (scratch_used >= KAAL_ROOT_SCRATCH_PAGES) {
        return seL4_NotEnoughMemory;
    }
    seL4_Word scratch = KAAL_ROOT_SCRATCH_VADDR + scratch_used++ * PAGE_SIZE;
    seL4_Error err =
        kaal_broker_map(c->broker, seL4_CapInitThreadVSpace, c->args_frame, scratch, seL4_ReadWrite,
                        seL4_ARM_Default_VMAttributes | seL4_ARM_ExecuteNever);
    if (err != seL4_NoError) {
        return err;
    }
    const unsigned char *src = (const unsigned char *)&c->args;
    volatile unsigned char *dst = (volatile unsigned char *)scratch;
    for (seL4_Word i = 0; i < sizeof(c->args); i++) {
        dst[i] = src[i];
    }
    if ((err = sys_arm_page_unmap(c->args_frame)) ||
        (err = kaal_broker_map(c->broker, c->vspace, c->args_frame, KAAL_COMPONENT_ARGS_VADDR,
                               seL4_ReadWrite,
                               seL4_ARM_Default_VMAttributes | seL4_ARM_ExecuteNever))) {
        return err;
    }
    seL4_UserContext regs;
    unsigned char *r = (unsigned char *)&regs;
    for (seL4_Word i = 0; i < sizeof(regs); i++) {
        r[i] = 0;
    }
    regs.pc = c->entry != 0 ? c->entry : (seL4_Word)(uintptr_t)component_entry;
    regs.sp = KAAL_COMPONENT_ARGS_VADDR; /* the stack ends where the args page starts */
    regs.x0 = KAAL_COMPONENT_ARGS_VADDR;
    regs.x1 = (seL4_Word)(uintptr_t)c->main;
    return sys_tcb_write_registers(c->tcb, 1, 0, 5, &regs);
}
