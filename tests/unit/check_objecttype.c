/* SPDX-License-Identifier: BSD-2-Clause */
/* The per-capability hub (core/object/objecttype.c) and its arch hand-off (arch_objecttype.c),
 * called directly on caps of every type of structures.bf: names, the memory each names, same
 * region/object, revocability, derivation, rights masking and object sizes. */
#include "ktest.h"

#include <string.h>

#include <kaal/kernel.h>
#include <kaal/objecttype.h>

/* A reply cap: MCS names a reply object (ptr, can_grant), the base a thread (tcb, is_master,
 * can_grant). */
#ifdef CONFIG_KERNEL_MCS
#define REPLY_CAP(pa) cap_reply_cap_new(pa, 1)
#else
#define REPLY_CAP(pa) cap_reply_cap_new(pa, 0, 1)
#endif

#define PA 0x40200000ull /* any 2 MiB-aligned address: these caps are never used as objects */

/* One cap of every type, with what the hub must say about it. */
struct cap_case {
    cap_t cap;
    const char *name;
    bool arch;
    paddr_t base; /* cap_object_paddr */
    word_t bits;  /* cap_object_size_bits, 0: names no memory */
};

static size_t every_cap(struct cap_case *c)
{
    size_t n = 0;
    c[n++] = (struct cap_case){cap_null_cap_new(), "null", false, 0, 0};
    c[n++] = (struct cap_case){cap_frame_cap_new(PA, FRAME_LARGE, VM_READ_WRITE, 0, 0, 0), "frame",
                               true, PA, seL4_LargePageBits};
    c[n++] = (struct cap_case){cap_untyped_cap_new(PA, 21, 0, 0), "untyped", false, PA, 21};
    c[n++] = (struct cap_case){cap_page_table_cap_new(PA, 0, 0, 0), "page_table", true, PA,
                               seL4_PageTableBits};
    c[n++] = (struct cap_case){cap_endpoint_cap_new(PA, 1, 1, 1, 1, 0), "endpoint", false, PA,
                               seL4_EndpointBits};
    c[n++] = (struct cap_case){cap_notification_cap_new(PA, 1, 1, 0), "notification", false, PA,
                               seL4_NotificationBits};
#ifdef CONFIG_KERNEL_MCS /* a reply object; and the two MCS caps */
    c[n++] = (struct cap_case){REPLY_CAP(PA), "reply", false, PA, seL4_ReplyBits};
    c[n++] = (struct cap_case){cap_sched_context_cap_new(PA, 8), "sched_context", false, PA, 8};
    c[n++] = (struct cap_case){cap_sched_control_cap_new(0), "sched_control", false, 0, 0};
#else
    c[n++] = (struct cap_case){REPLY_CAP(PA), "reply", false, 0, 0};
#endif
    c[n++] = (struct cap_case){cap_vspace_cap_new(PA, 0, 0), "vspace", true, PA, seL4_VSpaceBits};
    c[n++] =
        (struct cap_case){cap_cnode_cap_new(PA, 6, 0, 0), "cnode", false, PA, 6 + seL4_SlotBits};
    c[n++] = (struct cap_case){cap_asid_control_cap_new(), "asid_control", true, 0, 0};
    c[n++] = (struct cap_case){cap_thread_cap_new(PA), "thread", false, PA, seL4_TCBBits};
    c[n++] =
        (struct cap_case){cap_asid_pool_cap_new(PA, 0), "asid_pool", true, PA, seL4_ASIDPoolBits};
    c[n++] = (struct cap_case){cap_irq_control_cap_new(), "irq_control", false, 0, 0};
    c[n++] = (struct cap_case){cap_irq_handler_cap_new(33), "irq_handler", false, 0, 0};
    c[n++] = (struct cap_case){cap_zombie_cap_new(PA, ZOMBIE_TYPE_TCB, 5), "zombie", false, PA,
                               seL4_TCBBits};
    c[n++] = (struct cap_case){cap_domain_cap_new(), "domain", false, 0, 0};
    c[n++] = (struct cap_case){cap_sgi_signal_cap_new(3, 0), "sgi_signal", true, 0, 0};
    return n;
}

/* ---- cap_type_name, cap_is_arch, cap_object_paddr / cap_object_size_bits ---- */

