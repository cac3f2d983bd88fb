/* SPDX-License-Identifier: BSD-2-Clause */
/* Device tree parsing with libfdt: RAM, reserved memory and the initrd from a flattened device
 * tree. */
#include <libfdt.h>

#include <kaal/boot.h>
#include <kaal/string.h>

/* Append [start, start + size) to a region array. Empty ranges are ignored; a range that runs past
 * the top of the address space is cut there. Returns false when the array is full. */
static bool region_add(struct mem_region *regs, word_t *n, word_t max, uint64_t start,
                       uint64_t size)
{
    if (size == 0) {
        return true;
    }
    if (*n >= max) {
        return false;
    }
    uint64_t end = start + size;
    if (end < start) {
        end = ~0ull;
    }
    regs[*n].start = start;
    regs[*n].end = end;
    (*n)++;
    return true;
}

/* Sort regions by start (insertion sort: the arrays are tiny) and merge overlapping or touching
 * ones. */
static void regions_sort_merge(struct mem_region *regs, word_t *n)
{
    for (word_t i = 1; i < *n; i++) {
        struct mem_region r = regs[i];
        word_t j = i;
        while (j > 0 && regs[j - 1].start > r.start) {
            regs[j] = regs[j - 1];
            j--;
        }
        regs[j] = r;
    }
    word_t out = 0;
    for (word_t i = 0; i < *n; i++) {
        if (out > 0 && regs[i].start <= regs[out - 1].end) {
            regs[out - 1].end = MAX(regs[out - 1].end, regs[i].end);
        } else {
            regs[out++] = regs[i];
        }
    }
    *n = out;
}

/* Read a big-endian number of `cells` 32-bit cells (1 or 2). */
static uint64_t read_cells(const fdt32_t *p, int cells)
{
    uint64_t v = 0;
    for (int i = 0; i < cells; i++) {
        v = (v << 32) | fdt32_to_cpu(p[i]);
    }
    return v;
}

/* Add every (address, size) pair of node's "reg" to regs, with the given cell counts. A node
 * without reg adds nothing. Returns 0, or -1 with *error. */
static int add_reg(const void *dtb, int node, int ac, int sc, struct mem_region *regs, word_t *n,
                   word_t max, const char **error)
{
    int len;
    const fdt32_t *reg = fdt_getprop(dtb, node, "reg", &len);
    if (reg == NULL) {
        return 0;
    }
    int entry = (ac + sc) * (int)sizeof(fdt32_t);
    if (len < 0 || len % entry != 0) {
        *error = "device tree: malformed reg property (length is not a whole number of entries)";
        return -1;
    }
    for (int off = 0; off < len / (int)sizeof(fdt32_t); off += ac + sc) {
        uint64_t start = read_cells(reg + off, ac);
        uint64_t size = read_cells(reg + off + ac, sc);
        if (!region_add(regs, n, max, start, size)) {
            *error = max == MEM_MAP_MAX_RAM ? "device tree: too many memory regions"
                                            : "device tree: too many reserved memory regions";
            return -1;
        }
    }
    return 0;
}

/* #address-cells / #size-cells of a node, checked to be 1 or 2 (what a 64-bit kernel can use). */
static int node_cells(const void *dtb, int node, int *ac, int *sc, const char **error)
{
    *ac = fdt_address_cells(dtb, node);
    *sc = fdt_size_cells(dtb, node);
    if (*ac < 1 || *ac > 2 || *sc < 1 || *sc > 2) {
        *error = "device tree: unsupported #address-cells or #size-cells (must be 1 or 2)";
        return -1;
    }
    return 0;
}

static int parse_ram(const void *dtb, struct mem_map *map, const char **error)
{
    int ac, sc;
    if (node_cells(dtb, 0, &ac, &sc, error) != 0) {
        return -1;
    }
    for (int node =
             fdt_node_offset_by_prop_value(dtb, -1, "device_type", "memory", sizeof("memory"));
         node >= 0; node = fdt_node_offset_by_prop_value(dtb, node, "device_type", "memory",
                                                         sizeof("memory"))) {
        /* Only top-level memory nodes use the root's cell counts. */
        if (fdt_parent_offset(dtb, node) != 0) {
            continue;
        }
        if (add_reg(dtb, node, ac, sc, map->ram, &map->n_ram, MEM_MAP_MAX_RAM, error) != 0) {
            return -1;
        }
    }
    regions_sort_merge(map->ram, &map->n_ram);
    if (map->n_ram == 0) {
        *error = "device tree: no /memory node with a non-empty reg";
        return -1;
    }
    return 0;
}

