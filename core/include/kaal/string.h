/* SPDX-License-Identifier: BSD-2-Clause */
/* Memory and string helpers for core (no host <string.h>). The byte loops are the C library's,
 * which every image kind has once: the aarch64 kernel links the port's (hal/aarch64/lib/string.c,
 * also the compiler's and libfdt's), hostsim the host's; core declares the few it calls and names
 * them k* (a freestanding build never treats a call as a builtin). What the C library lacks is
 * core's own (string.c). */
#ifndef KAAL_KSTRING_H
#define KAAL_KSTRING_H

#include <kaal/types.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);

static inline void kmemset(void *dst, int c, size_t n) { memset(dst, c, n); }
static inline void kmemcpy(void *dst, const void *src, size_t n) { memcpy(dst, src, n); }
static inline int kmemcmp(const void *a, const void *b, size_t n) { return memcmp(a, b, n); }
static inline size_t kstrlen(const char *s) { return strlen(s); }
static inline size_t kstrnlen(const char *s, size_t max) { return strnlen(s, max); }
static inline int kstrcmp(const char *a, const char *b) { return strcmp(a, b); }
/* Copy at most size-1 bytes and NUL-terminate (size > 0). Returns kstrlen(src). */
size_t kstrlcpy(char *dst, const char *src, size_t size);

#endif
