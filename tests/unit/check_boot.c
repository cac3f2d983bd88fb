/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for kernel boot on the hostsim machine: the initial caps, bootinfo, untyped list, root
 * address space and root thread seL4 builds (docs/abi.md#boot, #observed-on-sel4), reboot, and boot
 * errors. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <hal/mmu.h>
#include <hal_common/pte_bits.h>
#include <kaal/invariants.h>
#include <kaal/kernel.h>
#include <kaal/thread.h>

#include "fdtbuild.h"
#include "ktest.h"

#define UI_VBASE 0x400000ull

/* ---- helpers ---- */

static cte_t *root_slots(void) { return cnode_slots(ks.root_thread->ctes[TCB_CTABLE].cap); }
static cap_t slot_cap(uint64_t slot) { return root_slots()[slot].cap; }

struct range {
    uint64_t start, end;
};

/* Subtract [r.start, r.end) from a sorted disjoint list. */
static void ranges_remove(struct range *v, int *n, struct range r)
{
    struct range out[256];
    int k = 0;
    for (int i = 0; i < *n; i++) {
        if (r.end <= v[i].start || r.start >= v[i].end) {
            out[k++] = v[i];
            continue;
        }
        if (v[i].start < r.start) {
            out[k++] = (struct range){v[i].start, r.start};
        }
        if (r.end < v[i].end) {
            out[k++] = (struct range){r.end, v[i].end};
        }
    }
    ck_assert(k <= 256);
    memcpy(v, out, sizeof(out[0]) * (size_t)k);
    *n = k;
}

static void boot_blob(const void *dtb, size_t size)
{
    const char *error = NULL;
    hostsim_console_quiet(getenv("KTEST_VERBOSE") == NULL);
    int r = hostsim_boot(dtb, size, &error);
    ck_assert_msg(r == 0, "boot failed: %s", error ? error : "?");
}

static uint64_t ui_v_end(void)
{
    seL4_BootInfo *bi = hostsim_bootinfo();
    return UI_VBASE + (bi->userImageFrames.end - bi->userImageFrames.start) * 4096;
}

/* The leaf entry mapping vaddr in the root VSpace, or 0. The descriptor bits are
 * <hal_common/pte_bits.h>'s, the format the codec (hal/common/pte.c) writes. */
static uint64_t leaf_pte(uint64_t vaddr)
{
    uint64_t table = cap_vspace_cap_get_ptr(slot_cap(seL4_CapInitThreadVSpace));
    for (unsigned level = 0; level < 3; level++) {
        uint64_t pte = ((uint64_t *)hostsim_phys_to_host(table, 4096))[HAL_PT_INDEX(vaddr, level)];
        if ((pte & PTE_TYPE_MASK) != PTE_TABLE) {
            return 0;
        }
        table = pte & PTE_ADDR_MASK;
    }
    return ((uint64_t *)hostsim_phys_to_host(table, 4096))[HAL_PT_INDEX(vaddr, 3)];
}

/* ---- kernel_boot: initial caps ---- */

/* Slot 14: the root thread's scheduling context under MCS (seL4_CapInitThreadSC), else empty. */
#ifdef CONFIG_KERNEL_MCS
#define ROOT_SC_TAG KAAL_CAP_TAG_SCHED_CONTEXT
#else
#define ROOT_SC_TAG KAAL_CAP_TAG_NULL
#endif

START_TEST(test_cap_identify)
{
    static const uint64_t expect[17] = {
        KAAL_CAP_TAG_NULL,      KAAL_CAP_TAG_THREAD,      KAAL_CAP_TAG_CNODE,
        KAAL_CAP_TAG_VSPACE,    KAAL_CAP_TAG_IRQ_CONTROL, KAAL_CAP_TAG_ASID_CONTROL,
        KAAL_CAP_TAG_ASID_POOL, KAAL_CAP_TAG_NULL,        KAAL_CAP_TAG_NULL,
        KAAL_CAP_TAG_FRAME,     KAAL_CAP_TAG_FRAME,       KAAL_CAP_TAG_DOMAIN,
        KAAL_CAP_TAG_NULL,      KAAL_CAP_TAG_NULL,        ROOT_SC_TAG,
        KAAL_CAP_TAG_NULL,      KAAL_CAP_TAG_PAGE_TABLE};
    for (uint64_t s = 0; s <= 16; s++) {
        ck_assert_msg(ktest_cap_type(s) == expect[s], "slot %llu: type %llu, expected %llu",
                      (unsigned long long)s, (unsigned long long)ktest_cap_type(s),
                      (unsigned long long)expect[s]);
    }
    seL4_BootInfo *bi = hostsim_bootinfo();
    ck_assert_uint_eq(ktest_cap_type(bi->untyped.start), KAAL_CAP_TAG_UNTYPED);
    ck_assert_uint_eq(ktest_cap_type(bi->empty.start), KAAL_CAP_TAG_NULL);
}
END_TEST

START_TEST(test_root_cnode_cap)
{
    cap_t c = slot_cap(seL4_CapInitThreadCNode);
    ck_assert_uint_eq(cap_cnode_cap_get_radix(c), CONFIG_ROOT_CNODE_SIZE_BITS);
    ck_assert_uint_eq(cap_cnode_cap_get_guard_size(c), 64 - CONFIG_ROOT_CNODE_SIZE_BITS);
    ck_assert_uint_eq(cap_cnode_cap_get_guard(c), 0);
    ck_assert_uint_eq(cap_cnode_cap_get_ptr(c) & MASK(CONFIG_ROOT_CNODE_SIZE_BITS + 5), 0);
    /* Initial caps are derivation-tree roots: revocable, first badged. */
    for (uint64_t s = 1; s < 16; s++) {
        if (cap_get_cap_type(slot_cap(s)) == cap_null_cap) {
            continue;
        }
        mdb_node_t m = root_slots()[s].mdb;
        ck_assert_uint_eq(mdb_node_get_revocable(m), 1);
        ck_assert_uint_eq(mdb_node_get_first_badged(m), 1);
        ck_assert_uint_eq(mdb_node_get_prev(m), 0);
    }
}
END_TEST

START_TEST(test_asid_pool)
{
    cap_t pool = slot_cap(seL4_CapInitThreadASIDPool);
    cap_t vspace = slot_cap(seL4_CapInitThreadVSpace);
    ck_assert_uint_eq(cap_asid_pool_cap_get_asid_base(pool), 0);
    ck_assert_uint_eq(ks.asid_table[0], cap_asid_pool_cap_get_ptr(pool));
    for (unsigned i = 1; i < (1u << seL4_NumASIDPoolsBits); i++) {
        ck_assert_uint_eq(ks.asid_table[i], 0);
    }
    asid_pool_t *p = hostsim_phys_to_host(cap_asid_pool_cap_get_ptr(pool), 4096);
    ck_assert_uint_eq(p->vspace[0], 0);
    ck_assert_uint_eq(p->vspace[1], cap_vspace_cap_get_ptr(vspace));
    ck_assert_uint_eq(p->vspace[2], 0);
    ck_assert_uint_eq(cap_vspace_cap_get_is_mapped(vspace), 1);
    ck_assert_uint_eq(cap_vspace_cap_get_mapped_asid(vspace), 1);
}
END_TEST

START_TEST(test_invariants_after_boot)
{
#ifdef CONFIG_KERNEL_INVARIANTS
    char why[256];
    ck_assert_msg(kernel_invariants_hold(why, sizeof(why)), "small.dtb: %s", why);
    ktest_boot(KTEST_DTB_VIRT);
    ck_assert_msg(kernel_invariants_hold(why, sizeof(why)), "qemu-virt.dtb: %s", why);
#endif
}
END_TEST

/* ---- kernel_boot: bootinfo ---- */

START_TEST(test_bootinfo_fields)
{
    size_t dtb_size;
    void *dtb = ktest_read_data(KTEST_DTB_SMALL, &dtb_size);
    free(dtb);
    seL4_BootInfo *bi = hostsim_bootinfo();
    ck_assert_uint_eq(bi->extraLen, 16 + dtb_size);
    ck_assert_uint_eq(bi->nodeID, 0);
    ck_assert_uint_eq(bi->numNodes, 1);
    ck_assert_uint_eq(bi->numIOPTLevels, 0);
    ck_assert_uint_eq((uint64_t)(uintptr_t)bi->ipcBuffer, ui_v_end());
    ck_assert_uint_eq(bi->initThreadCNodeSizeBits, CONFIG_ROOT_CNODE_SIZE_BITS);
    ck_assert_uint_eq(bi->initThreadDomain, 0);
    ck_assert_uint_eq(bi->sharedFrames.start, 0);
    ck_assert_uint_eq(bi->sharedFrames.end, 0);
    ck_assert_uint_eq(bi->ioSpaceCaps.start, 0);
    ck_assert_uint_eq(bi->ioSpaceCaps.end, 0);
    /* The root thread's x0 points at the bootinfo frame, which is mapped there. */
    ck_assert_uint_eq(hal_reg_get(&ks.root_thread->arch, REG_X0), ui_v_end() + 0x1000);
    ck_assert_ptr_eq(hostsim_phys_to_host(leaf_pte(ui_v_end() + 0x1000) & PTE_ADDR_MASK, 4096), bi);
}
END_TEST

START_TEST(test_bootinfo_regions)
{
    seL4_BootInfo *bi = hostsim_bootinfo();
    ck_assert_uint_eq(bi->userImagePaging.start, 16);
    ck_assert_uint_eq(bi->userImagePaging.end - bi->userImagePaging.start, 3); /* one L1, L2, L3 */
    ck_assert_uint_eq(bi->extraBIPages.start, bi->userImagePaging.end);
    ck_assert_uint_eq(bi->extraBIPages.end - bi->extraBIPages.start, 1); /* small.dtb: < 4 KiB */
#ifdef CONFIG_KERNEL_MCS /* one SchedControl cap (one core) between them */
    ck_assert_uint_eq(bi->schedcontrol.start, bi->extraBIPages.end);
    ck_assert_uint_eq(bi->schedcontrol.end - bi->schedcontrol.start, 1);
    ck_assert_uint_eq(ktest_cap_type(bi->schedcontrol.start), KAAL_CAP_TAG_SCHED_CONTROL);
    ck_assert_uint_eq(bi->userImageFrames.start, bi->schedcontrol.end);
#else
    ck_assert_uint_eq(bi->userImageFrames.start, bi->extraBIPages.end);
#endif
    ck_assert_uint_gt(bi->userImageFrames.end, bi->userImageFrames.start);
    ck_assert_uint_eq(bi->untyped.start, bi->userImageFrames.end);
    ck_assert_uint_gt(bi->untyped.end, bi->untyped.start);
    ck_assert_uint_le(bi->untyped.end - bi->untyped.start, CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS);
    ck_assert_uint_eq(bi->empty.start, bi->untyped.end);
    ck_assert_uint_eq(bi->empty.end, 1ull << CONFIG_ROOT_CNODE_SIZE_BITS);

    for (uint64_t s = bi->userImagePaging.start; s < bi->userImagePaging.end; s++) {
        ck_assert_uint_eq(ktest_cap_type(s), KAAL_CAP_TAG_PAGE_TABLE);
    }
    for (uint64_t s = bi->extraBIPages.start; s < bi->extraBIPages.end; s++) {
        ck_assert_uint_eq(ktest_cap_type(s), KAAL_CAP_TAG_FRAME);
    }
    for (uint64_t s = bi->userImageFrames.start; s < bi->userImageFrames.end; s++) {
        ck_assert_uint_eq(ktest_cap_type(s), KAAL_CAP_TAG_FRAME);
    }
    for (uint64_t s = bi->untyped.start; s < bi->untyped.end; s++) {
        cap_t c = slot_cap(s);
        const seL4_UntypedDesc *d = ktest_untyped_desc(s);
        ck_assert_uint_eq(cap_get_cap_type(c), cap_untyped_cap);
        ck_assert_uint_eq(cap_untyped_cap_get_ptr(c), d->paddr);
        ck_assert_uint_eq(cap_untyped_cap_get_block_size(c), d->sizeBits);
        ck_assert_uint_eq(cap_untyped_cap_get_is_device(c), d->isDevice);
        ck_assert_uint_eq(cap_untyped_cap_get_free_index(c),
                          1ull << (d->sizeBits - 4)); /* starts full */
        ck_assert_uint_eq(d->padding[0] | d->padding[5], 0);
    }
    for (uint64_t s = bi->empty.start; s < bi->empty.end; s += 97) {
        ck_assert_uint_eq(cap_get_cap_type(slot_cap(s)), cap_null_cap);
    }
}
END_TEST

START_TEST(test_extra_bootinfo)
{
    size_t dtb_size;
    void *dtb = ktest_read_data(KTEST_DTB_SMALL, &dtb_size);
    seL4_BootInfo *bi = hostsim_bootinfo();
    uint64_t base = cap_frame_cap_get_base(slot_cap(bi->extraBIPages.start));
    const uint64_t *hdr = hostsim_phys_to_host(base, 16 + dtb_size);
    ck_assert_ptr_nonnull(hdr);
    ck_assert_uint_eq(hdr[0], SEL4_BOOTINFO_HEADER_FDT);
    ck_assert_uint_eq(hdr[1], 16 + dtb_size);
    const uint8_t *blob = (const uint8_t *)(hdr + 2);
    ck_assert_uint_eq(fdt_magic(blob), FDT_MAGIC);
    ck_assert_int_eq(memcmp(blob, dtb, dtb_size), 0);
    /* Mapped right after the bootinfo frame. */
    ck_assert_uint_eq(cap_frame_cap_get_mapped_vaddr(slot_cap(bi->extraBIPages.start)),
                      ui_v_end() + 0x2000);
    ck_assert_uint_eq(leaf_pte(ui_v_end() + 0x2000) & PTE_ADDR_MASK, base);
    free(dtb);
}
END_TEST

START_TEST(test_extra_bootinfo_virt)
{
    ktest_boot(KTEST_DTB_VIRT);
    size_t dtb_size;
    void *dtb = ktest_read_data(KTEST_DTB_VIRT, &dtb_size);
    seL4_BootInfo *bi = hostsim_bootinfo();
    ck_assert_uint_eq(bi->extraLen, 16 + dtb_size);
    /* 16 + 1 MiB rounds up to a 2 MiB region: 512 frames, physically contiguous. */
    ck_assert_uint_eq(bi->extraBIPages.end - bi->extraBIPages.start, 512);
    uint64_t base = cap_frame_cap_get_base(slot_cap(bi->extraBIPages.start));
    ck_assert_uint_eq(base & MASK(21), 0);
    const uint64_t *hdr = hostsim_phys_to_host(base, 16 + dtb_size);
    ck_assert_uint_eq(hdr[0], 6);
    ck_assert_uint_eq(hdr[1], 16 + dtb_size);
    ck_assert_int_eq(memcmp(hdr + 2, dtb, dtb_size), 0);
    free(dtb);
}
END_TEST

/* ---- kernel_boot: untypeds ---- */

/* RAM, the device pages the kernel keeps (GIC) and the rest of [0, 2^40) for small.dtb. */
START_TEST(test_untyped_list)
{
    seL4_BootInfo *bi = hostsim_bootinfo();
    uint64_t n = bi->untyped.end - bi->untyped.start;
    bool seen_ram = false;
    uint64_t prev_end = 0, device_bytes = 0;
    for (uint64_t i = 0; i < n; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        ck_assert_uint_ge(d->sizeBits, 4);
        ck_assert_uint_le(d->sizeBits, 47);
        ck_assert_uint_eq(d->paddr & MASK(d->sizeBits), 0);
        uint64_t end = d->paddr + (1ull << d->sizeBits);
        if (d->isDevice) {
            ck_assert_msg(!seen_ram, "device untyped after a RAM one");
            ck_assert_uint_ge(d->paddr, prev_end); /* ascending, non-overlapping */
            ck_assert_uint_le(end, 1ull << 40);
            ck_assert(end <= 0x40000000 || d->paddr >= 0x44000000); /* not RAM */
            ck_assert(end <= 0x08000000 || d->paddr >= 0x08001000); /* not the GIC distributor */
            ck_assert(end <= 0x08010000 || d->paddr >= 0x08011000); /* not the GIC CPU interface */
            device_bytes += 1ull << d->sizeBits;
        } else {
            if (seen_ram) {
                ck_assert_uint_ge(d->paddr, prev_end);
            }
            seen_ram = true;
            ck_assert(d->paddr >= 0x40000000 && end <= 0x44000000);
        }
        prev_end = end;
    }
    ck_assert(seen_ram);
    /* Device untypeds cover everything else below 2^40 exactly. */
    ck_assert_uint_eq(device_bytes, (1ull << 40) - 0x4000000 - 2 * 0x1000);
    ck_assert_uint_eq(bi->untypedList[0].paddr, 0);
    ck_assert_uint_eq(bi->untypedList[0].sizeBits, 27);
    ck_assert_uint_eq(bi->untypedList[0].isDevice, 1);
}
END_TEST

/* RAM untypeds are exactly free RAM: RAM minus the DTB, the user image, the device tree's
 * reservations, the IRQ node and the root-server objects (minus sub-16-byte alignment slivers). */
START_TEST(test_untyped_ram_coverage)
{
    seL4_BootInfo *bi = hostsim_bootinfo();
    size_t dtb_size;
    free(ktest_read_data(KTEST_DTB_SMALL, &dtb_size));
    struct range fr[256] = {{0x40000000, 0x44000000}};
    int n = 1;
    ranges_remove(fr, &n, (struct range){0x40000000, 0x40000000 + dtb_size}); /* DTB copy */
    uint64_t ui_p = cap_frame_cap_get_base(slot_cap(bi->userImageFrames.start));
    uint64_t ui_pages = bi->userImageFrames.end - bi->userImageFrames.start;
    ck_assert_uint_eq(ui_p, 0x40001000); /* next page after the DTB */
    ranges_remove(fr, &n, (struct range){ui_p, ui_p + ui_pages * 4096});
    ranges_remove(fr, &n, (struct range){0x43000000, 0x43010000}); /* /memreserve/ */
    ranges_remove(fr, &n, (struct range){0x43800000, 0x43900000}); /* /reserved-memory */
    /* The IRQ node: kernel memory, naturally aligned, every slot empty. */
    uint64_t irq_node = hal_vtop(ks.irq_node);
    ck_assert_uint_eq(irq_node & MASK(IRQ_NODE_BITS), 0);
    for (unsigned i = 0; i < IRQ_NODE_SLOTS; i++) {
        ck_assert_uint_eq(cap_get_cap_type(ks.irq_node[i].cap), cap_null_cap);
    }
    ranges_remove(fr, &n, (struct range){irq_node, irq_node + (1ull << IRQ_NODE_BITS)});

    /* Root-server objects: one contiguous block, each object naturally aligned. */
    struct range objs[] = {
        {cap_cnode_cap_get_ptr(slot_cap(2)),
         cap_cnode_cap_get_ptr(slot_cap(2)) + (32ull << CONFIG_ROOT_CNODE_SIZE_BITS)},
        {cap_vspace_cap_get_ptr(slot_cap(3)), cap_vspace_cap_get_ptr(slot_cap(3)) + 4096},
        {cap_asid_pool_cap_get_ptr(slot_cap(6)), cap_asid_pool_cap_get_ptr(slot_cap(6)) + 4096},
        {cap_frame_cap_get_base(slot_cap(9)), cap_frame_cap_get_base(slot_cap(9)) + 4096},
        {cap_frame_cap_get_base(slot_cap(10)), cap_frame_cap_get_base(slot_cap(10)) + 4096},
        {cap_thread_cap_get_tcb(slot_cap(1)), cap_thread_cap_get_tcb(slot_cap(1)) + 2048},
#ifdef CONFIG_KERNEL_MCS /* the root thread's scheduling context (seL4_CapInitThreadSC) */
        {cap_sched_context_cap_get_ptr(slot_cap(14)),
         cap_sched_context_cap_get_ptr(slot_cap(14)) +
             (1ull << cap_sched_context_cap_get_size_bits(slot_cap(14)))},
#endif
    };
    uint64_t lo = ~0ull, hi = 0, total = 0;
    for (size_t i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
        ranges_remove(fr, &n, objs[i]);
        lo = objs[i].start < lo ? objs[i].start : lo;
        hi = objs[i].end > hi ? objs[i].end : hi;
        total += objs[i].end - objs[i].start;
    }
    for (uint64_t s = bi->userImagePaging.start; s < bi->extraBIPages.end; s++) {
        cap_t c = slot_cap(s);
        uint64_t pa = cap_get_cap_type(c) == cap_page_table_cap ? cap_page_table_cap_get_ptr(c)
                                                                : cap_frame_cap_get_base(c);
        ranges_remove(fr, &n, (struct range){pa, pa + 4096});
        lo = pa < lo ? pa : lo;
        hi = pa + 4096 > hi ? pa + 4096 : hi;
        total += 4096;
    }
    ck_assert_uint_eq(hi - lo, total); /* contiguous */
    ck_assert_uint_eq(lo & MASK(CONFIG_ROOT_CNODE_SIZE_BITS + 5), 0);
    ck_assert_uint_ge(lo, 0x43900000); /* top-most region that fits */

    uint64_t expect = 0, got = 0;
    for (int i = 0; i < n; i++) {
        uint64_t s = ROUND_UP(fr[i].start, 4), e = ROUND_DOWN(fr[i].end, 4);
        expect += e > s ? e - s : 0;
    }
    for (uint64_t i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        if (d->isDevice) {
            continue;
        }
        uint64_t end = d->paddr + (1ull << d->sizeBits);
        bool inside = false;
        for (int k = 0; k < n; k++) {
            inside = inside || (d->paddr >= fr[k].start && end <= fr[k].end);
        }
        ck_assert_msg(inside, "RAM untyped %#llx/%u is not free RAM", (unsigned long long)d->paddr,
                      d->sizeBits);
        got += 1ull << d->sizeBits;
    }
    ck_assert_uint_eq(got, expect);
}
END_TEST

/* The QEMU virt machine gives seL4's device untyped list (docs/abi.md#observed-on-sel4). */
START_TEST(test_untyped_virt_layout)
{
    ktest_boot(KTEST_DTB_VIRT);
    seL4_BootInfo *bi = hostsim_bootinfo();
    static const struct {
        uint64_t paddr;
        unsigned bits;
    } head[] = {{0x0, 27},       {0x8001000, 12}, {0x8002000, 13},
                {0x8004000, 14}, {0x8008000, 15}, {0x8011000, 12}},
      tail[] = {{0x80000000, 31},   {0x100000000, 32},  {0x200000000, 33},
                {0x400000000, 34},  {0x800000000, 35},  {0x1000000000, 36},
                {0x2000000000, 37}, {0x4000000000, 38}, {0x8000000000, 39}};
    for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++) {
        ck_assert_uint_eq(bi->untypedList[i].paddr, head[i].paddr);
        ck_assert_uint_eq(bi->untypedList[i].sizeBits, head[i].bits);
        ck_assert_uint_eq(bi->untypedList[i].isDevice, 1);
    }
    size_t ndev = 0;
    while (bi->untypedList[ndev].isDevice) {
        ndev++;
    }
    ck_assert_uint_ge(ndev, sizeof(tail) / sizeof(tail[0]));
    for (size_t i = 0; i < sizeof(tail) / sizeof(tail[0]); i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[ndev - 9 + i];
        ck_assert_uint_eq(d->paddr, tail[i].paddr);
        ck_assert_uint_eq(d->sizeBits, tail[i].bits);
    }
    ck_assert_uint_eq(bi->untypedList[ndev - 10].paddr, 0x20000000); /* end of [0x8011000, 2^30) */
    ck_assert_uint_eq(bi->untypedList[ndev - 10].sizeBits, 29);
    /* The root-server objects sit at the top of RAM: the last RAM untyped ends below 2 GiB, the
     * bootinfo frame is above all RAM untypeds' starts. */
    uint64_t last = bi->untyped.end - bi->untyped.start - 1;
    ck_assert_uint_le(bi->untypedList[last].paddr + (1ull << bi->untypedList[last].sizeBits),
                      0x80000000);
    ck_assert_uint_ge(cap_frame_cap_get_base(slot_cap(seL4_CapBootInfoFrame)), 0x7fc00000);
}
END_TEST

