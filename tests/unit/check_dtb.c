/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for dtb_parse_memory: RAM, reservations and initrd from real and generated device
 * trees, and malformed blobs rejected with a readable error and no read past their end. */
#include <stdio.h>
#include <string.h>

#include <kaal/boot.h>

#include "fdtbuild.h"
#include "ktest.h"

static int parse(const void *blob, size_t size, struct mem_map *map, const char **error)
{
    void *g = fdtb_guarded_copy(blob, size);
    int r = dtb_parse_memory(g, size, map, error);
    fdtb_guarded_free(g, size);
    return r;
}

#define assert_rejected(blob, size, text)                                                    \
    do {                                                                                     \
        struct mem_map m_;                                                                   \
        const char *e_ = NULL;                                                               \
        ck_assert_int_eq(parse((blob), (size), &m_, &e_), -1);                               \
        ck_assert_msg(e_ != NULL && strstr(e_, (text)) != NULL, "error \"%s\" lacks \"%s\"", \
                      e_ ? e_ : "(null)", (text));                                           \
    } while (0)

START_TEST(test_qemu_virt_ram)
{
    size_t size;
    void *dtb = ktest_read_data(KTEST_DTB_VIRT, &size);
    struct mem_map map;
    const char *error = NULL;
    ck_assert_int_eq(parse(dtb, size, &map, &error), 0);
    ck_assert_uint_eq(map.n_ram, 1);
    ck_assert_uint_eq(map.ram[0].start, 0x40000000);
    ck_assert_uint_eq(map.ram[0].end, 0x80000000);
    ck_assert_uint_eq(map.n_reserved, 0);
    ck_assert_uint_eq(map.initrd_start, 0);
    ck_assert_uint_eq(map.initrd_end, 0);
    free(dtb);
}
END_TEST

START_TEST(test_small_regions)
{
    size_t size;
    void *dtb = ktest_read_data(KTEST_DTB_SMALL, &size);
    struct mem_map map;
    const char *error = NULL;
    ck_assert_int_eq(parse(dtb, size, &map, &error), 0);
    ck_assert_uint_eq(map.n_ram, 1);
    ck_assert_uint_eq(map.ram[0].start, 0x40000000);
    ck_assert_uint_eq(map.ram[0].end, 0x44000000);
    ck_assert_uint_eq(map.n_reserved, 2);
    ck_assert_uint_eq(map.reserved[0].start, 0x43000000); /* /memreserve/ */
    ck_assert_uint_eq(map.reserved[0].end, 0x43010000);
    ck_assert_uint_eq(map.reserved[1].start, 0x43800000); /* /reserved-memory/firmware */
    ck_assert_uint_eq(map.reserved[1].end, 0x43900000);
    free(dtb);
}
END_TEST

START_TEST(test_sort_merge)
{
    /* Two nodes, out of order, overlapping and touching; reservations likewise. */
    const uint64_t mem[][2] = {{0x80000000, 0x1000},
                               {0x40000000, 0x1000000},
                               {0x40800000, 0x1000000},
                               {0x41800000, 0x1000}};
    const uint64_t rsv[][2] = {{0x40100000, 0x1000}, {0x40000000, 0x2000}};
    const uint64_t resmem[][2] = {{0x40001000, 0x2000}, {0x50000000, 0x1000}};
    struct fdtb_spec s = {.mem = mem,
                          .n_mem = 4,
                          .mem_per_node = 2,
                          .rsv = rsv,
                          .n_rsv = 2,
                          .resmem = resmem,
                          .n_resmem = 2};
    size_t size;
    void *dtb = fdtb_build(&s, &size);
    struct mem_map map;
    const char *error = NULL;
    ck_assert_int_eq(parse(dtb, size, &map, &error), 0);
    ck_assert_uint_eq(map.n_ram, 2);
    ck_assert_uint_eq(map.ram[0].start, 0x40000000);
    ck_assert_uint_eq(map.ram[0].end, 0x41801000);
    ck_assert_uint_eq(map.ram[1].start, 0x80000000);
    ck_assert_uint_eq(map.ram[1].end, 0x80001000);
    ck_assert_uint_eq(map.n_reserved, 3);
    ck_assert_uint_eq(map.reserved[0].start, 0x40000000);
    ck_assert_uint_eq(map.reserved[0].end, 0x40003000);
    ck_assert_uint_eq(map.reserved[1].start, 0x40100000);
    ck_assert_uint_eq(map.reserved[2].start, 0x50000000);
    free(dtb);
}
END_TEST

