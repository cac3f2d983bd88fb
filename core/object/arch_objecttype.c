/* SPDX-License-Identifier: BSD-2-Clause */
/* The arch hand-off of the per-capability hub (seL4's src/arch/arm/64/object/objecttype.c): the
 * AArch64 cap types (frame, page table, VSpace, ASID control, ASID pool, SGI signal) and object
 * types, one function per operation of objecttype.c, which calls them for cap_is_arch caps and
 * object types >= seL4_NonArchObjectTypeCount only. */
#include <kaal/objects.h>
#include <kaal/printf.h>
#include <kaal/vspace.h>

/* ---- object types ------------------------------------------------------------------------ */

word_t arch_object_size_bits(word_t type)
{
    /* The sizes of the ABI's object-type table (-1 for the two generic types sized by retype's
     * argument; every AArch64 type has a fixed size). */
    static const int8_t bits[seL4_ObjectTypeCount] = {
#define OBJECT_BITS(name, num, size_bits) [(num)] = (size_bits),
        KAAL_OBJECT_TYPE_TABLE(OBJECT_BITS)
#undef OBJECT_BITS
    };
    /* Retype's decoder rejects type >= seL4_ObjectTypeCount before asking. */
    kassert(type >= seL4_NonArchObjectTypeCount && type < seL4_ObjectTypeCount);
    return (word_t)bits[type];
}

cap_t arch_object_create(word_t type, paddr_t pa, bool device)
{
    switch (type) {
    case seL4_ARM_SmallPageObject:
        return cap_frame_cap_new(pa, FRAME_SMALL, VM_READ_WRITE, device, 0, 0);
    case seL4_ARM_LargePageObject:
        return cap_frame_cap_new(pa, FRAME_LARGE, VM_READ_WRITE, device, 0, 0);
    case seL4_ARM_HugePageObject:
        return cap_frame_cap_new(pa, FRAME_HUGE, VM_READ_WRITE, device, 0, 0);
    case seL4_ARM_VSpaceObject:
        kassert(!device); /* a device untyped makes only untypeds and frames */
        return cap_vspace_cap_new(pa, 0, 0);
    case seL4_ARM_PageTableObject:
        kassert(!device);
        return cap_page_table_cap_new(pa, 0, 0, 0);
    default:
        kpanic("object_create: invalid object type");
    }
}

/* ---- what a cap names -------------------------------------------------------------------- */

struct cap_region arch_cap_region(cap_t cap)
{
    switch (cap_get_cap_type(cap)) {
    case cap_frame_cap:
        return (struct cap_region){cap_frame_cap_get_base(cap),
                                   frame_size_bits_of(cap_frame_cap_get_size(cap))};
    case cap_page_table_cap:
        return (struct cap_region){cap_page_table_cap_get_ptr(cap), seL4_PageTableBits};
    case cap_vspace_cap:
        return (struct cap_region){cap_vspace_cap_get_ptr(cap), seL4_VSpaceBits};
    case cap_asid_pool_cap:
        return (struct cap_region){cap_asid_pool_cap_get_ptr(cap), seL4_ASIDPoolBits};
    default:
        return (struct cap_region){0, 0}; /* ASID control and SGI signal caps name no memory */
    }
}

bool arch_cap_within(cap_t cap, paddr_t base, paddr_t top)
{
    return cap_region_within(arch_cap_region(cap), base, top);
}

bool arch_same_region_as(cap_t a, cap_t b)
{
    word_t type = cap_get_cap_type(a);
    if (type != cap_get_cap_type(b)) {
        return false;
    }
    switch (type) {
    case cap_frame_cap: {
        paddr_t bot_a = cap_frame_cap_get_base(a), bot_b = cap_frame_cap_get_base(b);
        paddr_t top_a = bot_a + MASK(frame_size_bits_of(cap_frame_cap_get_size(a)));
        paddr_t top_b = bot_b + MASK(frame_size_bits_of(cap_frame_cap_get_size(b)));
        return bot_a <= bot_b && top_a >= top_b && bot_b <= top_b;
    }
    case cap_page_table_cap:
        return cap_page_table_cap_get_ptr(a) == cap_page_table_cap_get_ptr(b);
    case cap_vspace_cap:
        return cap_vspace_cap_get_ptr(a) == cap_vspace_cap_get_ptr(b);
    case cap_asid_control_cap:
        return true;
    case cap_asid_pool_cap:
        return cap_asid_pool_cap_get_ptr(a) == cap_asid_pool_cap_get_ptr(b);
    case cap_sgi_signal_cap:
        return cap_sgi_signal_cap_get_irq(a) == cap_sgi_signal_cap_get_irq(b) &&
               cap_sgi_signal_cap_get_target(a) == cap_sgi_signal_cap_get_target(b);
    default:
        return false;
    }
}

