/* SPDX-License-Identifier: BSD-2-Clause */
/* Page tables, frames and VSpace roots through the root thread's system calls: every invocation's
 * success and errors with their words, table placement, mapping rules, vspace_lookup, and what
 * deleting and revoking leave behind, with both invariant checkers after each operation. */
#include "vspace_test.h"

#include <string.h>

#define V0 0x12340000000ul /* an address far from the root task's image: no tables there */
#define GIB (1ul << 30)
#define MIB2 (1ul << 21)
#define PAGE 4096ul
#define RW seL4_ReadWrite
#define CACHED seL4_ARM_Default_VMAttributes

/* Map three tables so 4 KiB pages can go at V0 in vs (levels 1, 2, 3). */
static void map_tables(uint64_t vs, uint64_t vaddr, unsigned levels)
{
    uint64_t pts = vt_make(seL4_ARM_PageTableObject, levels);
    for (unsigned i = 0; i < levels; i++) {
        OK(pt_map(pts + i, vs, vaddr));
    }
}

static void assert_failed_lookup_bits(struct ktest_reply r, uint64_t bits)
{
    ERR(r, seL4_FailedLookup, 3);
    ck_assert_uint_eq(r.mr[0], 0);                      /* the destination failed */
    ck_assert_uint_eq(r.mr[1], seL4_MissingCapability); /* lookup failure type */
    ck_assert_uint_eq(r.mr[2], bits);
}

static void assert_invalid_root(struct ktest_reply r)
{
    ERR(r, seL4_FailedLookup, 2);
    ck_assert_uint_eq(r.mr[0], 0);
    ck_assert_uint_eq(r.mr[1], seL4_InvalidRoot);
}

static void assert_error_word(struct ktest_reply r, uint64_t err, uint64_t word)
{
    ERR(r, err, 1);
    ck_assert_uint_eq(r.mr[0], word);
}

/* A VSpace whose ASID lost its pool: a pool of its own (from a 4 KiB untyped) is deleted. */
static uint64_t vspace_with_deleted_pool(void)
{
    uint64_t ut = vt_make_from(ktest_untyped(24), seL4_UntypedObject, 12, 1);
    uint64_t pool = vt_slots(1);
    OK(make_pool(ut, ROOT, pool, 64));
    uint64_t vs = vt_make(seL4_ARM_VSpaceObject, 1);
    OK(asid_assign(pool, vs));
    OK(ktest_cnode_delete(ROOT, pool, 64));
    check_invariants();
    return vs;
}

/* ---- PageTable_Map ---- */

START_TEST(test_pt_map_levels)
{
    vt_start();
    uint64_t vs = vt_vspace();
    uint64_t pts = vt_make(seL4_ARM_PageTableObject, 5);
    uint64_t v = V0 + 0x5000;
    for (unsigned level = 1; level <= 3; level++) {
        OK(pt_map(pts + level - 1, vs, v));
        check_invariants();
        cap_t cap = cap_of(pts + level - 1);
        ck_assert(cap_page_table_cap_get_is_mapped(cap));
        ck_assert_uint_eq(cap_page_table_cap_get_mapped_asid(cap), vt_asid_of(vs));
        /* The cap records the start of the range the table's slot covers one level up. */
        ck_assert_uint_eq(cap_page_table_cap_get_mapped_vaddr(cap),
                          v & ~MASK(HAL_PT_LEVEL_SHIFT(level - 1)));
        struct pt_slot s = vspace_lookup_pt_slot(vt_root_of(vs), v);
        ck_assert_uint_eq(s.level, level);
    }
    ERR(pt_map(pts + 3, vs, v), seL4_DeleteFirst, 0); /* level 3 reached: no fourth level */
    /* The first empty slot on the path: 1 GiB further the level-1 table has room, so a table
     * placed there is a level-2 table. */
    OK(pt_map(pts + 3, vs, v + GIB));
    ck_assert_uint_eq(cap_page_table_cap_get_mapped_vaddr(cap_of(pts + 3)), (v + GIB) & ~MASK(30));
    ck_assert_uint_eq(vspace_lookup_pt_slot(vt_root_of(vs), v + GIB).level,
                      2); /* its (empty) slot */
    check_invariants();
    /* The root task's image region has all its tables already. */
    ERR(pt_map(pts + 4, ROOT_VSPACE, 0x400000), seL4_DeleteFirst, 0);
    /* The top user address works like any other. */
    OK(pt_map(pts + 4, vs, seL4_UserTop));
    check_invariants();
}
END_TEST

START_TEST(test_pt_map_errors)
{
    vt_start();
    uint64_t vs = vt_vspace();
    uint64_t bare = vt_make(seL4_ARM_VSpaceObject, 1);
    uint64_t pts = vt_make(seL4_ARM_PageTableObject, 2);
    uint64_t frame = vt_make(seL4_ARM_SmallPageObject, 1);
    uint64_t mrs[] = {V0, 0}, caps[] = {vs};

    ERR(ktest_call(pts, ARMPageTableMap, 1, mrs, 1, caps), seL4_TruncatedMessage, 0);
    ERR(ktest_call(pts, ARMPageTableMap, 2, mrs, 0, NULL), seL4_TruncatedMessage, 0);
    ERR(ktest_call(pts, ARMPageMap, 3, (uint64_t[]){V0, RW, 0}, 1, caps), seL4_IllegalOperation, 0);
    ERR(ktest_call(pts, ARMPageGetAddress, 0, NULL, 0, NULL), seL4_IllegalOperation, 0);
    assert_error_word(pt_map(pts, vs, seL4_UserTop + 1), seL4_InvalidArgument, 0);
    assert_error_word(pt_map(pts, vs, ~0ul), seL4_InvalidArgument, 0);
    assert_error_word(pt_map(pts, frame, V0), seL4_InvalidCapability, 1);
    assert_error_word(pt_map(pts, bare, V0), seL4_InvalidCapability, 1);
    assert_error_word(pt_map(pts, ROOT, V0), seL4_InvalidCapability, 1);
    OK(pt_map(pts, vs, V0));
    /* Mapped already: checked before anything about the VSpace argument. */
    assert_error_word(pt_map(pts, vs, V0 + GIB * 512), seL4_InvalidCapability, 0);
    assert_error_word(pt_map(pts, frame, V0), seL4_InvalidCapability, 0);
    /* A VSpace whose pool is gone: its ASID names nothing. */
    uint64_t orphan = vspace_with_deleted_pool();
    assert_invalid_root(pt_map(pts + 1, orphan, V0));
    check_invariants();
}
END_TEST

