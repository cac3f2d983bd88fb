/* SPDX-License-Identifier: BSD-2-Clause */
/* Untyped_Retype and object creation through the root thread's system calls: every object type,
 * placement and the free-index watermark, every error with its words, device untypeds, reset. */
#include "ktest.h"

#include <string.h>

#define ROOT seL4_CapInitThreadCNode

/* ktest_assert_ok/_error evaluate their argument more than once: make each call exactly once. */

static uint64_t root_radix(void) { return hostsim_bootinfo()->initThreadCNodeSizeBits; }

/* Retype num objects of type from ut into the root CNode at slot. */
static struct ktest_reply retype_root(uint64_t ut, uint64_t type, uint64_t bits, uint64_t slot,
                                      uint64_t num)
{
    return ktest_retype(ut, type, bits, ROOT, 0, 0, slot, num);
}

/* A device untyped of at least min_bits and at most max_bits (the smallest), or 0 if none. */
static uint64_t device_untyped(unsigned min_bits, unsigned max_bits)
{
    seL4_BootInfo *bi = hostsim_bootinfo();
    uint64_t best = 0;
    unsigned best_bits = 64;
    for (uint64_t s = bi->untyped.start; s < bi->untyped.end; s++) {
        const seL4_UntypedDesc *d = &bi->untypedList[s - bi->untyped.start];
        if (d->isDevice && d->sizeBits >= min_bits && d->sizeBits <= max_bits &&
            d->sizeBits < best_bits) {
            best = s;
            best_bits = d->sizeBits;
        }
    }
    return best;
}

/* Retype a fresh child untyped of `bits` into slot from the smallest boot untyped that holds it.
 * The boot untyped has no children, so the child sits at its base: *paddr gets that address. */
static uint64_t child_untyped(unsigned bits, uint64_t slot, uint64_t *paddr)
{
    uint64_t parent = ktest_untyped(bits);
    struct ktest_reply r = retype_root(parent, seL4_UntypedObject, bits, slot, 1);
    OK(r);
    ck_assert_uint_eq(ktest_cap_type(slot), KAAL_CAP_TAG_UNTYPED);
    if (paddr != NULL) {
        *paddr = ktest_untyped_desc(parent)->paddr;
    }
    return slot;
}

static void assert_not_enough_memory(struct ktest_reply r, uint64_t bytes_left)
{
    ERR(r, seL4_NotEnoughMemory, 1);
    ck_assert_uint_eq(r.mr[0], bytes_left);
}

static void assert_range(struct ktest_reply r, uint64_t min, uint64_t max)
{
    ERR(r, seL4_RangeError, 2);
    ck_assert_uint_eq(r.mr[0], min);
    ck_assert_uint_eq(r.mr[1], max);
}

static void assert_invalid_argument(struct ktest_reply r, uint64_t arg)
{
    ERR(r, seL4_InvalidArgument, 1);
    ck_assert_uint_eq(r.mr[0], arg);
}

/* ---- object_create: every type gives its cap ---------------------------------------------- */

START_TEST(test_create_every_type)
{
    static const struct {
        uint64_t type, bits, tag;
    } types[] = {
        {seL4_UntypedObject, 12, KAAL_CAP_TAG_UNTYPED},
        {seL4_TCBObject, 0, KAAL_CAP_TAG_THREAD},
        {seL4_EndpointObject, 0, KAAL_CAP_TAG_ENDPOINT},
        {seL4_NotificationObject, 0, KAAL_CAP_TAG_NOTIFICATION},
        {seL4_CapTableObject, 4, KAAL_CAP_TAG_CNODE},
        {seL4_ARM_VSpaceObject, 0, KAAL_CAP_TAG_VSPACE},
        {seL4_ARM_SmallPageObject, 0, KAAL_CAP_TAG_FRAME},
        {seL4_ARM_LargePageObject, 0, KAAL_CAP_TAG_FRAME},
        {seL4_ARM_PageTableObject, 0, KAAL_CAP_TAG_PAGE_TABLE},
    };
    uint64_t ut = ktest_untyped(23);
    uint64_t slot = ktest_first_empty();
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++, slot++) {
        ck_assert_uint_eq(ktest_cap_type(slot), KAAL_CAP_TAG_NULL);
        struct ktest_reply r = retype_root(ut, types[i].type, types[i].bits, slot, 1);
        OK(r);
        ck_assert_uint_eq(r.length, 0);
        ck_assert_uint_eq(ktest_cap_type(slot), types[i].tag);
    }
}
END_TEST

