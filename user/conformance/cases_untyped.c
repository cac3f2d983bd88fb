/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance: Untyped_Retype of every object type, placement, and every error
 * (docs/abi.md#object-types, #invocation-semantics). */
#include "harness.h"

#include <kaal/gen_config.h>

#define ROOT seL4_CapInitThreadCNode
#define DEPTH seL4_WordBits

static void retype_one(struct conf_env *env, seL4_Word type, seL4_Word size_bits, seL4_Word tag)
{
    seL4_CPtr ut = conf_untyped(env, 21 + (type == seL4_ARM_LargePageObject));
    seL4_CPtr s = conf_slot(env);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_untyped_retype(ut, type, size_bits, ROOT, 0, 0, s, 1));
    CONF_EQ(conf_tag(s), tag);
}

static void case_retype_untyped(struct conf_env *env)
{
    retype_one(env, seL4_UntypedObject, 4, KAAL_CAP_TAG_UNTYPED);
}
static void case_retype_tcb(struct conf_env *env)
{
    retype_one(env, seL4_TCBObject, 0, KAAL_CAP_TAG_THREAD);
}
static void case_retype_endpoint(struct conf_env *env)
{
    retype_one(env, seL4_EndpointObject, 0, KAAL_CAP_TAG_ENDPOINT);
}
static void case_retype_notification(struct conf_env *env)
{
    retype_one(env, seL4_NotificationObject, 0, KAAL_CAP_TAG_NOTIFICATION);
}
static void case_retype_cnode(struct conf_env *env)
{
    retype_one(env, seL4_CapTableObject, 1, KAAL_CAP_TAG_CNODE);
}
static void case_retype_vspace(struct conf_env *env)
{
    retype_one(env, seL4_ARM_VSpaceObject, 0, KAAL_CAP_TAG_VSPACE);
}
static void case_retype_small_page(struct conf_env *env)
{
    retype_one(env, seL4_ARM_SmallPageObject, 0, KAAL_CAP_TAG_FRAME);
}
static void case_retype_large_page(struct conf_env *env)
{
    retype_one(env, seL4_ARM_LargePageObject, 0, KAAL_CAP_TAG_FRAME);
}
static void case_retype_page_table(struct conf_env *env)
{
    retype_one(env, seL4_ARM_PageTableObject, 0, KAAL_CAP_TAG_PAGE_TABLE);
}

/* A 1 GiB frame needs a 1 GiB untyped: device memory has them (frames are all it may become). */
static void case_retype_huge_page_device(struct conf_env *env)
{
    const seL4_BootInfo *bi = env->bi;
    seL4_Word n = kaal_bootinfo_untyped_count(bi), i;
    for (i = 0; i < n; i++) {
        if (bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits >= seL4_HugePageBits) {
            break;
        }
    }
    if (i == n) {
        CONF_SKIP("no device untyped of 1 GiB or more");
    }
    seL4_CPtr ut = bi->untyped.start + i, s = conf_slot(env), tcb = conf_slot(env);
    CONF_OK(sys_untyped_retype(ut, seL4_ARM_HugePageObject, 0, ROOT, 0, 0, s, 1));
    CONF_EQ(conf_tag(s), KAAL_CAP_TAG_FRAME);
    CONF_EQ(sys_arm_page_get_address(s).paddr, bi->untypedList[i].paddr);
    /* Device memory becomes frames or untypeds only. */
    CONF_ERR(sys_untyped_retype(ut, seL4_TCBObject, 0, ROOT, 0, 0, tcb, 1), seL4_InvalidArgument);
    CONF_EQ(seL4_GetMR(0), 1);
    CONF_OK(sys_cnode_delete(ROOT, s, DEPTH));
    CONF_OK(sys_cnode_revoke(ROOT, ut, DEPTH));
}

static void case_retype_invalid_type(struct conf_env *env)
{
    seL4_CPtr ut = conf_untyped(env, 16), s = conf_slot(env);
    CONF_ERR(sys_untyped_retype(ut, seL4_ObjectTypeCount, 0, ROOT, 0, 0, s, 1),
             seL4_InvalidArgument);
    CONF_EQ(seL4_GetMR(0), 0);
    CONF_ERR(sys_untyped_retype(ut, seL4_ARM_VCPUObject, 0, ROOT, 0, 0, s, 1),
             seL4_InvalidArgument);
}

static void case_retype_bad_sizes(struct conf_env *env)
{
    seL4_CPtr ut = conf_untyped(env, 16), s = conf_slot(env);
    CONF_ERR(sys_untyped_retype(ut, seL4_CapTableObject, 0, ROOT, 0, 0, s, 1),
             seL4_InvalidArgument);
    CONF_EQ(seL4_GetMR(0), 1);
    CONF_ERR(sys_untyped_retype(ut, seL4_UntypedObject, 3, ROOT, 0, 0, s, 1), seL4_InvalidArgument);
    CONF_EQ(seL4_GetMR(0), 1);
    CONF_ERR(sys_untyped_retype(ut, seL4_UntypedObject, 48, ROOT, 0, 0, s, 1), seL4_RangeError);
    CONF_EQ(seL4_GetMR(0), 0);
    CONF_EQ(seL4_GetMR(1), seL4_MaxUntypedBits);
    CONF_ERR(sys_untyped_retype(ut, seL4_UntypedObject, 64, ROOT, 0, 0, s, 1), seL4_RangeError);
}

static void case_retype_num_objects(struct conf_env *env)
{
    seL4_CPtr ut = conf_untyped(env, 16), s = conf_slot(env);
    CONF_ERR(sys_untyped_retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, s, 0), seL4_RangeError);
    CONF_EQ(seL4_GetMR(0), 1);
    CONF_EQ(seL4_GetMR(1), CONFIG_RETYPE_FAN_OUT_LIMIT);
    CONF_ERR(sys_untyped_retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, s,
                                CONFIG_RETYPE_FAN_OUT_LIMIT + 1),
             seL4_RangeError);
}

