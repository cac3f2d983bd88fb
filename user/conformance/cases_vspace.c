/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance: every VSpace invocation and its errors, shared frames, ASID pool exhaustion, and
 * touching mapped memory (docs/abi.md#object-types, #invocation-semantics). */
#include "harness.h"

#define ROOT seL4_CapInitThreadCNode
#define DEPTH seL4_WordBits
#define ATTR seL4_ARM_Default_VMAttributes
#define VA 0x10000000ull /* in a fresh VSpace */
/* In the root VSpace, for touching: inside the image's 2 MiB-aligned neighbourhood but above it,
 * and inside hostsim's user window [0x400000, 0x4000000). */
#define ROOT_VA 0x3000000ull

static seL4_Word mr(int i) { return seL4_GetMR(i); }

/* Page tables for vaddr in vs: as many as the walk needs (up to 3). */
static void map_tables(struct conf_env *env, seL4_CPtr vs, seL4_Word vaddr)
{
    for (int level = 0; level < 3; level++) {
        seL4_CPtr pt = conf_alloc(env, seL4_ARM_PageTableObject, 0);
        CONF_CHECK(pt != seL4_CapNull);
        seL4_Error err = sys_arm_page_table_map(pt, vs, vaddr, ATTR);
        if (err == seL4_DeleteFirst) {
            return; /* the walk already reaches level 3 */
        }
        CONF_OK(err);
    }
}

static void case_asid_control_make_pool(struct conf_env *env)
{
    seL4_CPtr ut = conf_untyped(env, seL4_ASIDPoolBits), pool = conf_slot(env);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_arm_asid_control_make_pool(seL4_CapASIDControl, ut, ROOT, pool, DEPTH));
    CONF_EQ(conf_tag(pool), KAAL_CAP_TAG_ASID_POOL);
    seL4_CPtr vs = conf_alloc(env, seL4_ARM_VSpaceObject, 0);
    CONF_OK(sys_arm_asid_pool_assign(pool, vs));
}

static void case_make_pool_errors(struct conf_env *env)
{
    seL4_CPtr big = conf_untyped(env, 13), ut = conf_untyped(env, 12), pool = conf_slot(env);
    CONF_CHECK(!conf_failed());
    CONF_ERR(sys_arm_asid_control_make_pool(seL4_CapASIDControl, big, ROOT, pool, DEPTH),
             seL4_InvalidCapability);
    CONF_EQ(mr(0), 1);
    CONF_ERR(sys_arm_asid_control_make_pool(seL4_CapASIDControl, seL4_CapInitThreadTCB, ROOT, pool,
                                            DEPTH),
             seL4_InvalidCapability);
    /* An untyped with children. */
    seL4_CPtr child = conf_slot(env);
    CONF_OK(sys_untyped_retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, child, 1));
    CONF_ERR(sys_arm_asid_control_make_pool(seL4_CapASIDControl, ut, ROOT, pool, DEPTH),
             seL4_RevokeFirst);
    CONF_OK(sys_cnode_revoke(ROOT, ut, DEPTH));
    /* An occupied destination. */
    CONF_ERR(
        sys_arm_asid_control_make_pool(seL4_CapASIDControl, ut, ROOT, seL4_CapInitThreadTCB, DEPTH),
        seL4_DeleteFirst);
    CONF_OK(sys_arm_asid_control_make_pool(seL4_CapASIDControl, ut, ROOT, pool, DEPTH));
}

/* 128 pools in all, pool 0 is the root's: 127 more, then DeleteFirst. */
static void case_asid_pools_exhausted(struct conf_env *env)
{
    unsigned made = 0;
    for (;;) {
        seL4_CPtr ut = conf_untyped(env, seL4_ASIDPoolBits), pool = conf_slot(env);
        CONF_CHECK(!conf_failed());
        seL4_Error err = sys_arm_asid_control_make_pool(seL4_CapASIDControl, ut, ROOT, pool, DEPTH);
        if (err != seL4_NoError) {
            CONF_EQ(err, seL4_DeleteFirst);
            break;
        }
        CONF_CHECK(++made <= 128);
    }
    CONF_EQ(made, (1u << seL4_NumASIDPoolsBits) - 1);
}