START_TEST(test_create_huge_page_from_device)
{
    /* No RAM untyped of 1 GiB on the small machine; device memory has plenty. */
    uint64_t dev = device_untyped(30, 63);
    ck_assert_msg(dev != 0, "no device untyped of 1 GiB");
    uint64_t slot = ktest_first_empty();
    OK(retype_root(dev, seL4_ARM_HugePageObject, 0, slot, 1));
    ck_assert_uint_eq(ktest_cap_type(slot), KAAL_CAP_TAG_FRAME);
}
END_TEST

START_TEST(test_create_many_fills_window)
{
    uint64_t ut = ktest_untyped(16);
    uint64_t slot = ktest_first_empty();
    OK(retype_root(ut, seL4_EndpointObject, 0, slot, 256));
    for (uint64_t i = 0; i < 256; i++) {
        ck_assert_uint_eq(ktest_cap_type(slot + i), KAAL_CAP_TAG_ENDPOINT);
    }
    ck_assert_uint_eq(ktest_cap_type(slot + 256), KAAL_CAP_TAG_NULL);
}
END_TEST

/* ---- object_size_bits: how many objects of each type fit in 4 KiB -------------------------- */

START_TEST(test_size_bits_per_type)
{
    static const struct {
        uint64_t type, bits, fit;
    } types[] = {
        {seL4_UntypedObject, 4, 256},
        {seL4_UntypedObject, 10, 4},
        {seL4_TCBObject, 0, 2},
        {seL4_EndpointObject, 0, 256},
        {seL4_NotificationObject, 0, 4096 >> seL4_NotificationBits}, /* 128; MCS: 64 */
        {seL4_CapTableObject, 1, 64},
        {seL4_CapTableObject, 7, 1},
        {seL4_ARM_VSpaceObject, 0, 1},
        {seL4_ARM_SmallPageObject, 0, 1},
        {seL4_ARM_PageTableObject, 0, 1},
    };
    const size_t ntypes = sizeof(types) / sizeof(types[0]);
    uint64_t uts = ktest_first_empty();
    uint64_t slot = uts + ntypes;
    /* A fresh 4 KiB untyped for each type, so the count is exact. */
    OK(retype_root(ktest_untyped(16), seL4_UntypedObject, 12, uts, ntypes));
    for (size_t i = 0; i < ntypes; i++) {
        uint64_t ut = uts + i;
        if (types[i].fit < 256) {
            assert_not_enough_memory(
                retype_root(ut, types[i].type, types[i].bits, slot, types[i].fit + 1), 4096);
        }
        OK(retype_root(ut, types[i].type, types[i].bits, slot, types[i].fit));
        slot += types[i].fit;
        assert_not_enough_memory(retype_root(ut, types[i].type, types[i].bits, slot, 1), 0);
    }
}
END_TEST

START_TEST(test_size_bits_large_objects)
{
    /* A large page needs 2 MiB, a 1 GiB page 1 GiB: a 1 MiB untyped has room for neither. */
    uint64_t slot = ktest_first_empty();
    uint64_t ut = child_untyped(20, slot++, NULL);
    assert_not_enough_memory(retype_root(ut, seL4_ARM_LargePageObject, 0, slot, 1), 1 << 20);
    assert_not_enough_memory(retype_root(ut, seL4_ARM_HugePageObject, 0, slot, 1), 1 << 20);
    OK(retype_root(ut, seL4_ARM_SmallPageObject, 0, slot, 256));
    assert_not_enough_memory(retype_root(ut, seL4_ARM_SmallPageObject, 0, slot + 256, 1), 0);
}
END_TEST

/* ---- perform_untyped_retype: placement, alignment, the free-index watermark ---------------- */

START_TEST(test_alignment)
{
    uint64_t slot = ktest_first_empty();
    uint64_t ut = child_untyped(12, slot++, NULL);
    /* EP at 0..16; the notification (32 bytes; MCS: 64) is aligned up to its size, so it ends at
     * twice its size (64, not 48; MCS: 128). */
    OK(retype_root(ut, seL4_EndpointObject, 0, slot++, 1));
    OK(retype_root(ut, seL4_NotificationObject, 0, slot++, 1));
    assert_not_enough_memory(retype_root(ut, seL4_EndpointObject, 0, slot, 256),
                             4096 - (2u << seL4_NotificationBits));
    /* A TCB is aligned up to 2048: it takes 2048..4096 and nothing is left. */
    OK(retype_root(ut, seL4_TCBObject, 0, slot++, 1));
    assert_not_enough_memory(retype_root(ut, seL4_EndpointObject, 0, slot, 1), 0);
}
END_TEST

