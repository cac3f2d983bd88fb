/* SPDX-License-Identifier: BSD-2-Clause */
/* The C library's <limits.h>, for a build that has no C library. GCC's own <limits.h> defines every
 * constant the C standard asks of it (CHAR_BIT, INT_MAX, ULLONG_MAX, ...) and then, through its
 * <syslimits.h>, includes the next <limits.h> on the search path: the C library's, which adds POSIX
 * limits. The aarch64 build compiles with -nostdinc, so there is none; this empty file stands in
 * for it (added with -idirafter, after the compiler's directory). See docs/building.md. */