START_TEST(test_one_cell)
{
    const uint64_t mem[][2] = {{0x40000000, 0x8000000}};
    const uint64_t resmem[][2] = {{0x40400000, 0x1000}};
    struct fdtb_spec s = {
        .ac = 1, .sc = 1, .mem = mem, .n_mem = 1, .resmem = resmem, .n_resmem = 1};
    size_t size;
    void *dtb = fdtb_build(&s, &size);
    struct mem_map map;
    const char *error = NULL;
    ck_assert_int_eq(parse(dtb, size, &map, &error), 0);
    ck_assert_uint_eq(map.ram[0].end, 0x48000000);
    ck_assert_uint_eq(map.reserved[0].start, 0x40400000);
    ck_assert_uint_eq(map.reserved[0].end, 0x40401000);
    free(dtb);
}
END_TEST

START_TEST(test_initrd)
{
    const uint64_t mem[][2] = {{0x40000000, 0x8000000}};
    for (int cells = 1; cells <= 2; cells++) {
        struct fdtb_spec s = {.mem = mem,
                              .n_mem = 1,
                              .initrd = true,
                              .initrd_cells = cells,
                              .initrd_start = 0x44000000,
                              .initrd_end = 0x44123000};
        size_t size;
        void *dtb = fdtb_build(&s, &size);
        struct mem_map map;
        const char *error = NULL;
        ck_assert_int_eq(parse(dtb, size, &map, &error), 0);
        ck_assert_uint_eq(map.initrd_start, 0x44000000);
        ck_assert_uint_eq(map.initrd_end, 0x44123000);
        free(dtb);
    }
    struct fdtb_spec bad = {.mem = mem,
                            .n_mem = 1,
                            .initrd = true,
                            .initrd_cells = 2,
                            .initrd_start = 0x5000,
                            .initrd_end = 0x4000};
    size_t size;
    void *dtb = fdtb_build(&bad, &size);
    assert_rejected(dtb, size, "initrd");
    free(dtb);
}
END_TEST

START_TEST(test_truncated)
{
    size_t size;
    void *dtb = ktest_read_data(KTEST_DTB_SMALL, &size);
    const size_t lengths[] = {1, 4, 8, 39, 40, 41, 100, 200, size / 2, size - 8, size - 1};
    for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
        assert_rejected(dtb, lengths[i], "truncated");
    }
    free(dtb);
}
END_TEST

START_TEST(test_zero_and_null)
{
    struct mem_map map;
    const char *error = NULL;
    ck_assert_int_eq(dtb_parse_memory(NULL, 100, &map, &error), -1);
    ck_assert_ptr_nonnull(strstr(error, "empty"));
    size_t size;
    void *dtb = ktest_read_data(KTEST_DTB_SMALL, &size);
    assert_rejected(dtb, 0, "empty");
    free(dtb);
}
END_TEST

START_TEST(test_bad_magic)
{
    size_t size;
    uint8_t *dtb = ktest_read_data(KTEST_DTB_SMALL, &size);
    dtb[0] ^= 0xff;
    assert_rejected(dtb, size, "bad magic");
    free(dtb);
}
END_TEST

START_TEST(test_garbage)
{
    uint8_t buf[4096];
    unsigned seed = 12345;
    for (size_t i = 0; i < sizeof(buf); i++) {
        buf[i] = (uint8_t)(rand_r(&seed) >> 7);
    }
    assert_rejected(buf, sizeof(buf), "bad magic");
    /* A valid magic and sizes in front of garbage. */
    fdt32_t hdr[10] = {
        cpu_to_fdt32(FDT_MAGIC), cpu_to_fdt32(sizeof(buf)), cpu_to_fdt32(0x38), cpu_to_fdt32(0x200),
        cpu_to_fdt32(0x28),      cpu_to_fdt32(17),          cpu_to_fdt32(16),   0,
        cpu_to_fdt32(0x100),     cpu_to_fdt32(0x800)};
    memcpy(buf, hdr, sizeof(hdr));
    assert_rejected(buf, sizeof(buf), "device tree");
}
END_TEST

