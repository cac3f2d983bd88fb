/* SPDX-License-Identifier: BSD-2-Clause */
/* IRQControl (Get, GetTrigger, IssueSGISignal) and IRQHandler (Ack, SetNotification, Clear)
 * invocations with their errors, and interrupt delivery through the hostsim interrupt controller:
 * signalling, masking until Ack, deleting the handler, and the timer. The IRQ's notification
 * cap lives in the IRQ node, in the derivation tree (revocation, replacement, keep-alive). */
#include "puppets.h"

#include <kaal/cdt.h>
#include <kaal/invariants.h>
#ifdef CONFIG_KERNEL_MCS
#include <kaal/mcs.h> /* mcs_us_to_ticks */
#endif

static struct ktest_reply irq_get(uint64_t irq, uint64_t index, uint64_t depth)
{
    uint64_t w[3] = {irq, index, depth}, root = ROOT;
    return ktest_call(seL4_CapIRQControl, IRQIssueIRQHandler, 3, w, 1, &root);
}

static struct ktest_reply irq_get_trigger(uint64_t irq, uint64_t trigger, uint64_t index,
                                          uint64_t depth)
{
    uint64_t w[4] = {irq, trigger, index, depth}, root = ROOT;
    return ktest_call(seL4_CapIRQControl, ARMIRQIssueIRQHandlerTrigger, 4, w, 1, &root);
}

static struct ktest_reply sgi_issue(uint64_t sgi, uint64_t target, uint64_t index, uint64_t depth)
{
    uint64_t w[4] = {sgi, target, index, depth}, root = ROOT;
    return ktest_call(seL4_CapIRQControl, ARMIRQIssueSGISignal, 4, w, 1, &root);
}

static struct ktest_reply set_ntfn(uint64_t handler, uint64_t ntfn)
{
    return ktest_call(handler, IRQSetIRQHandler, 0, NULL, 1, &ntfn);
}

static void assert_invariants(void)
{
    char why[256];
    ck_assert_msg(kernel_invariants_hold(why, sizeof(why)), "kernel invariants: %s", why);
}

static uint64_t poll(uint64_t ntfn)
{
    uint64_t regs[8] = {ntfn, 0, 0, 0, 0, 0, 0, (uint64_t)seL4_SysNBRecv};
    ck_assert_int_eq(hostsim_root_syscall(regs, NULL), HOSTSIM_OK);
    return regs[0];
}

START_TEST(test_get)
{
    uint64_t h = alloc_slot();
    OK(irq_get(40, h, 64));
    ck_assert_uint_eq(slot_type(h), cap_irq_handler_cap);
    ck_assert_uint_eq(cap_irq_handler_cap_get_irq(root_slot(h)->cap), 40);
    ck_assert(!hostsim_irq_is_masked(40)); /* an issued line is unmasked */
    OK(irq_get(159, alloc_slot(), 64));
    OK(irq_get(0, alloc_slot(), 64));
}
END_TEST

START_TEST(test_get_errors)
{
    struct ktest_reply r = irq_get(160, alloc_slot(), 64);
    ERR(r, seL4_RangeError, 2);
    ck_assert_uint_eq(r.mr[0], 0);
    ck_assert_uint_eq(r.mr[1], 159);
    uint64_t h = alloc_slot();
    OK(irq_get(40, h, 64));
    ERR(irq_get(40, alloc_slot(), 64), seL4_RevokeFirst, 0);
    ERR(irq_get(27, alloc_slot(), 64), seL4_RevokeFirst, 0); /* the kernel's timer */
    ERR(irq_get(41, h, 64), seL4_DeleteFirst, 0);
    ERR(irq_get(41, alloc_slot(), 0), seL4_RangeError, 2);
    uint64_t w[3] = {41, alloc_slot(), 64},
             root = ROOT; /* three words: the calls below send up to 3 */
    ERR(ktest_call(seL4_CapIRQControl, IRQIssueIRQHandler, 2, w, 1, &root), seL4_TruncatedMessage,
        0);
    ERR(ktest_call(seL4_CapIRQControl, IRQIssueIRQHandler, 3, w, 0, NULL), seL4_TruncatedMessage,
        0);
    ERR(ktest_call(seL4_CapIRQControl, IRQAckIRQ, 3, w, 1, &root), seL4_IllegalOperation, 0);
    /* Deleting the handler frees the line again. */
    OK(ktest_cnode_delete(ROOT, h, 64));
    ck_assert(hostsim_irq_is_masked(40));
    OK(irq_get(40, alloc_slot(), 64));
}
END_TEST