START_TEST(test_untyped_limit)
{
    /* 16 RAM regions at odd addresses split into many small untypeds: more than bootinfo holds. */
    uint64_t mem[16][2];
    for (int i = 0; i < 16; i++) {
        mem[i][0] = 0x40000010ull + (uint64_t)i * 0x1000000;
        mem[i][1] = 0xffffe0;
    }
    struct fdtb_spec s = {.mem = (const uint64_t(*)[2])mem, .n_mem = 16, .gic = true};
    size_t size;
    void *dtb = fdtb_build(&s, &size);
    hostsim_console_capture(true);
    boot_blob(dtb, size);
    const char *out = hostsim_console_take();
    hostsim_console_capture(false);
    seL4_BootInfo *bi = hostsim_bootinfo();
    ck_assert_uint_eq(bi->untyped.end - bi->untyped.start, CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS);
    ck_assert_uint_eq(bi->empty.start, bi->untyped.end);
    ck_assert_ptr_nonnull(strstr(out, "too many untyped"));
    free(dtb);
}
END_TEST

/* ---- kernel_boot: address space and root thread ---- */

START_TEST(test_paging_and_frames)
{
    seL4_BootInfo *bi = hostsim_bootinfo();
    static const uint64_t bits[] = {39, 30, 21};
    for (uint64_t s = bi->userImagePaging.start; s < bi->userImagePaging.end; s++) {
        cap_t c = slot_cap(s);
        unsigned level = (unsigned)(s - bi->userImagePaging.start); /* one table per level here */
        ck_assert_uint_eq(cap_page_table_cap_get_is_mapped(c), 1);
        ck_assert_uint_eq(cap_page_table_cap_get_mapped_asid(c), 1);
        ck_assert_uint_eq(cap_page_table_cap_get_mapped_vaddr(c),
                          ROUND_DOWN(UI_VBASE, bits[level]));
    }
    for (uint64_t s = bi->userImageFrames.start; s < bi->userImageFrames.end; s++) {
        cap_t c = slot_cap(s);
        uint64_t va = UI_VBASE + (s - bi->userImageFrames.start) * 4096;
        ck_assert_uint_eq(cap_frame_cap_get_mapped_asid(c), 1);
        ck_assert_uint_eq(cap_frame_cap_get_mapped_vaddr(c), va);
        ck_assert_uint_eq(cap_frame_cap_get_vm_rights(c), VM_READ_WRITE);
        ck_assert_uint_eq(cap_frame_cap_get_size(c), FRAME_SMALL);
        uint64_t pte = leaf_pte(va);
        ck_assert_uint_eq(pte & PTE_ADDR_MASK, cap_frame_cap_get_base(c));
        ck_assert_uint_eq(pte & PTE_UXN, 0);                 /* executable */
        ck_assert_uint_eq(pte & PTE_AP_MASK, PTE_AP_EL0_RW); /* EL0 read-write */
    }
    cap_t ipc = slot_cap(seL4_CapInitThreadIPCBuffer), bif = slot_cap(seL4_CapBootInfoFrame);
    ck_assert_uint_eq(cap_frame_cap_get_mapped_vaddr(ipc), ui_v_end());
    ck_assert_uint_eq(cap_frame_cap_get_mapped_asid(ipc), 1);
    ck_assert_uint_eq(cap_frame_cap_get_mapped_vaddr(bif), ui_v_end() + 0x1000);
    ck_assert_uint_eq(cap_frame_cap_get_mapped_asid(bif), 1);
    ck_assert_uint_eq(leaf_pte(ui_v_end()) & PTE_ADDR_MASK, cap_frame_cap_get_base(ipc));
    ck_assert_uint_ne(leaf_pte(ui_v_end()) & PTE_UXN, 0);
    ck_assert_uint_ne(leaf_pte(ui_v_end() + 0x1000) & PTE_UXN, 0);
    /* Nothing mapped below the image or after the extra bootinfo. */
    ck_assert_uint_eq(leaf_pte(UI_VBASE - 0x1000), 0);
    ck_assert_uint_eq(leaf_pte(ui_v_end() + 0x3000), 0);
}
END_TEST

