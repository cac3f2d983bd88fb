/* SPDX-License-Identifier: BSD-2-Clause */
/* The debug kernel's invariant checker: walks every capability reachable from the root thread and
 * checks the derivation tree, object placement, untyped watermarks and CNode/zombie shapes. */
#ifndef KAAL_INVARIANTS_H
#define KAAL_INVARIANTS_H

#include <kaal/gen_config.h>
#include <kaal/types.h>

#ifdef CONFIG_KERNEL_INVARIANTS
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
 * Not reentrant; O(n log n) in the number of caps plus the CNode slots scanned. */
bool kernel_invariants_hold(char *why, size_t why_len);
#endif

#endif