START_TEST(test_alignment_untyped_child)
{
    /* Objects are placed from the untyped's own base: a 16-byte EP first, then a 1 KiB untyped
     * goes to 1024, leaving 2048 bytes; a second 1 KiB untyped goes to 2048. */
    uint64_t slot = ktest_first_empty();
    uint64_t ut = child_untyped(12, slot++, NULL);
    OK(retype_root(ut, seL4_EndpointObject, 0, slot++, 1));
    OK(retype_root(ut, seL4_UntypedObject, 10, slot++, 1));
    assert_not_enough_memory(retype_root(ut, seL4_UntypedObject, 10, slot, 3), 2048);
    OK(retype_root(ut, seL4_UntypedObject, 10, slot, 2));
    slot += 2;
    assert_not_enough_memory(retype_root(ut, seL4_UntypedObject, 4, slot, 1), 0);
}
END_TEST

START_TEST(test_watermark)
{
    uint64_t slot = ktest_first_empty();
    uint64_t ut = child_untyped(14, slot++, NULL); /* 16 KiB */
    /* 1 KiB CNodes (radix 5), 3 at a time: 16, 13, 10, 7, 4 KiB free before each. */
    for (uint64_t left = 16384; left >= 3 * 1024; left -= 3 * 1024) {
        assert_not_enough_memory(retype_root(ut, seL4_CapTableObject, 5, slot, 256), left);
        OK(retype_root(ut, seL4_CapTableObject, 5, slot, 3));
        for (uint64_t i = 0; i < 3; i++) {
            ck_assert_uint_eq(ktest_cap_type(slot + i), KAAL_CAP_TAG_CNODE);
        }
        slot += 3;
    }
    assert_not_enough_memory(retype_root(ut, seL4_CapTableObject, 5, slot, 3), 1024);
    assert_not_enough_memory(retype_root(ut, seL4_CapTableObject, 6, slot, 1), 1024);
    OK(retype_root(ut, seL4_CapTableObject, 5, slot++, 1));
    assert_not_enough_memory(retype_root(ut, seL4_UntypedObject, 4, slot, 1), 0);
}
END_TEST

START_TEST(test_fan_out_limit)
{
    uint64_t ut = ktest_untyped(16);
    uint64_t slot = ktest_first_empty();
    assert_range(retype_root(ut, seL4_EndpointObject, 0, slot, 257), 1, 256);
    assert_range(retype_root(ut, seL4_EndpointObject, 0, slot, 0), 1, 256);
    assert_range(retype_root(ut, seL4_EndpointObject, 0, slot, UINT64_MAX), 1, 256);
    ck_assert_uint_eq(ktest_cap_type(slot), KAAL_CAP_TAG_NULL);
    OK(retype_root(ut, seL4_EndpointObject, 0, slot, 256));
}
END_TEST

/* ---- decode_untyped_invocation: every error, its words, and their order -------------------- */

START_TEST(test_error_label_and_truncation)
{
    uint64_t ut = ktest_untyped(12);
    uint64_t slot = ktest_first_empty();
    uint64_t caps[] = {ROOT};
    uint64_t mrs[] = {seL4_EndpointObject, 0, 0, 0, slot, 1};
    ERR(ktest_call(ut, CNodeCopy, 6, mrs, 1, caps), seL4_IllegalOperation, 0);
    ERR(ktest_call(ut, 0, 6, mrs, 1, caps), seL4_IllegalOperation, 0);
    /* An illegal label wins over a short message. */
    ERR(ktest_call(ut, UntypedRetype + 100, 0, mrs, 0, caps), seL4_IllegalOperation, 0);
    ERR(ktest_call(ut, UntypedRetype, 5, mrs, 1, caps), seL4_TruncatedMessage, 0);
    ERR(ktest_call(ut, UntypedRetype, 6, mrs, 0, caps), seL4_TruncatedMessage, 0);
    /* Truncation wins over a bad type. */
    uint64_t bad[] = {seL4_ObjectTypeCount, 0, 0, 0, slot, 1};
    ERR(ktest_call(ut, UntypedRetype, 5, bad, 1, caps), seL4_TruncatedMessage, 0);
    OK(ktest_call(ut, UntypedRetype, 6, mrs, 1, caps));
    ck_assert_uint_eq(ktest_cap_type(slot), KAAL_CAP_TAG_ENDPOINT);
}
END_TEST

