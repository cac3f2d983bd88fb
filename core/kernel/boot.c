/* SPDX-License-Identifier: BSD-2-Clause */
/* Boot: build exactly the world seL4 builds for its root task (docs/abi.md#boot): free memory from
 * the device tree, the root-server objects, the initial caps, the root address space and thread.
 * The bootinfo frame and the untyped caps are in bootinfo.c. */
#include <hal/mmu.h>
#include <kaal/cdt.h>
#include <kaal/kernel.h>
#include <kaal/mcs.h>
#ifdef CONFIG_KERNEL_MCS
#include <kaal/sporadic.h>
#endif
#include <kaal/objecttype.h>
#include <kaal/printf.h>
#include <kaal/string.h>
#include <kaal/sched.h>
#include <kaal/thread.h>

#include "boot_internal.h"

/* ---- slots ---- */

void boot_write_slot(struct boot_state *b, word_t slot, cap_t cap)
{
    kassert(slot < BIT(CONFIG_ROOT_CNODE_SIZE_BITS));
    kassert(cap_get_cap_type(b->root_slots[slot].cap) == cap_null_cap);
    b->root_slots[slot].cap = cap;
    b->root_slots[slot].mdb = mdb_node_new(0, 1, 1, 0);
}

bool boot_provide_cap(struct boot_state *b, cap_t cap)
{
    if (b->slot_pos_cur >= BIT(CONFIG_ROOT_CNODE_SIZE_BITS)) {
        kprintf("KaaL boot: ran out of root CNode slots\n");
        return false;
    }
    boot_write_slot(b, b->slot_pos_cur, cap);
    b->slot_pos_cur++;
    return true;
}

/* ---- the root task's virtual layout ---- */

/* log2 of the power-of-two region (>= 4 KiB) holding `size` bytes of extra bootinfo; 0 for none. */
static word_t extra_bi_bits(word_t size)
{
    if (size == 0) {
        return 0;
    }
    word_t bits = 63 - (word_t)__builtin_clzll(size);
    if (size > BIT(bits)) {
        bits++;
    }
    return MAX(bits, (word_t)seL4_PageBits);
}

/* Tables at `level` (1..3) needed to cover [start, end): one per 2^shift(level - 1) bytes. */
static word_t paging_count(word_t start, word_t end, word_t level)
{
    word_t bits = HAL_PT_LEVEL_SHIFT(level - 1);
    return (ROUND_UP(end, bits) - ROUND_DOWN(start, bits)) >> bits;
}

/* Check the loader's handoff and compute the root task's virtual layout
 * (docs/abi.md#root-task-start). */
static int boot_layout_init(struct boot_state *b, const char **error)
{
    const struct boot_params *p = b->params;
    if (p->dtb == NULL || p->dtb_size == 0) {
        *error = "boot: no device tree (the kernel learns its RAM from it)";
        return -1;
    }
    if (!IS_ALIGNED(p->ui_p_start, seL4_PageBits) || !IS_ALIGNED(p->ui_p_end, seL4_PageBits) ||
        p->ui_p_end < p->ui_p_start || !IS_ALIGNED(p->pv_offset, seL4_PageBits) ||
        p->ui_p_start < p->pv_offset) {
        *error = "boot: user image region is not page aligned or is inverted";
        return -1;
    }
    b->ui_v_start = p->ui_p_start - p->pv_offset;
    b->ui_v_end = p->ui_p_end - p->pv_offset;
    b->ipc_buf_vptr = b->ui_v_end;
    b->bi_frame_vptr = b->ipc_buf_vptr + BIT(seL4_PageBits);
    b->extra_bi_vptr = b->bi_frame_vptr + BIT(seL4_BootInfoFrameBits);
    b->extra_bi_size = sizeof(seL4_BootInfoHeader) + p->dtb_size;
    b->extra_bi_size_bits = extra_bi_bits(b->extra_bi_size);
    b->it_v_end = b->extra_bi_vptr + (b->extra_bi_size_bits ? BIT(b->extra_bi_size_bits) : 0);
    if (b->it_v_end > seL4_UserTop || b->it_v_end < b->ui_v_start) {
        *error = "boot: the root task's image and boot frames do not fit below seL4_UserTop";
        return -1;
    }
    b->n_paging = 0;
    for (word_t level = 1; level < HAL_PT_LEVELS; level++) {
        b->n_paging += paging_count(b->ui_v_start, b->it_v_end, level);
    }
    return 0;
}

