/* SPDX-License-Identifier: BSD-2-Clause */
/* Device tree parsing with libfdt (placeholder while the module is written; replaced in this issue). */
#include <kaal/boot.h>

int dtb_parse_memory(const void *dtb, size_t size, struct mem_map *map, const char **error)
{
    (void)dtb; (void)size; (void)map;
    *error = "dtb parsing not written yet";
    return -1;
}
