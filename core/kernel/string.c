/* SPDX-License-Identifier: BSD-2-Clause */
/* kstrlcpy, the one string helper core needs that the C library lacks (the others are the C
 * library's: <kaal/string.h>). */
#include <kaal/string.h>

size_t kstrlcpy(char *dst, const char *src, size_t size)
{
    size_t len = kstrlen(src);
    if (size) {
        size_t n = len < size - 1 ? len : size - 1;
        kmemcpy(dst, src, n);
        dst[n] = '\0';
    }
    return len;
}