START_TEST(test_get_trigger)
{
    OK(irq_get_trigger(50, 1, alloc_slot(), 64));
    ck_assert(hostsim_irq_is_edge(50));
    OK(irq_get_trigger(51, 0, alloc_slot(), 64));
    ck_assert(!hostsim_irq_is_edge(51));
    struct ktest_reply r = irq_get_trigger(200, 0, alloc_slot(), 64);
    ERR(r, seL4_RangeError, 2);
    ck_assert_uint_eq(r.mr[1], 159);
    ERR(irq_get_trigger(50, 0, alloc_slot(), 64), seL4_RevokeFirst, 0);
}
END_TEST

START_TEST(test_sgi_signal)
{
    uint64_t s = alloc_slot();
    OK(sgi_issue(3, 0, s, 64));
    ck_assert_uint_eq(slot_type(s), cap_sgi_signal_cap);
    OK(ktest_call(s, 0, 0, NULL, 0, NULL));
    ck_assert_uint_eq(hostsim_sgi_count(3), 1);
    struct ktest_reply r = sgi_issue(16, 0, alloc_slot(), 64);
    ERR(r, seL4_RangeError, 2);
    ck_assert_uint_eq(r.mr[1], 15);
    r = sgi_issue(1, 8, alloc_slot(), 64);
    ERR(r, seL4_InvalidArgument, 1);
    ck_assert_uint_eq(r.mr[0], 1);
}
END_TEST

START_TEST(test_handler_invocation_errors)
{
    uint64_t h = alloc_slot();
    OK(irq_get(40, h, 64));
    ERR(ktest_call(h, IRQSetIRQHandler, 0, NULL, 0, NULL), seL4_TruncatedMessage, 0);
    uint64_t ep = retype_obj(seL4_EndpointObject, 0);
    struct ktest_reply r = set_ntfn(h, ep);
    ERR(r, seL4_InvalidCapability, 1);
    ck_assert_uint_eq(r.mr[0], 0);
    uint64_t nt = retype_obj(seL4_NotificationObject, 0);
    uint64_t ro = mint(nt, seL4_CanRead, 0);
    ERR(set_ntfn(h, ro), seL4_InvalidCapability, 1);
    ERR(ktest_call(h, CNodeCopy, 0, NULL, 0, NULL), seL4_IllegalOperation, 0);
}
END_TEST

START_TEST(test_delivery_masks_until_ack)
{
    uint64_t h = alloc_slot();
    OK(irq_get(40, h, 64));
    uint64_t nt = retype_obj(seL4_NotificationObject, 0);
    uint64_t b = mint(nt, seL4_AllRights, 0x100);
    OK(set_ntfn(h, b));
    hostsim_raise_irq(40);
    ck_assert(hostsim_irq_is_pending(40)); /* taken at the next kernel entry */
    ck_assert_uint_eq(poll(nt), 0x100);
    ck_assert(hostsim_irq_is_masked(40));
    /* Masked: a second interrupt stays pending and is not delivered. */
    hostsim_raise_irq(40);
    ck_assert_uint_eq(poll(nt), 0);
    ck_assert(hostsim_irq_is_pending(40));
    OK(ktest_call(h, IRQAckIRQ, 0, NULL, 0, NULL));
    ck_assert(!hostsim_irq_is_masked(40));
    ck_assert_uint_eq(poll(nt), 0x100); /* taken at the entry of this Poll */
    /* Lower numbers win: two lines pending at once are delivered in number order. */
    uint64_t h2 = alloc_slot();
    OK(irq_get(35, h2, 64));
    OK(set_ntfn(h2, mint(nt, seL4_AllRights, 0x1)));
    OK(ktest_call(h, IRQAckIRQ, 0, NULL, 0, NULL));
    hostsim_raise_irq(40);
    hostsim_raise_irq(35);
    ck_assert_uint_eq(poll(nt), 0x101);
}
END_TEST