START_TEST(test_root_thread)
{
    struct tcb *t = ks.root_thread;
    ck_assert_ptr_eq(ks.cur_thread, t);
    ck_assert_uint_eq(cap_thread_cap_get_tcb(slot_cap(seL4_CapInitThreadTCB)), VTOP(t));
    ck_assert_uint_eq(thread_state_type(t), ThreadState_Running);
    ck_assert_uint_eq(t->priority, 255);
    ck_assert_uint_eq(t->mcp, 255);
    ck_assert_uint_eq(t->domain, 0);
#ifdef CONFIG_KERNEL_MCS /* the fault handler is a cap in the TCB: none; time is its SC's */
    ck_assert_uint_eq(cap_get_cap_type(t->ctes[TCB_FAULT_HANDLER].cap), cap_null_cap);
    ck_assert_ptr_nonnull(t->sched_context);
#else
    ck_assert_uint_eq(t->time_slice, CONFIG_TIME_SLICE);
    ck_assert_uint_eq(t->fault_handler, 0);
#endif
    ck_assert_str_eq(t->name, "rootserver");
    ck_assert_uint_eq(t->ipc_buffer, ui_v_end());
    for (int r = 0; r < N_USER_REGS; r++) {
        uint64_t v = hal_reg_get(&t->arch, r);
        if (r == REG_X0) {
            ck_assert_uint_eq(v, ui_v_end() + 0x1000);
        } else if (r == REG_NEXT_IP) {
            ck_assert_uint_eq(v, UI_VBASE);
        } else if (r == REG_SPSR) {
            ck_assert_uint_eq(v, USER_SPSR_INITIAL);
        } else {
            ck_assert_msg(v == 0, "register %d is %#llx", r, (unsigned long long)v);
        }
    }
    /* CTable, VTable and buffer slots are children of root CNode slots 2, 3 and 10. */
    static const struct {
        int tcb_slot;
        uint64_t root_slot;
    } links[] = {{TCB_CTABLE, 2}, {TCB_VTABLE, 3}, {TCB_BUFFER, 10}};
    for (size_t i = 0; i < 3; i++) {
        cte_t *src = &root_slots()[links[i].root_slot], *dst = &t->ctes[links[i].tcb_slot];
        ck_assert_uint_eq(mdb_node_get_next(src->mdb), VTOP(dst));
        ck_assert_uint_eq(mdb_node_get_prev(dst->mdb), VTOP(src));
        ck_assert_uint_eq(mdb_node_get_revocable(dst->mdb), 0);
        ck_assert_uint_eq(mdb_node_get_first_badged(dst->mdb), 0);
        ck_assert_uint_eq(cap_get_cap_type(dst->cap), cap_get_cap_type(src->cap));
    }
    ck_assert_uint_eq(cap_frame_cap_get_mapped_asid(t->ctes[TCB_BUFFER].cap), 0); /* derived copy */
    ck_assert_uint_eq(cap_frame_cap_get_base(t->ctes[TCB_BUFFER].cap),
                      cap_frame_cap_get_base(slot_cap(seL4_CapInitThreadIPCBuffer)));
#ifndef CONFIG_KERNEL_MCS /* MCS: no reply slot (reply objects) */
    ck_assert_uint_eq(cap_get_cap_type(t->ctes[TCB_REPLY].cap), cap_null_cap);
#endif
    /* The IPC buffer hostsim hands to tests is that frame. */
    ck_assert_ptr_eq(
        hostsim_root_ipc_buffer(),
        hostsim_phys_to_host(cap_frame_cap_get_base(slot_cap(seL4_CapInitThreadIPCBuffer)), 4096));
}
END_TEST