START_TEST(test_error_type_and_size)
{
    uint64_t ut = ktest_untyped(12);
    uint64_t slot = ktest_first_empty();
    assert_invalid_argument(retype_root(ut, seL4_ObjectTypeCount, 0, slot, 1), 0);
    assert_invalid_argument(retype_root(ut, 0xfffe, 0, slot, 1), 0); /* VCPU: not in this config */
    assert_invalid_argument(retype_root(ut, UINT64_MAX, 64, slot, 0), 0); /* type checked first */
    /* size_bits >= 64 is a range error for every type, even those that ignore it. */
    assert_range(retype_root(ut, seL4_TCBObject, 64, slot, 1), 0, 47);
    assert_range(retype_root(ut, seL4_EndpointObject, UINT64_MAX, slot, 1), 0, 47);
    assert_range(retype_root(ut, seL4_UntypedObject, 48, slot, 1), 0, 47);
    assert_range(retype_root(ut, seL4_UntypedObject, 63, slot, 1), 0, 47);
    /* A CapTable's object size is 5 + size_bits. */
    assert_range(retype_root(ut, seL4_CapTableObject, 43, slot, 1), 0, 47);
    assert_range(retype_root(ut, seL4_CapTableObject, 60, slot, 1), 0, 47);
    /* Within the bound: the size is fine, the memory is not. */
    uint64_t ut_bytes = 1ull << ktest_untyped_desc(ut)->sizeBits;
    assert_not_enough_memory(retype_root(ut, seL4_CapTableObject, 42, slot, 1), ut_bytes);
    assert_not_enough_memory(retype_root(ut, seL4_UntypedObject, 47, slot, 1), ut_bytes);
    /* Too small. */
    assert_invalid_argument(retype_root(ut, seL4_CapTableObject, 0, slot, 1), 1);
    assert_invalid_argument(retype_root(ut, seL4_UntypedObject, 3, slot, 1), 1);
    assert_invalid_argument(retype_root(ut, seL4_UntypedObject, 0, slot, 1), 1);
    /* The size checks come before the destination checks. */
    assert_invalid_argument(retype_root(ut, seL4_CapTableObject, 0, slot, 0), 1);
    assert_range(retype_root(ut, seL4_UntypedObject, 48, 1ull << 40, 0), 0, 47);
    ck_assert_uint_eq(ktest_cap_type(slot), KAAL_CAP_TAG_NULL);
}
END_TEST

START_TEST(test_error_destination_node)
{
    uint64_t ut = ktest_untyped(12);
    uint64_t slot = ktest_first_empty();
    uint64_t other_ut = hostsim_bootinfo()->untyped.start; /* any cap that is not a CNode */

    /* node_depth 0: the root cap itself must be a CNode, else MissingCapability(0). */
    struct ktest_reply r = ktest_retype(ut, seL4_EndpointObject, 0, other_ut, 0, 0, slot, 1);
    ERR(r, seL4_FailedLookup, 3);
    ck_assert_uint_eq(r.mr[0], 0);
    ck_assert_uint_eq(r.mr[1], seL4_MissingCapability);
    ck_assert_uint_eq(r.mr[2], 0);

    /* node_depth != 0: the slot found must hold a CNode cap, else MissingCapability(depth). */
    r = ktest_retype(ut, seL4_EndpointObject, 0, ROOT, other_ut, 64, slot, 1);
    ERR(r, seL4_FailedLookup, 3);
    ck_assert_uint_eq(r.mr[0], 0);
    ck_assert_uint_eq(r.mr[1], seL4_MissingCapability);
    ck_assert_uint_eq(r.mr[2], 64);
    r = ktest_retype(ut, seL4_EndpointObject, 0, ROOT, slot, 64, 0, 1); /* an empty slot */
    ERR(r, seL4_FailedLookup, 3);
    ck_assert_uint_eq(r.mr[2], 64);

    /* The lookup itself: depth out of range, an invalid root. */
    assert_range(ktest_retype(ut, seL4_EndpointObject, 0, ROOT, ROOT, 65, slot, 1), 1, 64);
    r = ktest_retype(ut, seL4_EndpointObject, 0, other_ut, ROOT, 64, slot, 1);
    ERR(r, seL4_FailedLookup, 2);
    ck_assert_uint_eq(r.mr[0], 0);
    ck_assert_uint_eq(r.mr[1], seL4_InvalidRoot);

    /* The root CNode found through itself at depth 64 is a valid destination. */
    OK(ktest_retype(ut, seL4_EndpointObject, 0, ROOT, ROOT, 64, slot, 1));
    ck_assert_uint_eq(ktest_cap_type(slot), KAAL_CAP_TAG_ENDPOINT);
}
END_TEST