START_TEST(test_every_cap_type)
{
    struct cap_case c[32];
    size_t n = every_cap(c);
    /* One case per tag of the ABI's table (structures.bf's variants use the same tags). */
#define COUNT_TAG(NAME, name, num) +1
    ck_assert_uint_eq(n, 0 KAAL_CAP_TAG_TABLE(COUNT_TAG));
#undef COUNT_TAG
    for (size_t i = 0; i < n; i++) {
        word_t tag = cap_get_cap_type(c[i].cap);
        ck_assert_str_eq(cap_type_name(tag), c[i].name);
        ck_assert_msg(cap_is_arch(c[i].cap) == c[i].arch, "%s: cap_is_arch", c[i].name);
        ck_assert_msg(cap_object_paddr(c[i].cap) == c[i].base, "%s: paddr", c[i].name);
        ck_assert_msg(cap_object_size_bits(c[i].cap) == c[i].bits, "%s: size bits", c[i].name);
        /* Every cap that names something is its own region, and the same object as itself (an
         * untyped cap never is: each one owns its region). */
        if (tag != cap_null_cap && tag != cap_zombie_cap) {
            ck_assert_msg(cap_same_region_as(c[i].cap, c[i].cap), "%s: same region as itself",
                          c[i].name);
            ck_assert_msg(cap_same_object_as(c[i].cap, c[i].cap) == (tag != cap_untyped_cap),
                          "%s: same object", c[i].name);
        }
    }
    /* Tags no cap type uses, on either side of the arch hand-off. */
    ck_assert_str_eq(cap_type_name(5), "?");
#ifndef CONFIG_KERNEL_MCS /* 22 is the scheduling context's under MCS */
    ck_assert_str_eq(cap_type_name(22), "?");
#endif
}
END_TEST

/* ---- cap_same_region_as, cap_same_object_as ---- */

START_TEST(test_untyped_covers_what_lies_inside)
{
    cap_t ut = cap_untyped_cap_new(PA, 21, 0, 0); /* [PA, PA + 2 MiB) */
    cap_t inside = cap_frame_cap_new(PA + 0x1000, FRAME_SMALL, VM_READ_WRITE, 0, 0, 0);
    cap_t beyond = cap_frame_cap_new(PA + 0x200000, FRAME_SMALL, VM_READ_WRITE, 0, 0, 0);
    cap_t too_big = cap_frame_cap_new(PA, FRAME_HUGE, VM_READ_WRITE, 0, 0, 0);
    ck_assert(cap_same_region_as(ut, inside)); /* an arch cap's region, through the hand-off */
    ck_assert(!cap_same_region_as(ut, beyond));
    ck_assert(!cap_same_region_as(ut, too_big));
    ck_assert(cap_same_region_as(ut, cap_endpoint_cap_new(PA + 0x10, 1, 1, 1, 1, 0)));
    ck_assert(!cap_same_region_as(ut, cap_irq_handler_cap_new(33))); /* names no memory */
    ck_assert(!cap_same_region_as(ut, cap_asid_control_cap_new()));
    ck_assert(!cap_same_region_as(inside, ut)); /* only an untyped covers others */
}
END_TEST

START_TEST(test_frames_same_region_not_same_object)
{
    cap_t large = cap_frame_cap_new(PA, FRAME_LARGE, VM_READ_WRITE, 0, 0, 0);
    cap_t small = cap_frame_cap_new(PA, FRAME_SMALL, VM_READ_ONLY, 0, 7, 0x1000);
    cap_t device = cap_frame_cap_new(PA, FRAME_LARGE, VM_READ_WRITE, 1, 0, 0);
    ck_assert(cap_same_region_as(large, small));
    ck_assert(!cap_same_object_as(large, small));  /* other size */
    ck_assert(!cap_same_object_as(large, device)); /* other kind */
    ck_assert(cap_same_object_as(large,
                                 cap_frame_cap_new(PA, FRAME_LARGE, VM_READ_ONLY, 0, 3, 0x200000)));
    /* An arch cap and a generic one never match, in either order. */
    ck_assert(!cap_same_object_as(large, cap_untyped_cap_new(PA, 21, 0, 0)));
    ck_assert(
        !cap_same_object_as(cap_endpoint_cap_new(PA, 1, 1, 1, 1, 0), cap_vspace_cap_new(PA, 0, 0)));
    /* IRQ control is the region of every handler cap but not the same object. */
    ck_assert(cap_same_region_as(cap_irq_control_cap_new(), cap_irq_handler_cap_new(33)));
    ck_assert(!cap_same_object_as(cap_irq_control_cap_new(), cap_irq_handler_cap_new(33)));
    ck_assert(cap_same_object_as(cap_sgi_signal_cap_new(3, 1), cap_sgi_signal_cap_new(3, 1)));
    ck_assert(!cap_same_object_as(cap_sgi_signal_cap_new(3, 1), cap_sgi_signal_cap_new(3, 2)));
}
END_TEST

