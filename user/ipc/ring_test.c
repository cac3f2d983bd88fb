/* SPDX-License-Identifier: BSD-2-Clause */
/* The SPSC ring's test and benchmark, a root task for both ports: first the ring on its own in the
 * root task's memory (empty, full, too large, wrap-around of the indices many times over), then a
 * producer and a consumer component in two address spaces sharing the ring's frames, waking each
 * other by notification; the consumer checks every message and the root task prints the
 * throughput. Output: "ok"/"not ok" lines, "ring-bench: ..." figures, then "N passed, M failed". */
#include <kaal/broker.h>
#include <kaal/component.h>
#include <kaal/dddk.h>
#include <kaal/print.h>
#include <kaal/ring.h>
#include <kaal/start.h>
#include <kaal/sys.h>

#define SLOT 64ul
#define MSG_BYTES (SLOT - 8)
#define SHARED_PAGES 16ul
#define MESSAGES 100000ul

static unsigned passed, failed;
static _Alignas(4096) unsigned char local_ring[KAAL_RING_HEADER_BYTES + 8 * SLOT];

static void check(int ok, const char *name)
{
    kaal_puts(ok ? "ok " : "not ok ");
    kaal_put_dec(passed + failed + 1);
    kaal_puts(" - ");
    kaal_puts(name);
    kaal_puts("\n");
    if (ok) {
        passed++;
    } else {
        failed++;
    }
}

static void fill(unsigned char *msg, seL4_Word seq)
{
    for (seL4_Word i = 0; i < MSG_BYTES; i++) {
        msg[i] = (unsigned char)(seq * 7 + i);
    }
}

static int matches(const unsigned char *msg, seL4_Word seq)
{
    for (seL4_Word i = 0; i < MSG_BYTES; i++) {
        if (msg[i] != (unsigned char)(seq * 7 + i)) {
            return 0;
        }
    }
    return 1;
}

static void local_tests(void)
{
    struct kaal_ring r;
    unsigned char msg[MSG_BYTES], got[MSG_BYTES];
    check(kaal_ring_format(local_ring, sizeof(local_ring), SLOT) == 8, "format: capacity 8");
    kaal_ring_attach(&r, local_ring, seL4_CapNull, seL4_CapNull);
    check(kaal_ring_try_pop(&r, got, sizeof(got)) == -1, "empty: pop fails");
    int ok = 1;
    for (seL4_Word i = 0; i < 8; i++) {
        fill(msg, i);
        ok &= kaal_ring_try_push(&r, msg, MSG_BYTES) == 0;
    }
    check(ok && kaal_ring_count(&r) == 8, "fill to capacity");
    fill(msg, 8);
    check(kaal_ring_try_push(&r, msg, MSG_BYTES) == -1, "full: push fails");
    check(kaal_ring_try_push(&r, msg, MSG_BYTES + 1) == -2, "too large: refused");
    ok = 1;
    for (seL4_Word i = 0; i < 8; i++) {
        ok &= kaal_ring_try_pop(&r, got, sizeof(got)) == (long)MSG_BYTES && matches(got, i);
    }
    check(ok && kaal_ring_count(&r) == 0, "drain in order");
    /* Wrap-around: batches of 1..8 messages through the ring, indices past 2^12 many times. */
    seL4_Word in = 100, out = 100;
    ok = 1;
    for (seL4_Word round = 0; round < 2000 && ok; round++) {
        seL4_Word n = 1 + round % 8;
        for (seL4_Word i = 0; i < n; i++) {
            fill(msg, in++);
            ok &= kaal_ring_try_push(&r, msg, MSG_BYTES) == 0;
        }
        for (seL4_Word i = 0; i < n; i++) {
            ok &= kaal_ring_try_pop(&r, got, sizeof(got)) == (long)MSG_BYTES && matches(got, out++);
        }
    }
    check(ok && r.hdr->head > 8000 && kaal_ring_count(&r) == 0,
          "wrap-around: 9000 messages in order");
    fill(msg, 1);
    kaal_ring_try_push(&r, msg, 3);
    check(kaal_ring_try_pop(&r, got, 2) == 3 && got[0] == msg[0] && got[1] == msg[1],
          "short buffer: truncated copy");
}

/* --- two components --- */

static void producer_main(const struct kaal_component_args *args)
{
    struct kaal_ring r;
    kaal_ring_attach(&r, kaal_component_region(args, "ring", 0), kaal_component_cap(args, "wake"),
                     kaal_component_cap(args, "wait"));
    unsigned char msg[MSG_BYTES];
    for (seL4_Word seq = 0; seq < args->words[0]; seq++) {
        fill(msg, seq);
        kaal_ring_push(&r, msg, MSG_BYTES);
    }
}

static void consumer_main(const struct kaal_component_args *args)
{
    struct kaal_ring r;
    kaal_ring_attach(&r, kaal_component_region(args, "ring", 0), kaal_component_cap(args, "wake"),
                     kaal_component_cap(args, "wait"));
    unsigned char got[MSG_BYTES];
    seL4_Word bad = 0;
    for (seL4_Word seq = 0; seq < args->words[0]; seq++) {
        if (kaal_ring_pop(&r, got, sizeof(got)) != (long)MSG_BYTES || !matches(got, seq)) {
            bad++;
        }
    }
    sys_set_mr(0, bad);
    sys_set_mr(1, r.waits);
    sys_call(kaal_component_cap(args, "done"), seL4_MessageInfo_new(0, 0, 0, 2));
}