/* ---- PageTable_Unmap ---- */

START_TEST(test_pt_unmap)
{
    vt_start();
    uint64_t vs = vt_vspace();
    uint64_t pts = vt_make(seL4_ARM_PageTableObject, 3);
    uint64_t frame = vt_make(seL4_ARM_SmallPageObject, 1);
    OK(pt_unmap(pts)); /* unmapped: nothing to do */
    for (unsigned i = 0; i < 3; i++) {
        OK(pt_map(pts + i, vs, V0));
    }
    OK(page_map(frame, vs, V0, RW, CACHED));
    ck_assert_uint_ne(vt_lookup(vs, V0, NULL, NULL, NULL), 0);

    /* A copy of the mapped table cap shares the mapping: Unmap needs the final cap. */
    uint64_t copy = vt_slots(1);
    OK(ktest_cnode_copy(ROOT, copy, 64, ROOT, pts + 2, 64, seL4_AllRights));
    ck_assert_uint_eq(cap_page_table_cap_get_mapped_vaddr(cap_of(copy)), V0 & ~MASK(21));
    check_invariants();
    ERR(pt_unmap(pts + 2), seL4_RevokeFirst, 0);
    ERR(pt_unmap(copy), seL4_RevokeFirst, 0);
    OK(ktest_cnode_delete(ROOT, copy, 64));
    check_invariants();

    paddr_t l3 = cap_page_table_cap_get_ptr(cap_of(pts + 2));
    OK(pt_unmap(pts + 2));
    check_invariants();
    ck_assert_uint_eq(vt_lookup(vs, V0, NULL, NULL, NULL), 0);
    ck_assert(!cap_page_table_cap_get_is_mapped(cap_of(pts + 2)));
    ck_assert_uint_eq(vspace_lookup_pt_slot(vt_root_of(vs), V0).level, 2);
    const word_t *entries = PTOV(word_t, l3);
    for (unsigned i = 0; i < HAL_PT_ENTRIES; i++) {
        ck_assert_uint_eq(entries[i], 0); /* cleared */
    }
    /* The frame cap still records its (now lost) mapping, as in seL4; unmapping it is harmless. */
    ck_assert_uint_eq(cap_frame_cap_get_mapped_asid(cap_of(frame)), vt_asid_of(vs));
    OK(page_unmap(frame));
    check_invariants();
    /* The table can be mapped again, anywhere. */
    OK(pt_map(pts + 2, vs, V0));
    OK(page_map(frame, vs, V0, RW, CACHED));
    check_invariants();

    /* Unmapping a middle table cuts off the one below it; that one's cap keeps its record. */
    OK(pt_unmap(pts + 1));
    check_invariants();
    ck_assert_uint_eq(vt_lookup(vs, V0, NULL, NULL, NULL), 0);
    ck_assert(cap_page_table_cap_get_is_mapped(cap_of(pts + 2)));
    OK(pt_unmap(pts + 2)); /* not found from the root any more: only the cap changes */
    ck_assert(!cap_page_table_cap_get_is_mapped(cap_of(pts + 2)));
    check_invariants();
}
END_TEST

/* ---- Page_Map ---- */