/* ---- cap_is_revocable ---- */

START_TEST(test_revocable)
{
    cap_t ep = cap_endpoint_cap_new(PA, 1, 1, 1, 1, 0);
    ck_assert(
        cap_is_revocable(cap_endpoint_cap_set_badge(ep, 9), ep)); /* a new badge starts a family */
    ck_assert(!cap_is_revocable(ep, ep));
    ck_assert(
        cap_is_revocable(cap_untyped_cap_new(PA, 21, 0, 0), cap_untyped_cap_new(PA, 21, 0, 0)));
    ck_assert(cap_is_revocable(cap_irq_handler_cap_new(33), cap_irq_control_cap_new()));
    ck_assert(!cap_is_revocable(cap_irq_handler_cap_new(33), cap_irq_handler_cap_new(33)));
    ck_assert(cap_is_revocable(cap_sgi_signal_cap_new(3, 0), cap_irq_control_cap_new())); /* arch */
    ck_assert(!cap_is_revocable(cap_sgi_signal_cap_new(3, 0), cap_sgi_signal_cap_new(3, 0)));
    cap_t frame = cap_frame_cap_new(PA, FRAME_SMALL, VM_READ_WRITE, 0, 0, 0);
    ck_assert(!cap_is_revocable(frame, frame));
}
END_TEST

/* ---- cap_derive, cap_mask_rights ---- */

START_TEST(test_derive)
{
    struct syscall_error err = {0};
    cap_t out;
    /* A frame copy starts unmapped. */
    cap_t mapped = cap_frame_cap_new(PA, FRAME_SMALL, VM_READ_WRITE, 0, 5, 0x400000);
    ck_assert_int_eq(cap_derive(NULL, mapped, &out, &err), EXCEPTION_NONE);
    ck_assert_uint_eq(cap_get_cap_type(out), cap_frame_cap);
    ck_assert_uint_eq(cap_frame_cap_get_mapped_asid(out), 0);
    ck_assert_uint_eq(cap_frame_cap_get_mapped_vaddr(out), 0);
    ck_assert_uint_eq(cap_frame_cap_get_base(out), PA);
    /* Unmapped tables and VSpaces are refused (IllegalOperation) and the result is the null cap. */
    out = mapped;
    ck_assert_int_eq(cap_derive(NULL, cap_page_table_cap_new(PA, 0, 0, 0), &out, &err),
                     EXCEPTION_SYSCALL_ERROR);
    ck_assert_uint_eq(err.type, seL4_IllegalOperation);
    ck_assert_uint_eq(cap_get_cap_type(out), cap_null_cap);
    out = mapped;
    ck_assert_int_eq(cap_derive(NULL, cap_vspace_cap_new(PA, 0, 0), &out, &err),
                     EXCEPTION_SYSCALL_ERROR);
    ck_assert_uint_eq(cap_get_cap_type(out), cap_null_cap);
    cap_t pt = cap_page_table_cap_new(PA, 1, 5, 0x200000);
    ck_assert_int_eq(cap_derive(NULL, pt, &out, &err), EXCEPTION_NONE);
    ck_assert(memcmp(&out, &pt, sizeof(pt)) == 0);
    /* Reply (base: a reply cap names a thread), IRQ control and zombie caps are not copied: the
     * null cap, no error. An MCS reply cap names a reply object and is copied as it is. */
    cap_t reply = REPLY_CAP(PA);
    ck_assert_int_eq(cap_derive(NULL, reply, &out, &err), EXCEPTION_NONE);
#ifdef CONFIG_KERNEL_MCS
    ck_assert(memcmp(&out, &reply, sizeof(reply)) == 0);
#else
    ck_assert_uint_eq(cap_get_cap_type(out), cap_null_cap);
#endif
    ck_assert_int_eq(cap_derive(NULL, cap_irq_control_cap_new(), &out, &err), EXCEPTION_NONE);
    ck_assert_uint_eq(cap_get_cap_type(out), cap_null_cap);
    /* Everything else is copied as it is. */
    cap_t ep = cap_endpoint_cap_new(PA, 1, 0, 1, 0, 42);
    ck_assert_int_eq(cap_derive(NULL, ep, &out, &err), EXCEPTION_NONE);
    ck_assert(memcmp(&out, &ep, sizeof(ep)) == 0);
    ck_assert_int_eq(cap_derive(NULL, cap_asid_control_cap_new(), &out, &err), EXCEPTION_NONE);
    ck_assert_uint_eq(cap_get_cap_type(out), cap_asid_control_cap);
}
END_TEST

