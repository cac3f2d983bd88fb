/* SPDX-License-Identifier: BSD-2-Clause */
/* aarch64 only: what Debian's arm64 libfdt.a needs beyond libkaal's C library string functions
 * (hal/aarch64/lib/string.c): the stack protector's guard (the library is built with
 * -fstack-protector-strong). */
#include <stdint.h>

void __stack_chk_fail(void);

uintptr_t __stack_chk_guard = 0x4b61614c2d666474ul;

void __stack_chk_fail(void)
{
    for (;;) {
        __asm__ volatile(
            "brk #0x5c"); /* a user exception: the thread's fault handler hears of it */
    }
}