bool arch_same_object_as(cap_t a, cap_t b)
{
    if (cap_get_cap_type(a) == cap_frame_cap && cap_get_cap_type(b) == cap_frame_cap) {
        /* Two frame caps to one region are the same object only with the same size and kind. */
        return cap_frame_cap_get_base(a) == cap_frame_cap_get_base(b) &&
               cap_frame_cap_get_size(a) == cap_frame_cap_get_size(b) &&
               cap_frame_cap_get_is_device(a) == cap_frame_cap_get_is_device(b);
    }
    return arch_same_region_as(a, b);
}

bool arch_cap_is_revocable(cap_t derived, cap_t src)
{
    /* An SGI signal cap issued from IRQ control may have children (as an IRQ handler cap). */
    return cap_get_cap_type(derived) == cap_sgi_signal_cap &&
           cap_get_cap_type(src) == cap_irq_control_cap;
}

/* ---- changing caps ----------------------------------------------------------------------- */

exception_t arch_derive_cap(cap_t cap, cap_t *out, struct syscall_error *err)
{
    switch (cap_get_cap_type(cap)) {
    case cap_page_table_cap:
        if (!cap_page_table_cap_get_is_mapped(cap)) {
            *out = cap_null_cap_new();
            *err = (struct syscall_error){.type = seL4_IllegalOperation};
            return EXCEPTION_SYSCALL_ERROR;
        }
        *out = cap;
        return EXCEPTION_NONE;
    case cap_vspace_cap:
        if (!cap_vspace_cap_get_is_mapped(cap)) {
            *out = cap_null_cap_new();
            *err = (struct syscall_error){.type = seL4_IllegalOperation};
            return EXCEPTION_SYSCALL_ERROR;
        }
        *out = cap;
        return EXCEPTION_NONE;
    case cap_frame_cap:
        /* A copy of a frame cap starts unmapped. */
        cap = cap_frame_cap_set_mapped_asid(cap, 0);
        *out = cap_frame_cap_set_mapped_vaddr(cap, 0);
        return EXCEPTION_NONE;
    default:
        *out = cap; /* ASID control, ASID pool, SGI signal: copied as they are */
        return EXCEPTION_NONE;
    }
}

cap_t arch_mask_rights(seL4_CapRights_t rights, cap_t cap)
{
    if (cap_get_cap_type(cap) == cap_frame_cap) {
        return cap_frame_cap_set_vm_rights(
            cap, frame_mask_vm_rights(cap_frame_cap_get_vm_rights(cap), rights.words[0]));
    }
    return cap; /* the other AArch64 caps carry no rights */
}

/* ---- deletion and invocation ------------------------------------------------------------- */

void arch_finalise_cap(cap_t cap, bool final)
{
    switch (cap_get_cap_type(cap)) {
    case cap_frame_cap:
        /* Every frame cap records its own mapping, so any of them (final or not) takes it away. */
        if (cap_frame_cap_get_mapped_asid(cap) != ASID_INVALID) {
            frame_unmap(cap_frame_cap_get_size(cap), cap_frame_cap_get_mapped_asid(cap),
                        cap_frame_cap_get_mapped_vaddr(cap), cap_frame_cap_get_base(cap));
        }
        break;
    case cap_page_table_cap:
        /* Copies of a mapped table cap share its mapping: only the last one undoes it. */
        if (final && cap_page_table_cap_get_is_mapped(cap)) {
            page_table_unmap(cap_page_table_cap_get_mapped_asid(cap),
                             cap_page_table_cap_get_mapped_vaddr(cap),
                             cap_page_table_cap_get_ptr(cap));
            hal_zero_phys(cap_page_table_cap_get_ptr(cap), BIT(seL4_PageTableBits));
            hal_cache_clean_new_memory(cap_page_table_cap_get_ptr(cap), BIT(seL4_PageTableBits));
        }
        break;
    case cap_vspace_cap:
        if (final && cap_vspace_cap_get_is_mapped(cap)) {
            asid_delete(cap_vspace_cap_get_mapped_asid(cap), cap_vspace_cap_get_ptr(cap));
        }
        break;
    case cap_asid_pool_cap:
        if (final) {
            asid_pool_delete(cap_asid_pool_cap_get_asid_base(cap), cap_asid_pool_cap_get_ptr(cap));
        }
        break;
    default:
        /* ASID control and SGI signal caps name nothing that needs undoing. */
        break;
    }
}

exception_t decode_arch_invocation(struct invocation_ctx *ctx)
{
    switch (cap_get_cap_type(ctx->cap)) {
    case cap_frame_cap:
        return decode_frame_invocation(ctx);
    case cap_page_table_cap:
        return decode_page_table_invocation(ctx);
    case cap_vspace_cap:
        return decode_vspace_invocation(ctx);
    case cap_asid_control_cap:
        return decode_asid_control_invocation(ctx);
    case cap_asid_pool_cap:
        return decode_asid_pool_invocation(ctx);
    default:
        /* decode_invocation sends only these (the SGI signal cap goes to the IRQ layer) */
        kpanic("decode_arch_invocation: not an arch cap");
    }
}
