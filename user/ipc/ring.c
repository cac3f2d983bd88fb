/* SPDX-License-Identifier: BSD-2-Clause */
/* The SPSC ring (kaal/ring.h). */
#include <kaal/ring.h>
#include <kaal/sys.h>

#define LOAD_ACQ(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define LOAD_RLX(p) __atomic_load_n((p), __ATOMIC_RELAXED)
#define STORE_REL(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define STORE_RLX(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define FENCE() __atomic_thread_fence(__ATOMIC_SEQ_CST)

static void copy_bytes(void *dst, const void *src, seL4_Word n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    for (seL4_Word i = 0; i < n; i++) {
        d[i] = s[i];
    }
}

seL4_Word kaal_ring_format(void *mem, seL4_Word bytes, seL4_Word slot_size)
{
    if (slot_size < 2 * sizeof(seL4_Word) || slot_size % sizeof(seL4_Word) ||
        bytes <= KAAL_RING_HEADER_BYTES) {
        return 0;
    }
    seL4_Word fit = (bytes - KAAL_RING_HEADER_BYTES) / slot_size, capacity = 1;
    if (fit == 0) {
        return 0;
    }
    while (capacity * 2 <= fit) {
        capacity *= 2;
    }
    struct kaal_ring_header *h = mem;
    STORE_RLX(&h->head, 0);
    STORE_RLX(&h->tail, 0);
    STORE_RLX(&h->consumer_waiting, 0);
    STORE_RLX(&h->producer_waiting, 0);
    h->slot_size = slot_size;
    STORE_REL(&h->capacity, capacity);
    return capacity;
}

void kaal_ring_attach(struct kaal_ring *r, void *mem, seL4_CPtr wake_peer, seL4_CPtr wait_self)
{
    r->hdr = mem;
    r->slots = (unsigned char *)mem + KAAL_RING_HEADER_BYTES;
    r->mask = LOAD_ACQ(&r->hdr->capacity) - 1;
    r->slot_size = r->hdr->slot_size;
    r->wake_peer = wake_peer;
    r->wait_self = wait_self;
    r->signals = r->waits = 0;
}

seL4_Word kaal_ring_count(const struct kaal_ring *r)
{
    return LOAD_ACQ(&r->hdr->head) - LOAD_ACQ(&r->hdr->tail);
}

/* After publishing: wake the other side if it said it sleeps. */
static void wake(struct kaal_ring *r, seL4_Word *flag)
{
    FENCE(); /* our index store before reading its flag (pairs with the fence in wait_for) */
    if (LOAD_RLX(flag) && r->wake_peer != seL4_CapNull) {
        STORE_RLX(flag, 0);
        sys_signal(r->wake_peer);
        r->signals++;
    }
}

int kaal_ring_try_push(struct kaal_ring *r, const void *msg, seL4_Word len)
{
    if (len > kaal_ring_max_message(r)) {
        return -2;
    }
    seL4_Word head = LOAD_RLX(&r->hdr->head);
    if (head - LOAD_ACQ(&r->hdr->tail) > r->mask) {
        return -1;
    }
    unsigned char *slot = r->slots + (head & r->mask) * r->slot_size;
    *(seL4_Word *)slot = len;
    copy_bytes(slot + sizeof(seL4_Word), msg, len);
    STORE_REL(&r->hdr->head, head + 1);
    wake(r, &r->hdr->consumer_waiting);
    return 0;
}

long kaal_ring_try_pop(struct kaal_ring *r, void *buf, seL4_Word max)
{
    seL4_Word tail = LOAD_RLX(&r->hdr->tail);
    if (LOAD_ACQ(&r->hdr->head) == tail) {
        return -1;
    }
    const unsigned char *slot = r->slots + (tail & r->mask) * r->slot_size;
    seL4_Word len = *(const seL4_Word *)slot;
    if (len > kaal_ring_max_message(r)) {
        len = kaal_ring_max_message(r); /* the other side wrote garbage: never read past the slot */
    }
    copy_bytes(buf, slot + sizeof(seL4_Word), len < max ? len : max);
    STORE_REL(&r->hdr->tail, tail + 1);
    wake(r, &r->hdr->producer_waiting);
    return (long)len;
}

/* Sleep until `ready` may have become true: announce it, re-check, then wait. */
static void wait_for(struct kaal_ring *r, seL4_Word *flag, int (*ready)(const struct kaal_ring *))
{
    if (r->wait_self == seL4_CapNull) {
        sys_yield();
        return;
    }
    STORE_RLX(flag, 1);
    FENCE(); /* the flag before re-reading the other side's index */
    if (ready(r)) {
        STORE_RLX(flag, 0);
        return;
    }
    seL4_Word badge;
    sys_wait(r->wait_self, &badge);
    r->waits++;
}

static int has_room(const struct kaal_ring *r) { return kaal_ring_count(r) <= r->mask; }
static int has_data(const struct kaal_ring *r) { return kaal_ring_count(r) != 0; }

int kaal_ring_push(struct kaal_ring *r, const void *msg, seL4_Word len)
{
    for (;;) {
        int rc = kaal_ring_try_push(r, msg, len);
        if (rc != -1) {
            return rc;
        }
        wait_for(r, &r->hdr->producer_waiting, has_room);
    }
}

long kaal_ring_pop(struct kaal_ring *r, void *buf, seL4_Word max)
{
    for (;;) {
        long n = kaal_ring_try_pop(r, buf, max);
        if (n >= 0) {
            return n;
        }
        wait_for(r, &r->hdr->consumer_waiting, has_data);
    }
}
