/* SPDX-License-Identifier: BSD-2-Clause */
/* The ABI tables against the numbers of docs/abi.md: packed words, labels, argument positions;
 * and the layout constants bfgen generates for every packed word, against its accessors. */
#include "ktest.h"

#include <kaal/structures.h>

START_TEST(test_message_info_bits)
{
    /* docs/abi.md#message-info: label=1 -> 0x1000; capsUnwrapped=1 -> 0x200; extraCaps=1 -> 0x80;
     * length=1 -> 0x1. */
    ck_assert_uint_eq(seL4_MessageInfo_new(1, 0, 0, 0).words[0], 0x1000);
    ck_assert_uint_eq(seL4_MessageInfo_new(0, 1, 0, 0).words[0], 0x200);
    ck_assert_uint_eq(seL4_MessageInfo_new(0, 0, 1, 0).words[0], 0x80);
    ck_assert_uint_eq(seL4_MessageInfo_new(0, 0, 0, 1).words[0], 0x1);
    seL4_MessageInfo_t m = {{0xfffffffffffffffful}};
    ck_assert_uint_eq(seL4_MessageInfo_get_label(m), (1ull << 52) - 1);
    ck_assert_uint_eq(seL4_MessageInfo_get_length(m), 127);
    ck_assert_uint_eq(seL4_MessageInfo_get_extraCaps(m), 3);
    ck_assert_uint_eq(seL4_MessageInfo_get_capsUnwrapped(m), 7);
}
END_TEST

/* One field of a packed word of type T, starting from init: all ones through the checked setter
 * change exactly the bits P_F_MASK names in word P_F_WORD; the checked getter, the raw getter and
 * KAAL_BF_GET read them back; KAAL_BF_PREP places them; the raw setter clears exactly them. */
