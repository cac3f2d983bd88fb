/* SPDX-License-Identifier: BSD-2-Clause */
/* kassert: invariants the kernel itself keeps. Never for user input
 * (docs/internals.md#rules-the-code-keeps). */
#ifndef KAAL_ASSERT_H
#define KAAL_ASSERT_H

#include <kaal/gen_config.h>

/* Print the failed condition and where it is, then stop the kernel (hal_panic_dump, hal_halt). */
void kassert_fail(const char *expr, const char *file, int line, const char *func)
    __attribute__((noreturn));

#ifdef CONFIG_DEBUG_BUILD
#define kassert(e) ((e) ? (void)0 : kassert_fail(#e, __FILE__, __LINE__, __func__))
#else
/* Release: not evaluated, but still type-checked, so helpers used only in asserts stay "used". */
#define kassert(e) ((void)sizeof(!(e)))
#endif

/* Stop the kernel with a message: for states that cannot happen. */
#define kpanic(msg) kassert_fail((msg), __FILE__, __LINE__, __func__)

#endif
