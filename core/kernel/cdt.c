/* SPDX-License-Identifier: BSD-2-Clause */
/* Capability derivation tree (placeholder while the module is written; replaced in this issue). */
#include <kaal/cdt.h>

bool cdt_is_final_cap(const cte_t *slot) { (void)slot; kpanic("cdt not written yet"); }
