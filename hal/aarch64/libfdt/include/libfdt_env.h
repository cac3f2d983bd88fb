/* SPDX-License-Identifier: BSD-2-Clause */
/* KaaL's <libfdt_env.h> for the freestanding aarch64 build: what libfdt's headers (libfdt.h, fdt.h)
 * need from their environment, without a C library. Debian's version of this header includes the C
 * library's <stdlib.h> and <string.h>; this one is found first (an -I directory is searched before
 * the -isystem directory of the unpacked package) and the build never reaches Debian's.
 *
 * The string functions are declared with their C names because Debian's libfdt.a calls them by
 * those names: hal/aarch64/lib/string.c defines them (compiled into the kernel, the loader and
 * libkaal for root tasks) and includes this header, so the declarations are written once. */
#ifndef KAAL_LIBFDT_ENV_H
#define KAAL_LIBFDT_ENV_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Device-tree cells are big-endian; libfdt marks them with these types (sparse's bitwise
 * annotations are not used here). */
typedef uint16_t fdt16_t;
typedef uint32_t fdt32_t;
typedef uint64_t fdt64_t;

static inline uint16_t fdt16_to_cpu(fdt16_t x) { return __builtin_bswap16(x); }

static inline fdt16_t cpu_to_fdt16(uint16_t x) { return __builtin_bswap16(x); }

static inline uint32_t fdt32_to_cpu(fdt32_t x) { return __builtin_bswap32(x); }

static inline fdt32_t cpu_to_fdt32(uint32_t x) { return __builtin_bswap32(x); }

static inline uint64_t fdt64_to_cpu(fdt64_t x) { return __builtin_bswap64(x); }

static inline fdt64_t cpu_to_fdt64(uint64_t x) { return __builtin_bswap64(x); }

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "KaaL's libfdt_env.h assumes a little-endian CPU (AArch64 as KaaL runs it)"
#endif

/* The C library functions libfdt's headers and libfdt.a use. */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);

#endif /* KAAL_LIBFDT_ENV_H */
