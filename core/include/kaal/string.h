/* SPDX-License-Identifier: BSD-2-Clause */
/* Freestanding memory and string helpers for core (no host <string.h>). */
#ifndef KAAL_KSTRING_H
#define KAAL_KSTRING_H

#include <kaal/types.h>

void kmemset(void *dst, int c, size_t n);
void kmemcpy(void *dst, const void *src, size_t n);
int kmemcmp(const void *a, const void *b, size_t n);
size_t kstrlen(const char *s);
size_t kstrnlen(const char *s, size_t max);
int kstrcmp(const char *a, const char *b);
/* Copy at most size-1 bytes and NUL-terminate (size > 0). Returns kstrlen(src). */
size_t kstrlcpy(char *dst, const char *src, size_t size);

#endif
