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
#define kuser_error(...) kernel_user_error(__func__, __LINE__, __VA_ARGS__)
void kernel_user_error(const char *func, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#else
#define kuser_error(...) ((void)0)
#endif

#endif