/* ---- free memory ---- */

/* Remove [r.start, r.end) from the sorted free list, splitting a region if needed. */
static bool freemem_remove(struct boot_state *b, struct mem_region r)
{
    for (word_t i = 0; i < b->n_freemem; i++) {
        struct mem_region *f = &b->freemem[i];
        if (r.end <= f->start || r.start >= f->end) {
            continue;
        }
        if (r.start > f->start && r.end < f->end) {
            if (b->n_freemem >= BOOT_MAX_FREEMEM) {
                return false;
            }
            for (word_t j = b->n_freemem; j > i + 1; j--) {
                b->freemem[j] = b->freemem[j - 1];
            }
            b->freemem[i + 1] = (struct mem_region){r.end, f->end};
            f->end = r.start;
            b->n_freemem++;
            i++;
        } else if (r.start > f->start) {
            f->end = r.start;
        } else if (r.end < f->end) {
            f->start = r.end;
        } else {
            f->start = f->end; /* swallowed; dropped below */
        }
    }
    word_t out = 0;
    for (word_t i = 0; i < b->n_freemem; i++) {
        if (b->freemem[i].start < b->freemem[i].end) {
            b->freemem[out++] = b->freemem[i];
        }
    }
    b->n_freemem = out;
    return true;
}

/* Parse the device tree and compute free RAM: RAM minus the kernel image, the DTB, the user image,
 * the device tree's own reservations and the initrd (seL4 init_freemem's reserved list). */
static int boot_freemem_init(struct boot_state *b, const char **error)
{
    const struct boot_params *p = b->params;
    if (dtb_parse_memory(p->dtb, p->dtb_size, &b->map, error) != 0) {
        return -1;
    }
    for (word_t i = 0; i < b->map.n_ram; i++) {
        if (b->map.ram[i].end > BIT(48)) {
            *error = "boot: RAM above the 48-bit physical address space";
            return -1;
        }
        b->freemem[b->n_freemem++] = b->map.ram[i];
    }
    struct mem_region fixed[] = {
        {p->kernel_p_start, p->kernel_p_end},
        {p->dtb_paddr, p->dtb_paddr ? p->dtb_paddr + p->dtb_size : 0},
        {p->ui_p_start, p->ui_p_end},
        {b->map.initrd_start, b->map.initrd_end},
    };
    bool ok = true;
    for (word_t i = 0; i < ARRAY_SIZE(fixed); i++) {
        if (fixed[i].start < fixed[i].end) {
            ok = ok && freemem_remove(b, fixed[i]);
        }
    }
    for (word_t i = 0; i < b->map.n_reserved; i++) {
        ok = ok && freemem_remove(b, b->map.reserved[i]);
    }
    if (!ok) {
        *error = "boot: too many free memory regions";
        return -1;
    }
    return 0;
}

/* ---- root-server objects (seL4 create_rootserver_objects) ---- */

static word_t rootserver_size(const struct boot_state *b)
{
    word_t size = BIT(CONFIG_ROOT_CNODE_SIZE_BITS + seL4_SlotBits);
    size += BIT(seL4_TCBBits);
    size += BIT(seL4_PageBits); /* IPC buffer */
    size += BIT(seL4_BootInfoFrameBits);
    size += BIT(seL4_ASIDPoolBits);
    size += b->extra_bi_size_bits ? BIT(b->extra_bi_size_bits) : 0;
    size += BIT(seL4_VSpaceBits);
#ifdef CONFIG_KERNEL_MCS
    size += BIT(seL4_MinSchedContextBits);
#endif
    return size + b->n_paging * BIT(seL4_PageTableBits);
}

static word_t rootserver_max_bits(const struct boot_state *b)
{
    word_t bits =
        MAX((word_t)(CONFIG_ROOT_CNODE_SIZE_BITS + seL4_SlotBits), (word_t)seL4_VSpaceBits);
    return MAX(bits, b->extra_bi_size_bits);
}