/* A fresh pool gives out all 512 ASIDs, then DeleteFirst. */
static void case_asid_pool_full(struct conf_env *env)
{
    seL4_CPtr ut = conf_untyped(env, seL4_ASIDPoolBits), pool = conf_slot(env);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_arm_asid_control_make_pool(seL4_CapASIDControl, ut, ROOT, pool, DEPTH));
    for (unsigned i = 0; i < (1u << seL4_ASIDPoolIndexBits); i++) {
        seL4_CPtr vs = conf_alloc(env, seL4_ARM_VSpaceObject, 0);
        CONF_CHECK(vs != seL4_CapNull);
        CONF_OK(sys_arm_asid_pool_assign(pool, vs));
    }
    seL4_CPtr vs = conf_alloc(env, seL4_ARM_VSpaceObject, 0);
    CONF_ERR(sys_arm_asid_pool_assign(pool, vs), seL4_DeleteFirst);
}

static void case_asid_pool_assign_errors(struct conf_env *env)
{
    seL4_CPtr vs = conf_vspace(env);
    CONF_CHECK(!conf_failed());
    CONF_ERR(sys_arm_asid_pool_assign(seL4_CapInitThreadASIDPool, vs),
             seL4_InvalidCapability); /* has one */
    CONF_EQ(mr(0), 1);
    CONF_ERR(sys_arm_asid_pool_assign(seL4_CapInitThreadASIDPool, seL4_CapInitThreadTCB),
             seL4_InvalidCapability);
    seL4_Word none[1] = {0};
    CONF_EQ(conf_raw_call(seL4_CapInitThreadASIDPool, ARMASIDPoolAssign, 0, 0, none),
            seL4_TruncatedMessage);
}

/* PageTable_Map fills the first empty level on the path: L1, L2, L3, then DeleteFirst. */
static void case_page_table_map_levels(struct conf_env *env)
{
    seL4_CPtr vs = conf_vspace(env);
    CONF_CHECK(!conf_failed());
    for (int level = 1; level <= 3; level++) {
        seL4_CPtr pt = conf_alloc(env, seL4_ARM_PageTableObject, 0);
        CONF_OK(sys_arm_page_table_map(pt, vs, VA, ATTR));
    }
    seL4_CPtr pt = conf_alloc(env, seL4_ARM_PageTableObject, 0);
    CONF_ERR(sys_arm_page_table_map(pt, vs, VA, ATTR), seL4_DeleteFirst);
    /* The same table cannot be mapped twice. */
    seL4_CPtr pt2 = conf_alloc(env, seL4_ARM_PageTableObject, 0);
    CONF_OK(sys_arm_page_table_map(pt2, vs, VA + (1ull << 39), ATTR));
    CONF_ERR(sys_arm_page_table_map(pt2, vs, VA + (2ull << 39), ATTR), seL4_InvalidCapability);
    CONF_EQ(mr(0), 0);
}

static void case_page_table_map_errors(struct conf_env *env)
{
    seL4_CPtr vs = conf_vspace(env), no_asid = conf_alloc(env, seL4_ARM_VSpaceObject, 0);
    seL4_CPtr pt = conf_alloc(env, seL4_ARM_PageTableObject, 0);
    CONF_CHECK(!conf_failed());
    CONF_ERR(sys_arm_page_table_map(pt, no_asid, VA, ATTR), seL4_InvalidCapability);
    CONF_EQ(mr(0), 1);
    CONF_ERR(sys_arm_page_table_map(pt, seL4_CapInitThreadTCB, VA, ATTR), seL4_InvalidCapability);
    CONF_ERR(sys_arm_page_table_map(pt, vs, seL4_UserTop + 1, ATTR), seL4_InvalidArgument);
    CONF_EQ(mr(0), 0);
    seL4_Word words[2] = {VA, ATTR};
    CONF_EQ(conf_raw_call(pt, ARMPageTableMap, 2, 0, words), seL4_TruncatedMessage);
}