START_TEST(test_page_map_rights_and_attributes)
{
    vt_start();
    uint64_t vs = vt_vspace();
    map_tables(vs, V0, 3);
    uint64_t f = vt_make(seL4_ARM_SmallPageObject, 6);
    word_t bits, rights, attrs;

    OK(page_map(f, vs, V0, RW, CACHED));
    check_invariants();
    ck_assert_uint_eq(vt_lookup(vs, V0 + 0x123, &bits, &rights, &attrs),
                      cap_frame_cap_get_base(cap_of(f)));
    ck_assert_uint_eq(bits, 12);
    ck_assert_uint_eq(rights, VM_READ_WRITE);
    ck_assert_uint_eq(attrs, seL4_ARM_PageCacheable);
    ck_assert_uint_eq(cap_frame_cap_get_mapped_asid(cap_of(f)), vt_asid_of(vs));
    ck_assert_uint_eq(cap_frame_cap_get_mapped_vaddr(cap_of(f)), V0);

    OK(page_map(f + 1, vs, V0 + PAGE, seL4_CanRead, CACHED));
    ck_assert_uint_ne(vt_lookup(vs, V0 + PAGE, NULL, &rights, NULL), 0);
    ck_assert_uint_eq(rights, VM_READ_ONLY);
    /* Write without read gives no user access at all (seL4's maskVMRights). */
    OK(page_map(f + 2, vs, V0 + 2 * PAGE, seL4_CanWrite, CACHED));
    ck_assert_uint_ne(vt_lookup(vs, V0 + 2 * PAGE, NULL, &rights, NULL), 0);
    ck_assert_uint_eq(rights, VM_KERNEL_ONLY);
    OK(page_map(f + 3, vs, V0 + 3 * PAGE, seL4_NoRights, CACHED));
    ck_assert_uint_ne(vt_lookup(vs, V0 + 3 * PAGE, NULL, &rights, NULL), 0);
    ck_assert_uint_eq(rights, VM_KERNEL_ONLY);
    /* Not cacheable: device memory; execute-never. */
    OK(page_map(f + 4, vs, V0 + 4 * PAGE, seL4_AllRights, 0));
    ck_assert_uint_ne(vt_lookup(vs, V0 + 4 * PAGE, NULL, &rights, &attrs), 0);
    ck_assert_uint_eq(rights, VM_READ_WRITE);
    ck_assert_uint_eq(attrs, 0);
    OK(page_map(f + 5, vs, V0 + 5 * PAGE, RW, seL4_ARM_PageCacheable | seL4_ARM_ExecuteNever));
    ck_assert_uint_ne(vt_lookup(vs, V0 + 5 * PAGE, NULL, NULL, &attrs), 0);
    ck_assert_uint_eq(attrs, seL4_ARM_PageCacheable | seL4_ARM_ExecuteNever);
    check_invariants();

    /* A read-only frame cap cannot be mapped writable, whatever the mask says. */
    uint64_t ro = vt_slots(1);
    OK(ktest_cnode_copy(ROOT, ro, 64, ROOT, f + 5, 64, seL4_CanRead));
    uint64_t vs2 = vt_vspace();
    map_tables(vs2, V0, 3);
    OK(page_map(ro, vs2, V0, seL4_AllRights, CACHED));
    ck_assert_uint_ne(vt_lookup(vs2, V0, NULL, &rights, NULL), 0);
    ck_assert_uint_eq(rights, VM_READ_ONLY);
    check_invariants();
    /* Nothing else moved: lookups elsewhere find nothing. */
    ck_assert_uint_eq(vt_lookup(vs, V0 + 6 * PAGE, NULL, NULL, NULL), 0);
    ck_assert_uint_eq(vt_lookup(vs, seL4_UserTop + 1, NULL, NULL, NULL), 0);
}
END_TEST

START_TEST(test_page_map_large_and_huge)
{
    vt_start();
    uint64_t vs = vt_vspace();
    uint64_t large = vt_make_from(ktest_untyped(22), seL4_ARM_LargePageObject, 0, 1);
    /* No 1 GiB of RAM on the small machine: a huge frame from device memory. */
    seL4_BootInfo *bi = hostsim_bootinfo();
    uint64_t dev = 0;
    for (uint64_t s = bi->untyped.start; s < bi->untyped.end && dev == 0; s++) {
        const seL4_UntypedDesc *d = &bi->untypedList[s - bi->untyped.start];
        if (d->isDevice && d->sizeBits >= 30) {
            dev = s;
        }
    }
    ck_assert_uint_ne(dev, 0);
    uint64_t huge = vt_make_from(dev, seL4_ARM_HugePageObject, 0, 1);
    word_t bits;

    assert_failed_lookup_bits(page_map(huge, vs, V0, RW, CACHED), 39);
    assert_failed_lookup_bits(page_map(large, vs, V0 + GIB, RW, CACHED), 39);
    map_tables(vs, V0, 1);
    OK(page_map(huge, vs, V0, RW, CACHED)); /* a level-1 block */
    check_invariants();
    ck_assert_uint_eq(vt_lookup(vs, V0 + 0x3456789, &bits, NULL, NULL),
                      cap_frame_cap_get_base(cap_of(huge)));
    ck_assert_uint_eq(bits, 30);
    assert_failed_lookup_bits(page_map(large, vs, V0 + GIB, RW, CACHED), 30);
    map_tables(vs, V0 + GIB, 1);
    OK(page_map(large, vs, V0 + GIB + MIB2, RW, CACHED)); /* a level-2 block */
    check_invariants();
    ck_assert_uint_eq(vt_lookup(vs, V0 + GIB + MIB2 + 0x1234, &bits, NULL, NULL),
                      cap_frame_cap_get_base(cap_of(large)));
    ck_assert_uint_eq(bits, 21);
    ck_assert_uint_eq(vt_lookup(vs, V0 + GIB, NULL, NULL, NULL), 0);
    /* GetAddress reports each frame's base. */
    struct ktest_reply r = page_get_address(huge);
    ktest_assert_ok(r);
    ck_assert_uint_eq(r.length, 1);
    ck_assert_uint_eq(r.mr[0], cap_frame_cap_get_base(cap_of(huge)));
}
END_TEST

START_TEST(test_page_map_failed_lookup_bits)
{
    vt_start();
    uint64_t vs = vt_vspace();
    uint64_t f = vt_make(seL4_ARM_SmallPageObject, 1);
    uint64_t pts = vt_make(seL4_ARM_PageTableObject, 3);
    assert_failed_lookup_bits(page_map(f, vs, V0, RW, CACHED), SEL4_MAPPING_LOOKUP_NO_PUD);
    OK(pt_map(pts, vs, V0));
    assert_failed_lookup_bits(page_map(f, vs, V0, RW, CACHED), SEL4_MAPPING_LOOKUP_NO_PD);
    OK(pt_map(pts + 1, vs, V0));
    assert_failed_lookup_bits(page_map(f, vs, V0, RW, CACHED), SEL4_MAPPING_LOOKUP_NO_PT);
    /* Failed maps leave the cap unmapped. */
    ck_assert_uint_eq(cap_frame_cap_get_mapped_asid(cap_of(f)), 0);
    OK(pt_map(pts + 2, vs, V0));
    OK(page_map(f, vs, V0, RW, CACHED));
    check_invariants();
}
END_TEST