static paddr_t rootserver_alloc(struct boot_state *b, word_t bits, word_t n)
{
    paddr_t pa = b->rs_next;
    kassert(IS_ALIGNED(pa, bits)); /* objects are allocated largest first from an aligned start */
    b->rs_next += n << bits;
    kassert(b->rs_next <= b->rs.end);
    return pa;
}

/* The extra bootinfo goes in as soon as its size is no smaller than the objects still to come. */
static void rootserver_maybe_alloc_extra_bi(struct boot_state *b, word_t cmp_bits)
{
    if (b->extra_bi_size_bits >= cmp_bits && b->rs.extra_bi == 0) {
        b->rs.extra_bi = rootserver_alloc(b, b->extra_bi_size_bits, 1);
    }
}

/* Take the top-most suitably aligned block of free RAM that holds every root-server object, carve
 * the objects from it largest first (so each is naturally aligned) and zero them. */
static int rootserver_init(struct boot_state *b, const char **error)
{
    word_t size = rootserver_size(b);
    word_t align = rootserver_max_bits(b);
    for (word_t n = b->n_freemem; n > 0; n--) {
        struct mem_region *f = &b->freemem[n - 1];
        if (f->end - f->start < size) {
            continue;
        }
        paddr_t start = ROUND_DOWN(f->end - size, align);
        if (start < f->start) {
            continue;
        }
        b->rs.start = start;
        b->rs.end = start + size;
        if (!freemem_remove(b, (struct mem_region){b->rs.start, b->rs.end})) {
            *error = "boot: too many free memory regions";
            return -1;
        }
        break;
    }
    if (b->rs.end == 0) {
        *error = "boot: not enough free RAM for the root task's objects";
        return -1;
    }
    hal_zero_phys(b->rs.start, size);
    hal_cache_clean_new_memory(b->rs.start,
                               size); /* its frames and page tables are the root task's */

    b->rs_next = b->rs.start;
    rootserver_maybe_alloc_extra_bi(b, CONFIG_ROOT_CNODE_SIZE_BITS + seL4_SlotBits + 1);
    b->rs.cnode = rootserver_alloc(b, CONFIG_ROOT_CNODE_SIZE_BITS + seL4_SlotBits, 1);
    rootserver_maybe_alloc_extra_bi(b, seL4_VSpaceBits);
    b->rs.vspace = rootserver_alloc(b, seL4_VSpaceBits, 1);
    rootserver_maybe_alloc_extra_bi(b, seL4_PageBits);
    b->rs.asid_pool = rootserver_alloc(b, seL4_ASIDPoolBits, 1);
    b->rs.ipc_buf = rootserver_alloc(b, seL4_PageBits, 1);
    b->rs.boot_info = rootserver_alloc(b, seL4_BootInfoFrameBits, 1);
    b->rs.paging_start = rootserver_alloc(b, seL4_PageTableBits, b->n_paging);
    b->rs.paging_end = b->rs_next;
    b->rs.tcb = rootserver_alloc(b, seL4_TCBBits, 1);
#ifdef CONFIG_KERNEL_MCS
    b->rs.sc = rootserver_alloc(b, seL4_MinSchedContextBits, 1);
#endif
    kassert(b->rs_next == b->rs.end);

    b->root_slots = PTOV(cte_t, b->rs.cnode);
    b->bi = PTOV(seL4_BootInfo, b->rs.boot_info);
    b->slot_pos_cur = seL4_NumInitialCaps;
    return 0;
}

/* ---- the IRQ node ---- */

/* The IRQ node (ks.irq_node): 2^IRQ_NODE_BITS bytes of kernel memory, naturally aligned, from the
 * top-most free region that holds it, zeroed (every slot empty). Not part of any untyped. seL4
 * allocates its intStateIRQNode the same way at boot (or statically, in its kernel image). */
