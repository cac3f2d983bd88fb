/* SPDX-License-Identifier: BSD-2-Clause */
/* Untyped_Retype: carve kernel objects out of untyped memory, and the preemptible reset of an
 * untyped whose children are all gone (seL4 decodeUntypedInvocation, invokeUntyped_Retype).
 *
 * Invariant kept here: the memory of a non-device untyped above its free index is zero, and
 * written back to the point of coherency (hal_cache_clean_new_memory, as seL4's clearMemory).
 * Reset zeroes and cleans [0, free index) before the free index drops to 0, and retype only hands
 * out memory above the free index, so new objects (frames above all) need no clearing of their
 * own. Boot keeps it by handing out untyped caps whose free index covers any memory it has not
 * zeroed (seL4 gives them the maximum free index, so the first retype resets, i.e. zeroes, them).
 */
#include <kaal/cdt.h>
#include <kaal/cspace.h>
#include <kaal/kernel.h>
#include <kaal/objects.h>

/* The free index counts in units of 2^seL4_MinUntypedBits bytes (structures.bf). */
#define FREE_INDEX_TO_OFFSET(i) ((word_t)(i) << seL4_MinUntypedBits)
#define OFFSET_TO_FREE_INDEX(o) ((word_t)(o) >> seL4_MinUntypedBits)

/* A retype that decode has checked completely. */
struct retype {
    word_t type;           /* seL4_ObjectType, < seL4_ObjectTypeCount */
    word_t user_size_bits; /* the size_bits argument (Untyped and CapTable sizes) */
    word_t obj_bits;       /* object_size_bits(type, user_size_bits), <= seL4_MaxUntypedBits */
    cte_t *dest;           /* first of `count` empty destination slots */
    word_t count;          /* 1..CONFIG_RETYPE_FAN_OUT_LIMIT */
    bool reset;            /* the untyped has no children: reset it first */
    paddr_t base;          /* address of the first object, aligned to obj_bits */
    bool device;
};

static bool is_frame_type(word_t type)
{
    return type == seL4_ARM_SmallPageObject || type == seL4_ARM_LargePageObject ||
           type == seL4_ARM_HugePageObject;
}

exception_t untyped_reset(cte_t *slot)
{
    kassert(cap_get_cap_type(slot->cap) == cap_untyped_cap);
    /* Only an untyped without children may be reset: its memory holds no live object. */
    kassert(!cdt_has_children(slot));

    cap_t cap = slot->cap;
    word_t block_bits = cap_untyped_cap_get_block_size(cap);
    paddr_t base = cap_untyped_cap_get_ptr(cap);
    word_t offset = FREE_INDEX_TO_OFFSET(cap_untyped_cap_get_free_index(cap));
    bool device = cap_untyped_cap_get_is_device(cap);
    const word_t chunk_bits = CONFIG_RESET_CHUNK_BITS;

    if (offset == 0) {
        return EXCEPTION_NONE;
    }
    if (device || block_bits < chunk_bits) {
        /* Device memory is never cleared; an untyped smaller than a chunk is cleared at once. */
        if (!device) {
            hal_zero_phys(base, BIT(block_bits));
            hal_cache_clean_new_memory(base, BIT(block_bits));
        }
        cap_untyped_cap_ptr_set_free_index(&slot->cap, 0);
        return EXCEPTION_NONE;
    }
    /* Clear from the top chunk that holds used memory down to the bottom one, lowering the free
     * index after each chunk: a preempted reset restarts where it stopped, and the memory above
     * the free index is zero at every preemption point. */
    for (word_t chunk = ROUND_DOWN(offset - 1, chunk_bits);; chunk -= BIT(chunk_bits)) {
        hal_zero_phys(base + chunk, BIT(chunk_bits));
        hal_cache_clean_new_memory(base + chunk, BIT(chunk_bits));
        cap_untyped_cap_ptr_set_free_index(&slot->cap, OFFSET_TO_FREE_INDEX(chunk));
        if (preemption_point() != EXCEPTION_NONE) {
            return EXCEPTION_PREEMPTED;
        }
        if (chunk == 0) {
            return EXCEPTION_NONE;
        }
    }
}

/* Reset the untyped if asked, move its free index past the new objects, then create them and put
 * their caps in the destination slots as children of the untyped. Only the reset can be
 * preempted, and it keeps its progress in the free index, so a restarted retype continues. */
static exception_t perform_untyped_retype(cte_t *slot, const struct retype *r)
{
    if (r->reset) {
        exception_t status = untyped_reset(slot);
        if (status != EXCEPTION_NONE) {
            return status;
        }
    }
    paddr_t region = cap_untyped_cap_get_ptr(slot->cap);
    paddr_t end = r->base + (r->count << r->obj_bits);
    cap_untyped_cap_ptr_set_free_index(&slot->cap, OFFSET_TO_FREE_INDEX(end - region));

    for (word_t i = 0; i < r->count; i++) {
        paddr_t pa = r->base + (i << r->obj_bits);
        cap_t cap = object_create(r->type, pa, r->user_size_bits, r->device);
        cte_insert_new_object(cap, slot, &r->dest[i]);
    }
    return EXCEPTION_NONE;
}