START_TEST(test_mask_rights)
{
    cap_t rw = cap_frame_cap_new(PA, FRAME_SMALL, VM_READ_WRITE, 0, 0, 0);
    ck_assert_uint_eq(cap_frame_cap_get_vm_rights(cap_mask_rights(seL4_AllRights, rw)),
                      VM_READ_WRITE);
    ck_assert_uint_eq(cap_frame_cap_get_vm_rights(cap_mask_rights(seL4_CanRead, rw)), VM_READ_ONLY);
    ck_assert_uint_eq(cap_frame_cap_get_vm_rights(cap_mask_rights(seL4_CanWrite, rw)),
                      VM_KERNEL_ONLY);
    cap_t ep = cap_mask_rights(seL4_CanRead, cap_endpoint_cap_new(PA, 1, 1, 1, 1, 0));
    ck_assert_uint_eq(cap_endpoint_cap_get_can_send(ep), 0);
    ck_assert_uint_eq(cap_endpoint_cap_get_can_receive(ep), 1);
    ck_assert_uint_eq(cap_endpoint_cap_get_can_grant(ep), 0);
    cap_t vs = cap_vspace_cap_new(PA, 1, 4);
    cap_t masked = cap_mask_rights(0, vs); /* carries no rights: unchanged */
    ck_assert(memcmp(&masked, &vs, sizeof(vs)) == 0);
}
END_TEST

/* ---- object_size_bits ---- */

START_TEST(test_object_sizes_follow_the_abi_table)
{
    /* The ABI's object-type table is the reference; -1: the size is the retype argument's. */
#define CHECK_SIZE(name, num, bits)                                                               \
    ck_assert_msg(object_size_bits(num, 8) == ((long long)(bits) >= 0         ? (word_t)(bits)    \
                                               : (num) == seL4_CapTableObject ? 8 + seL4_SlotBits \
                                                                              : 8),               \
                  #name);
    KAAL_OBJECT_TYPE_TABLE(CHECK_SIZE)
#undef CHECK_SIZE
}
END_TEST

static TCase *fixture_tcase(const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, ktest_setup, ktest_teardown);
    return tc;
}

static Suite *objecttype_suite(void)
{
    Suite *s = suite_create("objecttype");
    TCase *tc = fixture_tcase("cap_type_name");
    tcase_add_test(tc, test_every_cap_type);
    suite_add_tcase(s, tc);

    tc = fixture_tcase("cap_same_object_as");
    tcase_add_test(tc, test_untyped_covers_what_lies_inside);
    tcase_add_test(tc, test_frames_same_region_not_same_object);
    suite_add_tcase(s, tc);

    tc = fixture_tcase("cap_is_revocable");
    tcase_add_test(tc, test_revocable);
    suite_add_tcase(s, tc);

    tc = fixture_tcase("cap_derive");
    tcase_add_test(tc, test_derive);
    suite_add_tcase(s, tc);

    tc = fixture_tcase("cap_mask_rights");
    tcase_add_test(tc, test_mask_rights);
    suite_add_tcase(s, tc);

    tc = fixture_tcase("object_size_bits");
    tcase_add_test(tc, test_object_sizes_follow_the_abi_table);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return ktest_run(objecttype_suite()); }