static int parse_reserved(const void *dtb, struct mem_map *map, const char **error)
{
    int n = fdt_num_mem_rsv(dtb);
    if (n < 0) {
        *error = "device tree: malformed /memreserve/ table";
        return -1;
    }
    for (int i = 0; i < n; i++) {
        uint64_t addr, size;
        if (fdt_get_mem_rsv(dtb, i, &addr, &size) != 0) {
            *error = "device tree: malformed /memreserve/ table";
            return -1;
        }
        if (!region_add(map->reserved, &map->n_reserved, MEM_MAP_MAX_RESERVED, addr, size)) {
            *error = "device tree: too many reserved memory regions";
            return -1;
        }
    }

    int rm = fdt_path_offset(dtb, "/reserved-memory");
    if (rm >= 0) {
        int ac, sc;
        if (node_cells(dtb, rm, &ac, &sc, error) != 0) {
            return -1;
        }
        int child;
        fdt_for_each_subnode(child, dtb, rm)
        {
            if (add_reg(dtb, child, ac, sc, map->reserved, &map->n_reserved, MEM_MAP_MAX_RESERVED,
                        error) != 0) {
                return -1;
            }
        }
    }
    regions_sort_merge(map->reserved, &map->n_reserved);
    return 0;
}

/* A /chosen property holding one 32- or 64-bit number. Returns false if absent or malformed. */
static bool chosen_number(const void *dtb, int chosen, const char *name, uint64_t *out)
{
    int len;
    const fdt32_t *p = fdt_getprop(dtb, chosen, name, &len);
    if (p == NULL || (len != 4 && len != 8)) {
        return false;
    }
    *out = read_cells(p, len / 4);
    return true;
}

static int parse_initrd(const void *dtb, struct mem_map *map, const char **error)
{
    int chosen = fdt_path_offset(dtb, "/chosen");
    if (chosen < 0) {
        return 0;
    }
    uint64_t start = 0, end = 0;
    bool has_start = chosen_number(dtb, chosen, "linux,initrd-start", &start);
    bool has_end = chosen_number(dtb, chosen, "linux,initrd-end", &end);
    if (!has_start && !has_end) {
        return 0;
    }
    if (!has_start || !has_end || end < start) {
        *error = "device tree: malformed /chosen linux,initrd-start/end";
        return -1;
    }
    map->initrd_start = start;
    map->initrd_end = end;
    return 0;
}

int dtb_parse_memory(const void *dtb, size_t size, struct mem_map *map, const char **error)
{
    kmemset(map, 0, sizeof(*map));
    if (dtb == NULL || size == 0) {
        *error = "device tree: none given (empty blob)";
        return -1;
    }
    if ((uintptr_t)dtb & 7) {
        *error = "device tree: blob is not 8-byte aligned";
        return -1;
    }
    if (size < sizeof(struct fdt_header)) {
        *error = "device tree: truncated (shorter than its header)";
        return -1;
    }
    if (fdt_magic(dtb) != FDT_MAGIC) {
        *error = "device tree: bad magic";
        return -1;
    }
    if (fdt_totalsize(dtb) > size) {
        *error = "device tree: truncated (header's totalsize is larger than the blob)";
        return -1;
    }
    if (fdt_check_header(dtb) != 0) {
        *error = "device tree: malformed header";
        return -1;
    }
    /* Walk the whole structure block once, so the lookups below only meet well-formed data. */
    if (fdt_check_full(dtb, size) != 0) {
        *error = "device tree: malformed structure block";
        return -1;
    }
    if (parse_ram(dtb, map, error) != 0 || parse_reserved(dtb, map, error) != 0 ||
        parse_initrd(dtb, map, error) != 0) {
        return -1;
    }
    return 0;
}