#define CHECK_FIELD(T, init, P, F)                                              \
    do {                                                                        \
        const T before = init;                                                  \
        T x = before;                                                           \
        uint64_t ones = MASK(P##_##F##_WIDTH);                                  \
        ck_assert_uint_eq(P##_##F##_MASK, ones << P##_##F##_SHIFT);             \
        P##_ptr_set_##F(&x, ones);                                              \
        for (unsigned w = 0; w < sizeof(x.words) / sizeof(x.words[0]); w++) {   \
            ck_assert_msg((x.words[w] ^ before.words[w]) ==                     \
                              (w == P##_##F##_WORD ? P##_##F##_MASK : 0),       \
                          #P "." #F ": word %u", w);                            \
        }                                                                       \
        ck_assert_uint_eq(P##_get_##F(x), ones);                                \
        ck_assert_uint_eq(P##_get_##F##_np(x), ones);                           \
        ck_assert_uint_eq(KAAL_BF_GET(x.words[P##_##F##_WORD], P##_##F), ones); \
        ck_assert_uint_eq(KAAL_BF_PREP(P##_##F, ones), P##_##F##_MASK);         \
        ck_assert_uint_eq(KAAL_BF_PREP_NP(P##_##F, ones), P##_##F##_MASK);      \
        P##_ptr_set_##F##_np(&x, 0);                                            \
        ck_assert_mem_eq(&x, &before, sizeof(x));                               \
        count++;                                                                \
    } while (0);

#define ZERO(T) ((T){{0}})
#define MDB_FIELD(P, F) CHECK_FIELD(mdb_node_t, ZERO(mdb_node_t), P, F)
#define EP_FIELD(P, F) CHECK_FIELD(endpoint_t, ZERO(endpoint_t), P, F)
#define NTFN_FIELD(P, F) CHECK_FIELD(notification_t, ZERO(notification_t), P, F)
#define TS_FIELD(P, F) CHECK_FIELD(thread_state_t, ZERO(thread_state_t), P, F)
#define MI_FIELD(P, F) CHECK_FIELD(seL4_MessageInfo_t, ZERO(seL4_MessageInfo_t), P, F)
#define RIGHTS_FIELD(P, F) CHECK_FIELD(seL4_CapRights_t, ZERO(seL4_CapRights_t), P, F)
#define CAPDATA_FIELD(P, F) CHECK_FIELD(seL4_CNode_CapData_t, ZERO(seL4_CNode_CapData_t), P, F)
/* A cap variant's fields start from a cap of that variant with every field 0 (the tag set). */
#define CAP_FIELD(P, F)                                                                           \
    CHECK_FIELD(cap_t, ((cap_t){.words = {[cap_cap_type_WORD] = KAAL_BF_PREP(cap_cap_type, P)}}), \
                P, F)
#define CAP_VARIANT_FIELDS(P) P##_FIELDS(CAP_FIELD)

START_TEST(test_generated_layout_constants)
{
    unsigned count = 0;
    mdb_node_FIELDS(MDB_FIELD);
    endpoint_FIELDS(EP_FIELD);
    notification_FIELDS(NTFN_FIELD);
    thread_state_FIELDS(TS_FIELD);
    cap_VARIANTS(CAP_VARIANT_FIELDS);
    seL4_MessageInfo_FIELDS(MI_FIELD);
    seL4_CapRights_FIELDS(RIGHTS_FIELD);
    seL4_CNode_CapData_FIELDS(CAPDATA_FIELD);
    ck_assert_uint_gt(count, 50); /* the lists are not empty: 71 fields today */
    /* The tag field: the top of word 0, wide enough for every ABI tag. */
    ck_assert_uint_eq(cap_cap_type_MASK, MASK(cap_cap_type_WIDTH) << cap_cap_type_SHIFT);
    ck_assert_uint_eq(cap_get_cap_type((cap_t){.words = {[cap_cap_type_WORD] = cap_cap_type_MASK}}),
                      MASK(cap_cap_type_WIDTH));
}
END_TEST

START_TEST(test_cap_rights_and_capdata)
{
    ck_assert_uint_eq(seL4_CapRights_new(0, 0, 0, 1).words[0], seL4_CanWrite);
    ck_assert_uint_eq(seL4_CapRights_new(0, 0, 1, 0).words[0], seL4_CanRead);
    ck_assert_uint_eq(seL4_CapRights_new(0, 1, 0, 0).words[0], seL4_CanGrant);
    ck_assert_uint_eq(seL4_CapRights_new(1, 0, 0, 0).words[0], seL4_CanGrantReply);
    ck_assert_uint_eq(seL4_CapRights_new(1, 1, 1, 1).words[0], seL4_AllRights);
    ck_assert_uint_eq(seL4_NoWrite, 0xe);
    ck_assert_uint_eq(seL4_NoRead, 0xd);
    ck_assert_uint_eq(seL4_CNode_CapData_new(0, 1).words[0], 0x1);
    ck_assert_uint_eq(seL4_CNode_CapData_new(1, 0).words[0], 0x40);
}
END_TEST

START_TEST(test_syscall_and_error_numbers)
{
#ifdef CONFIG_KERNEL_MCS /* seL4-MCS's numbers (docs/abi.md#system-calls) */
    ck_assert_int_eq(seL4_SysCall, -1);
    ck_assert_int_eq(seL4_SysReplyRecv, -2);
    ck_assert_int_eq(seL4_SysNBSendRecv, -3);
    ck_assert_int_eq(seL4_SysNBSendWait, -4);
    ck_assert_int_eq(seL4_SysSend, -5);
    ck_assert_int_eq(seL4_SysNBSend, -6);
    ck_assert_int_eq(seL4_SysRecv, -7);
    ck_assert_int_eq(seL4_SysNBRecv, -8);
    ck_assert_int_eq(seL4_SysWait, -9);
    ck_assert_int_eq(seL4_SysNBWait, -10);
    ck_assert_int_eq(seL4_SysYield, -11);
    ck_assert_int_eq(seL4_SysDebugPutChar, -12);
    ck_assert_int_eq(seL4_SysDebugNameThread, -17);
    ck_assert_int_eq(seL4_NotEnoughMemory, 10);
    ck_assert_int_eq(seL4_NumErrors, 11);
    ck_assert_int_eq(seL4_SchedContextObject, 5);
    ck_assert_int_eq(seL4_ReplyObject, 6);
    ck_assert_int_eq(seL4_ARM_PageTableObject, 11);
    ck_assert_int_eq(seL4_ObjectTypeCount, 12);
#else
    ck_assert_int_eq(seL4_SysCall, -1);
    ck_assert_int_eq(seL4_SysReplyRecv, -2);
    ck_assert_int_eq(seL4_SysSend, -3);
    ck_assert_int_eq(seL4_SysNBSend, -4);
    ck_assert_int_eq(seL4_SysRecv, -5);
    ck_assert_int_eq(seL4_SysReply, -6);
    ck_assert_int_eq(seL4_SysYield, -7);
    ck_assert_int_eq(seL4_SysNBRecv, -8);
    ck_assert_int_eq(seL4_SysDebugPutChar, -9);
    ck_assert_int_eq(seL4_SysDebugNameThread, -14);
    ck_assert_int_eq(seL4_NotEnoughMemory, 10);
    ck_assert_int_eq(seL4_NumErrors, 11);
    ck_assert_int_eq(seL4_ARM_PageTableObject, 9);
    ck_assert_int_eq(seL4_ObjectTypeCount, 10);
#endif
}
END_TEST

START_TEST(test_invocation_labels)
{
#ifdef CONFIG_KERNEL_MCS /* seL4-MCS's labels */
    ck_assert_int_eq(UntypedRetype, 1);
    ck_assert_int_eq(TCBSetTimeoutEndpoint, 9);
    ck_assert_int_eq(TCBSetFlags, 17);
    ck_assert_int_eq(CNodeRevoke, 18);
    ck_assert_int_eq(CNodeRotate, 25);
    ck_assert_int_eq(DomainScheduleSetStart, 32);
    ck_assert_int_eq(SchedControlConfigureFlags, 33);
    ck_assert_int_eq(SchedContextYieldTo, 38);
    ck_assert_int_eq(ARMVSpaceClean_Data, 39);
    ck_assert_int_eq(ARMPageTableMap, 44);
    ck_assert_int_eq(ARMPageGetAddress, 52);
    ck_assert_int_eq(ARMASIDPoolAssign, 54);
    ck_assert_int_eq(ARMIRQIssueSGISignal, 56);
    ck_assert_int_eq(nArchInvocationLabels, 57);
#else
    ck_assert_int_eq(UntypedRetype, 1);
    ck_assert_int_eq(TCBSetFlags, 16);
    ck_assert_int_eq(CNodeRevoke, 17);
    ck_assert_int_eq(CNodeSaveCaller, 25);
    ck_assert_int_eq(DomainScheduleSetStart, 32);
    ck_assert_int_eq(ARMVSpaceClean_Data, 33);
    ck_assert_int_eq(ARMSMCCall, 37);
    ck_assert_int_eq(ARMPageTableMap, 38);
    ck_assert_int_eq(ARMPageGetAddress, 46);
    ck_assert_int_eq(ARMASIDPoolAssign, 48);
    ck_assert_int_eq(ARMIRQIssueSGISignal, 50);
    ck_assert_int_eq(nArchInvocationLabels, 51);
#endif
}
END_TEST

START_TEST(test_argument_packing)
{
    /* Bool at bit 0, Uint8 at bits 8..15 share MR0; the count follows in MR1
     * (docs/abi.md#invocations). */
    ck_assert_int_eq(KAAL_ARG_TCBReadRegisters_suspend_source_WORD, 0);
    ck_assert_int_eq(KAAL_ARG_TCBReadRegisters_arch_flags_BIT, 8);
    ck_assert_int_eq(KAAL_ARG_TCBReadRegisters_count_WORD, 1);
    ck_assert_int_eq(KAAL_ARG_TCBCopyRegisters_transfer_integer_BIT, 3);
    ck_assert_int_eq(KAAL_INV_TCBCopyRegisters_LEN, 1);
    ck_assert_int_eq(KAAL_INV_TCBWriteRegisters_LEN, 38);
    ck_assert_int_eq(KAAL_ARG_CNodeRotate_src_depth_WORD, 7);
    ck_assert_int_eq(KAAL_INV_CNodeRotate_LEN, 8);
    ck_assert_int_eq(KAAL_INV_CNodeRotate_NCAPS, 2);
    ck_assert_int_eq(KAAL_INV_UntypedRetype_LEN, 6);
    ck_assert_int_eq(KAAL_ARG_DomainScheduleConfigure_duration_WORD, 2);
    ck_assert_int_eq(KAAL_INV_ARMSMCCall_LEN, 8);
    ck_assert_int_eq(KAAL_INV_ARMASIDControlMakePool_NCAPS, 2);
}
END_TEST

static Suite *abi_suite(void)
{
    Suite *s = suite_create("abi");
    struct {
        const char *name;
        const TTest *test;
    } cases[] = {
        {"message_info", test_message_info_bits},    {"cap_rights", test_cap_rights_and_capdata},
        {"numbers", test_syscall_and_error_numbers}, {"labels", test_invocation_labels},
        {"packing", test_argument_packing},          {"layout", test_generated_layout_constants},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        TCase *tc = tcase_create(cases[i].name);
        tcase_add_test(tc, cases[i].test);
        suite_add_tcase(s, tc);
    }
    return s;
}

int main(void) { return ktest_run(abi_suite()); }