START_TEST(test_error_destination_window)
{
    uint64_t ut = ktest_untyped(16);
    uint64_t size = 1ull << root_radix();
    uint64_t slot = ktest_first_empty();

    assert_range(retype_root(ut, seL4_EndpointObject, 0, size, 1), 0, size - 1);
    assert_range(retype_root(ut, seL4_EndpointObject, 0, UINT64_MAX, 1), 0, size - 1);
    /* Offset checked before the count. */
    assert_range(retype_root(ut, seL4_EndpointObject, 0, size, 0), 0, size - 1);
    assert_range(retype_root(ut, seL4_EndpointObject, 0, size - 2, 3), 1, 2);
    assert_range(retype_root(ut, seL4_EndpointObject, 0, size - 1, 2), 1, 1);
    assert_range(retype_root(ut, seL4_EndpointObject, 0, size - 100, 256), 1, 100);
    /* The last slots of the node are usable. */
    OK(retype_root(ut, seL4_EndpointObject, 0, size - 2, 2));
    ck_assert_uint_eq(ktest_cap_type(size - 1), KAAL_CAP_TAG_ENDPOINT);

    /* Any occupied slot in the window: DeleteFirst, and nothing is created. */
    ERR(retype_root(ut, seL4_EndpointObject, 0, size - 3, 2), seL4_DeleteFirst, 0);
    ck_assert_uint_eq(ktest_cap_type(size - 3), KAAL_CAP_TAG_NULL);
    ERR(retype_root(ut, seL4_EndpointObject, 0, ut, 1), seL4_DeleteFirst, 0);
    /* Slot 0 is empty, slots 1 and 2 hold the root TCB and CNode. */
    ERR(retype_root(ut, seL4_EndpointObject, 0, 0, 3), seL4_DeleteFirst, 0);
    ck_assert_uint_eq(ktest_cap_type(0), KAAL_CAP_TAG_NULL);
    /* DeleteFirst comes before NotEnoughMemory. */
    ERR(retype_root(ut, seL4_UntypedObject, 40, ut, 1), seL4_DeleteFirst, 0);
    ck_assert_uint_eq(ktest_cap_type(slot), KAAL_CAP_TAG_NULL);
}
END_TEST

START_TEST(test_destination_through_depth)
{
    /* A 16-slot CNode retyped into the root, then used as the destination at (slot, 64). */
    uint64_t ut = ktest_untyped(16);
    uint64_t cn = ktest_first_empty();
    uint64_t slot = cn + 1;
    OK(retype_root(ut, seL4_CapTableObject, 4, cn, 1));
    ck_assert_uint_eq(ktest_cap_type(cn), KAAL_CAP_TAG_CNODE);

    /* Its window is checked against its own radix. */
    assert_range(ktest_retype(ut, seL4_EndpointObject, 0, ROOT, cn, 64, 16, 1), 0, 15);
    assert_range(ktest_retype(ut, seL4_EndpointObject, 0, ROOT, cn, 64, 10, 7), 1, 6);
    OK(ktest_retype(ut, seL4_EndpointObject, 0, ROOT, cn, 64, 3, 2));
    /* The caps went into the child CNode, not the root. */
    ck_assert_uint_eq(ktest_cap_type(slot), KAAL_CAP_TAG_NULL);
    /* Slots 3 and 4 of the child are taken, 2 and 5 are free. */
    ERR(ktest_retype(ut, seL4_EndpointObject, 0, ROOT, cn, 64, 4, 1), seL4_DeleteFirst, 0);
    ERR(ktest_retype(ut, seL4_EndpointObject, 0, ROOT, cn, 64, 0, 4), seL4_DeleteFirst, 0);
    OK(ktest_retype(ut, seL4_NotificationObject, 0, ROOT, cn, 64, 5, 11));
    OK(ktest_retype(ut, seL4_NotificationObject, 0, ROOT, cn, 64, 0, 3));
    ERR(ktest_retype(ut, seL4_EndpointObject, 0, ROOT, cn, 64, 15, 1), seL4_DeleteFirst, 0);

    /* Copy one out to the root to see what it is (CNode_Copy from the child at depth 4). */
    OK(ktest_cnode_copy(ROOT, slot, 64, cn, 3, 4, seL4_AllRights));
    ck_assert_uint_eq(ktest_cap_type(slot), KAAL_CAP_TAG_ENDPOINT);
    OK(ktest_cnode_copy(ROOT, slot + 1, 64, cn, 5, 4, seL4_AllRights));
    ck_assert_uint_eq(ktest_cap_type(slot + 1), KAAL_CAP_TAG_NOTIFICATION);
}
END_TEST

