/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel debug dumps (debug builds). */
#ifndef KAAL_DEBUG_H
#define KAAL_DEBUG_H

#include <kaal/gen_config.h>

#ifdef CONFIG_DEBUG_BUILD
/* DebugSnapshot: print every thread's CSpace root CNode, and every CNode reachable from those, once
 * each: one line per cap with its type, object, badge/rights, the slot's physical address ("at")
 * and its derivation-tree parent's ("parent", absent for tree roots). tools/snapshot2dot.py renders
 * the output as a picture. Kernel context; changes nothing. */
void debug_snapshot(void);
#endif

#endif
