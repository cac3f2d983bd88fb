/* SPDX-License-Identifier: BSD-2-Clause */
/* The QEMU test root tasks' case results (badinput_root.c, hostile_root.c): EXPECT records the
 * first failed condition of a case with the values it compared, report() prints the case as a TAP
 * line
 * ("ok N name" or "not ok N name: condition (got X, want Y)") and starts the next one. Each root
 * task includes it once; its run-*.sh script reads the lines. */
#ifndef KAAL_TESTS_QEMU_CASE_REPORT_H
#define KAAL_TESTS_QEMU_CASE_REPORT_H

#include <kaal/print.h>

static int passed, failed;
static const char *failure;
static seL4_Word failure_got, failure_want;

#define EXPECT(cond, got, want)               \
    do {                                      \
        if (!(cond) && failure == 0) {        \
            failure = #cond;                  \
            failure_got = (seL4_Word)(got);   \
            failure_want = (seL4_Word)(want); \
        }                                     \
    } while (0)
#define EXPECT_EQ(got, want) EXPECT((seL4_Word)(got) == (seL4_Word)(want), got, want)

static void report(const char *name)
{
    if (failure == 0) {
        passed++;
        kaal_puts("ok ");
    } else {
        failed++;
        kaal_puts("not ok ");
    }
    kaal_put_dec((seL4_Word)(passed + failed));
    kaal_puts(" ");
    kaal_puts(name);
    if (failure != 0) {
        kaal_puts(": ");
        kaal_puts(failure);
        kaal_puts(" (got ");
        kaal_put_hex(failure_got);
        kaal_puts(", want ");
        kaal_put_hex(failure_want);
        kaal_puts(")");
    }
    kaal_puts("\n");
    failure = 0;
}

#endif