START_TEST(test_delivery_wakes_waiter)
{
    uint64_t h = alloc_slot();
    OK(irq_get(33, h, 64));
    uint64_t nt = retype_obj(seL4_NotificationObject, 0);
    OK(set_ntfn(h, mint(nt, seL4_AllRights, 0x8)));
    uint64_t a = start_thread(200, 0, true);
    uint64_t regs[8];
    fill_msg(regs, a, 0, 0);
    ck_assert_int_eq(sys_as(a, seL4_SysRecv, nt, 0, regs), HOSTSIM_BLOCKED);
    hostsim_raise_irq(33);
    ck_assert_uint_eq(hostsim_current_thread(), hostsim_root_thread()); /* pending until an entry */
    uint64_t nop[8] = {0, 0, 0, 0, 0, 0, 0, (uint64_t)seL4_SysYield};
    ck_assert_int_eq(hostsim_root_syscall(nop, NULL), HOSTSIM_IDLE); /* the interrupt came first */
    assert_current(a);
    ck_assert_uint_eq(reg_of(a, REG_X0), 0x8);
}
END_TEST

START_TEST(test_clear_and_delete)
{
    uint64_t h = alloc_slot();
    OK(irq_get(40, h, 64));
    uint64_t nt = retype_obj(seL4_NotificationObject, 0);
    OK(set_ntfn(h, nt));
    OK(ktest_call(h, IRQClearIRQHandler, 0, NULL, 0, NULL));
    hostsim_console_capture(true);
    hostsim_raise_irq(40);
    ck_assert_uint_eq(poll(nt), 0); /* undelivered, and masked */
    ck_assert(hostsim_irq_is_masked(40));
    hostsim_console_capture(false);
    OK(set_ntfn(h, nt));
    OK(ktest_call(h, IRQAckIRQ, 0, NULL, 0, NULL));
    /* Deleting the handler deletes the IRQ's notification cap and masks the line. */
    ck_assert_uint_eq(cap_get_cap_type(ks.irq_node[40].cap), cap_notification_cap);
    OK(ktest_cnode_delete(ROOT, h, 64));
    ck_assert_uint_eq(cap_get_cap_type(ks.irq_node[40].cap), cap_null_cap);
    ck_assert(hostsim_irq_is_masked(40));
    assert_invariants();
}
END_TEST

/* The IRQ's notification cap is a real cap in the IRQ node, in the derivation tree: a child of
 * the (badged) cap it was set from. Revoking that cap's parent deletes it, and later interrupts
 * signal nothing (issue 13, defect 2: a plain copy kept outside the tree went on signalling). */