START_TEST(test_device_untyped)
{
    uint64_t dev = device_untyped(16, 46);
    ck_assert_msg(dev != 0, "no device untyped between 2^16 and 2^46 bytes");
    uint64_t dev_bits = ktest_untyped_desc(dev)->sizeBits;
    uint64_t slot = ktest_first_empty();
    static const uint64_t kernel_types[] = {seL4_TCBObject,          seL4_EndpointObject,
                                            seL4_NotificationObject, seL4_CapTableObject,
                                            seL4_ARM_VSpaceObject,   seL4_ARM_PageTableObject};
    for (size_t i = 0; i < sizeof(kernel_types) / sizeof(kernel_types[0]); i++) {
        assert_invalid_argument(retype_root(dev, kernel_types[i], 1, slot, 1), 1);
    }
    /* NotEnoughMemory is checked before the device rule. */
    assert_not_enough_memory(retype_root(dev, seL4_CapTableObject, dev_bits - 4, slot, 1),
                             1ull << dev_bits);
    ck_assert_uint_eq(ktest_cap_type(slot), KAAL_CAP_TAG_NULL);

    OK(retype_root(dev, seL4_ARM_SmallPageObject, 0, slot, 2));
    ck_assert_uint_eq(ktest_cap_type(slot), KAAL_CAP_TAG_FRAME);
    ck_assert_uint_eq(ktest_cap_type(slot + 1), KAAL_CAP_TAG_FRAME);
    slot += 2;
    OK(retype_root(dev, seL4_UntypedObject, 12, slot, 1));
    ck_assert_uint_eq(ktest_cap_type(slot), KAAL_CAP_TAG_UNTYPED);
    /* The child is a device untyped too. */
    uint64_t child = slot++;
    assert_invalid_argument(retype_root(child, seL4_EndpointObject, 0, slot, 1), 1);
    OK(retype_root(child, seL4_ARM_SmallPageObject, 0, slot, 1));
    ck_assert_uint_eq(ktest_cap_type(slot), KAAL_CAP_TAG_FRAME);
    if (dev_bits >= 22) {
        OK(retype_root(dev, seL4_ARM_LargePageObject, 0, slot + 1, 1));
        ck_assert_uint_eq(ktest_cap_type(slot + 1), KAAL_CAP_TAG_FRAME);
    }
}
END_TEST

/* ---- untyped_reset: zeroing, reset after the last child goes, preemption ------------------ */

/* True when all bytes of [pa, pa + size) are zero in simulated RAM. */
static bool phys_is_zero(uint64_t pa, size_t size)
{
    const unsigned char *p = hostsim_phys_to_host(pa, size);
    ck_assert(p != NULL);
    for (size_t i = 0; i < size; i++) {
        if (p[i] != 0) {
            return false;
        }
    }
    return true;
}

static void phys_fill(uint64_t pa, size_t size, int byte)
{
    unsigned char *p = hostsim_phys_to_host(pa, size);
    ck_assert(p != NULL);
    memset(p, byte, size);
}

START_TEST(test_new_cnode_is_empty)
{
    uint64_t slot = ktest_first_empty();
    uint64_t base;
    uint64_t ut = child_untyped(12, slot++, &base);
    uint64_t cn = slot++;
    OK(retype_root(ut, seL4_CapTableObject, 7, cn, 1)); /* 128 slots: all of the 4 KiB */
    /* Every slot is empty: a full-window retype into it finds no cap in the way. */
    uint64_t ut2 = ktest_untyped(16);
    OK(ktest_retype(ut2, seL4_EndpointObject, 0, ROOT, cn, 64, 0, 128));
    ck_assert(!phys_is_zero(base, 4096)); /* the caps are in the CNode's memory now */
}
END_TEST

START_TEST(test_boot_untyped_first_retype_zeroes)
{
    /* Boot untypeds may cover memory that was used before (loader, DTB copy, dirty RAM on real
     * hardware): as in seL4 they start "full", so the first retype resets, i.e. zeroes, them. */
    uint64_t ut = ktest_untyped(12);
    uint64_t base = ktest_untyped_desc(ut)->paddr;
    phys_fill(base, 4096, 0x77);
    uint64_t slot = ktest_first_empty();
    OK(retype_root(ut, seL4_ARM_SmallPageObject, 0, slot, 1));
    ck_assert(phys_is_zero(base, 4096));
}
END_TEST

/* ---- caches: a new frame is written back to the point of coherency ------------------------- */

/* seL4 cleans the memory it zeroes for user objects (clearMemory), so that a new frame mapped
 * uncached reads zeros, never older data (issue 13, defect 3). hostsim's cache model remembers
 * which lines were zeroed and not cleaned since: after every frame retype none of the frame may
 * be, for each frame size, memory of a first retype (a boot untyped reset), memory above the
 * watermark, and memory reset after Revoke. Device memory is neither zeroed nor cleaned. */