START_TEST(test_page_map_errors)
{
    vt_start();
    uint64_t vs = vt_vspace();
    uint64_t bare = vt_make(seL4_ARM_VSpaceObject, 1);
    map_tables(vs, V0, 3);
    uint64_t f = vt_make(seL4_ARM_SmallPageObject, 2);
    uint64_t large = vt_make_from(ktest_untyped(22), seL4_ARM_LargePageObject, 0, 1);
    uint64_t caps[] = {vs};

    ERR(ktest_call(f, ARMPageMap, 2, (uint64_t[]){V0, RW}, 1, caps), seL4_TruncatedMessage, 0);
    ERR(ktest_call(f, ARMPageMap, 3, (uint64_t[]){V0, RW, CACHED}, 0, NULL), seL4_TruncatedMessage,
        0);
    ERR(ktest_call(f, ARMPageTableMap, 2, (uint64_t[]){V0, 0}, 1, caps), seL4_IllegalOperation, 0);
    ERR(ktest_call(f, ARMASIDPoolAssign, 0, NULL, 1, caps), seL4_IllegalOperation, 0);
    assert_error_word(page_map(f, f + 1, V0, RW, CACHED), seL4_InvalidCapability, 1);
    assert_error_word(page_map(f, bare, V0, RW, CACHED), seL4_InvalidCapability, 1);
    ERR(page_map(f, vs, V0 + 0x800, RW, CACHED), seL4_AlignmentError, 0);
    ERR(page_map(large, vs, V0 + PAGE, RW, CACHED), seL4_AlignmentError, 0);
    assert_error_word(page_map(f, vs, seL4_UserTop + 1, RW, CACHED), seL4_InvalidArgument, 0);
    /* The whole frame must fit below seL4_UserTop. */
    assert_error_word(page_map(large, vs, (seL4_UserTop + 1) - MIB2 + MIB2, RW, CACHED),
                      seL4_InvalidArgument, 0);
    assert_failed_lookup_bits(page_map(large, vs, (seL4_UserTop + 1) - MIB2, RW, CACHED), 39);
    /* The VSpace check comes before alignment. */
    assert_error_word(page_map(f, bare, V0 + 1, RW, CACHED), seL4_InvalidCapability, 1);
    uint64_t orphan = vspace_with_deleted_pool();
    assert_invalid_root(page_map(f, orphan, V0, RW, CACHED));
    ck_assert_uint_eq(cap_frame_cap_get_mapped_asid(cap_of(f)), 0);
    check_invariants();
}
END_TEST

START_TEST(test_page_remap)
{
    vt_start();
    uint64_t vs = vt_vspace(), vs2 = vt_vspace();
    map_tables(vs, V0, 3);
    map_tables(vs2, V0, 3);
    uint64_t f = vt_make(seL4_ARM_SmallPageObject, 2);
    uint64_t large = vt_make_from(ktest_untyped(22), seL4_ARM_LargePageObject, 0, 1);
    word_t rights, attrs;

    OK(page_map(f, vs, V0, RW, CACHED));
    /* Same ASID and vaddr: the mapping's rights and attributes change. */
    OK(page_map(f, vs, V0, seL4_CanRead, seL4_ARM_ExecuteNever));
    check_invariants();
    ck_assert_uint_eq(vt_lookup(vs, V0, NULL, &rights, &attrs), cap_frame_cap_get_base(cap_of(f)));
    ck_assert_uint_eq(rights, VM_READ_ONLY);
    ck_assert_uint_eq(attrs, seL4_ARM_ExecuteNever);
    assert_error_word(page_map(f, vs, V0 + PAGE, RW, CACHED), seL4_InvalidArgument, 0);
    assert_error_word(page_map(f, vs2, V0, RW, CACHED), seL4_InvalidCapability, 1);
    /* A table is where a large page would go: seL4 answers FailedLookup with the bits left where
     * the walk stopped (level 3 here: 12). */
    struct ktest_reply r = page_map(large, vs, V0 & ~MASK(21), RW, CACHED);
    ktest_assert_error(r, seL4_FailedLookup, 3);
    ck_assert_uint_eq(r.mr[0], 0); /* the destination failed */
    ck_assert_uint_eq(r.mr[1], seL4_MissingCapability);
    ck_assert_uint_eq(r.mr[2], 12);
    /* Another frame mapped at an occupied slot replaces the entry, as seL4 does; the first frame's
     * cap keeps a stale record that its Unmap recognises and ignores. */
    OK(page_map(f + 1, vs, V0, RW, CACHED));
    ck_assert_uint_eq(vt_lookup(vs, V0, NULL, NULL, NULL), cap_frame_cap_get_base(cap_of(f + 1)));
    ck_assert_uint_ne(cap_frame_cap_get_mapped_asid(cap_of(f)), 0);
    check_invariants();
    OK(page_unmap(f));
    ck_assert_uint_eq(vt_lookup(vs, V0, NULL, NULL, NULL), cap_frame_cap_get_base(cap_of(f + 1)));
    check_invariants();
    OK(page_unmap(f + 1));
    ck_assert_uint_eq(vt_lookup(vs, V0, NULL, NULL, NULL), 0);
    /* A copy of the frame cap maps the same frame on its own record. */
    uint64_t copy = vt_slots(1);
    OK(ktest_cnode_copy(ROOT, copy, 64, ROOT, f, 64, seL4_AllRights));
    OK(page_map(copy, vs, V0, RW, CACHED));
    ck_assert_uint_eq(vt_lookup(vs, V0, NULL, NULL, NULL), cap_frame_cap_get_base(cap_of(f)));
    OK(page_unmap(copy));
    check_invariants();
    /* After Unmap the cap may go anywhere. */
    OK(page_unmap(f));
    OK(page_map(f, vs2, V0 + PAGE, RW, CACHED));
    ck_assert_uint_eq(vt_lookup(vs, V0, NULL, NULL, NULL), 0);
    check_invariants();
}
END_TEST