static int irq_node_init(struct boot_state *b, const char **error)
{
    for (word_t n = b->n_freemem; n > 0; n--) {
        struct mem_region *f = &b->freemem[n - 1];
        if (f->end - f->start < BIT(IRQ_NODE_BITS)) {
            continue;
        }
        paddr_t start = ROUND_DOWN(f->end - BIT(IRQ_NODE_BITS), IRQ_NODE_BITS);
        if (start < f->start) {
            continue;
        }
        if (!freemem_remove(b, (struct mem_region){start, start + BIT(IRQ_NODE_BITS)})) {
            *error = "boot: too many free memory regions";
            return -1;
        }
        hal_zero_phys(start, BIT(IRQ_NODE_BITS));
        ks.irq_node = PTOV(cte_t, start);
        return 0;
    }
    *error = "boot: not enough free RAM for the IRQ node";
    return -1;
}

/* ---- initial caps ---- */

/* The root CNode's cap to itself, the domain cap and IRQ control (slots 2, 11, 4). */
static int root_cnode_init(struct boot_state *b, const char **error)
{
    (void)error;
    boot_write_slot(b, seL4_CapInitThreadCNode,
                    cap_cnode_cap_new(b->rs.cnode, CONFIG_ROOT_CNODE_SIZE_BITS,
                                      64 - CONFIG_ROOT_CNODE_SIZE_BITS, 0));
    boot_write_slot(b, seL4_CapDomain, cap_domain_cap_new());
    boot_write_slot(b, seL4_CapIRQControl, cap_irq_control_cap_new());
    return 0;
}

/* The table at `level` (0..3) covering vaddr in the root VSpace; every table on the way exists. */
static paddr_t it_table(const struct boot_state *b, word_t vaddr, word_t level)
{
    paddr_t table = b->rs.vspace;
    for (word_t l = 0; l < level; l++) {
        word_t pte = PTOV(word_t, table)[HAL_PT_INDEX(vaddr, l)];
        kassert(pte != HAL_PTE_INVALID);
        table = pte & 0x0000fffffffff000ull;
    }
    return table;
}

/* The VSpace root (slot 3) and the L1, L2 and L3 tables covering [ui_v_start, it_v_end), linked
 * into each other, with their caps from slot 16 on (bootinfo userImagePaging). */
static int it_vspace_init(struct boot_state *b, const char **error)
{
    boot_write_slot(b, seL4_CapInitThreadVSpace, cap_vspace_cap_new(b->rs.vspace, 1, IT_ASID));
    b->bi->userImagePaging.start = b->slot_pos_cur;
    paddr_t next_table = b->rs.paging_start;
    for (word_t level = 1; level < HAL_PT_LEVELS; level++) {
        word_t bits = HAL_PT_LEVEL_SHIFT(level - 1);
        for (word_t v = ROUND_DOWN(b->ui_v_start, bits); v < b->it_v_end; v += BIT(bits)) {
            paddr_t parent = it_table(b, v, level - 1);
            PTOV(word_t, parent)[HAL_PT_INDEX(v, level - 1)] = hal_pte_table(next_table);
            if (!boot_provide_cap(b, cap_page_table_cap_new(next_table, 1, IT_ASID, v))) {
                *error = "boot: root CNode too small for the initial caps";
                return -1;
            }
            next_table += BIT(seL4_PageTableBits);
        }
    }
    kassert(next_table == b->rs.paging_end);
    b->bi->userImagePaging.end = b->slot_pos_cur;
    return 0;
}

/* Map the 4 KiB frame at pa at vaddr in the root VSpace (RW) and return its frame cap, which
 * records the mapping (ASID 1, vaddr). */
static cap_t it_map_frame(struct boot_state *b, paddr_t pa, word_t vaddr, bool executable)
{
    paddr_t l3 = it_table(b, vaddr, 3);
    word_t *pte = &PTOV(word_t, l3)[HAL_PT_INDEX(vaddr, 3)];
    kassert(*pte == HAL_PTE_INVALID);
    *pte = hal_pte_page(pa, 3, VM_READ_WRITE, seL4_ARM_Default_VMAttributes, !executable);
    return cap_frame_cap_new(pa, FRAME_SMALL, VM_READ_WRITE, 0, IT_ASID, vaddr);
}

/* Map [pa, pa + size) page by page at vaddr and give each frame a cap from the next free slot. */
static int it_frames_init(struct boot_state *b, paddr_t pa, word_t size, word_t vaddr,
                          seL4_SlotRegion *region, const char **error)
{
    region->start = b->slot_pos_cur;
    for (word_t off = 0; off < size; off += BIT(seL4_PageBits)) {
        if (!boot_provide_cap(b, it_map_frame(b, pa + off, vaddr + off, true))) {
            *error = "boot: root CNode too small for the initial caps";
            return -1;
        }
    }
    region->end = b->slot_pos_cur;
    return 0;
}