/* ---- hostsim_boot ---- */

/* Pages of small.dtb's RAM (64 MiB at 0x40000000) resident in the memfd behind it: each boot maps a
 * fresh one, so these are the pages the boot touched (read or written). */
static size_t small_ram_pages_touched(size_t *total)
{
    const size_t ram = 64ul << 20, page = (size_t)sysconf(_SC_PAGESIZE);
    void *host = hostsim_phys_to_host(0x40000000, ram);
    ck_assert_ptr_nonnull(host);
    static unsigned char vec[(64ul << 20) / 4096];
    ck_assert_uint_le(ram / page, sizeof(vec));
    ck_assert_int_eq(mincore(host, ram, vec), 0);
    size_t touched = 0;
    for (size_t i = 0; i < ram / page; i++) {
        touched += vec[i] & 1;
    }
    *total = ram / page;
    return touched;
}

/* Twenty boots in a row, each a complete machine. A boot's work is bounded by what it sets up (the
 * kernel's and the root task's images, bootinfo, the root CNode, page tables), never proportional
 * to RAM: it touches the same small number of pages every time, far from all of RAM. Boot time is a
 * benchmark (bench/bench_hostsim.c, `boot small.dtb`), not a test. */
START_TEST(test_reboot_bounded_work)
{
    size_t first = 0, total = 0;
    for (int i = 0; i < 20; i++) {
        ktest_boot(KTEST_DTB_SMALL);
        ck_assert_uint_eq(ktest_cap_type(seL4_CapInitThreadCNode), KAAL_CAP_TAG_CNODE);
        ck_assert_uint_eq(ktest_cap_type(hostsim_bootinfo()->untyped.start), KAAL_CAP_TAG_UNTYPED);
        ck_assert(!hostsim_panicked());
        size_t touched = small_ram_pages_touched(&total);
        if (i == 0) {
            first = touched;
            fprintf(stderr, "# hostsim boot (small.dtb) touches %zu of %zu RAM pages\n", touched,
                    total);
        }
        ck_assert_uint_gt(touched, 0);
        ck_assert_uint_eq(touched, first);      /* the same work every boot */
        ck_assert_uint_lt(touched, total / 16); /* under 4 MiB of the 64 */
    }
}
END_TEST

