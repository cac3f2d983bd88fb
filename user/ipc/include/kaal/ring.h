/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared-memory IPC: a lock-free single-producer single-consumer ring of fixed-size slots in
 * frames mapped into two address spaces, with notifications that wake the other side only when it
 * said it is going to sleep (docs/tutorial.md).
 *
 * Layout of the shared region: a header page (producer index, consumer index and the two
 * "waiting" flags, each on its own cache line), then `capacity` slots of `slot_size` bytes; each
 * slot starts with its message length (a word). The producer owns head, the consumer tail; both
 * only ever increase (wrap-around is by masking), so full is head - tail == capacity and empty is
 * head == tail.
 *
 * Waking: a side that finds the ring full (producer) or empty (consumer) sets its waiting flag,
 * re-checks, and only then waits on its notification; the other side, after publishing, signals
 * only if that flag is set. The flag set and the re-check are ordered by sequentially consistent
 * fences on both sides, so no wake-up is lost and a busy ring makes no system call at all. */
#ifndef KAAL_RING_H
#define KAAL_RING_H

#include <kaal/sys_types.h>

#define KAAL_RING_HEADER_BYTES 4096ul

struct kaal_ring_header {
    _Alignas(64) seL4_Word head; /* producer: next slot to fill */
    _Alignas(64) seL4_Word tail; /* consumer: next slot to read */
    _Alignas(64) seL4_Word consumer_waiting;
    _Alignas(64) seL4_Word producer_waiting;
    _Alignas(64) seL4_Word capacity; /* slots, a power of two (set by kaal_ring_format) */
    seL4_Word slot_size; /* bytes per slot, a multiple of 8, including the length word */
};

/* One side's view of a ring. */
struct kaal_ring {
    struct kaal_ring_header *hdr;
    unsigned char *slots;
    seL4_Word mask, slot_size;
    seL4_CPtr wake_peer; /* notification the other side waits on (seL4_CapNull: none, poll) */
    seL4_CPtr wait_self; /* notification this side waits on */
    seL4_Word signals;   /* statistics: how many times this side signalled / waited */
    seL4_Word waits;
};

/* Lay out an empty ring in region [mem, mem + bytes) (done once, by either side before both
 * attach). Returns the capacity in slots (the largest power of two that fits), 0 when none fits. */
seL4_Word kaal_ring_format(void *mem, seL4_Word bytes, seL4_Word slot_size);
/* Attach to a formatted ring. */
void kaal_ring_attach(struct kaal_ring *r, void *mem, seL4_CPtr wake_peer, seL4_CPtr wait_self);
/* The largest message a slot holds. */
static inline seL4_Word kaal_ring_max_message(const struct kaal_ring *r)
{
    return r->slot_size - sizeof(seL4_Word);
}

/* Producer. try: 0, or -1 when the ring is full (or len too large: -2). push: waits while full. */
int kaal_ring_try_push(struct kaal_ring *r, const void *msg, seL4_Word len);
int kaal_ring_push(struct kaal_ring *r, const void *msg, seL4_Word len);
/* Consumer. try: the message's length, or -1 when the ring is empty. pop: waits while empty.
 * Copies at most max bytes of the message into buf. */
long kaal_ring_try_pop(struct kaal_ring *r, void *buf, seL4_Word max);
long kaal_ring_pop(struct kaal_ring *r, void *buf, seL4_Word max);
/* Messages in the ring now. */
seL4_Word kaal_ring_count(const struct kaal_ring *r);

#endif