exception_t decode_untyped_invocation(struct invocation_ctx *ctx)
{
    struct retype r = {0};

    if (ctx->label != UntypedRetype) {
        return syscall_error_illegal_operation(ctx);
    }
    if (INV_TRUNCATED(ctx, UntypedRetype)) {
        return syscall_error_truncated_message(ctx);
    }
    r.type = INV_WORD(ctx, UntypedRetype, type);
    r.user_size_bits = INV_WORD(ctx, UntypedRetype, size_bits);
    word_t node_index = INV_WORD(ctx, UntypedRetype, node_index);
    word_t node_depth = INV_WORD(ctx, UntypedRetype, node_depth);
    word_t node_offset = INV_WORD(ctx, UntypedRetype, node_offset);
    word_t num_objects = INV_WORD(ctx, UntypedRetype, num_objects);
    cap_t root = ctx->extra_caps[0];

    if (r.type >= seL4_ObjectTypeCount) {
        return syscall_error_invalid_argument(ctx, 0);
    }
    /* size_bits < 64 first, so a CapTable's 5 + size_bits cannot wrap. */
    if (r.user_size_bits >= seL4_WordBits) {
        return syscall_error_range(ctx, 0, seL4_MaxUntypedBits);
    }
    r.obj_bits = object_size_bits(r.type, r.user_size_bits);
    if (r.obj_bits > seL4_MaxUntypedBits) {
        return syscall_error_range(ctx, 0, seL4_MaxUntypedBits);
    }
    if (r.type == seL4_CapTableObject && r.user_size_bits == 0) {
        return syscall_error_invalid_argument(ctx, 1);
    }
    if (r.type == seL4_UntypedObject && r.user_size_bits < seL4_MinUntypedBits) {
        return syscall_error_invalid_argument(ctx, 1);
    }
#ifdef CONFIG_KERNEL_MCS
    if (r.type == seL4_SchedContextObject && r.user_size_bits < seL4_MinSchedContextBits) {
        return syscall_error_invalid_argument(ctx, 1);
    }
#endif

    /* The destination CNode: the root itself, or the CNode cap at (node_index, node_depth). */
    cap_t node = root;
    if (node_depth != 0) {
        cte_t *node_slot;
        exception_t status =
            cspace_lookup_slot_for_cnode_op(ctx, false, root, node_index, node_depth, &node_slot);
        if (status != EXCEPTION_NONE) {
            return status;
        }
        node = node_slot->cap;
    }
    if (cap_get_cap_type(node) != cap_cnode_cap) {
        struct lookup_fault lf = {.type = seL4_MissingCapability, .bits_left = node_depth};
        return syscall_error_failed_lookup(ctx, false, &lf);
    }

    /* The window of destination slots. */
    word_t node_size = BIT(cap_cnode_cap_get_radix(node));
    if (node_offset > node_size - 1) {
        return syscall_error_range(ctx, 0, node_size - 1);
    }
    if (num_objects < 1 || num_objects > CONFIG_RETYPE_FAN_OUT_LIMIT) {
        return syscall_error_range(ctx, 1, CONFIG_RETYPE_FAN_OUT_LIMIT);
    }
    if (num_objects > node_size - node_offset) {
        return syscall_error_range(ctx, 1, node_size - node_offset);
    }
    r.dest = cnode_slots(node) + node_offset;
    r.count = num_objects;
    for (word_t i = 0; i < num_objects; i++) {
        if (cap_get_cap_type(r.dest[i].cap) != cap_null_cap) {
            return syscall_error_delete_first(ctx);
        }
    }

    /* Where the objects go: without children the untyped starts again from 0 (after a reset). */
    cap_t ut = ctx->cap;
    r.reset = !cdt_has_children(ctx->slot);
    word_t free_index = r.reset ? 0 : cap_untyped_cap_get_free_index(ut);
    word_t free_bytes = BIT(cap_untyped_cap_get_block_size(ut)) - FREE_INDEX_TO_OFFSET(free_index);
    /* The end of the untyped is aligned to any object that fits in it, so counting whole
     * objects in the free bytes already accounts for aligning the free pointer up. */
    if ((free_bytes >> r.obj_bits) < num_objects) {
        return syscall_error_not_enough_memory(ctx, free_bytes);
    }
    r.device = cap_untyped_cap_get_is_device(ut);
    if (r.device && !is_frame_type(r.type) && r.type != seL4_UntypedObject) {
        return syscall_error_invalid_argument(ctx, 1);
    }
    r.base = ROUND_UP(cap_untyped_cap_get_ptr(ut) + FREE_INDEX_TO_OFFSET(free_index), r.obj_bits);

    return perform_untyped_retype(ctx->slot, &r);
}