/* The bootinfo frame (slot 9, XN), the extra bootinfo frames (extraBIPages) and the IPC buffer
 * (slot 10, XN), all mapped right after the user image. */
static int boot_frames_init(struct boot_state *b, const char **error)
{
    boot_write_slot(b, seL4_CapBootInfoFrame,
                    it_map_frame(b, b->rs.boot_info, b->bi_frame_vptr, false));
    if (b->extra_bi_size_bits) {
        if (it_frames_init(b, b->rs.extra_bi, BIT(b->extra_bi_size_bits), b->extra_bi_vptr,
                           &b->bi->extraBIPages, error) != 0) {
            return -1;
        }
    }
    boot_write_slot(b, seL4_CapInitThreadIPCBuffer,
                    it_map_frame(b, b->rs.ipc_buf, b->ipc_buf_vptr, false));
    return 0;
}

#ifdef CONFIG_KERNEL_MCS
/* MCS: one SchedControl cap per core (bootinfo schedcontrol), after the extra bootinfo frames. */
static int sched_control_init(struct boot_state *b, const char **error)
{
    b->bi->schedcontrol.start = b->slot_pos_cur;
    for (word_t core = 0; core < CONFIG_MAX_NUM_NODES; core++) {
        if (!boot_provide_cap(b, cap_sched_control_cap_new(core))) {
            *error = "boot: no root CNode slot for the SchedControl caps";
            return -1;
        }
    }
    b->bi->schedcontrol.end = b->slot_pos_cur;
    return 0;
}

/* MCS: the root thread's scheduling context (slot 14): round robin (period stored as 0) with a
 * budget of CONFIG_BOOT_THREAD_TIME_SLICE ms, its whole budget available now, bound to t. */
static void root_sched_context_init(struct boot_state *b, struct tcb *t)
{
    struct sched_context *sc = sc_from_paddr(b->rs.sc);
    uint64_t budget = mcs_us_to_ticks((uint64_t)CONFIG_BOOT_THREAD_TIME_SLICE * 1000u);
    sc_init_object(sc, seL4_MinSchedContextBits);
    refill_new(sc, MIN_REFILLS, budget, 0, sched_cur_time()); /* round robin: period 0 (mcs-sc) */
    boot_write_slot(b, seL4_CapInitThreadSC,
                    cap_sched_context_cap_new(b->rs.sc, seL4_MinSchedContextBits));
    sched_context_bind_tcb(sc, t);
}
#endif

/* One frame cap per user-image page, ascending vaddr (bootinfo userImageFrames), mapped RWX. */
static int user_image_init(struct boot_state *b, const char **error)
{
    const struct boot_params *p = b->params;
    return it_frames_init(b, p->ui_p_start, p->ui_p_end - p->ui_p_start, b->ui_v_start,
                          &b->bi->userImageFrames, error);
}

/* ASID control (slot 5) and ASID pool 0 (slot 6) holding the root VSpace at ASID 1. */
static int asid_init(struct boot_state *b, const char **error)
{
    (void)error;
    boot_write_slot(b, seL4_CapInitThreadASIDPool, cap_asid_pool_cap_new(b->rs.asid_pool, 0));
    boot_write_slot(b, seL4_CapASIDControl, cap_asid_control_cap_new());
    ks.asid_table[IT_ASID >> seL4_ASIDPoolIndexBits] = b->rs.asid_pool;
    PTOV(asid_pool_t, b->rs.asid_pool)->vspace[IT_ASID & MASK(seL4_ASIDPoolIndexBits)] =
        b->rs.vspace;
    return 0;
}

/* The root thread (slot 1): CSpace, VSpace and IPC buffer caps as children of the root CNode's
 * slots 2, 3 and 10; priority and MCP 255; x0 = bootinfo; it starts at the image's entry point. */
