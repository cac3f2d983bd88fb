/* SPDX-License-Identifier: BSD-2-Clause */
/* Frames: Page_Map, Page_Unmap, Page_GetAddress and cache maintenance on a mapped frame (seL4's
 * decodeARMFrameInvocation, unmapPage). A frame cap records the one mapping it made (ASID and
 * vaddr); copies start unmapped (cap_derive), so one frame can be mapped once per cap. */
#include <kaal/cdt.h>
#include <kaal/objects.h>
#include <kaal/printf.h>
#include <kaal/vspace.h>

void frame_unmap(word_t frame_size, word_t asid, word_t vaddr, paddr_t frame_pa)
{
    paddr_t root = asid_find_vspace(asid);
    if (root == 0) {
        return;
    }
    struct pt_slot s = vspace_lookup_pt_slot(root, vaddr);
    if (s.bits_left != frame_size_bits_of(frame_size) || !hal_pte_is_page(*s.pte, s.level) ||
        hal_pte_address(*s.pte) != frame_pa) {
        return; /* the recorded mapping is gone already */
    }
    hal_pte_store(s.pte, HAL_PTE_INVALID);
    hal_tlb_invalidate_va(asid, vaddr);
}

/* A Page_Map that decode has checked completely. */
struct page_map {
    cap_t new_cap; /* the frame cap recording (asid, vaddr) */
    word_t *pte;   /* the slot to fill (empty, or this frame's own earlier entry) */
    word_t entry;  /* the page or block entry */
    word_t asid;
    word_t vaddr;
};

static exception_t perform_page_map(cte_t *frame_slot, const struct page_map *m)
{
    bool replaces = *m->pte != HAL_PTE_INVALID; /* a remap changes rights or attributes */
    frame_slot->cap = m->new_cap;
    hal_pte_store(m->pte, m->entry);
    if (replaces) {
        hal_tlb_invalidate_va(m->asid, m->vaddr);
    }
    return EXCEPTION_NONE;
}

static exception_t perform_page_unmap(cte_t *frame_slot)
{
    cap_t cap = frame_slot->cap;
    if (cap_frame_cap_get_mapped_asid(cap) != ASID_INVALID) {
        frame_unmap(cap_frame_cap_get_size(cap), cap_frame_cap_get_mapped_asid(cap),
                    cap_frame_cap_get_mapped_vaddr(cap), cap_frame_cap_get_base(cap));
    }
    cap = cap_frame_cap_set_mapped_asid(cap, ASID_INVALID);
    frame_slot->cap = cap_frame_cap_set_mapped_vaddr(cap, 0);
    return EXCEPTION_NONE;
}

static exception_t perform_page_get_address(struct invocation_ctx *ctx, paddr_t base)
{
    inv_set_result(ctx, 0, base);
    return EXCEPTION_NONE;
}

static exception_t decode_page_map(struct invocation_ctx *ctx)
{
    if (INV_TRUNCATED(ctx, ARMPageMap)) {
        return syscall_error_truncated_message(ctx);
    }
    cap_t cap = ctx->cap;
    word_t vaddr = INV_WORD(ctx, ARMPageMap, vaddr);
    word_t rights =
        frame_mask_vm_rights(cap_frame_cap_get_vm_rights(cap), INV_WORD(ctx, ARMPageMap, rights));
    word_t attrs = INV_WORD(ctx, ARMPageMap, attr);
    word_t bits = frame_size_bits_of(cap_frame_cap_get_size(cap));
    paddr_t base = cap_frame_cap_get_base(cap);
    cap_t vspace = ctx->extra_caps[0];

    if (cap_get_cap_type(vspace) != cap_vspace_cap || !cap_vspace_cap_get_is_mapped(vspace)) {
        return syscall_error_invalid_capability(ctx, 1);
    }
    word_t asid = cap_vspace_cap_get_mapped_asid(vspace);
    paddr_t root = asid_find_vspace(asid);
    if (root == 0) {
        return syscall_error_failed_lookup(ctx, false,
                                           &(struct lookup_fault){.type = seL4_InvalidRoot});
    }
    if (root != cap_vspace_cap_get_ptr(vspace)) {
        return syscall_error_invalid_capability(ctx, 1);
    }
    if (!IS_ALIGNED(vaddr, bits)) {
        return syscall_error_alignment(ctx);
    }
    word_t mapped_asid = cap_frame_cap_get_mapped_asid(cap);
    if (mapped_asid != ASID_INVALID) {
        /* A mapped frame cap may only be mapped again where it is (new rights or attributes). */
        if (mapped_asid != asid) {
            kuser_error("Page_Map: the frame is mapped in another address space");
            return syscall_error_invalid_capability(ctx, 1);
        }
        if (cap_frame_cap_get_mapped_vaddr(cap) != vaddr) {
            kuser_error("Page_Map: the frame is mapped at another vaddr");
            return syscall_error_invalid_argument(ctx, 0);
        }
    } else if (vaddr + MASK(bits) > seL4_UserTop) {
        return syscall_error_invalid_argument(ctx, 0);
    }
    struct pt_slot s = vspace_lookup_pt_slot(root, vaddr);
    if (s.bits_left != bits) {
        /* As seL4: the walk must end exactly at the level of this frame size. Too high: a table is
         * missing (bits left 39/30/21). Too low: a table sits where a large/huge page would go.
         * Nothing is printed (seL4 neither): mappers probe with this and add the missing table. */
        return syscall_error_failed_lookup(
            ctx, false,
            &(struct lookup_fault){.type = seL4_MissingCapability, .bits_left = s.bits_left});
    }
    /* As seL4, an entry holding another frame is replaced; that frame's cap keeps a stale record,
     * which its Unmap recognises (the entry no longer names it) and ignores. */
    cap = cap_frame_cap_set_mapped_asid(cap, asid);
    struct page_map m = {
        .new_cap = cap_frame_cap_set_mapped_vaddr(cap, vaddr),
        .pte = s.pte,
        .entry = hal_pte_page(base, s.level, rights, attrs, false), /* the frame's level */
        .asid = asid,
        .vaddr = vaddr,
    };
    return perform_page_map(ctx->slot, &m);
}