START_TEST(test_reboot_virt)
{
    for (int i = 0; i < 3; i++) {
        ktest_boot(KTEST_DTB_VIRT);
        ck_assert_uint_eq(ktest_cap_type(16), KAAL_CAP_TAG_PAGE_TABLE);
    }
    ktest_boot(KTEST_DTB_SMALL);
    ck_assert_uint_eq(hostsim_bootinfo()->extraBIPages.end - hostsim_bootinfo()->extraBIPages.start,
                      1);
}
END_TEST

START_TEST(test_malformed_dtb)
{
    size_t size;
    uint8_t *dtb = ktest_read_data(KTEST_DTB_SMALL, &size);
    const char *error = NULL;
    ck_assert_int_eq(hostsim_boot(dtb, size / 2, &error), -1);
    ck_assert_ptr_nonnull(strstr(error, "truncated"));
    ck_assert_ptr_null(hostsim_bootinfo());
    ck_assert_ptr_null(hostsim_root_ipc_buffer());
    uint64_t regs[8] = {2, 0, 0, 0, 0, 0, 0, (uint64_t)seL4_SysDebugCapIdentify};
    ck_assert_int_eq(hostsim_root_syscall(regs, NULL), HOSTSIM_HALTED);
    dtb[0] = 0;
    ck_assert_int_eq(hostsim_boot(dtb, size, &error), -1);
    ck_assert_ptr_nonnull(strstr(error, "bad magic"));
    ck_assert_int_eq(hostsim_boot(NULL, 0, &error), -1);
    /* A misaligned but valid blob boots (hostsim copies it). */
    free(dtb);
    dtb = ktest_read_data(KTEST_DTB_SMALL, &size);
    uint8_t *odd = malloc(size + 1);
    memcpy(odd + 1, dtb, size);
    boot_blob(odd + 1, size);
    free(odd);
    free(dtb);
    ck_assert_uint_eq(ktest_cap_type(seL4_CapInitThreadTCB), KAAL_CAP_TAG_THREAD);
}
END_TEST

