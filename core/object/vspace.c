/* SPDX-License-Identifier: BSD-2-Clause */
/* The table walks every VSpace operation shares, and the VSpace root's own invocations: cache
 * maintenance on a user address range (seL4's lookupPTSlot, decodeARMVSpaceRootInvocation). Frames,
 * page tables and ASIDs have their own files; arch_objecttype.c dispatches to them. */
#include <kaal/kernel.h>
#include <kaal/objects.h>
#include <kaal/printf.h>
#include <kaal/vspace.h>

/* ---- walks ---- */

bool vspace_lookup(paddr_t vspace_root_pa, word_t vaddr, paddr_t *frame_pa, word_t *size_bits,
                   word_t *rights, word_t *attrs)
{
    if (vaddr > seL4_UserTop) {
        return false;
    }
    struct pt_slot s = vspace_lookup_pt_slot(vspace_root_pa, vaddr);
    word_t pte = *s.pte;
    if (!hal_pte_is_page(pte, s.level)) {
        return false;
    }
    if (frame_pa != NULL) {
        *frame_pa = hal_pte_address(pte);
    }
    if (size_bits != NULL) {
        *size_bits = s.bits_left;
    }
    if (rights != NULL) {
        *rights = hal_pte_rights(pte);
    }
    if (attrs != NULL) {
        *attrs = hal_pte_attrs(pte);
    }
    return true;
}

void vspace_cache_maintain(word_t label, paddr_t pa, word_t size)
{
    switch (label) {
    case ARMVSpaceClean_Data:
    case ARMPageClean_Data:
        hal_cache_clean_data(pa, size);
        break;
    case ARMVSpaceInvalidate_Data:
    case ARMPageInvalidate_Data:
        hal_cache_invalidate_data(pa, size);
        break;
    case ARMVSpaceCleanInvalidate_Data:
    case ARMPageCleanInvalidate_Data:
        hal_cache_clean_invalidate_data(pa, size);
        break;
    default:
        kassert(label == ARMVSpaceUnify_Instruction || label == ARMPageUnify_Instruction);
        hal_cache_unify_instruction(pa, size);
        break;
    }
}

/* ---- VSpace root invocations: cache maintenance on [start, end) of the VSpace ---- */

static bool is_flush_label(word_t label)
{
    return label == ARMVSpaceClean_Data || label == ARMVSpaceInvalidate_Data ||
           label == ARMVSpaceCleanInvalidate_Data || label == ARMVSpaceUnify_Instruction;
}

exception_t decode_vspace_invocation(struct invocation_ctx *ctx)
{
    if (!is_flush_label(ctx->label)) {
        return syscall_error_illegal_operation(ctx);
    }
    if (ctx->length < KAAL_INV_ARMVSpaceClean_Data_LEN) { /* no extra caps */
        kuser_error("VSpace flush: truncated message");
        return syscall_error_truncated_message(ctx);
    }
    /* The four labels share one layout (start, end). */
    word_t start = INV_WORD(ctx, ARMVSpaceClean_Data, start);
    word_t end = INV_WORD(ctx, ARMVSpaceClean_Data, end);
    if (end <= start) {
        kuser_error("VSpace flush: empty or inverted range");
        return syscall_error_invalid_argument(ctx, 1);
    }
    if (end > seL4_UserTop) {
        kuser_error("VSpace flush: range reaches above seL4_UserTop");
        return syscall_error_illegal_operation(ctx);
    }
    cap_t cap = ctx->cap;
    if (!cap_vspace_cap_get_is_mapped(cap)) {
        return syscall_error_invalid_capability(ctx, 0);
    }
    word_t asid = cap_vspace_cap_get_mapped_asid(cap);
    paddr_t root = asid_find_vspace(asid);
    if (root == 0) {
        kuser_error("VSpace flush: ASID %lu names no VSpace", (unsigned long)asid);
        return syscall_error_failed_lookup(ctx, false,
                                           &(struct lookup_fault){.type = seL4_InvalidRoot});
    }
    if (root != cap_vspace_cap_get_ptr(cap)) {
        kuser_error("VSpace flush: ASID %lu belongs to another VSpace", (unsigned long)asid);
        return syscall_error_invalid_capability(ctx, 0);
    }
    struct pt_slot s = vspace_lookup_pt_slot(root, start);
    word_t pte = *s.pte;
    if (!hal_pte_is_page(pte, s.level)) {
        return EXCEPTION_NONE; /* nothing mapped: no cached data of this VSpace to maintain */
    }
    if (ROUND_DOWN(start, s.bits_left) != ROUND_DOWN(end - 1, s.bits_left)) {
        return syscall_error_range(ctx, start, ROUND_DOWN(start, s.bits_left) + MASK(s.bits_left));
    }
    if (ctx->label == ARMVSpaceInvalidate_Data && hal_pte_rights(pte) != VM_READ_WRITE) {
        kuser_error("VSpace invalidate: the mapping is not writable");
        return syscall_error_illegal_operation(ctx);
    }
    /* perform: cannot fail */
    vspace_cache_maintain(ctx->label, hal_pte_address(pte) + (start & MASK(s.bits_left)),
                          end - start);
    return EXCEPTION_NONE;
}
