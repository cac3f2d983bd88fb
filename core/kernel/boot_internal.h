/* SPDX-License-Identifier: BSD-2-Clause */
/* State shared by the boot steps in boot.c and bootinfo.c while the kernel builds the root task's
 * world. Lives only for the duration of kernel_boot(). */
#ifndef KAAL_BOOT_INTERNAL_H
#define KAAL_BOOT_INTERNAL_H

#include <kaal/boot.h>
#include <kaal/structures.h>

/* The root task's VSpace gets this ASID (seL4's IT_ASID); its pool is pool 0. */
#define IT_ASID 1

/* Free RAM regions during boot: RAM minus reserved regions (at most MEM_MAP_MAX_RAM +
 * MEM_MAP_MAX_RESERVED + 4 pieces) plus the split around the root-server objects. */
#define BOOT_MAX_FREEMEM (MEM_MAP_MAX_RAM + MEM_MAP_MAX_RESERVED + 8)

/* Physical addresses of the objects the kernel allocates for the root task (seL4's rootserver). */
struct rootserver_objects {
    paddr_t cnode;
    paddr_t vspace;
    paddr_t asid_pool;
    paddr_t ipc_buf;
    paddr_t boot_info;
    paddr_t extra_bi; /* 0 when there is no extra bootinfo */
    paddr_t paging_start, paging_end;
    paddr_t tcb;
#ifdef CONFIG_KERNEL_MCS
    paddr_t sc; /* the root thread's scheduling context (2^seL4_MinSchedContextBits bytes) */
#endif
    paddr_t start, end; /* the whole block, [start, end) */
};

struct boot_state {
    const struct boot_params *params;
    struct mem_map map;                          /* what the device tree says */
    struct mem_region freemem[BOOT_MAX_FREEMEM]; /* sorted, disjoint free RAM */
    word_t n_freemem;

    /* The root task's virtual layout (docs/abi.md#root-task-start). */
    word_t ui_v_start, ui_v_end; /* user image */
    word_t ipc_buf_vptr;         /* = ui_v_end */
    word_t bi_frame_vptr;        /* = ui_v_end + 4 KiB */
    word_t extra_bi_vptr;        /* = ui_v_end + 8 KiB */
    word_t it_v_end;      /* end of the extra bootinfo: the paging covers [ui_v_start, it_v_end) */
    word_t extra_bi_size; /* 16 + DTB size, or 0 */
    word_t extra_bi_size_bits; /* log2 of its power-of-two region (>= 12), or 0 */
    word_t n_paging;           /* L1 + L2 + L3 tables covering the region */

    struct rootserver_objects rs;
    paddr_t rs_next; /* allocation cursor inside rs.[start, end) */

    cte_t *root_slots;   /* the root CNode's slot array */
    seL4_BootInfo *bi;   /* the bootinfo frame (kernel pointer) */
    word_t slot_pos_cur; /* next free root CNode slot from seL4_NumInitialCaps on */
    bool untyped_overflow_warned;
};

/* Put cap in root CNode slot `slot` as a derivation-tree root (seL4 write_slot). */
void boot_write_slot(struct boot_state *b, word_t slot, cap_t cap);
/* Put cap in the next free slot (from 16 on). Returns false when the CNode is full. */
bool boot_provide_cap(struct boot_state *b, cap_t cap);

/* Fill the fixed fields of the bootinfo frame and copy the extra bootinfo (FDT chunk). Returns 0.
 */
int bootinfo_init(struct boot_state *b, const char **error);
/* Create the untyped caps (device ranges, then free RAM) and list them in bootinfo. Returns 0 or
 * -1 with *error when the root CNode runs out of slots. */
int untypeds_init(struct boot_state *b, const char **error);
/* Record the empty slot region; bootinfo is complete afterwards. Returns 0. */
int bootinfo_finalise(struct boot_state *b, const char **error);

#endif