START_TEST(test_mutations_never_crash)
{
    /* Random byte flips of a real tree: every result is 0 or -1 with an error, and no read goes
     * past the blob (guard page; ASan for the parser's own accesses). */
    size_t size;
    uint8_t *dtb = ktest_read_data(KTEST_DTB_SMALL, &size);
    uint8_t *copy = malloc(size);
    unsigned seed = 7;
    for (int round = 0; round < 3000; round++) {
        memcpy(copy, dtb, size);
        int flips = 1 + rand_r(&seed) % 8;
        for (int f = 0; f < flips; f++) {
            copy[(size_t)rand_r(&seed) % size] = (uint8_t)rand_r(&seed);
        }
        size_t len = (round % 5 == 0) ? (size_t)rand_r(&seed) % (size + 1) : size;
        struct mem_map map;
        const char *error = NULL;
        int r = parse(copy, len, &map, &error);
        ck_assert(r == 0 || (r == -1 && error != NULL));
        if (r == 0) {
            ck_assert(map.n_ram >= 1 && map.n_ram <= MEM_MAP_MAX_RAM);
            ck_assert(map.n_reserved <= MEM_MAP_MAX_RESERVED);
        }
    }
    free(copy);
    free(dtb);
}
END_TEST

START_TEST(test_missing_memory)
{
    struct fdtb_spec s = {0};
    size_t size;
    void *dtb = fdtb_build(&s, &size);
    assert_rejected(dtb, size, "no /memory");
    free(dtb);
    /* A memory node whose only region is empty is no RAM either. */
    const uint64_t mem[][2] = {{0x40000000, 0}};
    struct fdtb_spec e = {.mem = mem, .n_mem = 1};
    dtb = fdtb_build(&e, &size);
    assert_rejected(dtb, size, "no /memory");
    free(dtb);
}
END_TEST

START_TEST(test_too_many_regions)
{
    uint64_t mem[MEM_MAP_MAX_RAM + 1][2];
    for (int i = 0; i <= MEM_MAP_MAX_RAM; i++) {
        mem[i][0] = 0x40000000ull + (uint64_t)i * 0x200000;
        mem[i][1] = 0x100000;
    }
    struct fdtb_spec s = {
        .mem = (const uint64_t(*)[2])mem, .n_mem = MEM_MAP_MAX_RAM + 1, .mem_per_node = 4};
    size_t size;
    void *dtb = fdtb_build(&s, &size);
    assert_rejected(dtb, size, "too many memory regions");
    free(dtb);

    uint64_t rsv[MEM_MAP_MAX_RESERVED + 1][2];
    for (int i = 0; i <= MEM_MAP_MAX_RESERVED; i++) {
        rsv[i][0] = 0x40000000ull + (uint64_t)i * 0x2000;
        rsv[i][1] = 0x1000;
    }
    struct fdtb_spec r = {.mem = (const uint64_t(*)[2])mem,
                          .n_mem = 1,
                          .rsv = (const uint64_t(*)[2])rsv,
                          .n_rsv = MEM_MAP_MAX_RESERVED + 1};
    dtb = fdtb_build(&r, &size);
    assert_rejected(dtb, size, "too many reserved memory regions");
    free(dtb);
}
END_TEST

START_TEST(test_bad_cells)
{
    const uint64_t mem[][2] = {{0x40000000, 0x8000000}};
    struct fdtb_spec s = {.mem = mem, .n_mem = 1};
    size_t size;
    uint8_t *dtb = fdtb_build(&s, &size);
    /* Change the root's #address-cells to 3: unusable on a 64-bit machine. */
    int len;
    const fdt32_t *p = fdt_getprop(dtb, 0, "#address-cells", &len);
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(fdt_setprop_inplace_u32(dtb, 0, "#address-cells", 3), 0);
    assert_rejected(dtb, size, "#address-cells");
    /* A reg whose length is not a whole number of entries. */
    ck_assert_int_eq(fdt_setprop_inplace_u32(dtb, 0, "#address-cells", 1), 0);
    assert_rejected(dtb, size, "malformed reg");
    free(dtb);
}
END_TEST

static Suite *dtb_suite(void)
{
    Suite *s = suite_create("dtb");
    TCase *tc = tcase_create("dtb_parse_memory");
    tcase_add_test(tc, test_qemu_virt_ram);
    tcase_add_test(tc, test_small_regions);
    tcase_add_test(tc, test_sort_merge);
    tcase_add_test(tc, test_one_cell);
    tcase_add_test(tc, test_initrd);
    tcase_add_test(tc, test_truncated);
    tcase_add_test(tc, test_zero_and_null);
    tcase_add_test(tc, test_bad_magic);
    tcase_add_test(tc, test_garbage);
    tcase_add_test(tc, test_mutations_never_crash);
    tcase_add_test(tc, test_missing_memory);
    tcase_add_test(tc, test_too_many_regions);
    tcase_add_test(tc, test_bad_cells);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return ktest_run(dtb_suite()); }
