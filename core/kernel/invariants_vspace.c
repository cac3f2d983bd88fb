/* SPDX-License-Identifier: BSD-2-Clause */
/* The debug kernel's VSpace invariants (<kaal/vspace.h>, vspace_invariants_hold): ASID table, pools
 * and VSpace caps agree; every table and page reachable from a bound VSpace is reachable once and
 * recorded by its caps. */
#include <kaal/vspace.h>

#ifdef CONFIG_KERNEL_INVARIANTS
#include <kaal/kernel.h>
#include <kaal/printf.h>

#define MAX_SLOTS (1u << 16) /* caps one check can follow */
#define SET_BITS 18          /* open-addressing set: 4 * MAX_SLOTS entries */
#define SET_SIZE (1u << SET_BITS)
#define INDEX_BITS 16
#define NONE UINT32_MAX

/* Keys in the one set (low bits tag them: slots are 32-byte aligned, objects 4 KiB aligned). */
#define KEY_SLOT(pa) ((word_t)(pa))
#define KEY_ARRAY(pa) ((word_t)(pa) | 1)
#define KEY_TABLE(pa) ((word_t)(pa) | 2)
#define KEY_ROOT(pa) ((word_t)(pa) | 3)
/* Keys in the index of caps (chained hash, several caps per key). */
#define IKEY_FRAME(asid, vaddr) ((((word_t)(asid) << 47) | (word_t)(vaddr)) | 1)
#define IKEY_PT(pa) ((word_t)(pa) | 2)
#define IKEY_VSPACE(pa) ((word_t)(pa) | 3)

struct array {
    paddr_t pa;
    word_t count;
};

/* Static state (no allocator in core; not reentrant). */
static word_t set_keys[SET_SIZE];
static uint32_t set_gen[SET_SIZE], gen;
static cte_t *slots[MAX_SLOTS];
static uint32_t n_slots;
static struct array arrays[MAX_SLOTS];
static uint32_t n_arrays;
static word_t index_key[MAX_SLOTS];
static uint32_t index_next[MAX_SLOTS], index_head[1u << INDEX_BITS];
static uint32_t index_gen[1u << INDEX_BITS]; /* index_head[h] is current only when this is gen */
static char *why_buf;
static size_t why_size;

static bool fail(const char *fmt, unsigned long a, unsigned long b, unsigned long c)
{
    if (why_buf != NULL && why_size > 0) {
        ksnprintf(why_buf, why_size, fmt, a, b, c);
    }
    return false;
}

static uint32_t hash(word_t key, unsigned bits)
{
    return (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> (64 - bits));
}

/* Add key to the set; false if it was there already. The set is never more than half full. */
static bool set_add(word_t key)
{
    for (uint32_t h = hash(key, SET_BITS);; h = (h + 1) & (SET_SIZE - 1)) {
        if (set_gen[h] != gen) {
            set_gen[h] = gen;
            set_keys[h] = key;
            return true;
        }
        if (set_keys[h] == key) {
            return false;
        }
    }
}

static bool set_has(word_t key)
{
    for (uint32_t h = hash(key, SET_BITS);; h = (h + 1) & (SET_SIZE - 1)) {
        if (set_gen[h] != gen) {
            return false;
        }
        if (set_keys[h] == key) {
            return true;
        }
    }
}

/* ---- finding the caps ---- */

static bool add_array(paddr_t pa, word_t count)
{
    if (!set_add(KEY_ARRAY(pa))) {
        return true;
    }
    if (n_arrays >= MAX_SLOTS) {
        return fail("vspace invariants: more than %lu CNodes and TCBs", MAX_SLOTS, 0, 0);
    }
    arrays[n_arrays++] = (struct array){pa, count};
    return true;
}

static bool add_slot(cte_t *slot)
{
    if (cap_get_cap_type(slot->cap) == cap_null_cap || !set_add(KEY_SLOT(VTOP(slot)))) {
        return true;
    }
    if (n_slots >= MAX_SLOTS) {
        return fail("vspace invariants: more than %lu caps", MAX_SLOTS, 0, 0);
    }
    slots[n_slots++] = slot;
    cap_t cap = slot->cap;
    switch (cap_get_cap_type(cap)) {
    case cap_cnode_cap:
        return add_array(cap_cnode_cap_get_ptr(cap), BIT(cap_cnode_cap_get_radix(cap)));
    case cap_thread_cap:
        return add_array(cap_thread_cap_get_tcb(cap), TCB_CNODE_ENTRIES);
    case cap_zombie_cap: {
        word_t zt = cap_zombie_cap_get_zombie_type(cap);
        return add_array(cap_zombie_cap_get_ptr(cap),
                         zt == ZOMBIE_TYPE_TCB ? TCB_CNODE_ENTRIES : BIT(zt));
    }
    default:
        return true;
    }
}

