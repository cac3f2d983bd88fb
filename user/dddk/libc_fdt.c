/* SPDX-License-Identifier: BSD-2-Clause */
/* aarch64 only: what Debian's arm64 libfdt.a needs beyond libkaal's mem* functions (the string
 * functions it calls and the stack protector's guard: the library is built with
 * -fstack-protector-strong). */
#include <libfdt_env.h> /* the string functions' declarations */
#include <stdint.h>

void __stack_chk_fail(void);

uintptr_t __stack_chk_guard = 0x4b61614c2d666474ul;

void __stack_chk_fail(void)
{
    for (;;) {
        __asm__ volatile("brk #0x5c"); /* a user exception: the thread's fault handler hears of it */
    }
}

void *memchr(const void *s, int c, size_t n)
{
    const unsigned char *p = s;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == (unsigned char)c) {
            return (void *)(p + i);
        }
    }
    return NULL;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n]) {
        n++;
    }
    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n]) {
        n++;
    }
    return n;
}

char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c) {
            return (char *)s;
        }
        if (!*s) {
            return NULL;
        }
    }
}

char *strrchr(const char *s, int c)
{
    const char *last = NULL;
    for (;; s++) {
        if (*s == (char)c) {
            last = s;
        }
        if (!*s) {
            return (char *)last;
        }
    }
}
