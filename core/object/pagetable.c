/* SPDX-License-Identifier: BSD-2-Clause */
/* Page tables: PageTable_Map links a table into a VSpace at the first empty slot on the walk to
 * vaddr (so one object type serves levels 1, 2 and 3), PageTable_Unmap takes it out and clears it
 * (seL4's decodeARMPageTableInvocation, unmapPageTable). */
#include <kaal/cdt.h>
#include <kaal/objects.h>
#include <kaal/vspace.h>

void page_table_unmap(word_t asid, word_t vaddr, paddr_t pt_pa)
{
    paddr_t root = asid_find_vspace(asid);
    if (root == 0) {
        return;
    }
    /* Walk towards vaddr until the entry that points at this table; stop at anything else. */
    paddr_t table = root;
    word_t *slot = NULL;
    for (word_t level = 0; level < HAL_PT_LEVELS - 1 && table != pt_pa; level++) {
        slot = &PTOV(word_t, table)[HAL_PT_INDEX(vaddr, level)];
        if (!hal_pte_is_table(*slot, level)) {
            return;
        }
        table = hal_pte_address(*slot);
    }
    if (table != pt_pa) {
        return;
    }
    kassert(slot != NULL); /* a page table is never a VSpace root, so the walk took a step */
    hal_pte_store(slot, HAL_PTE_INVALID);
    hal_tlb_invalidate_asid(asid);
}

/* Link the table into the empty slot decode found and record where in its cap. */
static exception_t perform_page_table_map(cte_t *pt_slot, cap_t new_cap, word_t *pte)
{
    pt_slot->cap = new_cap;
    hal_pte_store(pte, hal_pte_table(cap_page_table_cap_get_ptr(new_cap)));
    return EXCEPTION_NONE;
}

/* Take the table out of its VSpace (if it is still linked there), clear it, and mark the cap
 * unmapped. */
static exception_t perform_page_table_unmap(cte_t *pt_slot)
{
    cap_t cap = pt_slot->cap;
    if (cap_page_table_cap_get_is_mapped(cap)) {
        paddr_t pt = cap_page_table_cap_get_ptr(cap);
        page_table_unmap(cap_page_table_cap_get_mapped_asid(cap),
                         cap_page_table_cap_get_mapped_vaddr(cap), pt);
        hal_zero_phys(pt, BIT(seL4_PageTableBits));
        hal_cache_clean_new_memory(pt, BIT(seL4_PageTableBits));
    }
    cap = cap_page_table_cap_set_is_mapped(cap, 0);
    cap = cap_page_table_cap_set_mapped_asid(cap, 0);
    pt_slot->cap = cap_page_table_cap_set_mapped_vaddr(cap, 0);
    return EXCEPTION_NONE;
}

exception_t decode_page_table_invocation(struct invocation_ctx *ctx)
{
    if (ctx->label == ARMPageTableUnmap) {
        if (!cdt_is_final_cap(ctx->slot)) {
            return syscall_error_revoke_first(ctx);
        }
        return perform_page_table_unmap(ctx->slot);
    }
    if (ctx->label != ARMPageTableMap) {
        return syscall_error_illegal_operation(ctx);
    }
    if (INV_TRUNCATED(ctx, ARMPageTableMap)) {
        return syscall_error_truncated_message(ctx);
    }
    if (cap_page_table_cap_get_is_mapped(ctx->cap)) {
        return syscall_error_invalid_capability(ctx, 0);
    }
    word_t vaddr = INV_WORD(ctx, ARMPageTableMap, vaddr); /* attr is ignored, as in seL4 */
    cap_t vspace = ctx->extra_caps[0];
    if (cap_get_cap_type(vspace) != cap_vspace_cap || !cap_vspace_cap_get_is_mapped(vspace)) {
        return syscall_error_invalid_capability(ctx, 1);
    }
    if (vaddr > seL4_UserTop) {
        return syscall_error_invalid_argument(ctx, 0);
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
    struct pt_slot s = vspace_lookup_pt_slot(root, vaddr);
    if (s.level == HAL_PT_LEVELS - 1 || *s.pte != HAL_PTE_INVALID) {
        return syscall_error_delete_first(ctx);
    }
    cap_t cap = cap_page_table_cap_set_is_mapped(ctx->cap, 1);
    cap = cap_page_table_cap_set_mapped_asid(cap, asid);
    cap = cap_page_table_cap_set_mapped_vaddr(cap, ROUND_DOWN(vaddr, s.bits_left));
    return perform_page_table_map(ctx->slot, cap, s.pte);
}