/* Every cap reachable from the root thread through slot arrays and derivation-tree links. */
static bool discover(void)
{
    if (!add_array(VTOP(ks.root_thread), TCB_CNODE_ENTRIES)) {
        return false;
    }
    uint32_t next_array = 0, next_slot = 0;
    while (next_array < n_arrays || next_slot < n_slots) {
        if (next_array < n_arrays) {
            struct array a = arrays[next_array++];
            for (word_t k = 0; k < a.count; k++) {
                if (!add_slot(&PTOV(cte_t, a.pa)[k])) {
                    return false;
                }
            }
            continue;
        }
        cte_t *s = slots[next_slot++];
        cte_t *links[2] = {cte_from_paddr(mdb_node_get_next(s->mdb)),
                           cte_from_paddr(mdb_node_get_prev(s->mdb))};
        for (int k = 0; k < 2; k++) {
            if (links[k] != NULL && !add_slot(links[k])) {
                return false;
            }
        }
    }
    return true;
}

/* ---- the index of arch caps by what they name ---- */

static void index_build(void)
{
    for (uint32_t i = 0; i < n_slots; i++) {
        cap_t cap = slots[i]->cap;
        word_t key;
        switch (cap_get_cap_type(cap)) {
        case cap_frame_cap:
            if (cap_frame_cap_get_mapped_asid(cap) == ASID_INVALID) {
                continue;
            }
            key =
                IKEY_FRAME(cap_frame_cap_get_mapped_asid(cap), cap_frame_cap_get_mapped_vaddr(cap));
            break;
        case cap_page_table_cap:
            key = IKEY_PT(cap_page_table_cap_get_ptr(cap));
            break;
        case cap_vspace_cap:
            key = IKEY_VSPACE(cap_vspace_cap_get_ptr(cap));
            break;
        default:
            continue;
        }
        uint32_t h = hash(key, INDEX_BITS);
        if (index_gen[h] != gen) { /* a head from an earlier check: empty (no clearing per check) */
            index_gen[h] = gen;
            index_head[h] = NONE;
        }
        index_key[i] = key;
        index_next[i] = index_head[h];
        index_head[h] = i;
    }
}

/* The first indexed cap with key after position `after` (NONE to start); NONE when no more. */
static uint32_t index_find(word_t key, uint32_t after)
{
    uint32_t h = hash(key, INDEX_BITS);
    uint32_t i = after != NONE ? index_next[after] : index_gen[h] == gen ? index_head[h] : NONE;
    while (i != NONE && index_key[i] != key) {
        i = index_next[i];
    }
    return i;
}

/* ---- (a), (b): ASID table, pools, VSpace caps ---- */