static void case_page_table_unmap(struct conf_env *env)
{
    seL4_CPtr vs = conf_vspace(env), pt = conf_alloc(env, seL4_ARM_PageTableObject, 0);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_arm_page_table_map(pt, vs, VA, ATTR));
    CONF_OK(sys_arm_page_table_unmap(pt));
    CONF_OK(sys_arm_page_table_unmap(pt)); /* unmapped already: nothing to do */
    CONF_OK(sys_arm_page_table_map(pt, vs, VA, ATTR));
    /* Only the final cap may unmap. */
    seL4_CPtr copy = conf_copy(env, pt, seL4_AllRights);
    CONF_ERR(sys_arm_page_table_unmap(pt), seL4_RevokeFirst);
    CONF_OK(sys_cnode_delete(ROOT, copy, DEPTH));
    CONF_OK(sys_arm_page_table_unmap(pt));
}

/* Page_Map with a level missing: FailedLookup, bits left = the kind of table missing. */
static void case_page_map_missing_tables(struct conf_env *env)
{
    seL4_CPtr vs = conf_vspace(env), frame = conf_alloc(env, seL4_ARM_SmallPageObject, 0);
    CONF_CHECK(!conf_failed());
    static const seL4_Word bits_left[3] = {SEL4_MAPPING_LOOKUP_NO_PUD, SEL4_MAPPING_LOOKUP_NO_PD,
                                           SEL4_MAPPING_LOOKUP_NO_PT};
    for (int level = 0; level < 3; level++) {
        CONF_ERR(sys_arm_page_map(frame, vs, VA, seL4_ReadWrite, ATTR), seL4_FailedLookup);
        CONF_EQ(mr(0), 0);
        CONF_EQ(mr(1), seL4_MissingCapability);
        CONF_EQ(mr(SEL4_MAPPING_LOOKUP_LEVEL), bits_left[level]);
        seL4_CPtr pt = conf_alloc(env, seL4_ARM_PageTableObject, 0);
        CONF_OK(sys_arm_page_table_map(pt, vs, VA, ATTR));
    }
    CONF_OK(sys_arm_page_map(frame, vs, VA, seL4_ReadWrite, ATTR));
}

static void case_page_map_errors(struct conf_env *env)
{
    seL4_CPtr large = conf_alloc(env, seL4_ARM_LargePageObject, 0); /* first: 2 MiB aligned */
    seL4_CPtr vs = conf_vspace(env), vs2 = conf_vspace(env),
              no_asid = conf_alloc(env, seL4_ARM_VSpaceObject, 0);
    seL4_CPtr frame = conf_alloc(env, seL4_ARM_SmallPageObject, 0);
    CONF_CHECK(!conf_failed());
    map_tables(env, vs, VA);
    map_tables(env, vs2, VA);
    CONF_CHECK(!conf_failed());
    CONF_ERR(sys_arm_page_map(frame, no_asid, VA, seL4_ReadWrite, ATTR), seL4_InvalidCapability);
    CONF_EQ(mr(0), 1);
    CONF_ERR(sys_arm_page_map(frame, seL4_CapInitThreadTCB, VA, seL4_ReadWrite, ATTR),
             seL4_InvalidCapability);
    CONF_ERR(sys_arm_page_map(frame, vs, VA + 8, seL4_ReadWrite, ATTR), seL4_AlignmentError);
    CONF_ERR(sys_arm_page_map(large, vs, VA + 4096, seL4_ReadWrite, ATTR), seL4_AlignmentError);
    CONF_ERR(sys_arm_page_map(frame, vs, seL4_UserTop + 1, seL4_ReadWrite, ATTR),
             seL4_InvalidArgument);
    CONF_OK(sys_arm_page_map(frame, vs, VA, seL4_ReadWrite, ATTR));
    /* Remapping: same ASID and address only (rights and attributes may change). */
    CONF_OK(sys_arm_page_map(frame, vs, VA, seL4_CanRead, ATTR));
    CONF_ERR(sys_arm_page_map(frame, vs, VA + 4096, seL4_ReadWrite, ATTR), seL4_InvalidArgument);
    CONF_EQ(mr(0), 0);
    CONF_ERR(sys_arm_page_map(frame, vs2, VA, seL4_ReadWrite, ATTR), seL4_InvalidCapability);
    CONF_EQ(mr(0), 1);
    /* A large page where a table already is: the walk ends below its level. */
    CONF_ERR(sys_arm_page_map(large, vs, VA, seL4_ReadWrite, ATTR), seL4_FailedLookup);
}