START_TEST(test_same_frame_two_vspaces)
{
    vt_start();
    uint64_t a = vt_vspace(), b = vt_vspace();
    map_tables(a, V0, 3);
    map_tables(b, V0 + GIB * 7, 3);
    uint64_t f = vt_make(seL4_ARM_SmallPageObject, 1);
    OK(page_map(f, a, V0, RW, CACHED));
    /* A copy does not carry the mapping (cap_derive) and maps on its own. */
    uint64_t copy = vt_slots(1);
    OK(ktest_cnode_copy(ROOT, copy, 64, ROOT, f, 64, seL4_AllRights));
    ck_assert_uint_eq(cap_frame_cap_get_mapped_asid(cap_of(copy)), 0);
    ck_assert_uint_eq(cap_frame_cap_get_mapped_vaddr(cap_of(copy)), 0);
    OK(page_map(copy, b, V0 + GIB * 7, seL4_CanRead, CACHED));
    check_invariants();
    word_t ra, rb;
    paddr_t pa = vt_lookup(a, V0, NULL, &ra, NULL);
    ck_assert_uint_eq(pa, cap_frame_cap_get_base(cap_of(f)));
    ck_assert_uint_eq(vt_lookup(b, V0 + GIB * 7, NULL, &rb, NULL), pa);
    ck_assert_uint_eq(ra, VM_READ_WRITE);
    ck_assert_uint_eq(rb, VM_READ_ONLY);
    /* The copy can be mapped in the same VSpace too, at another address. */
    uint64_t copy2 = vt_slots(1);
    OK(ktest_cnode_copy(ROOT, copy2, 64, ROOT, copy, 64, seL4_AllRights));
    OK(page_map(copy2, a, V0 + PAGE, RW, CACHED));
    ck_assert_uint_eq(vt_lookup(a, V0 + PAGE, NULL, NULL, NULL), pa);
    check_invariants();
    /* Unmapping one leaves the others. */
    OK(page_unmap(f));
    ck_assert_uint_eq(vt_lookup(a, V0, NULL, NULL, NULL), 0);
    ck_assert_uint_eq(vt_lookup(b, V0 + GIB * 7, NULL, NULL, NULL), pa);
    ck_assert_uint_eq(vt_lookup(a, V0 + PAGE, NULL, NULL, NULL), pa);
    check_invariants();
}
END_TEST

/* ---- Page_Unmap, Page_GetAddress ---- */

START_TEST(test_page_unmap)
{
    vt_start();
    uint64_t vs = vt_vspace();
    map_tables(vs, V0, 3);
    uint64_t f = vt_make(seL4_ARM_SmallPageObject, 1);
    OK(page_unmap(f)); /* not mapped: no error */
    OK(page_map(f, vs, V0, RW, CACHED));
    OK(page_unmap(f));
    check_invariants();
    ck_assert_uint_eq(vt_lookup(vs, V0, NULL, NULL, NULL), 0);
    ck_assert_uint_eq(cap_frame_cap_get_mapped_asid(cap_of(f)), 0);
    ck_assert_uint_eq(cap_frame_cap_get_mapped_vaddr(cap_of(f)), 0);
    OK(page_unmap(f));
    /* The root task's own frames unmap too (the IPC buffer cap in slot 10 is mapped). */
    ck_assert_uint_ne(vt_lookup(ROOT_VSPACE, 0x400000, NULL, NULL, NULL), 0);
    uint64_t first_image = hostsim_bootinfo()->userImageFrames.start;
    OK(page_unmap(first_image));
    ck_assert_uint_eq(vt_lookup(ROOT_VSPACE, 0x400000, NULL, NULL, NULL), 0);
    check_invariants();
}
END_TEST

START_TEST(test_page_get_address)
{
    vt_start();
    uint64_t ut = ktest_untyped(16);
    uint64_t f = vt_make_from(ut, seL4_ARM_SmallPageObject, 0, 2);
    uint64_t base = ktest_untyped_desc(ut)->paddr;
    struct ktest_reply r = page_get_address(f);
    ktest_assert_ok(r);
    ck_assert_uint_eq(r.length, 1);
    ck_assert_uint_eq(r.mr[0], base);
    r = page_get_address(f + 1);
    ktest_assert_ok(r);
    ck_assert_uint_eq(r.mr[0], base + PAGE);
    /* The boot frames: the IPC buffer's address is what the root VSpace maps at its vaddr. */
    r = page_get_address(seL4_CapInitThreadIPCBuffer);
    ktest_assert_ok(r);
    ck_assert_uint_eq(
        r.mr[0], vt_lookup(ROOT_VSPACE, (uint64_t)hostsim_bootinfo()->ipcBuffer, NULL, NULL, NULL));
    check_invariants();
}
END_TEST

/* ---- cache maintenance ---- */

static const uint64_t page_flush_labels[] = {ARMPageClean_Data, ARMPageInvalidate_Data,
                                             ARMPageCleanInvalidate_Data, ARMPageUnify_Instruction};
static const uint64_t vspace_flush_labels[] = {ARMVSpaceClean_Data, ARMVSpaceInvalidate_Data,
                                               ARMVSpaceCleanInvalidate_Data,
                                               ARMVSpaceUnify_Instruction};