static bool check_caps(void)
{
    bool pool_named[ASID_POOLS] = {false};
    for (uint32_t i = 0; i < n_slots; i++) {
        cap_t cap = slots[i]->cap;
        switch (cap_get_cap_type(cap)) {
        case cap_asid_pool_cap: {
            word_t base = cap_asid_pool_cap_get_asid_base(cap);
            paddr_t pa = cap_asid_pool_cap_get_ptr(cap);
            if (ASID_LOW(base) != 0 || ks.asid_table[ASID_HIGH(base)] != pa) {
                return fail("ASID pool cap %lx (base %lu) is not in ks.asid_table at its base", pa,
                            base, 0);
            }
            pool_named[ASID_HIGH(base)] = true;
            break;
        }
        case cap_vspace_cap: {
            bool mapped = cap_vspace_cap_get_is_mapped(cap);
            word_t asid = cap_vspace_cap_get_mapped_asid(cap);
            if (mapped && asid == ASID_INVALID) {
                return fail("VSpace cap %lx has ASID 0", cap_vspace_cap_get_ptr(cap), 0, 0);
            }
            uint32_t first = index_find(IKEY_VSPACE(cap_vspace_cap_get_ptr(cap)), NONE);
            cap_t other = slots[first]->cap;
            if (cap_vspace_cap_get_is_mapped(other) != mapped ||
                cap_vspace_cap_get_mapped_asid(other) != asid) {
                return fail("caps to VSpace %lx disagree on its ASID (%lu, %lu)",
                            cap_vspace_cap_get_ptr(cap), asid,
                            cap_vspace_cap_get_mapped_asid(other));
            }
            break;
        }
        case cap_page_table_cap: {
            uint32_t first = index_find(IKEY_PT(cap_page_table_cap_get_ptr(cap)), NONE);
            cap_t other = slots[first]->cap;
            if (cap_page_table_cap_get_is_mapped(other) != cap_page_table_cap_get_is_mapped(cap) ||
                cap_page_table_cap_get_mapped_asid(other) !=
                    cap_page_table_cap_get_mapped_asid(cap) ||
                cap_page_table_cap_get_mapped_vaddr(other) !=
                    cap_page_table_cap_get_mapped_vaddr(cap)) {
                return fail("caps to page table %lx disagree on its mapping",
                            cap_page_table_cap_get_ptr(cap), 0, 0);
            }
            break;
        }
        case cap_frame_cap: {
            word_t bits = frame_size_bits_of(cap_frame_cap_get_size(cap));
            word_t vaddr = cap_frame_cap_get_mapped_vaddr(cap);
            if (cap_frame_cap_get_mapped_asid(cap) != ASID_INVALID &&
                (!IS_ALIGNED(vaddr, bits) || vaddr + MASK(bits) > seL4_UserTop)) {
                return fail("frame cap %lx records an unaligned or non-user vaddr %lx",
                            cap_frame_cap_get_base(cap), vaddr, 0);
            }
            break;
        }
        default:
            break;
        }
    }
    for (word_t high = 0; high < ASID_POOLS; high++) {
        if (ks.asid_table[high] != 0 && !pool_named[high]) {
            return fail("ks.asid_table[%lu] = %lx is named by no ASID pool cap", high,
                        ks.asid_table[high], 0);
        }
    }
    return true;
}

/* ---- (c), (d): walking the bound VSpaces ---- */

static bool check_page(word_t asid, word_t vaddr, word_t level, word_t pte)
{
    paddr_t base = hal_pte_address(pte);
    word_t bits = HAL_PT_LEVEL_SHIFT(level);
    for (uint32_t i = index_find(IKEY_FRAME(asid, vaddr), NONE); i != NONE;
         i = index_find(IKEY_FRAME(asid, vaddr), i)) {
        cap_t cap = slots[i]->cap;
        if (cap_frame_cap_get_base(cap) == base &&
            frame_size_bits_of(cap_frame_cap_get_size(cap)) == bits) {
            return true;
        }
    }
    return fail("frame %lx mapped at vaddr %lx of ASID %lu is recorded by no frame cap", base,
                vaddr, asid);
}

static bool check_table(word_t asid, word_t vaddr, word_t level, paddr_t pt)
{
    if (!hal_phys_is_ram(pt, BIT(seL4_PageTableBits)) || !IS_ALIGNED(pt, seL4_PageTableBits)) {
        return fail("table entry for vaddr %lx of ASID %lu points outside RAM (%lx)", vaddr, asid,
                    pt);
    }
    if (set_has(KEY_ROOT(pt))) {
        return fail("VSpace root %lx is also a page table (ASID %lu, vaddr %lx)", pt, asid, vaddr);
    }
    if (!set_add(KEY_TABLE(pt))) {
        return fail("page table %lx is mapped twice (again at ASID %lu, vaddr %lx)", pt, asid,
                    vaddr);
    }
    uint32_t i = index_find(IKEY_PT(pt), NONE);
    if (i == NONE) {
        return fail("page table %lx mapped at ASID %lu, vaddr %lx has no cap", pt, asid, vaddr);
    }
    cap_t cap = slots[i]->cap; /* check_caps made all caps to pt agree */
    if (!cap_page_table_cap_get_is_mapped(cap) || cap_page_table_cap_get_mapped_asid(cap) != asid ||
        cap_page_table_cap_get_mapped_vaddr(cap) != vaddr) {
        return fail("page table %lx is at ASID %lu, vaddr %lx, but its caps record otherwise", pt,
                    asid, vaddr);
    }
    const word_t *entries = PTOV(word_t, pt);
    for (word_t k = 0; k < HAL_PT_ENTRIES; k++) {
        if (entries[k] == HAL_PTE_INVALID) {
            continue; /* most entries: no need to ask the port what they are */
        }
        word_t v = vaddr | (k << HAL_PT_LEVEL_SHIFT(level));
        if (hal_pte_is_table(entries[k], level)) {
            if (!check_table(asid, v, level + 1, hal_pte_address(entries[k]))) {
                return false;
            }
        } else if (hal_pte_is_page(entries[k], level)) {
            if (!check_page(asid, v, level, entries[k])) {
                return false;
            }
        } else if (entries[k] != HAL_PTE_INVALID) {
            return fail("entry %lu of table %lx (level %lu) is neither a table, a page nor invalid",
                        k, pt, level);
        }
    }
    return true;
}