static void case_page_unmap(struct conf_env *env)
{
    seL4_CPtr vs = conf_vspace(env), frame = conf_alloc(env, seL4_ARM_SmallPageObject, 0);
    CONF_CHECK(!conf_failed());
    map_tables(env, vs, VA);
    CONF_OK(sys_arm_page_unmap(frame)); /* not mapped: nothing to do */
    CONF_OK(sys_arm_page_map(frame, vs, VA, seL4_ReadWrite, ATTR));
    CONF_OK(sys_arm_page_unmap(frame));
    /* Unmapped, it may go elsewhere now. */
    CONF_OK(sys_arm_page_map(frame, vs, VA + 4096, seL4_ReadWrite, ATTR));
}

static void case_page_get_address(struct conf_env *env)
{
    seL4_CPtr ut = conf_untyped(env, 21);
    seL4_CPtr p1 = conf_slot(env), p2 = conf_slot(env), large = conf_slot(env),
              ut2 = conf_untyped(env, 21);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_untyped_retype(ut, seL4_ARM_SmallPageObject, 0, ROOT, 0, 0, p1, 1));
    CONF_OK(sys_untyped_retype(ut, seL4_ARM_SmallPageObject, 0, ROOT, 0, 0, p2, 1));
    seL4_ARM_Page_GetAddress_t a1 = sys_arm_page_get_address(p1), a2 = sys_arm_page_get_address(p2);
    CONF_OK(a1.error);
    CONF_OK(a2.error);
    CONF_EQ(a2.paddr, a1.paddr + 4096);
    CONF_OK(sys_untyped_retype(ut2, seL4_ARM_LargePageObject, 0, ROOT, 0, 0, large, 1));
    CONF_EQ(sys_arm_page_get_address(large).paddr & ((1ull << seL4_LargePageBits) - 1), 0);
    /* The reply has one word. */
    seL4_Word none[1] = {0};
    seL4_Word label = conf_raw_call(p1, ARMPageGetAddress, 0, 0, none);
    CONF_EQ(label, seL4_NoError);
    CONF_EQ(seL4_GetMR(0), a1.paddr);
}

static void case_page_flush(struct conf_env *env)
{
    seL4_CPtr vs = conf_vspace(env), frame = conf_alloc(env, seL4_ARM_SmallPageObject, 0);
    CONF_CHECK(!conf_failed());
    map_tables(env, vs, VA);
    CONF_ERR(sys_arm_page_clean_data(frame, 0, 4096), seL4_IllegalOperation); /* not mapped */
    CONF_OK(sys_arm_page_map(frame, vs, VA, seL4_ReadWrite, ATTR));
    CONF_OK(sys_arm_page_clean_data(frame, 0, 4096));
    CONF_OK(sys_arm_page_invalidate_data(frame, 64, 128));
    CONF_OK(sys_arm_page_clean_invalidate_data(frame, 0, 1));
    CONF_OK(sys_arm_page_unify_instruction(frame, 0, 4096));
    CONF_ERR(sys_arm_page_clean_data(frame, 100, 100), seL4_InvalidArgument);
    CONF_EQ(mr(0), 1);
    CONF_ERR(sys_arm_page_clean_data(frame, 0, 4097), seL4_InvalidArgument);
    CONF_EQ(mr(0), 0);
    CONF_ERR(sys_arm_page_clean_data(frame, 4096, 4097), seL4_InvalidArgument);
    /* Invalidate needs a writable mapping. */
    CONF_OK(sys_arm_page_map(frame, vs, VA, seL4_CanRead, ATTR));
    CONF_ERR(sys_arm_page_invalidate_data(frame, 0, 64), seL4_IllegalOperation);
    CONF_OK(sys_arm_page_clean_data(frame, 0, 64));
}