START_TEST(test_new_frames_are_clean)
{
    static const struct {
        uint64_t type;
        unsigned bits;
    } frames[] = {{seL4_ARM_SmallPageObject, 12}, {seL4_ARM_LargePageObject, 21}};
    uint64_t slot = ktest_first_empty();
    for (size_t i = 0; i < sizeof(frames) / sizeof(frames[0]); i++) {
        unsigned bits = frames[i].bits;
        uint64_t base;
        unsigned long calls = hostsim_cache_clean_calls;
        uint64_t ut = child_untyped(bits + 2, slot++, &base); /* its parent was reset: cleaned */
        ck_assert_uint_gt(hostsim_cache_clean_calls, calls);
        ck_assert(!hostsim_cache_zeroed_not_cleaned(base, 4ull << bits));
        uint64_t f = slot;
        slot += 2;
        OK(retype_root(ut, frames[i].type, 0, f, 2)); /* above the watermark: no reset */
        ck_assert(!hostsim_cache_zeroed_not_cleaned(base, 2ull << bits));
        /* Dirty it, revoke, retype: the reset zeroes and cleans again. */
        phys_fill(base, 4096, 0x5a);
        OK(ktest_cnode_revoke(ROOT, ut, 64));
        calls = hostsim_cache_clean_calls;
        OK(retype_root(ut, frames[i].type, 0, f, 1));
        ck_assert_uint_gt(hostsim_cache_clean_calls, calls);
        ck_assert(phys_is_zero(base, 4096));
        ck_assert(!hostsim_cache_zeroed_not_cleaned(base, 1ull << bits));
    }
    /* A device untyped: its frames are neither zeroed nor cleaned, before or after a reset. */
    uint64_t dev = device_untyped(12, 40);
    ck_assert(dev != 0);
    unsigned long calls = hostsim_cache_clean_calls;
    OK(retype_root(dev, seL4_ARM_SmallPageObject, 0, slot, 1));
    OK(ktest_cnode_revoke(ROOT, dev, 64));
    OK(retype_root(dev, seL4_ARM_SmallPageObject, 0, slot, 1));
    ck_assert_uint_eq(hostsim_cache_clean_calls, calls);
}
END_TEST

START_TEST(test_reset_zeroes_after_delete)
{
    uint64_t slot = ktest_first_empty();
    uint64_t base;
    uint64_t ut = child_untyped(12, slot++, &base);
    uint64_t frame = slot++;
    OK(retype_root(ut, seL4_ARM_SmallPageObject, 0, frame, 1));
    ck_assert(phys_is_zero(base, 4096)); /* a new frame is zero */
    /* Dirty the frame, delete it: the untyped has no children, so the next retype resets it. */
    phys_fill(base, 4096, 0xa5);
    OK(ktest_cnode_delete(ROOT, frame, 64));
    ck_assert_uint_eq(ktest_cap_type(frame), KAAL_CAP_TAG_NULL);
    OK(retype_root(ut, seL4_ARM_SmallPageObject, 0, frame, 1));
    ck_assert(phys_is_zero(base, 4096));

    /* The same with a CNode made over dirty memory: all its slots must be empty. */
    phys_fill(base, 4096, 0xff);
    OK(ktest_cnode_delete(ROOT, frame, 64));
    OK(retype_root(ut, seL4_CapTableObject, 7, frame, 1));
    uint64_t ut2 = ktest_untyped(16);
    OK(ktest_retype(ut2, seL4_EndpointObject, 0, ROOT, frame, 64, 0, 128));
}
END_TEST

START_TEST(test_reset_after_revoke)
{
    uint64_t slot = ktest_first_empty();
    uint64_t base;
    uint64_t ut = child_untyped(12, slot++, &base);
    OK(retype_root(ut, seL4_TCBObject, 0, slot, 2));
    assert_not_enough_memory(retype_root(ut, seL4_EndpointObject, 0, slot + 2, 1), 0);

    /* One child left: no reset, still full. */
    OK(ktest_cnode_delete(ROOT, slot, 64));
    assert_not_enough_memory(retype_root(ut, seL4_EndpointObject, 0, slot + 2, 1), 0);

    /* Revoke the untyped: all children go, and the free index counts as 0 again. */
    OK(ktest_cnode_revoke(ROOT, ut, 64));
    phys_fill(base, 4096, 0x5a); /* dirty the freed memory (not live objects) */
    ck_assert_uint_eq(ktest_cap_type(slot + 1), KAAL_CAP_TAG_NULL);
    assert_not_enough_memory(retype_root(ut, seL4_TCBObject, 0, slot, 3), 4096);
    OK(retype_root(ut, seL4_ARM_SmallPageObject, 0, slot, 1));
    ck_assert(phys_is_zero(base, 4096));
    assert_not_enough_memory(retype_root(ut, seL4_EndpointObject, 0, slot + 1, 1), 0);
}
END_TEST

START_TEST(test_reset_small_untyped)
{
    /* An untyped smaller than a reset chunk (2^8) is cleared in one go. */
    uint64_t slot = ktest_first_empty();
    uint64_t base;
    uint64_t parent = child_untyped(12, slot++, &base);
    uint64_t ut = slot++;
    OK(retype_root(parent, seL4_UntypedObject, 7, ut, 1)); /* 128 bytes at base */
    OK(retype_root(ut, seL4_EndpointObject, 0, slot, 8));
    assert_not_enough_memory(retype_root(ut, seL4_EndpointObject, 0, slot + 8, 1), 0);
    OK(ktest_cnode_revoke(ROOT, ut, 64));
    phys_fill(base, 128, 0x11);
    OK(retype_root(ut, seL4_NotificationObject, 0, slot, 128 >> seL4_NotificationBits));
    ck_assert(phys_is_zero(base, 128));
}
END_TEST