static bool check_vspace(word_t asid, paddr_t root)
{
    uint32_t i = index_find(IKEY_VSPACE(root), NONE);
    if (i == NONE) {
        return fail("VSpace %lx bound to ASID %lu has no cap", root, asid, 0);
    }
    cap_t cap = slots[i]->cap;
    if (!cap_vspace_cap_get_is_mapped(cap) || cap_vspace_cap_get_mapped_asid(cap) != asid) {
        return fail("VSpace %lx is bound to ASID %lu but its caps say %lu", root, asid,
                    cap_vspace_cap_get_mapped_asid(cap));
    }
    const word_t *entries = PTOV(word_t, root);
    for (word_t k = 0; k < HAL_PT_ENTRIES; k++) {
        if (entries[k] == HAL_PTE_INVALID) {
            continue;
        }
        word_t vaddr = k << HAL_PT_LEVEL_SHIFT(0);
        if (hal_pte_is_table(entries[k], 0)) {
            if (vaddr > seL4_UserTop) {
                return fail("VSpace %lx (ASID %lu) has a table above seL4_UserTop (entry %lu)",
                            root, asid, k);
            }
            if (!check_table(asid, vaddr, 1, hal_pte_address(entries[k]))) {
                return false;
            }
        } else if (entries[k] != HAL_PTE_INVALID) {
            return fail("entry %lu of VSpace %lx (ASID %lu) is neither a table nor invalid", k,
                        root, asid);
        }
    }
    return true;
}

static bool check_bindings(void)
{
    for (word_t high = 0; high < ASID_POOLS; high++) {
        paddr_t pool_pa = ks.asid_table[high];
        if (pool_pa == 0) {
            continue;
        }
        const asid_pool_t *pool = PTOV(asid_pool_t, pool_pa);
        for (word_t low = 0; low < ASID_POOL_ENTRIES; low++) {
            paddr_t root = pool->vspace[low];
            word_t asid = (high << seL4_ASIDPoolIndexBits) | low;
            if (root == 0) {
                continue;
            }
            if (asid == ASID_INVALID) {
                return fail("ASID 0 is bound (to %lx)", root, 0, 0);
            }
            if (!set_add(KEY_ROOT(root))) {
                return fail("VSpace %lx is bound to two ASIDs (the second is %lu)", root, asid, 0);
            }
        }
    }
    /* Walk only after every root is known, so a root used as a table is caught either way. */
    for (word_t high = 0; high < ASID_POOLS; high++) {
        paddr_t pool_pa = ks.asid_table[high];
        for (word_t low = 0; pool_pa != 0 && low < ASID_POOL_ENTRIES; low++) {
            paddr_t root = PTOV(asid_pool_t, pool_pa)->vspace[low];
            if (root != 0 && !check_vspace((high << seL4_ASIDPoolIndexBits) | low, root)) {
                return false;
            }
        }
    }
    return true;
}

bool vspace_invariants_hold(char *why, size_t why_len)
{
    why_buf = why;
    why_size = why_len;
    if (why != NULL && why_len > 0) {
        why[0] = '\0';
    }
    if (ks.root_thread == NULL) {
        return true; /* nothing booted */
    }
    if (++gen == 0) { /* a wrapped generation would make stale set entries look current */
        for (uint32_t h = 0; h < SET_SIZE; h++) {
            set_gen[h] = 0;
        }
        for (uint32_t h = 0; h < (1u << INDEX_BITS); h++) {
            index_gen[h] = 0;
        }
        gen = 1;
    }
    n_slots = 0;
    n_arrays = 0;
    if (!discover()) {
        return false;
    }
    index_build();
    return check_caps() && check_bindings();
}

#endif