START_TEST(test_ram_errors)
{
    const char *error = NULL;
    size_t size;
    /* 64 KiB of RAM cannot hold a 128 KiB root CNode. */
    const uint64_t tiny[][2] = {{0x40000000, 0x40000}};
    struct fdtb_spec s = {.mem = tiny, .n_mem = 1};
    void *dtb = fdtb_build(&s, &size);
    ck_assert_int_eq(hostsim_boot(dtb, size, &error), -1);
    ck_assert_msg(strstr(error, "not enough free RAM") || strstr(error, "no room"), "error: %s",
                  error);
    ck_assert_ptr_null(hostsim_bootinfo());
    free(dtb);
    /* Fully reserved RAM leaves no room even for the loader's images. */
    const uint64_t mem[][2] = {{0x40000000, 0x1000000}};
    struct fdtb_spec r = {.mem = mem, .n_mem = 1, .rsv = mem, .n_rsv = 1};
    dtb = fdtb_build(&r, &size);
    ck_assert_int_eq(hostsim_boot(dtb, size, &error), -1);
    ck_assert_ptr_nonnull(strstr(error, "no room"));
    free(dtb);
    /* No memory node at all. */
    struct fdtb_spec none = {0};
    dtb = fdtb_build(&none, &size);
    ck_assert_int_eq(hostsim_boot(dtb, size, &error), -1);
    ck_assert_ptr_nonnull(strstr(error, "no /memory"));
    free(dtb);
}
END_TEST

