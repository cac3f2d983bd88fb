/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel printing to the HAL console. Supports %d %i %u %x %p %s %c %% with l/ll/z and width/0. */
#ifndef KAAL_PRINTF_H
#define KAAL_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

/* Format to the console. Returns the number of characters written. Any context. */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list ap);
/* Format into buf (always NUL-terminated when size > 0). Returns the length it would have had. */
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* userError: a one-line diagnostic for a failed invocation in the debug kernel (not ABI), in seL4's
 * form: <<KaaL(CPU 0) [function/line T<tcb> "<thread name>" @<restart pc>]: message>>. Printed for
 * the cases seL4's debug kernel prints, and only those: a failure user code is expected to meet
 * and handle (e.g. Page_Map finding no page table, the probe every mapper makes) prints nothing. */
#ifdef CONFIG_PRINTING
/* Where a diagnostic is printed from: one constant per call site, passed as one argument, so a
 * decoder's call sites (on error paths only) cost the registers of one argument more than the
 * message's own, not two (the release benchmark kernel prints too: CONFIG_PRINTING). */
struct kuser_error_site {
    const char *func;
    int line;
};
#define kuser_error(...)                                                               \
    do {                                                                               \
        static const struct kuser_error_site kuser_error_site_ = {__func__, __LINE__}; \
        kernel_user_error(&kuser_error_site_, __VA_ARGS__);                            \
    } while (0)
void kernel_user_error(const struct kuser_error_site *site, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
#else
#define kuser_error(...) ((void)0)
#endif

#endif