START_TEST(test_page_flush)
{
    vt_start();
    uint64_t vs = vt_vspace();
    map_tables(vs, V0, 3);
    uint64_t f = vt_make(seL4_ARM_SmallPageObject, 2);
    for (unsigned i = 0; i < 4; i++) {
        uint64_t label = page_flush_labels[i];
        ERR(page_flush(f, label, 0, PAGE), seL4_IllegalOperation, 0); /* not mapped */
        ERR(ktest_call(f, label, 1, (uint64_t[]){0}, 0, NULL), seL4_TruncatedMessage, 0);
    }
    OK(page_map(f, vs, V0, RW, CACHED));
    OK(page_map(f + 1, vs, V0 + PAGE, seL4_CanRead, CACHED));
    for (unsigned i = 0; i < 4; i++) {
        uint64_t label = page_flush_labels[i];
        OK(page_flush(f, label, 0, PAGE));
        OK(page_flush(f, label, 100, 101));
        assert_error_word(page_flush(f, label, 8, 8), seL4_InvalidArgument, 1);
        assert_error_word(page_flush(f, label, 9, 8), seL4_InvalidArgument, 1);
        assert_error_word(page_flush(f, label, 0, PAGE + 1), seL4_InvalidArgument, 0);
        assert_error_word(page_flush(f, label, PAGE, PAGE + 8), seL4_InvalidArgument, 0);
    }
    /* Invalidate needs a writable mapping; the others do not. */
    ERR(page_flush(f + 1, ARMPageInvalidate_Data, 0, 64), seL4_IllegalOperation, 0);
    OK(page_flush(f + 1, ARMPageClean_Data, 0, 64));
    OK(page_flush(f + 1, ARMPageUnify_Instruction, 0, 64));
    /* A stale record (the table below it was unmapped): InvalidCapability(0). */
    uint64_t l3 = vt_next_slot - 4; /* the third table map_tables made (then f, f + 1) */
    ck_assert_uint_eq(ktest_cap_type(l3), KAAL_CAP_TAG_PAGE_TABLE);
    OK(pt_unmap(l3));
    assert_error_word(page_flush(f, ARMPageClean_Data, 0, 64), seL4_InvalidCapability, 0);
    check_invariants();
}
END_TEST

START_TEST(test_page_flush_without_pool)
{
    vt_start();
    uint64_t vs = vspace_with_deleted_pool();
    (void)vs;
    /* Map a frame in a VSpace of a pool that then goes. */
    uint64_t ut = vt_make_from(ktest_untyped(24), seL4_UntypedObject, 12, 1);
    uint64_t pool = vt_slots(1);
    OK(make_pool(ut, ROOT, pool, 64));
    uint64_t vs2 = vt_make(seL4_ARM_VSpaceObject, 1);
    OK(asid_assign(pool, vs2));
    map_tables(vs2, V0, 3);
    uint64_t f = vt_make(seL4_ARM_SmallPageObject, 1);
    OK(page_map(f, vs2, V0, RW, CACHED));
    OK(ktest_cnode_delete(ROOT, pool, 64));
    check_invariants();
    assert_invalid_root(page_flush(f, ARMPageClean_Data, 0, 64));
    assert_invalid_root(vspace_flush(vs2, ARMVSpaceClean_Data, V0, V0 + 64));
    OK(page_unmap(f)); /* stale: nothing to do */
    check_invariants();
}
END_TEST

START_TEST(test_vspace_flush)
{
    vt_start();
    uint64_t vs = vt_vspace();
    uint64_t bare = vt_make(seL4_ARM_VSpaceObject, 1);
    map_tables(vs, V0, 3);
    uint64_t f = vt_make(seL4_ARM_SmallPageObject, 2);
    uint64_t large = vt_make_from(ktest_untyped(22), seL4_ARM_LargePageObject, 0, 1);
    OK(page_map(f, vs, V0, RW, CACHED));
    OK(page_map(f + 1, vs, V0 + PAGE, seL4_CanRead, CACHED));
    map_tables(vs, V0 + GIB, 1); /* the level-1 table exists: this one is a level-2 table */
    OK(page_map(large, vs, V0 + GIB, RW, CACHED));

    for (unsigned i = 0; i < 4; i++) {
        uint64_t label = vspace_flush_labels[i];
        ERR(ktest_call(vs, label, 1, (uint64_t[]){V0}, 0, NULL), seL4_TruncatedMessage, 0);
        assert_error_word(vspace_flush(vs, label, V0 + 8, V0 + 8), seL4_InvalidArgument, 1);
        assert_error_word(vspace_flush(vs, label, V0 + 9, V0 + 8), seL4_InvalidArgument, 1);
        ERR(vspace_flush(vs, label, V0, seL4_UserTop + 1), seL4_IllegalOperation, 0);
        assert_error_word(vspace_flush(bare, label, V0, V0 + 8), seL4_InvalidCapability, 0);
        OK(vspace_flush(vs, label, V0, V0 + PAGE));
        OK(vspace_flush(vs, label, V0 + GIB + 5, V0 + GIB + MIB2));
        /* Nothing mapped at start: success, nothing done. */
        OK(vspace_flush(vs, label, V0 + 2 * PAGE, V0 + 3 * PAGE));
        OK(vspace_flush(vs, label, 0x10, 0x20));
        /* Crossing the page's end: RangeError(start, last byte of the page). */
        struct ktest_reply r = vspace_flush(vs, label, V0 + 0x10, V0 + PAGE + 1);
        ERR(r, seL4_RangeError, 2);
        ck_assert_uint_eq(r.mr[0], V0 + 0x10);
        ck_assert_uint_eq(r.mr[1], V0 + PAGE - 1);
        r = vspace_flush(vs, label, V0 + GIB + 0x10, V0 + GIB + MIB2 + 1);
        ERR(r, seL4_RangeError, 2);
        ck_assert_uint_eq(r.mr[1], V0 + GIB + MIB2 - 1);
    }
    ERR(vspace_flush(vs, ARMVSpaceInvalidate_Data, V0 + PAGE, V0 + PAGE + 64),
        seL4_IllegalOperation, 0);
    OK(vspace_flush(vs, ARMVSpaceClean_Data, V0 + PAGE, V0 + PAGE + 64));
    /* Labels that are not a VSpace's. */
    ERR(ktest_call(vs, ARMPageUnmap, 0, NULL, 0, NULL), seL4_IllegalOperation, 0);
    ERR(ktest_call(vs, ARMPageTableUnmap, 0, NULL, 0, NULL), seL4_IllegalOperation, 0);
    check_invariants();
}
END_TEST