START_TEST(test_placement_skips_reservations)
{
    /* A reservation at the start of RAM: the DTB and image go after it. */
    const uint64_t mem[][2] = {{0x40000000, 0x4000000}};
    const uint64_t rsv[][2] = {{0x40000000, 0x10000}};
    struct fdtb_spec s = {.mem = mem, .n_mem = 1, .rsv = rsv, .n_rsv = 1};
    size_t size;
    void *dtb = fdtb_build(&s, &size);
    boot_blob(dtb, size);
    seL4_BootInfo *bi = hostsim_bootinfo();
    uint64_t ui_p = cap_frame_cap_get_base(slot_cap(bi->userImageFrames.start));
    ck_assert_uint_eq(ui_p, 0x40011000);
    for (uint64_t i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        ck_assert(d->isDevice || d->paddr >= 0x40010000);
    }
    free(dtb);
}
END_TEST

/* ---- hostsim_phys_to_host, hostsim_shutdown ---- */

START_TEST(test_phys_to_host)
{
    ck_assert_ptr_nonnull(hostsim_phys_to_host(0x40000000, 4096));
    ck_assert_ptr_nonnull(hostsim_phys_to_host(0x43fff000, 4096));
    ck_assert_ptr_null(hostsim_phys_to_host(0x43fff000, 4097));
    ck_assert_ptr_null(hostsim_phys_to_host(0x44000000, 1));
    ck_assert_ptr_null(hostsim_phys_to_host(0x3ffff000, 4096));
    ck_assert_ptr_null(hostsim_phys_to_host(0x09000000, 4));
    ck_assert_ptr_null(hostsim_phys_to_host(~0ull, 2));
    /* The DTB copy sits at the start of RAM. */
    ck_assert_uint_eq(fdt_magic(hostsim_phys_to_host(0x40000000, 64)), FDT_MAGIC);
}
END_TEST

