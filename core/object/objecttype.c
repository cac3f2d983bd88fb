/* SPDX-License-Identifier: BSD-2-Clause */
/* Object sizes and the creation of one object from retyped memory, and the size and address of
 * the object any cap names (seL4's getObjectSize, createObject, cap_get_capSizeBits/capPtr). */
#include <kaal/objects.h>
#include <kaal/sched.h>

word_t object_size_bits(word_t type, word_t user_size_bits)
{
    switch (type) {
    case seL4_UntypedObject:
        return user_size_bits;
    case seL4_TCBObject:
        return seL4_TCBBits;
    case seL4_EndpointObject:
        return seL4_EndpointBits;
    case seL4_NotificationObject:
        return seL4_NotificationBits;
    case seL4_CapTableObject:
        return seL4_SlotBits + user_size_bits;
    case seL4_ARM_HugePageObject:
        return seL4_HugePageBits;
    case seL4_ARM_VSpaceObject:
        return seL4_VSpaceBits;
    case seL4_ARM_SmallPageObject:
        return seL4_PageBits;
    case seL4_ARM_LargePageObject:
        return seL4_LargePageBits;
    case seL4_ARM_PageTableObject:
        return seL4_PageTableBits;
    default:
        /* Retype's decoder rejects type >= seL4_ObjectTypeCount before asking. */
        kpanic("object_size_bits: invalid object type");
    }
}

/* The frame-size code of a frame cap for a frame object type. */
static word_t frame_size_code(word_t type)
{
    switch (type) {
    case seL4_ARM_SmallPageObject:
        return FRAME_SMALL;
    case seL4_ARM_LargePageObject:
        return FRAME_LARGE;
    default:
        kassert(type == seL4_ARM_HugePageObject);
        return FRAME_HUGE;
    }
}

/* Set up the parts of a fresh (zeroed) TCB that are not zero. */
static void tcb_init_object(struct tcb *tcb)
{
    hal_tcb_init(&tcb->arch);
    thread_state_ptr_set_ts_type(&tcb->state, ThreadState_Inactive);
    tcb->priority = 0;
    tcb->mcp = 0;
    /* As seL4: a new thread starts in the domain that is running when it is made. */
    tcb->domain = sched_current_domain();
    tcb->time_slice = CONFIG_TIME_SLICE;
    tcb->name[0] = '\0';
    sched_tcb_created(tcb);
}

cap_t object_create(word_t type, paddr_t pa, word_t user_size_bits, bool device)
{
    /* Retype places every object at an address aligned to its size, in memory that is zero
     * (the untyped's invariant above its free index) unless it comes from a device untyped. */
    kassert(IS_ALIGNED(pa, object_size_bits(type, user_size_bits)));
    kassert(!device || type == seL4_UntypedObject || type == seL4_ARM_SmallPageObject ||
            type == seL4_ARM_LargePageObject || type == seL4_ARM_HugePageObject);

    switch (type) {
    case seL4_UntypedObject:
        return cap_untyped_cap_new(pa, user_size_bits, device, 0);
    case seL4_TCBObject:
        tcb_init_object(tcb_from_paddr(pa));
        return cap_thread_cap_new(pa);
    case seL4_EndpointObject:
        return cap_endpoint_cap_new(pa, 1, 1, 1, 1, 0);
    case seL4_NotificationObject:
        return cap_notification_cap_new(pa, 1, 1, 0);
    case seL4_CapTableObject:
        return cap_cnode_cap_new(pa, user_size_bits, 0, 0);
    case seL4_ARM_SmallPageObject:
    case seL4_ARM_LargePageObject:
    case seL4_ARM_HugePageObject:
        return cap_frame_cap_new(pa, frame_size_code(type), VM_READ_WRITE, device, 0, 0);
    case seL4_ARM_VSpaceObject:
        return cap_vspace_cap_new(pa, 0, 0);
    case seL4_ARM_PageTableObject:
        return cap_page_table_cap_new(pa, 0, 0, 0);
    default:
        kpanic("object_create: invalid object type");
    }
}

word_t cap_object_size_bits(cap_t cap)
{
    switch (cap_get_cap_type(cap)) {
    case cap_untyped_cap:
        return cap_untyped_cap_get_block_size(cap);
    case cap_endpoint_cap:
        return seL4_EndpointBits;
    case cap_notification_cap:
        return seL4_NotificationBits;
    case cap_cnode_cap:
        return cap_cnode_cap_get_radix(cap) + seL4_SlotBits;
    case cap_thread_cap:
        return seL4_TCBBits;
    case cap_zombie_cap: {
        word_t zt = cap_zombie_cap_get_zombie_type(cap);
        return zt == ZOMBIE_TYPE_TCB ? seL4_TCBBits : zt + seL4_SlotBits;
    }
    case cap_frame_cap: {
        static const word_t frame_bits[] = {seL4_PageBits, seL4_LargePageBits, seL4_HugePageBits};
        word_t size = cap_frame_cap_get_size(cap);
        kassert(size < ARRAY_SIZE(frame_bits));
        return frame_bits[size];
    }
    case cap_page_table_cap:
        return seL4_PageTableBits;
    case cap_vspace_cap:
        return seL4_VSpaceBits;
    case cap_asid_pool_cap:
        return seL4_ASIDPoolBits;
    default:
        /* null, reply (non-MCS), domain, IRQ control/handler, ASID control, SGI signal: no
         * memory of their own. */
        return 0;
    }
}

paddr_t cap_object_paddr(cap_t cap)
{
    switch (cap_get_cap_type(cap)) {
    case cap_untyped_cap:
        return cap_untyped_cap_get_ptr(cap);
    case cap_endpoint_cap:
        return cap_endpoint_cap_get_ptr(cap);
    case cap_notification_cap:
        return cap_notification_cap_get_ptr(cap);
    case cap_cnode_cap:
        return cap_cnode_cap_get_ptr(cap);
    case cap_thread_cap:
        return cap_thread_cap_get_tcb(cap);
    case cap_zombie_cap:
        return cap_zombie_cap_get_ptr(cap);
    case cap_frame_cap:
        return cap_frame_cap_get_base(cap);
    case cap_page_table_cap:
        return cap_page_table_cap_get_ptr(cap);
    case cap_vspace_cap:
        return cap_vspace_cap_get_ptr(cap);
    case cap_asid_pool_cap:
        return cap_asid_pool_cap_get_ptr(cap);
    default:
        /* As seL4's cap_get_capPtr: a non-MCS reply cap names no object memory. */
        return 0;
    }
}

const char *cap_type_name(word_t tag)
{
    switch (tag) {
    case cap_null_cap:
        return "null";
    case cap_frame_cap:
        return "frame";
    case cap_untyped_cap:
        return "untyped";
    case cap_page_table_cap:
        return "page_table";
    case cap_endpoint_cap:
        return "endpoint";
    case cap_notification_cap:
        return "notification";
    case cap_reply_cap:
        return "reply";
    case cap_vspace_cap:
        return "vspace";
    case cap_cnode_cap:
        return "cnode";
    case cap_asid_control_cap:
        return "asid_control";
    case cap_thread_cap:
        return "tcb";
    case cap_asid_pool_cap:
        return "asid_pool";
    case cap_irq_control_cap:
        return "irq_control";
    case cap_irq_handler_cap:
        return "irq_handler";
    case cap_zombie_cap:
        return "zombie";
    case cap_domain_cap:
        return "domain";
    case cap_sgi_signal_cap:
        return "sgi_signal";
    default:
        return "?";
    }
}