/* 256 objects at once into a CNode addressed through the root (node_depth 64). */
static void case_retype_fan_out(struct conf_env *env)
{
    seL4_CPtr ut = conf_untyped(env, 16);
    seL4_CPtr cn = conf_alloc(env, seL4_CapTableObject, 9);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_untyped_retype(ut, seL4_EndpointObject, 0, ROOT, cn, DEPTH, 0,
                               CONFIG_RETYPE_FAN_OUT_LIMIT));
    seL4_CPtr out = conf_slot(env);
    CONF_OK(sys_cnode_move(ROOT, out, DEPTH, cn, CONFIG_RETYPE_FAN_OUT_LIMIT - 1, 9));
    CONF_EQ(conf_tag(out), KAAL_CAP_TAG_ENDPOINT);
    /* A window past the end of the CNode: RangeError(1, slots left). */
    CONF_ERR(sys_untyped_retype(ut, seL4_EndpointObject, 0, ROOT, cn, DEPTH, 500, 13),
             seL4_RangeError);
    CONF_EQ(seL4_GetMR(0), 1);
    CONF_EQ(seL4_GetMR(1), 12);
    /* An offset past the end: RangeError(0, slots - 1). */
    CONF_ERR(sys_untyped_retype(ut, seL4_EndpointObject, 0, ROOT, cn, DEPTH, 512, 1),
             seL4_RangeError);
    CONF_EQ(seL4_GetMR(0), 0);
    CONF_EQ(seL4_GetMR(1), 511);
    /* An occupied slot in the window. */
    CONF_ERR(sys_untyped_retype(ut, seL4_EndpointObject, 0, ROOT, cn, DEPTH, 0, 1),
             seL4_DeleteFirst);
}

static void case_retype_dest_not_cnode(struct conf_env *env)
{
    seL4_CPtr ut = conf_untyped(env, 16);
    CONF_ERR(
        sys_untyped_retype(ut, seL4_EndpointObject, 0, ROOT, seL4_CapInitThreadTCB, DEPTH, 0, 1),
        seL4_FailedLookup);
    CONF_EQ(seL4_GetMR(0), 0);
    CONF_EQ(seL4_GetMR(1), seL4_MissingCapability);
    CONF_EQ(seL4_GetMR(2), DEPTH);
}

/* Objects go at the free index aligned up to their size; what does not fit is NotEnoughMemory
 * with the bytes still free. */
static void case_retype_placement(struct conf_env *env)
{
    seL4_CPtr ut = conf_untyped(env, 13);
    seL4_CPtr p1 = conf_slot(env), ep = conf_slot(env), p2 = conf_slot(env), p3 = conf_slot(env);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_untyped_retype(ut, seL4_ARM_SmallPageObject, 0, ROOT, 0, 0, p1, 1));
    seL4_Word base = sys_arm_page_get_address(p1).paddr;
    CONF_EQ(base & 0x1fff, 0);
    CONF_OK(sys_cnode_revoke(ROOT, ut, DEPTH));
    CONF_OK(sys_untyped_retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, ep, 1));
    CONF_OK(sys_untyped_retype(ut, seL4_ARM_SmallPageObject, 0, ROOT, 0, 0, p2, 1));
    CONF_EQ(sys_arm_page_get_address(p2).paddr, base + 4096);
    CONF_ERR(sys_untyped_retype(ut, seL4_ARM_SmallPageObject, 0, ROOT, 0, 0, p3, 1),
             seL4_NotEnoughMemory);
    CONF_EQ(seL4_GetMR(0), 0);
}

static void case_retype_not_enough_memory(struct conf_env *env)
{
    seL4_CPtr ut = conf_untyped(env, 12), s = conf_slot(env);
    CONF_ERR(sys_untyped_retype(ut, seL4_ARM_SmallPageObject, 0, ROOT, 0, 0, s, 2),
             seL4_NotEnoughMemory);
    CONF_EQ(seL4_GetMR(0), 4096);
    CONF_ERR(sys_untyped_retype(ut, seL4_ARM_LargePageObject, 0, ROOT, 0, 0, s, 1),
             seL4_NotEnoughMemory);
    CONF_EQ(seL4_GetMR(0), 4096);
}

static void case_retype_not_untyped(struct conf_env *env)
{
    seL4_CPtr s = conf_slot(env);
    CONF_ERR(sys_untyped_retype(seL4_CapInitThreadTCB, seL4_EndpointObject, 0, ROOT, 0, 0, s, 1),
             seL4_IllegalOperation);
}

static const struct conf_case cases[] = {
    CONF_CASE(retype_untyped),
    CONF_CASE(retype_tcb),
    CONF_CASE(retype_endpoint),
    CONF_CASE(retype_notification),
    CONF_CASE(retype_cnode),
    CONF_CASE(retype_vspace),
    CONF_CASE(retype_small_page),
    CONF_CASE(retype_large_page),
    CONF_CASE(retype_page_table),
    CONF_CASE(retype_huge_page_device),
    CONF_CASE(retype_invalid_type),
    CONF_CASE(retype_bad_sizes),
    CONF_CASE(retype_num_objects),
    CONF_CASE(retype_fan_out),
    CONF_CASE(retype_dest_not_cnode),
    CONF_CASE(retype_placement),
    CONF_CASE(retype_not_enough_memory),
    CONF_CASE(retype_not_untyped),
};
const struct conf_area conf_area_untyped = CONF_AREA("untyped", cases);