/* ---- deletion and revocation ---- */

START_TEST(test_delete_frame)
{
    vt_start();
    uint64_t vs = vt_vspace();
    map_tables(vs, V0, 3);
    uint64_t f = vt_make(seL4_ARM_SmallPageObject, 1);
    uint64_t copy = vt_slots(1);
    OK(ktest_cnode_copy(ROOT, copy, 64, ROOT, f, 64, seL4_AllRights));
    OK(page_map(f, vs, V0, RW, CACHED));
    OK(page_map(copy, vs, V0 + PAGE, RW, CACHED));
    /* Deleting a cap (not the last) takes its own mapping with it. */
    OK(ktest_cnode_delete(ROOT, f, 64));
    check_invariants();
    ck_assert_uint_eq(vt_lookup(vs, V0, NULL, NULL, NULL), 0);
    ck_assert_uint_ne(vt_lookup(vs, V0 + PAGE, NULL, NULL, NULL), 0);
    OK(ktest_cnode_delete(ROOT, copy, 64));
    ck_assert_uint_eq(vt_lookup(vs, V0 + PAGE, NULL, NULL, NULL), 0);
    check_invariants();
}
END_TEST

START_TEST(test_delete_table)
{
    vt_start();
    uint64_t vs = vt_vspace();
    uint64_t pts = vt_make(seL4_ARM_PageTableObject, 3);
    for (unsigned i = 0; i < 3; i++) {
        OK(pt_map(pts + i, vs, V0));
    }
    uint64_t f = vt_make(seL4_ARM_SmallPageObject, 1);
    OK(page_map(f, vs, V0, RW, CACHED));
    uint64_t copy = vt_slots(1);
    OK(ktest_cnode_copy(ROOT, copy, 64, ROOT, pts + 2, 64, seL4_AllRights));
    OK(ktest_cnode_delete(ROOT, pts + 2, 64)); /* not the last cap: stays mapped */
    ck_assert_uint_ne(vt_lookup(vs, V0, NULL, NULL, NULL), 0);
    check_invariants();
    paddr_t l3 = cap_page_table_cap_get_ptr(cap_of(copy));
    OK(ktest_cnode_delete(ROOT, copy, 64));
    check_invariants();
    ck_assert_uint_eq(vt_lookup(vs, V0, NULL, NULL, NULL), 0);
    ck_assert_uint_eq(vspace_lookup_pt_slot(vt_root_of(vs), V0).level, 2);
    ck_assert_uint_eq(PTOV(word_t, l3)[HAL_PT_INDEX(V0, 3)], 0);
    /* Deleting the level-1 table cuts off the level-2 one. */
    OK(ktest_cnode_delete(ROOT, pts, 64));
    ck_assert_uint_eq(vspace_lookup_pt_slot(vt_root_of(vs), V0).level, 0);
    check_invariants();
    /* The stale caps left behind are harmless. */
    OK(page_unmap(f));
    OK(pt_unmap(pts + 1));
    check_invariants();
}
END_TEST

START_TEST(test_delete_vspace)
{
    vt_start();
    uint64_t vs = vt_vspace();
    uint64_t asid = vt_asid_of(vs);
    paddr_t pool = ks.asid_table[0];
    map_tables(vs, V0, 3);
    uint64_t f = vt_make(seL4_ARM_SmallPageObject, 1);
    OK(page_map(f, vs, V0, RW, CACHED));
    uint64_t copy = vt_slots(1);
    OK(ktest_cnode_copy(ROOT, copy, 64, ROOT, vs, 64, seL4_AllRights));
    OK(ktest_cnode_delete(ROOT, vs, 64)); /* a copy remains: still bound */
    ck_assert_uint_eq(PTOV(asid_pool_t, pool)->vspace[asid], vt_root_of(copy));
    check_invariants();
    OK(ktest_cnode_delete(ROOT, copy, 64));
    ck_assert_uint_eq(PTOV(asid_pool_t, pool)->vspace[asid], 0);
    ck_assert_uint_eq(asid_find_vspace(asid), 0);
    check_invariants();
    /* The frame's record is stale now; a new VSpace gets the same ASID and the old record does
     * not reach into it. */
    uint64_t vs2 = vt_vspace();
    ck_assert_uint_eq(vt_asid_of(vs2), asid);
    map_tables(vs2, V0, 3);
    uint64_t g = vt_make(seL4_ARM_SmallPageObject, 1);
    OK(page_map(g, vs2, V0, RW, CACHED));
    OK(page_unmap(f)); /* a different frame is there: nothing happens */
    ck_assert_uint_eq(vt_lookup(vs2, V0, NULL, NULL, NULL), cap_frame_cap_get_base(cap_of(g)));
    check_invariants();
}
END_TEST

