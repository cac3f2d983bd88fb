/* SPDX-License-Identifier: BSD-2-Clause */
/* Basic kernel types and bit helpers; freestanding. */
#ifndef KAAL_TYPES_H
#define KAAL_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t word_t;
typedef int64_t sword_t;
typedef uint64_t paddr_t; /* a physical address */
typedef word_t cptr_t;    /* a capability pointer as user code gives it */

#define BIT(n) (1ull << (n))
#define MASK(n) ((n) >= 64 ? ~0ull : BIT(n) - 1ull)
#define IS_ALIGNED(x, bits) ((((word_t)(x)) & MASK(bits)) == 0)
#define ROUND_UP(x, bits) ((((word_t)(x)) + MASK(bits)) & ~MASK(bits))
#define ROUND_DOWN(x, bits) (((word_t)(x)) & ~MASK(bits))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define UNUSED __attribute__((unused))
#define NORETURN __attribute__((noreturn))
#define NOINLINE __attribute__((noinline))
#define LIKELY(c) __builtin_expect(!!(c), 1)
#define UNLIKELY(c) __builtin_expect(!!(c), 0)
#define PACKED __attribute__((packed))
/* Rarely executed code (diagnostics, operations no measured path takes): GCC compiles a cold
 * function for size and moves it out of the hot code; branches to it are predicted not taken. */
#define COLD __attribute__((cold))
/* Code that runs only while the kernel boots, in files that also hold run-time code: kept in
 * .text.boot (counted as boot code by tools/kernel_size.py, as seL4 keeps its BOOT_CODE apart)
 * and compiled for size. Whole boot files (boot.c, bootinfo.c, dtb.c) need no mark. */
#define BOOT_CODE __attribute__((cold, section(".text.boot")))

#endif
