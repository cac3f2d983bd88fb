/* SPDX-License-Identifier: BSD-2-Clause */
/* The debug kernel's invariant checker: walks every capability reachable from the root thread and
 * checks the derivation tree, object placement, untyped watermarks and CNode/zombie shapes. */
#ifndef KAAL_INVARIANTS_H
#define KAAL_INVARIANTS_H

#include <kaal/gen_config.h>
#include <kaal/types.h>

#ifdef CONFIG_KERNEL_INVARIANTS
struct tcb;

/* Most slots holding a cap, and most CNode/TCB objects, one check can follow; beyond that the
 * check fails with "too many" (the tables are static: core has no allocator). */
#define INVARIANTS_MAX_CAPS (1u << 16)
/* Most slots (empty or not) one check scans in all CNodes together. */
#define INVARIANTS_MAX_SCANNED_SLOTS (1u << 24)

/* Check the kernel's capability invariants. Call between kernel entries (never from inside one:
 * a preempted operation's intermediate state is only consistent at the points where it stops).
 * Finds caps from ks.root_thread's TCB slots and its CSpace root, recursively through CNode, TCB
 * and zombie caps and every derivation-tree link. Returns true when all hold; otherwise false
 * with a readable reason (which slot or object, what is wrong) in why[0..why_len) (NUL-terminated,
 * why may be NULL). Checked:
 *  (a) the derivation tree: links consistent both ways, acyclic, empty slots unlinked, the
 *      pre-order list shape (every subtree contiguous, ancestors accept all descendants), caps to
 *      one object contiguous, caps to untyped-covered memory under the covering untyped;
 *  (b) distinct objects never overlap (untypeds nest; objects sit inside untypeds);
 *  (c) object addresses aligned, in RAM unless device, below their untyped's watermark;
 *  (d) untyped sizes and free indexes consistent with their children;
 *  (e) CNode caps (and CNode zombies): radix >= 1 and radix + guard size <= 64;
 *  (f) the root thread's slots hold caps of the right types; zombie counts fit their objects.
 *  (g) threads (every TCB object: the scheduler keeps a list of them, sched_tcb_created): the
 *      list well linked; each live thread's state valid; blocked on an endpoint/notification
 *      exactly when in that object's queue, once, in the matching state (receivers carry no
 *      badge); queue links both ways, head and tail, no cycles, idle objects with empty queues;
 *  (h) ready queues: each runnable thread other than the current one and the scheduler's
 *      choice queued once at its priority and domain, only runnable threads queued, links both
 *      ways, bitmaps equal to the non-empty queues; the scheduler action and the current thread
 *      live and runnable (or idle);
 *  (i) notification bindings point back; a bound notification's waiters are its thread;
 *  (j) reply caps: a master only in its own TCB's Reply slot, a one-shot one names a thread
 *      blocked on reply, is its master's derivation child, at most one per thread;
 *  (k) IRQs: issued (IRQSignal) exactly when an IRQHandler cap names the line; the IRQ node's
 *      slots hold only notification caps, only for issued lines, and are scanned like a CNode,
 *      so the derivation-tree checks above cover each IRQ's binding as the cap it is;
 *  (l) every live thread reachable: a cap, a queue, a reply cap, the current thread or the
 *      scheduler's choice names it; every thread cap names a live thread; the port's cached
 *      state (hal_invariants_hold).
 * Caps are found from the root thread, every live thread's own slots and the IRQ node.
 * Not reentrant; O(n log n) in the number of caps plus the CNode slots scanned. */
bool kernel_invariants_hold(char *why, size_t why_len);

/* The part of the check that needs no cap discovery, run on its own: the thread, queue,
 * scheduler, binding, reply-slot, IRQ-table and port checks below, for every live thread, but
 * for the IPC objects only those that threads, bindings and IRQs name. A few microseconds. */
bool kernel_invariants_quick(char *why, size_t why_len);

/* The fuzzer's incremental form: call after every kernel entry. Runs kernel_invariants_quick,
 * and kernel_invariants_hold every `period`-th call (so a corruption only the full check sees is
 * reported at most period - 1 entries late; the fuzzer also runs the full check at the end of
 * each input). kernel_invariants_incremental_reset starts counting again (period 0 acts as 1). */
void kernel_invariants_incremental_reset(unsigned period);
bool kernel_invariants_after_entry(char *why, size_t why_len);

/* During a check, for hal_invariants_hold: the live TCB objects (the scheduler's list of every
 * TCB, checked first), and whether pa is one of them. */
uint32_t kernel_invariants_thread_count(void);
struct tcb *kernel_invariants_thread(uint32_t i);
bool kernel_invariants_thread_is_live(paddr_t pa);
#endif

#endif