START_TEST(test_revoke_untyped)
{
    vt_start();
    /* Everything in one untyped: the VSpace, its tables and frames go together. */
    uint64_t ut = vt_make_from(ktest_untyped(24), seL4_UntypedObject, 20, 1);
    uint64_t vs = vt_make_from(ut, seL4_ARM_VSpaceObject, 0, 1);
    OK(asid_assign(ROOT_POOL, vs));
    uint64_t asid = vt_asid_of(vs);
    uint64_t pts = vt_make_from(ut, seL4_ARM_PageTableObject, 0, 3);
    for (unsigned i = 0; i < 3; i++) {
        OK(pt_map(pts + i, vs, V0));
    }
    uint64_t f = vt_make_from(ut, seL4_ARM_SmallPageObject, 0, 4);
    for (unsigned i = 0; i < 4; i++) {
        OK(page_map(f + i, vs, V0 + i * PAGE, RW, CACHED));
    }
    /* A frame from it mapped into the root VSpace too. */
    uint64_t rf = vt_make_from(ut, seL4_ARM_SmallPageObject, 0, 1);
    uint64_t rpt = vt_make(seL4_ARM_PageTableObject, 3);
    for (unsigned i = 0; i < 3; i++) {
        OK(pt_map(rpt + i, ROOT_VSPACE, V0));
    }
    OK(page_map(rf, ROOT_VSPACE, V0, RW, CACHED));
    check_invariants();
    OK(ktest_cnode_revoke(ROOT, ut, 64));
    check_invariants();
    ck_assert_uint_eq(asid_find_vspace(asid), 0);
    ck_assert_uint_eq(vt_lookup(ROOT_VSPACE, V0, NULL, NULL, NULL), 0);
    ck_assert_uint_eq(ktest_cap_type(vs), KAAL_CAP_TAG_NULL);
    /* The memory can be used again at once. */
    uint64_t vs2 = vt_make_from(ut, seL4_ARM_VSpaceObject, 0, 1);
    OK(asid_assign(ROOT_POOL, vs2));
    ck_assert_uint_eq(vt_asid_of(vs2), asid);
    check_invariants();
}
END_TEST

/* ---- the invariant checker itself ---- */

START_TEST(test_invariants_catch_corruption)
{
    vt_start();
    uint64_t vs = vt_vspace();
    map_tables(vs, V0, 3);
    uint64_t f = vt_make(seL4_ARM_SmallPageObject, 2);
    OK(page_map(f, vs, V0, RW, CACHED));
    check_invariants();
    char why[256];
    struct pt_slot s = vspace_lookup_pt_slot(vt_root_of(vs), V0 + PAGE);
    /* A page no cap records. */
    *s.pte = hal_pte_page(cap_frame_cap_get_base(cap_of(f + 1)), 3, VM_READ_WRITE, CACHED, false);
    ck_assert(!vspace_invariants_hold(why, sizeof(why)));
    ck_assert_msg(strstr(why, "no frame cap") != NULL, "%s", why);
    *s.pte = HAL_PTE_INVALID;
    ck_assert(vspace_invariants_hold(why, sizeof(why)));
    /* A table recorded at the wrong vaddr. */
    cte_t *pt_slot = slot_of(vt_next_slot - 3); /* the level-3 table */
    cap_t saved = pt_slot->cap;
    pt_slot->cap = cap_page_table_cap_set_mapped_vaddr(saved, V0 + MIB2);
    ck_assert(!vspace_invariants_hold(why, sizeof(why)));
    ck_assert_msg(strstr(why, "record otherwise") != NULL, "%s", why);
    pt_slot->cap = saved;
    /* A table linked twice. */
    struct pt_slot l2 = vspace_lookup_pt_slot(vt_root_of(vs), V0);
    (void)l2;
    word_t *l2_entries = PTOV(word_t, cap_page_table_cap_get_ptr(cap_of(vt_next_slot - 4)));
    word_t *other = &l2_entries[(HAL_PT_INDEX(V0, 2) + 1) % HAL_PT_ENTRIES];
    *other = hal_pte_table(cap_page_table_cap_get_ptr(saved));
    ck_assert(!vspace_invariants_hold(why, sizeof(why)));
    *other = HAL_PTE_INVALID;
    /* An ASID bound with no VSpace cap agreeing. */
    asid_pool_t *pool = PTOV(asid_pool_t, ks.asid_table[0]);
    pool->vspace[300] = vt_root_of(vs);
    ck_assert(!vspace_invariants_hold(why, sizeof(why)));
    ck_assert_msg(strstr(why, "two ASIDs") != NULL, "%s", why);
    pool->vspace[300] = 0;
    ck_assert_msg(vspace_invariants_hold(why, sizeof(why)), "%s", why);
}
END_TEST

static Suite *vspace_suite(void)
{
    Suite *s = suite_create("vspace");
    struct {
        const char *name;
        const TTest *tests[8];
    } cases[] = {
        {"page_table_map", {test_pt_map_levels, test_pt_map_errors}},
        {"page_table_unmap", {test_pt_unmap}},
        {"page_map",
         {test_page_map_rights_and_attributes, test_page_map_large_and_huge,
          test_page_map_failed_lookup_bits, test_page_map_errors, test_page_remap,
          test_same_frame_two_vspaces}},
        {"page_unmap", {test_page_unmap}},
        {"page_get_address", {test_page_get_address}},
        {"page_flush", {test_page_flush, test_page_flush_without_pool}},
        {"vspace_flush", {test_vspace_flush}},
        {"arch_finalise_cap",
         {test_delete_frame, test_delete_table, test_delete_vspace, test_revoke_untyped}},
        {"vspace_invariants_hold", {test_invariants_catch_corruption}},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        TCase *tc = tcase_create(cases[i].name);
        tcase_add_checked_fixture(tc, ktest_setup, ktest_teardown);
        for (size_t k = 0; k < 8 && cases[i].tests[k] != NULL; k++) {
            tcase_add_test(tc, cases[i].tests[k]);
        }
        suite_add_tcase(s, tc);
    }
    return s;
}

int main(void) { return ktest_run(vspace_suite()); }