static void case_vspace_flush(struct conf_env *env)
{
    seL4_CPtr vs = conf_vspace(env), frame = conf_alloc(env, seL4_ARM_SmallPageObject, 0);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_arm_vspace_clean_data(vs, VA, VA + 64)); /* nothing mapped: nothing to do */
    map_tables(env, vs, VA);
    CONF_OK(sys_arm_page_map(frame, vs, VA, seL4_ReadWrite, ATTR));
    CONF_OK(sys_arm_vspace_clean_data(vs, VA, VA + 4096));
    CONF_OK(sys_arm_vspace_invalidate_data(vs, VA + 64, VA + 128));
    CONF_OK(sys_arm_vspace_clean_invalidate_data(vs, VA, VA + 4096));
    CONF_OK(sys_arm_vspace_unify_instruction(vs, VA, VA + 4));
    CONF_ERR(sys_arm_vspace_clean_data(vs, VA + 64, VA + 64), seL4_InvalidArgument);
    CONF_EQ(mr(0), 1);
    CONF_ERR(sys_arm_vspace_clean_data(vs, VA, seL4_UserTop + 2), seL4_IllegalOperation);
    /* Across the end of the page: RangeError(start, last byte of the page). */
    CONF_ERR(sys_arm_vspace_clean_data(vs, VA + 4000, VA + 4200), seL4_RangeError);
    CONF_EQ(mr(0), VA + 4000);
    CONF_EQ(mr(1), VA + 4095);
}

/* One frame in two VSpaces with different rights: two caps to it (a frame cap maps once). */
static void case_frame_shared_two_vspaces(struct conf_env *env)
{
    seL4_CPtr a = conf_vspace(env), b = conf_vspace(env),
              frame = conf_alloc(env, seL4_ARM_SmallPageObject, 0);
    CONF_CHECK(!conf_failed());
    map_tables(env, a, VA);
    map_tables(env, b, VA + 0x200000);
    seL4_CPtr ro = conf_copy(env, frame, seL4_CanRead);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_arm_page_map(frame, a, VA, seL4_ReadWrite, ATTR));
    CONF_OK(sys_arm_page_map(ro, b, VA + 0x200000, seL4_ReadWrite,
                             ATTR)); /* rights: cap ∩ mask = read */
    CONF_EQ(sys_arm_page_get_address(ro).paddr, sys_arm_page_get_address(frame).paddr);
    /* The read-only mapping is not writable: Invalidate (which needs RW) is refused there. */
    CONF_ERR(sys_arm_page_invalidate_data(ro, 0, 64), seL4_IllegalOperation);
    CONF_OK(sys_arm_page_invalidate_data(frame, 0, 64));
    /* Unmapping one leaves the other. */
    CONF_OK(sys_arm_page_unmap(frame));
    CONF_OK(sys_arm_page_clean_data(ro, 0, 64));
}

/* --- touching memory in the root's own VSpace --- */

static seL4_CPtr map_root_frame(struct conf_env *env, seL4_CPtr frame, seL4_Word vaddr,
                                seL4_CapRights_t rights, seL4_Word attr)
{
    map_tables(env, seL4_CapInitThreadVSpace, vaddr);
    seL4_Error err = sys_arm_page_map(frame, seL4_CapInitThreadVSpace, vaddr, rights, attr);
    if (err != seL4_NoError) {
        conf_fail(__FILE__, __LINE__, "map_root_frame: Page_Map", (seL4_Word)err, 0, 1);
    }
    return frame;
}

static void case_touch_rw_and_ro_alias(struct conf_env *env)
{
    CONF_REQUIRE_USER_MODE(env);
    seL4_CPtr frame = conf_alloc(env, seL4_ARM_SmallPageObject, 0);
    CONF_CHECK(!conf_failed());
    seL4_CPtr alias = conf_copy(env, frame, seL4_CanRead);
    map_root_frame(env, frame, ROOT_VA, seL4_ReadWrite, ATTR);
    map_root_frame(env, alias, ROOT_VA + 4096, seL4_ReadWrite, ATTR);
    CONF_CHECK(!conf_failed());
    volatile seL4_Word *rw = (volatile seL4_Word *)(uintptr_t)ROOT_VA;
    volatile const seL4_Word *ro = (volatile const seL4_Word *)(uintptr_t)(ROOT_VA + 4096);
    CONF_EQ(ro[0], 0); /* new frames are zeroed */
    CONF_EQ(ro[511], 0);
    rw[0] = 0x1234567887654321ull;
    rw[511] = 0xfeed;
    CONF_EQ(ro[0], 0x1234567887654321ull);
    CONF_EQ(ro[511], 0xfeed);
    /* Unmapped and mapped again elsewhere: the contents stay. */
    CONF_OK(sys_arm_page_unmap(frame));
    CONF_OK(
        sys_arm_page_map(frame, seL4_CapInitThreadVSpace, ROOT_VA + 8192, seL4_ReadWrite, ATTR));
    CONF_EQ(((volatile seL4_Word *)(uintptr_t)(ROOT_VA + 8192))[0], 0x1234567887654321ull);
}