static void shared_test(struct kaal_broker *b)
{
    static struct kaal_component prod, cons;
    seL4_CPtr first = seL4_CapNull, frame, ntfn_p, ntfn_c, done;
    int ok = 1;
    for (seL4_Word i = 0; i < SHARED_PAGES && ok; i++) {
        ok = kaal_broker_alloc(b, seL4_ARM_SmallPageObject, 0, &frame) == seL4_NoError &&
             (i == 0 || frame == first + i);
        if (i == 0) {
            first = frame;
        }
    }
    ok = ok && kaal_broker_alloc(b, seL4_NotificationObject, 0, &ntfn_p) == seL4_NoError &&
         kaal_broker_alloc(b, seL4_NotificationObject, 0, &ntfn_c) == seL4_NoError &&
         kaal_broker_alloc(b, seL4_EndpointObject, 0, &done) == seL4_NoError;
    ok = ok &&
         kaal_component_create(b, &prod, "producer", producer_main, 100, seL4_CapNull, 0) ==
             seL4_NoError &&
         kaal_component_create(b, &cons, "consumer", consumer_main, 100, seL4_CapNull, 0) ==
             seL4_NoError &&
         kaal_component_map_region(&prod, "ring", first, SHARED_PAGES, seL4_ReadWrite,
                                   seL4_ARM_Default_VMAttributes | seL4_ARM_ExecuteNever) ==
             seL4_NoError &&
         kaal_component_map_region(&cons, "ring", first, SHARED_PAGES, seL4_ReadWrite,
                                   seL4_ARM_Default_VMAttributes | seL4_ARM_ExecuteNever) ==
             seL4_NoError &&
         kaal_component_grant(&prod, "wake", ntfn_c, seL4_AllRights, 0, 0) == seL4_NoError &&
         kaal_component_grant(&prod, "wait", ntfn_p, seL4_AllRights, 0, 0) == seL4_NoError &&
         kaal_component_grant(&cons, "wake", ntfn_p, seL4_AllRights, 0, 0) == seL4_NoError &&
         kaal_component_grant(&cons, "wait", ntfn_c, seL4_AllRights, 0, 0) == seL4_NoError &&
         kaal_component_grant(&cons, "done", done, seL4_AllRights, 1, 0) == seL4_NoError;
    /* The root task formats the ring through its own mapping of the frames. */
    for (seL4_Word i = 0; i < SHARED_PAGES && ok; i++) {
        ok = kaal_broker_map(b, seL4_CapInitThreadVSpace, first + i, 0x3800000ul + i * 4096,
                             seL4_ReadWrite,
                             seL4_ARM_Default_VMAttributes | seL4_ARM_ExecuteNever) == seL4_NoError;
    }
    seL4_Word capacity =
        ok ? kaal_ring_format((void *)(0x3800000ul), SHARED_PAGES * 4096, SLOT) : 0;
    check(ok && capacity == 512, "two address spaces: ring set up (capacity 512)");
    if (!ok) {
        return;
    }
    kaal_component_set_word(&prod, 0, MESSAGES);
    kaal_component_set_word(&cons, 0, MESSAGES);
    seL4_Word t0 = dddk_cycles();
    kaal_component_start(&cons);
    kaal_component_start(&prod);
    seL4_Word badge;
    seL4_CPtr reply = seL4_CapNull; /* MCS: the reply object the consumer's Call fills */
#ifdef CONFIG_KERNEL_MCS
    if (kaal_broker_alloc(b, seL4_ReplyObject, 0, &reply) != seL4_NoError) {
        check(0, "two address spaces: a reply object");
        return;
    }
#endif
    kaal_server_recv(done, &badge, reply);
    seL4_Word t1 = dddk_cycles();
    seL4_Word bad = sys_get_mr(0), waits = sys_get_mr(1);
    kaal_server_reply(reply, seL4_MessageInfo_new(0, 0, 0, 0));
    check(bad == 0, "two address spaces: 100000 messages arrive intact and in order");
    kaal_puts("ring-bench: ");
    kaal_put_dec(MESSAGES);
    kaal_puts(" messages of ");
    kaal_put_dec(MSG_BYTES);
    kaal_puts(" bytes, consumer slept ");
    kaal_put_dec(waits);
    kaal_puts(" times");
    if (t1 > t0) {
        seL4_Word dt = t1 - t0;
        kaal_puts("; ");
        kaal_put_dec(dt / MESSAGES);
        kaal_puts(" ");
        kaal_puts(dddk_cycles_unit());
        kaal_puts("/message");
        if (dddk_cycles_unit()[0] == 'n') {
            kaal_puts("; ");
            kaal_put_dec(MESSAGES * 1000000000ul / dt);
            kaal_puts(" messages/s, ");
            kaal_put_dec(MESSAGES * MSG_BYTES * 1000000000ul / dt);
            kaal_puts(" bytes/s");
        }
    } else {
        kaal_puts("; no user-readable counter in this build");
    }
    kaal_puts("\n");
    sys_tcb_suspend(prod.tcb);
    sys_tcb_suspend(cons.tcb);
}

int kaal_root_main(const seL4_BootInfo *bi)
{
    static struct kaal_broker broker;
    kaal_puts("ring test: SPSC ring, then two address spaces\n");
    local_tests();
    kaal_broker_init(&broker, bi);
    shared_test(&broker);
    kaal_put_dec(passed);
    kaal_puts(" passed, ");
    kaal_put_dec(failed);
    kaal_puts(" failed\n");
    return failed != 0;
}