START_TEST(test_revoke_unbinds)
{
    uint64_t h = alloc_slot();
    OK(irq_get(40, h, 64));
    uint64_t nt = retype_obj(seL4_NotificationObject, 0);
    uint64_t b = mint(nt, seL4_AllRights, 0x100);
    OK(set_ntfn(h, b));
    cte_t *slot = &ks.irq_node[40];
    ck_assert_uint_eq(cap_get_cap_type(slot->cap), cap_notification_cap);
    ck_assert_uint_eq(cap_notification_cap_get_badge(slot->cap), 0x100);
    ck_assert(cdt_is_parent_of(root_slot(b), slot));
    hostsim_raise_irq(40);
    ck_assert_uint_eq(poll(nt), 0x100);
    OK(ktest_call(h, IRQAckIRQ, 0, NULL, 0, NULL));
    /* Revoke the original: the minted cap and the IRQ's copy go. */
    OK(ktest_cnode_revoke(ROOT, nt, 64));
    ck_assert_uint_eq(slot_type(b), cap_null_cap);
    ck_assert_uint_eq(cap_get_cap_type(slot->cap), cap_null_cap);
    hostsim_console_capture(true);
    hostsim_raise_irq(40);
    ck_assert_uint_eq(poll(nt), 0); /* undelivered (and masked) */
    hostsim_console_capture(false);
    ck_assert(hostsim_irq_is_masked(40));
    assert_invariants();
}
END_TEST

/* seL4's Delete removes one cap, not its descendants: deleting the minted cap the IRQ's copy came
 * from leaves the copy (now under the original) and the IRQ signals on; revoking the original
 * then deletes it. A copy made from a non-revocable copy is its sibling, not its child. */
START_TEST(test_delete_keeps_revoke_takes)
{
    uint64_t h = alloc_slot();
    OK(irq_get(41, h, 64));
    uint64_t nt = retype_obj(seL4_NotificationObject, 0);
    uint64_t b2 = mint(nt, seL4_AllRights, 0x20);
    OK(set_ntfn(h, b2));
    OK(ktest_cnode_delete(ROOT, b2, 64));
    cte_t *slot = &ks.irq_node[41];
    ck_assert_uint_eq(cap_notification_cap_get_badge(slot->cap), 0x20);
    ck_assert(cdt_is_parent_of(root_slot(nt), slot));
    hostsim_raise_irq(41);
    ck_assert_uint_eq(poll(nt), 0x20);
    OK(ktest_cnode_revoke(ROOT, nt, 64));
    ck_assert_uint_eq(cap_get_cap_type(slot->cap), cap_null_cap);
    OK(ktest_call(h, IRQAckIRQ, 0, NULL, 0, NULL));
    hostsim_console_capture(true);
    hostsim_raise_irq(41);
    ck_assert_uint_eq(poll(nt), 0);
    hostsim_console_capture(false);
    assert_invariants();
}
END_TEST

/* SetNotification on a bound IRQ deletes the old cap first (seL4 invokeSetIRQHandler); Clear
 * deletes it. The IRQ's cap keeps the notification alive: deleting every user cap to it neither
 * destroys it nor cancels a thread waiting on it, and the next interrupt wakes that thread. */
START_TEST(test_replace_clear_and_keep_alive)
{
    uint64_t h = alloc_slot();
    OK(irq_get(33, h, 64));
    uint64_t nt = retype_obj(seL4_NotificationObject, 0);
    uint64_t b1 = mint(nt, seL4_AllRights, 0x1), b2 = mint(nt, seL4_AllRights, 0x2);
    OK(set_ntfn(h, b1));
    OK(set_ntfn(h, b2)); /* replaces: b1's copy is deleted, b2's inserted */
    cte_t *slot = &ks.irq_node[33];
    ck_assert_uint_eq(cap_notification_cap_get_badge(slot->cap), 0x2);
    ck_assert(cdt_is_parent_of(root_slot(b2), slot));
    ck_assert(!cdt_has_children(root_slot(b1)));
    OK(ktest_call(h, IRQClearIRQHandler, 0, NULL, 0, NULL));
    ck_assert_uint_eq(cap_get_cap_type(slot->cap), cap_null_cap);
    ck_assert(!cdt_has_children(root_slot(b2)));
    /* Keep-alive: a waiter, then every user cap deleted. */
    OK(set_ntfn(h, b2));
    uint64_t a = start_thread(200, 0, true);
    uint64_t regs[8];
    fill_msg(regs, a, 0, 0);
    ck_assert_int_eq(sys_as(a, seL4_SysRecv, b2, 0, regs), HOSTSIM_BLOCKED);
    /* Below the root from now on: woken, it waits its turn (the root goes on calling). */
    uint64_t w[1] = {ROOT_PRIO - 1}, auth = seL4_CapInitThreadTCB;
    OK(ktest_call(a, TCBSetPriority, 1, w, 1, &auth));
    uint64_t other = retype_obj(seL4_NotificationObject, 0);
    OK(ktest_cnode_delete(ROOT, b1, 64));
    OK(ktest_cnode_delete(ROOT, b2, 64));
    OK(ktest_cnode_delete(ROOT, nt, 64));
    ck_assert_uint_eq(state_of(a), ThreadState_BlockedOnNotification);
    ck_assert_uint_eq(cap_notification_cap_get_badge(slot->cap), 0x2);
    hostsim_raise_irq(33);
    ck_assert_uint_eq(poll(other), 0); /* any system call: the interrupt is taken at its entry */
    ck_assert_uint_eq(state_of(a), ThreadState_Running);
    ck_assert_uint_eq(reg_of(a, REG_X0), 0x2);
    /* Deleting the handler deletes the last cap: the notification is finalised then. */
    OK(ktest_cnode_delete(ROOT, h, 64));
    ck_assert_uint_eq(cap_get_cap_type(slot->cap), cap_null_cap);
    assert_invariants();
}
END_TEST