/* Memory reused after a revoke is zeroed again. */
static void case_touch_zeroed_after_revoke(struct conf_env *env)
{
    CONF_REQUIRE_USER_MODE(env);
    seL4_CPtr ut = conf_untyped(env, seL4_PageBits), frame = conf_slot(env);
    CONF_CHECK(!conf_failed());
    map_tables(env, seL4_CapInitThreadVSpace, ROOT_VA);
    CONF_OK(sys_untyped_retype(ut, seL4_ARM_SmallPageObject, 0, ROOT, 0, 0, frame, 1));
    CONF_OK(sys_arm_page_map(frame, seL4_CapInitThreadVSpace, ROOT_VA, seL4_ReadWrite, ATTR));
    volatile seL4_Word *p = (volatile seL4_Word *)(uintptr_t)ROOT_VA;
    p[7] = 0xdeadbeef;
    CONF_OK(sys_cnode_revoke(ROOT, ut, DEPTH)); /* deletes (and unmaps) the frame */
    CONF_OK(sys_untyped_retype(ut, seL4_ARM_SmallPageObject, 0, ROOT, 0, 0, frame, 1));
    CONF_OK(sys_arm_page_map(frame, seL4_CapInitThreadVSpace, ROOT_VA, seL4_ReadWrite, ATTR));
    CONF_EQ(p[7], 0);
}

/* Code written through a writable mapping runs through an executable read-only alias. */
static void case_touch_execute(struct conf_env *env)
{
    CONF_REQUIRE_USER_MODE(env);
#if !defined(KAAL_ARCH_AARCH64)
    CONF_SKIP("hostsim cannot execute AArch64 code in the user window");
#else
    seL4_CPtr frame = conf_alloc(env, seL4_ARM_SmallPageObject, 0);
    CONF_CHECK(!conf_failed());
    seL4_CPtr alias = conf_copy(env, frame, seL4_CanRead);
    map_root_frame(env, frame, ROOT_VA, seL4_ReadWrite, ATTR | seL4_ARM_ExecuteNever);
    map_root_frame(env, alias, ROOT_VA + 4096, seL4_CanRead, ATTR);
    CONF_CHECK(!conf_failed());
    volatile uint32_t *code = (volatile uint32_t *)(uintptr_t)ROOT_VA;
    code[0] = 0x52800540u; /* mov w0, #42 */
    code[1] = 0xd65f03c0u; /* ret */
    CONF_OK(sys_arm_page_clean_data(frame, 0, 64));
    CONF_OK(sys_arm_page_unify_instruction(alias, 0, 64));
    int (*fn)(void) = (int (*)(void))(uintptr_t)(ROOT_VA + 4096);
    CONF_EQ(fn(), 42);
#endif
}

static const struct conf_case cases[] = {
    CONF_CASE(asid_control_make_pool),
    CONF_CASE(make_pool_errors),
    CONF_CASE(asid_pools_exhausted),
    CONF_CASE(asid_pool_full),
    CONF_CASE(asid_pool_assign_errors),
    CONF_CASE(page_table_map_levels),
    CONF_CASE(page_table_map_errors),
    CONF_CASE(page_table_unmap),
    CONF_CASE(page_map_missing_tables),
    CONF_CASE(page_map_errors),
    CONF_CASE(page_unmap),
    CONF_CASE(page_get_address),
    CONF_CASE(page_flush),
    CONF_CASE(vspace_flush),
    CONF_CASE(frame_shared_two_vspaces),
    CONF_CASE(touch_rw_and_ro_alias),
    CONF_CASE(touch_zeroed_after_revoke),
    CONF_CASE(touch_execute),
};
const struct conf_area conf_area_vspace = CONF_AREA("vspace", cases);