static exception_t decode_page_flush(struct invocation_ctx *ctx)
{
    /* The four flush labels share one layout (start_offset, end_offset). */
    if (ctx->length < KAAL_INV_ARMPageClean_Data_LEN) { /* no extra caps */
        kuser_error("Page flush: truncated message");
        return syscall_error_truncated_message(ctx);
    }
    cap_t cap = ctx->cap;
    word_t asid = cap_frame_cap_get_mapped_asid(cap);
    if (asid == ASID_INVALID) {
        kuser_error("Page flush: the frame is not mapped");
        return syscall_error_illegal_operation(ctx);
    }
    paddr_t root = asid_find_vspace(asid);
    if (root == 0) {
        kuser_error("Page flush: ASID %lu names no VSpace", (unsigned long)asid);
        return syscall_error_failed_lookup(ctx, false,
                                           &(struct lookup_fault){.type = seL4_InvalidRoot});
    }
    word_t start = INV_WORD(ctx, ARMPageClean_Data, start_offset);
    word_t end = INV_WORD(ctx, ARMPageClean_Data, end_offset);
    if (end <= start) {
        kuser_error("Page flush: empty or inverted range");
        return syscall_error_invalid_argument(ctx, 1);
    }
    word_t bits = frame_size_bits_of(cap_frame_cap_get_size(cap));
    if (start >= BIT(bits) || end > BIT(bits)) {
        kuser_error("Page flush: range not inside the frame");
        return syscall_error_invalid_argument(ctx, 0);
    }
    struct pt_slot s = vspace_lookup_pt_slot(root, cap_frame_cap_get_mapped_vaddr(cap));
    if (s.bits_left != bits || !hal_pte_is_page(*s.pte, s.level) ||
        hal_pte_address(*s.pte) != cap_frame_cap_get_base(cap)) {
        kuser_error("Page flush: the cap's mapping is stale");
        return syscall_error_invalid_capability(ctx, 0);
    }
    if (ctx->label == ARMPageInvalidate_Data && hal_pte_rights(*s.pte) != VM_READ_WRITE) {
        kuser_error("Page invalidate: the mapping is not writable");
        return syscall_error_illegal_operation(ctx);
    }
    /* perform: cannot fail */
    vspace_cache_maintain(ctx->label, cap_frame_cap_get_base(cap) + start, end - start);
    return EXCEPTION_NONE;
}

exception_t decode_frame_invocation(struct invocation_ctx *ctx)
{
    if (ctx->label == ARMPageMap) {
        return decode_page_map(ctx); /* the usual one: tested first */
    }
    switch (ctx->label) {
    case ARMPageUnmap:
        return perform_page_unmap(ctx->slot);
    case ARMPageClean_Data:
    case ARMPageInvalidate_Data:
    case ARMPageCleanInvalidate_Data:
    case ARMPageUnify_Instruction:
        return decode_page_flush(ctx);
    case ARMPageGetAddress:
        return perform_page_get_address(ctx, cap_frame_cap_get_base(ctx->cap));
    default:
        return syscall_error_illegal_operation(ctx);
    }
}