START_TEST(test_reset_preempted)
{
    uint64_t slot = ktest_first_empty();
    uint64_t base;
    uint64_t ut = child_untyped(20, slot++, &base); /* 1 MiB: 4096 chunks of 256 bytes */
    OK(retype_root(ut, seL4_ARM_SmallPageObject, 0, slot, 256));
    phys_fill(base, 1 << 20, 0xc3);
    OK(ktest_cnode_revoke(ROOT, ut, 64));

    hostsim_set_preempt_interval(1);
    struct ktest_reply r = retype_root(ut, seL4_ARM_SmallPageObject, 0, slot, 256);
    hostsim_set_preempt_interval(0);
    OK(r);
    ck_assert_uint_gt(r.restarts, 0);
    ck_assert(phys_is_zero(base, 1 << 20));
    for (uint64_t i = 0; i < 256; i++) {
        ck_assert_uint_eq(ktest_cap_type(slot + i), KAAL_CAP_TAG_FRAME);
    }
    assert_not_enough_memory(retype_root(ut, seL4_EndpointObject, 0, slot + 256, 1), 0);
}
END_TEST

START_TEST(test_reset_preempted_partial_untyped)
{
    /* Only the used part (here the lower 400 KiB) needs clearing; preempted, the result is the
     * same: the new endpoints sit at 0 and all of the memory is zero. */
    uint64_t slot = ktest_first_empty();
    uint64_t base;
    uint64_t ut = child_untyped(20, slot++, &base);
    OK(retype_root(ut, seL4_ARM_SmallPageObject, 0, slot, 100));
    phys_fill(base, 100 * 4096, 0x3c);
    OK(ktest_cnode_revoke(ROOT, ut, 64));
    hostsim_set_preempt_interval(1);
    struct ktest_reply r = retype_root(ut, seL4_EndpointObject, 0, slot, 256);
    hostsim_set_preempt_interval(0);
    OK(r);
    ck_assert_uint_gt(r.restarts, 0);
    ck_assert(phys_is_zero(base, 1 << 20));
    assert_not_enough_memory(retype_root(ut, seL4_CapTableObject, 15, slot + 256, 1),
                             (1 << 20) - 4096);
}
END_TEST

static Suite *untyped_suite(void)
{
    Suite *s = suite_create("untyped");
    TCase *tc;

    tc = tcase_create("object_create");
    tcase_add_checked_fixture(tc, ktest_setup, ktest_teardown);
    tcase_add_test(tc, test_create_every_type);
    tcase_add_test(tc, test_create_huge_page_from_device);
    tcase_add_test(tc, test_create_many_fills_window);
    suite_add_tcase(s, tc);

    tc = tcase_create("object_size_bits");
    tcase_add_checked_fixture(tc, ktest_setup, ktest_teardown);
    tcase_add_test(tc, test_size_bits_per_type);
    tcase_add_test(tc, test_size_bits_large_objects);
    suite_add_tcase(s, tc);

    tc = tcase_create("perform_untyped_retype");
    tcase_add_checked_fixture(tc, ktest_setup, ktest_teardown);
    tcase_add_test(tc, test_alignment);
    tcase_add_test(tc, test_alignment_untyped_child);
    tcase_add_test(tc, test_watermark);
    tcase_add_test(tc, test_fan_out_limit);
    suite_add_tcase(s, tc);

    tc = tcase_create("decode_untyped_invocation");
    tcase_add_checked_fixture(tc, ktest_setup, ktest_teardown);
    tcase_add_test(tc, test_error_label_and_truncation);
    tcase_add_test(tc, test_error_type_and_size);
    tcase_add_test(tc, test_error_destination_node);
    tcase_add_test(tc, test_error_destination_window);
    tcase_add_test(tc, test_destination_through_depth);
    tcase_add_test(tc, test_device_untyped);
    suite_add_tcase(s, tc);

    tc = tcase_create("untyped_reset");
    tcase_add_checked_fixture(tc, ktest_setup, ktest_teardown);
    tcase_add_test(tc, test_new_cnode_is_empty);
    tcase_add_test(tc, test_boot_untyped_first_retype_zeroes);
    tcase_add_test(tc, test_new_frames_are_clean);
    tcase_add_test(tc, test_reset_zeroes_after_delete);
    tcase_add_test(tc, test_reset_after_revoke);
    tcase_add_test(tc, test_reset_small_untyped);
    tcase_add_test(tc, test_reset_preempted);
    tcase_add_test(tc, test_reset_preempted_partial_untyped);
    suite_add_tcase(s, tc);

    return s;
}

int main(void) { return ktest_run(untyped_suite()); }