#ifdef CONFIG_KERNEL_MCS
START_TEST(test_timer_tick)
{
    /* Two threads of equal priority share the CPU round robin on their budgets: the root's
     * (CONFIG_BOOT_THREAD_TIME_SLICE ms) ends in the timer interrupt the kernel programmed, then
     * a's (PUPPET_BUDGET_US); a tick short of each end switches nothing. */
    uint64_t a = make_thread(ROOT_PRIO, 0, true);
    resume(a);
    assert_current(seL4_CapInitThreadTCB);
    uint64_t root_budget = mcs_us_to_ticks(CONFIG_BOOT_THREAD_TIME_SLICE * 1000ull);
    hostsim_clock_advance(root_budget - 1);
    assert_current(seL4_CapInitThreadTCB);
    hostsim_clock_advance(1);
    assert_current(a);
    hostsim_clock_advance(mcs_us_to_ticks(PUPPET_BUDGET_US) - 1);
    assert_current(a);
    hostsim_clock_advance(1);
    assert_current(seL4_CapInitThreadTCB);
}
END_TEST
#else
START_TEST(test_timer_tick)
{
    /* Two threads of equal priority share the CPU round robin on the time slice. */
    uint64_t a = make_thread(ROOT_PRIO, 0, true);
    resume(a);
    assert_current(seL4_CapInitThreadTCB);
    hostsim_tick(CONFIG_TIME_SLICE);
    assert_current(a);
    hostsim_tick(CONFIG_TIME_SLICE);
    assert_current(seL4_CapInitThreadTCB);
}
END_TEST
#endif

static Suite *irq_suite(void)
{
    Suite *s = suite_create("irq");
    TCase *tc = fixture_tcase(s, "IRQControl");
    tcase_add_test(tc, test_get);
    tcase_add_test(tc, test_get_errors);
    tcase_add_test(tc, test_get_trigger);
    tcase_add_test(tc, test_sgi_signal);
    tc = fixture_tcase(s, "IRQHandler");
    tcase_add_test(tc, test_handler_invocation_errors);
    tcase_add_test(tc, test_clear_and_delete);
    tcase_add_test(tc, test_revoke_unbinds);
    tcase_add_test(tc, test_delete_keeps_revoke_takes);
    tcase_add_test(tc, test_replace_clear_and_keep_alive);
    tc = fixture_tcase(s, "delivery");
    tcase_add_test(tc, test_delivery_masks_until_ack);
    tcase_add_test(tc, test_delivery_wakes_waiter);
    tcase_add_test(tc, test_timer_tick);
    return s;
}

int main(void) { return ktest_run(irq_suite()); }
