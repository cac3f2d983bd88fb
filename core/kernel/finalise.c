/* SPDX-License-Identifier: BSD-2-Clause */
/* Finalising an object when a cap to it is deleted (seL4's finaliseCap): cancel what waits on it,
 * unbind it, and turn CNodes and TCBs into zombies whose slots the deletion then clears. */
#include <kaal/cdt.h>
#include <kaal/kernel.h>
#include <kaal/objects.h>
#include <kaal/sched.h>
#include <kaal/thread.h>

/* The last handler cap for irq is going: its notification binding is cleared and the line
 * becomes inactive (masked) in the IRQ table. */
static void irq_handler_cap_deleted(word_t irq) { irq_handler_deleted(irq); }

cap_t object_finalise(cap_t cap, bool final)
{
    switch (cap_get_cap_type(cap)) {
    case cap_endpoint_cap:
        if (final) {
            ep_cancel_all(PTOV(endpoint_t, cap_endpoint_cap_get_ptr(cap)));
        }
        return cap_null_cap_new();
    case cap_notification_cap:
        if (final) {
            notification_t *ntfn = PTOV(notification_t, cap_notification_cap_get_ptr(cap));
            ntfn_unbind(ntfn);
            ntfn_cancel_all(ntfn);
        }
        return cap_null_cap_new();
    case cap_cnode_cap:
        if (final) {
            word_t radix = cap_cnode_cap_get_radix(cap);
            return cap_zombie_cap_new(cap_cnode_cap_get_ptr(cap), radix, BIT(radix));
        }
        return cap_null_cap_new();
    case cap_thread_cap:
        if (final) {
            struct tcb *t = tcb_from_paddr(cap_thread_cap_get_tcb(cap));
            tcb_unbind_notification(t);
            thread_suspend(t); /* seL4's finaliseCap suspends the thread */
            sched_tcb_destroyed(t);
            hal_tcb_destroy(&t->arch);
            if (t == ks.root_thread) {
                ks.root_thread = NULL; /* no dangling pointer for the debug tools (hostsim, checker) */
            }
            /* The zombie clears the TCB's own slots, from the last to ctes[0]. */
            return cap_zombie_cap_new(VTOP(&t->ctes[0]), ZOMBIE_TYPE_TCB, TCB_CNODE_ENTRIES);
        }
        return cap_null_cap_new();
    case cap_zombie_cap:
        return cap; /* still being cleared: the deletion carries on with it */
    case cap_irq_handler_cap:
        if (final) {
            irq_handler_cap_deleted(cap_irq_handler_cap_get_irq(cap));
        }
        return cap_null_cap_new();
    case cap_frame_cap:
    case cap_page_table_cap:
    case cap_vspace_cap:
    case cap_asid_pool_cap:
    case cap_asid_control_cap:
    case cap_sgi_signal_cap:
        arch_finalise_cap(cap, final);
        return cap_null_cap_new();
    default:
        /* null, reply, domain, untyped, irq control: nothing to undo */
        return cap_null_cap_new();
    }
}