START_TEST(test_shutdown)
{
    hostsim_shutdown();
    hostsim_shutdown();
    ck_assert_ptr_null(hostsim_bootinfo());
    ck_assert_ptr_null(hostsim_phys_to_host(0x40000000, 1));
    uint64_t regs[8] = {2, 0, 0, 0, 0, 0, 0, (uint64_t)seL4_SysDebugCapIdentify};
    ck_assert_int_eq(hostsim_root_syscall(regs, NULL), HOSTSIM_HALTED);
    ktest_boot(KTEST_DTB_SMALL);
    ck_assert_uint_eq(ktest_cap_type(seL4_CapInitThreadCNode), KAAL_CAP_TAG_CNODE);
}
END_TEST

static Suite *boot_suite(void)
{
    Suite *s = suite_create("boot");
    TCase *tc = tcase_create("kernel_boot");
    tcase_add_checked_fixture(tc, ktest_setup, ktest_teardown);
    tcase_add_test(tc, test_cap_identify);
    tcase_add_test(tc, test_root_cnode_cap);
    tcase_add_test(tc, test_asid_pool);
    tcase_add_test(tc, test_invariants_after_boot);
    tcase_add_test(tc, test_bootinfo_fields);
    tcase_add_test(tc, test_bootinfo_regions);
    tcase_add_test(tc, test_extra_bootinfo);
    tcase_add_test(tc, test_extra_bootinfo_virt);
    tcase_add_test(tc, test_untyped_list);
    tcase_add_test(tc, test_untyped_ram_coverage);
    tcase_add_test(tc, test_untyped_virt_layout);
    tcase_add_test(tc, test_untyped_limit);
    tcase_add_test(tc, test_paging_and_frames);
    tcase_add_test(tc, test_root_thread);
    suite_add_tcase(s, tc);

    tc = tcase_create("hostsim_boot");
    tcase_add_checked_fixture(tc, ktest_setup, ktest_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_reboot_bounded_work);
    tcase_add_test(tc, test_reboot_virt);
    tcase_add_test(tc, test_malformed_dtb);
    tcase_add_test(tc, test_ram_errors);
    tcase_add_test(tc, test_placement_skips_reservations);
    suite_add_tcase(s, tc);

    tc = tcase_create("hostsim_phys_to_host");
    tcase_add_checked_fixture(tc, ktest_setup, ktest_teardown);
    tcase_add_test(tc, test_phys_to_host);
    suite_add_tcase(s, tc);

    tc = tcase_create("hostsim_shutdown");
    tcase_add_checked_fixture(tc, ktest_setup, ktest_teardown);
    tcase_add_test(tc, test_shutdown);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return ktest_run(boot_suite()); }
