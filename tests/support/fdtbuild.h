/* SPDX-License-Identifier: BSD-2-Clause */
/* Test helper: build small device trees in memory with libfdt's sequential-write API, and place
 * blobs right before an inaccessible page so any read past their end faults (libfdt itself is
 * not instrumented by ASan, so the guard page is what catches it). Header-only, for test files. */
#ifndef FDTBUILD_H
#define FDTBUILD_H

#include <check.h>
#include <libfdt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* What to put in a generated tree. Ranges are {start, size}. */
struct fdtb_spec {
    int ac, sc;               /* root #address-cells / #size-cells; 0 means 2 */
    const uint64_t (*mem)[2]; /* reg entries of memory nodes */
    int n_mem;
    int mem_per_node;         /* reg entries per memory node (0: all in one node) */
    const uint64_t (*rsv)[2]; /* /memreserve/ entries */
    int n_rsv;
    const uint64_t (*resmem)[2]; /* /reserved-memory children */
    int n_resmem;
    bool initrd;
    int initrd_cells; /* 1 or 2 */
    uint64_t initrd_start, initrd_end;
    bool gic; /* a QEMU-virt GICv2 at 0x08000000 */
};

static inline void fdtb_put_cells(fdt32_t *out, int *n, uint64_t v, int cells)
{
    if (cells == 2) {
        out[(*n)++] = cpu_to_fdt32((uint32_t)(v >> 32));
    }
    out[(*n)++] = cpu_to_fdt32((uint32_t)v);
}

static inline void fdtb_reg(void *fdt, const uint64_t (*r)[2], int n, int ac, int sc)
{
    fdt32_t cells[4 * 64];
    int k = 0;
    ck_assert(n <= 64);
    for (int i = 0; i < n; i++) {
        fdtb_put_cells(cells, &k, r[i][0], ac);
        fdtb_put_cells(cells, &k, r[i][1], sc);
    }
    ck_assert_int_eq(fdt_property(fdt, "reg", cells, k * (int)sizeof(fdt32_t)), 0);
}

/* Build the tree into a malloc'ed buffer (packed); *size gets its length. */
static inline void *fdtb_build(const struct fdtb_spec *s, size_t *size)
{
    int ac = s->ac ? s->ac : 2, sc = s->sc ? s->sc : 2;
    size_t cap = 64 * 1024;
    void *fdt = malloc(cap);
    ck_assert(fdt != NULL);
    ck_assert_int_eq(fdt_create(fdt, (int)cap), 0);
    for (int i = 0; i < s->n_rsv; i++) {
        ck_assert_int_eq(fdt_add_reservemap_entry(fdt, s->rsv[i][0], s->rsv[i][1]), 0);
    }
    ck_assert_int_eq(fdt_finish_reservemap(fdt), 0);
    ck_assert_int_eq(fdt_begin_node(fdt, ""), 0);
    ck_assert_int_eq(fdt_property_u32(fdt, "#address-cells", (uint32_t)ac), 0);
    ck_assert_int_eq(fdt_property_u32(fdt, "#size-cells", (uint32_t)sc), 0);
    int per = s->mem_per_node ? s->mem_per_node : (s->n_mem ? s->n_mem : 1);
    for (int i = 0; i < s->n_mem; i += per) {
        char name[32];
        snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)s->mem[i][0]);
        ck_assert_int_eq(fdt_begin_node(fdt, name), 0);
        ck_assert_int_eq(fdt_property_string(fdt, "device_type", "memory"), 0);
        fdtb_reg(fdt, s->mem + i, s->n_mem - i < per ? s->n_mem - i : per, ac, sc);
        ck_assert_int_eq(fdt_end_node(fdt), 0);
    }
    if (s->n_resmem) {
        ck_assert_int_eq(fdt_begin_node(fdt, "reserved-memory"), 0);
        ck_assert_int_eq(fdt_property_u32(fdt, "#address-cells", (uint32_t)ac), 0);
        ck_assert_int_eq(fdt_property_u32(fdt, "#size-cells", (uint32_t)sc), 0);
        ck_assert_int_eq(fdt_property(fdt, "ranges", NULL, 0), 0);
        for (int i = 0; i < s->n_resmem; i++) {
            char name[32];
            snprintf(name, sizeof(name), "region@%llx", (unsigned long long)s->resmem[i][0]);
            ck_assert_int_eq(fdt_begin_node(fdt, name), 0);
            fdtb_reg(fdt, s->resmem + i, 1, ac, sc);
            ck_assert_int_eq(fdt_end_node(fdt), 0);
        }
        ck_assert_int_eq(fdt_end_node(fdt), 0);
    }
    if (s->gic) {
        const uint64_t gic[2][2] = {{0x08000000, 0x10000}, {0x08010000, 0x10000}};
        ck_assert_int_eq(fdt_begin_node(fdt, "intc@8000000"), 0);
        ck_assert_int_eq(fdt_property_string(fdt, "compatible", "arm,cortex-a15-gic"), 0);
        fdtb_reg(fdt, gic, 2, ac, sc);
        ck_assert_int_eq(fdt_end_node(fdt), 0);
    }
    ck_assert_int_eq(fdt_begin_node(fdt, "chosen"), 0);
    if (s->initrd) {
        if (s->initrd_cells == 1) {
            ck_assert_int_eq(fdt_property_u32(fdt, "linux,initrd-start", (uint32_t)s->initrd_start),
                             0);
            ck_assert_int_eq(fdt_property_u32(fdt, "linux,initrd-end", (uint32_t)s->initrd_end), 0);
        } else {
            ck_assert_int_eq(fdt_property_u64(fdt, "linux,initrd-start", s->initrd_start), 0);
            ck_assert_int_eq(fdt_property_u64(fdt, "linux,initrd-end", s->initrd_end), 0);
        }
    }
    ck_assert_int_eq(fdt_end_node(fdt), 0);
    ck_assert_int_eq(fdt_end_node(fdt), 0);
    ck_assert_int_eq(fdt_finish(fdt), 0);
    ck_assert_int_eq(fdt_pack(fdt), 0);
    *size = fdt_totalsize(fdt);
    return fdt;
}

/* A copy of [blob, blob + size) that ends right before a PROT_NONE page: at most 7 bytes of slack,
 * because libfdt wants the blob 8-byte aligned. Release with fdtb_guarded_free(p, size). */
static inline void *fdtb_guarded_copy(const void *blob, size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t span = (size + page - 1) / page * page;
    uint8_t *base =
        mmap(NULL, span + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert(base != MAP_FAILED);
    ck_assert_int_eq(mprotect(base + span, page, PROT_NONE), 0);
    uint8_t *p = base + ((span - size) & ~(size_t)7);
    if (size) {
        memcpy(p, blob, size);
    }
    return p;
}

static inline void fdtb_guarded_free(void *p, size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t span = (size + page - 1) / page * page;
    munmap((uint8_t *)((uintptr_t)p & ~(page - 1)), span + page);
}

#endif