static int root_thread_init(struct boot_state *b, const char **error)
{
    (void)error;
    const struct boot_params *p = b->params;
    struct tcb *t = PTOV(struct tcb, b->rs.tcb);
    cte_t *slots = b->root_slots;

    /* The IPC buffer cap is derived: a frame cap's copy does not carry the mapping. */
    cap_t ipc_cap;
    struct syscall_error err;
    exception_t derived = cap_derive(&slots[seL4_CapInitThreadIPCBuffer],
                                     slots[seL4_CapInitThreadIPCBuffer].cap, &ipc_cap, &err);
    kassert(derived == EXCEPTION_NONE &&
            cap_get_cap_type(ipc_cap) == cap_frame_cap); /* frames always derive */
    (void)derived;
    cte_insert(slots[seL4_CapInitThreadCNode].cap, &slots[seL4_CapInitThreadCNode],
               &t->ctes[TCB_CTABLE]);
    cte_insert(slots[seL4_CapInitThreadVSpace].cap, &slots[seL4_CapInitThreadVSpace],
               &t->ctes[TCB_VTABLE]);
    cte_insert(ipc_cap, &slots[seL4_CapInitThreadIPCBuffer], &t->ctes[TCB_BUFFER]);

    hal_tcb_init(&t->arch);
    hal_reg_set(&t->arch, REG_X0, b->bi_frame_vptr);
    hal_reg_set(&t->arch, REG_NEXT_IP, p->v_entry);
    t->ipc_buffer = b->ipc_buf_vptr;
    t->priority = seL4_MaxPrio;
    t->mcp = seL4_MaxPrio;
    t->domain = 0;
#ifndef CONFIG_KERNEL_MCS
    t->time_slice = CONFIG_TIME_SLICE; /* MCS: its SC (root_sched_context_init) holds its time */
#endif
    kstrlcpy(t->name, "rootserver", sizeof(t->name));
    thread_set_state(t, ThreadState_Running);

    boot_write_slot(b, seL4_CapInitThreadTCB, cap_thread_cap_new(b->rs.tcb));
    ks.root_thread = t;
    sched_tcb_created(t);
#ifdef CONFIG_KERNEL_MCS
    root_sched_context_init(b, t);
#endif
    sched_boot_thread(t);
    return 0;
}

/* The boot steps, in seL4's order. Each returns 0 or -1 with *error. Slots from 16 on fill in the
 * order the steps provide them: paging, extra bootinfo frames, (MCS: SchedControl caps,) user
 * image frames, untypeds. */
static int (*const boot_steps[])(struct boot_state *b, const char **error) = {
    boot_layout_init,  /* the root task's virtual layout from the loader's handoff */
    boot_freemem_init, /* the device tree's RAM minus every reserved region */
    rootserver_init,   /* root CNode, VSpace, tables, ASID pool, frames, TCB: allocated, zeroed */
    irq_node_init,     /* the IRQ node: a slot per IRQ for its notification cap */
    root_cnode_init,   /* slots 2, 11, 4 */
    bootinfo_init,     /* bootinfo's fixed fields, the extra bootinfo (DTB) */
    it_vspace_init,    /* slot 3, paging tables linked and their caps */
    boot_frames_init,  /* bootinfo frame (9), extra bootinfo frames, IPC buffer (10), mapped */
#ifdef CONFIG_KERNEL_MCS
    sched_control_init, /* MCS: the SchedControl caps (bootinfo schedcontrol) */
#endif
    user_image_init,   /* user image frames, mapped */
    asid_init,         /* ASID pool (6) with the root VSpace at ASID 1, ASID control (5) */
    root_thread_init,  /* the root TCB (1), ready to run */
    untypeds_init,     /* device untypeds, then free RAM */
    bootinfo_finalise, /* the empty slot region */
};

int kernel_boot(const struct boot_params *params, const char **error)
{
    static struct boot_state b;

    kernel_state_reset();
    sched_init();
    kmemset(&b, 0, sizeof(b));
    b.params = params;
    for (size_t i = 0; i < ARRAY_SIZE(boot_steps); i++) {
        if (boot_steps[i](&b, error) != 0) {
            kernel_state_reset(); /* no half-built kernel: no current thread, no bootinfo */
            return -1;
        }
    }
    ks.bootinfo = b.bi;
    return 0;
}
