/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance: what the kernel promises the root task at boot (docs/abi.md#boot). */
#include "harness.h"

#include <kaal/gen_config.h>

#define ROOT seL4_CapInitThreadCNode
#define DEPTH seL4_WordBits

static void case_fixed_fields(struct conf_env *env)
{
    const seL4_BootInfo *bi = env->bi;
    CONF_EQ(bi->nodeID, 0);
    CONF_EQ(bi->numNodes, 1);
    CONF_EQ(bi->numIOPTLevels, 0);
    CONF_EQ(bi->initThreadDomain, 0);
    CONF_EQ(bi->initThreadCNodeSizeBits, CONFIG_ROOT_CNODE_SIZE_BITS);
    CONF_EQ(bi->sharedFrames.start, bi->sharedFrames.end);
    CONF_EQ(bi->ioSpaceCaps.start, bi->ioSpaceCaps.end);
}

static void case_initial_caps(struct conf_env *env)
{
    static const unsigned char want[seL4_NumInitialCaps] = {
        KAAL_CAP_TAG_NULL,          KAAL_CAP_TAG_THREAD,      KAAL_CAP_TAG_CNODE,
        KAAL_CAP_TAG_VSPACE,        KAAL_CAP_TAG_IRQ_CONTROL, KAAL_CAP_TAG_ASID_CONTROL,
        KAAL_CAP_TAG_ASID_POOL,     KAAL_CAP_TAG_NULL,        KAAL_CAP_TAG_NULL,
        KAAL_CAP_TAG_FRAME,         KAAL_CAP_TAG_FRAME,       KAAL_CAP_TAG_DOMAIN,
        KAAL_CAP_TAG_NULL,          KAAL_CAP_TAG_NULL,
#ifdef CONFIG_KERNEL_MCS
        KAAL_CAP_TAG_SCHED_CONTEXT, /* slot 14: the root thread's scheduling context */
#else
        KAAL_CAP_TAG_NULL,
#endif
        KAAL_CAP_TAG_NULL,
    };
    for (seL4_CPtr s = 0; s < seL4_NumInitialCaps; s++) {
        CONF_EQ(conf_tag(s), want[s]);
    }
}

/* Slots from 16 upward: paging, extra bootinfo frames, (MCS: SchedControl caps,) image frames,
 * untypeds, then empty. */
static void case_slot_regions(struct conf_env *env)
{
    const seL4_BootInfo *bi = env->bi;
    CONF_EQ(bi->userImagePaging.start, seL4_NumInitialCaps);
    CONF_CHECK(bi->userImagePaging.end > bi->userImagePaging.start);
    CONF_EQ(bi->extraBIPages.start == bi->extraBIPages.end ? bi->userImagePaging.end
                                                           : bi->extraBIPages.start,
            bi->userImagePaging.end);
    seL4_Word after_extra = bi->extraBIPages.start == bi->extraBIPages.end ? bi->userImagePaging.end
                                                                           : bi->extraBIPages.end;
#ifdef CONFIG_KERNEL_MCS
    CONF_EQ(bi->schedcontrol.start, after_extra);
    after_extra = bi->schedcontrol.end;
#endif
    CONF_EQ(bi->userImageFrames.start, after_extra);
    CONF_CHECK(bi->userImageFrames.end > bi->userImageFrames.start);
    CONF_EQ(bi->untyped.start, bi->userImageFrames.end);
    CONF_CHECK(bi->untyped.end > bi->untyped.start);
    CONF_CHECK(kaal_region_size(bi->untyped) <= KAAL_BOOTINFO_UNTYPED_SLOTS);
    CONF_EQ(bi->empty.start, bi->untyped.end);
    CONF_EQ(bi->empty.end, 1ull << bi->initThreadCNodeSizeBits);
}

static void check_region_tag(seL4_SlotRegion r, seL4_Word tag)
{
    for (seL4_CPtr s = r.start; s < r.end; s++) {
        CONF_EQ(conf_tag(s), tag);
    }
}

static void case_region_cap_types(struct conf_env *env)
{
    const seL4_BootInfo *bi = env->bi;
    check_region_tag(bi->userImagePaging, KAAL_CAP_TAG_PAGE_TABLE);
    check_region_tag(bi->extraBIPages, KAAL_CAP_TAG_FRAME);
    check_region_tag(bi->userImageFrames, KAAL_CAP_TAG_FRAME);
    check_region_tag(bi->untyped, KAAL_CAP_TAG_UNTYPED);
    /* The empty region is empty (the harness has used its first slots; look beyond them). */
    seL4_SlotRegion rest = {env->slots.next, bi->empty.end};
    check_region_tag(rest, KAAL_CAP_TAG_NULL);
}

/* Untyped list: sizes 4..47, natural alignment, device ones first, no overlaps, zero padding. */
static void case_untyped_list(struct conf_env *env)
{
    const seL4_BootInfo *bi = env->bi;
    seL4_Word n = kaal_bootinfo_untyped_count(bi);
    int seen_ram = 0;
    seL4_Word ram = 0;
    for (seL4_Word i = 0; i < n; i++) {
        const seL4_UntypedDesc *u = &bi->untypedList[i];
        CONF_CHECK(u->sizeBits >= seL4_MinUntypedBits && u->sizeBits <= seL4_MaxUntypedBits);
        CONF_EQ(u->paddr & ((1ull << u->sizeBits) - 1), 0);
        CONF_CHECK(u->isDevice == 0 || u->isDevice == 1);
        for (int p = 0; p < 6; p++) {
            CONF_EQ(u->padding[p], 0);
        }
        if (!u->isDevice) {
            seen_ram = 1;
            ram += 1ull << u->sizeBits;
        } else {
            CONF_CHECK(!seen_ram); /* device untypeds come first */
            CONF_CHECK(u->paddr + (1ull << u->sizeBits) <= KAAL_PADDR_USER_DEVICE_TOP);
        }
        for (seL4_Word j = 0; j < i; j++) {
            const seL4_UntypedDesc *v = &bi->untypedList[j];
            CONF_CHECK(u->paddr + (1ull << u->sizeBits) <= v->paddr ||
                       v->paddr + (1ull << v->sizeBits) <= u->paddr);
        }
    }
    CONF_CHECK(seen_ram);
    CONF_CHECK(ram >= (1ull << CONF_CASE_UNTYPED_BITS));
}

/* Untyped caps and list entries correspond, slot by slot: a frame retyped from an untyped cap
 * lies inside the range its list entry gives. */
static void case_untyped_caps_match_list(struct conf_env *env)
{
    const seL4_BootInfo *bi = env->bi;
    seL4_Word index;
    seL4_CPtr ut = kaal_bootinfo_find_untyped(bi, seL4_PageBits, 0, &index);
    if (ut == seL4_CapNull) {
        ut = kaal_bootinfo_find_untyped_at_least(bi, seL4_PageBits, &index);
    }
    CONF_CHECK(ut != seL4_CapNull);
    seL4_CPtr frame = conf_slot(env);
    CONF_OK(sys_untyped_retype(ut, seL4_ARM_SmallPageObject, 0, ROOT, 0, 0, frame, 1));
    seL4_ARM_Page_GetAddress_t r = sys_arm_page_get_address(frame);
    CONF_OK(r.error);
    const seL4_UntypedDesc *u = &bi->untypedList[index];
    CONF_CHECK(r.paddr >= u->paddr && r.paddr - u->paddr < (1ull << u->sizeBits));
    CONF_OK(sys_cnode_delete(ROOT, frame, DEPTH));
}

static void case_ipc_buffer(struct conf_env *env)
{
    const seL4_BootInfo *bi = env->bi;
    seL4_Word ipc = (seL4_Word)(uintptr_t)bi->ipcBuffer;
    CONF_CHECK(ipc != 0);
    CONF_EQ(ipc & ((1u << seL4_PageBits) - 1), 0);
    CONF_CHECK(ipc + (1u << seL4_PageBits) <= seL4_UserTop);
    if (env->user_mode) {
        /* The IPC buffer frame, then the bootinfo frame (docs/abi.md#root-task-start); the library
         * found it. */
        CONF_EQ((seL4_Word)(uintptr_t)bi, ipc + (1u << seL4_PageBits));
        CONF_EQ((seL4_Word)(uintptr_t)sys_get_ipc_buffer(), ipc);
    }
    /* Its frame cap (slot 10) and the bootinfo frame cap (slot 9) name different frames. */
    seL4_ARM_Page_GetAddress_t a = sys_arm_page_get_address(seL4_CapInitThreadIPCBuffer);
    seL4_ARM_Page_GetAddress_t b = sys_arm_page_get_address(seL4_CapBootInfoFrame);
    CONF_OK(a.error);
    CONF_OK(b.error);
    CONF_CHECK(a.paddr != b.paddr);
    /* Both are mapped at those addresses: remapping elsewhere is refused. */
    CONF_ERR(sys_arm_page_map(seL4_CapInitThreadIPCBuffer, seL4_CapInitThreadVSpace, ipc + 0x100000,
                              seL4_ReadWrite, seL4_ARM_Default_VMAttributes),
             seL4_InvalidArgument);
    CONF_ERR(sys_arm_page_map(seL4_CapInitThreadIPCBuffer, seL4_CapInitThreadVSpace, ipc,
                              seL4_ReadWrite, seL4_ARM_Default_VMAttributes),
             seL4_NoError); /* the same address: allowed (a remap) */
}

static seL4_Word be32(const unsigned char *p)
{
    return (seL4_Word)p[0] << 24 | (seL4_Word)p[1] << 16 | (seL4_Word)p[2] << 8 | p[3];
}

/* The extra bootinfo: one FDT chunk, header {6, 16 + size}, a device tree that says so. */
static void case_extra_fdt(struct conf_env *env)
{
    const seL4_BootInfo *bi = env->bi;
    CONF_CHECK(bi->extraLen > sizeof(seL4_BootInfoHeader));
    seL4_Word pages = kaal_region_size(bi->extraBIPages);
    CONF_CHECK(pages * (1u << seL4_PageBits) >= bi->extraLen);
    CONF_CHECK((pages & (pages - 1)) == 0); /* a power of two of 4 KiB frames */
    CONF_REQUIRE_USER_MODE(env);
    seL4_Word size = 0;
    const unsigned char *fdt = kaal_bootinfo_fdt(bi, &size);
    CONF_CHECK(fdt != 0);
    const seL4_BootInfoHeader *h = kaal_bootinfo_find_chunk(bi, SEL4_BOOTINFO_HEADER_FDT);
    CONF_EQ(h->len, bi->extraLen);
    CONF_EQ(be32(fdt), 0xd00dfeedu); /* FDT magic */
    CONF_EQ(be32(fdt + 4), size);    /* totalsize */
}

/* The root VSpace has its ASID: assigning another is refused. */
static void case_root_vspace_has_asid(struct conf_env *env)
{
    CONF_ERR(sys_arm_asid_pool_assign(seL4_CapInitThreadASIDPool, seL4_CapInitThreadVSpace),
             seL4_InvalidCapability);
    CONF_EQ(seL4_GetMR(0), 1);
}

/* Image frames are mapped (in the root's ASID): mapping one into another VSpace is refused. */
static void case_image_frames_mapped(struct conf_env *env)
{
    seL4_CPtr vs = conf_vspace(env);
    CONF_CHECK(!conf_failed());
    CONF_ERR(sys_arm_page_map(env->bi->userImageFrames.start, vs, 0x10000000, seL4_ReadWrite,
                              seL4_ARM_Default_VMAttributes),
             seL4_InvalidCapability);
    CONF_EQ(seL4_GetMR(0), 1);
}

static const struct conf_case cases[] = {
    CONF_CASE(fixed_fields),        CONF_CASE(initial_caps), CONF_CASE(slot_regions),
    CONF_CASE(region_cap_types),    CONF_CASE(untyped_list), CONF_CASE(untyped_caps_match_list),
    CONF_CASE(ipc_buffer),          CONF_CASE(extra_fdt),    CONF_CASE(root_vspace_has_asid),
    CONF_CASE(image_frames_mapped),
};
const struct conf_area conf_area_bootinfo = CONF_AREA("bootinfo", cases);
