/* SPDX-License-Identifier: BSD-2-Clause */
/* hostsim machine: simulated RAM laid out from a device tree (and the cache model beside it), the
 * loader's placement of the DTB and the root task's image, and booting the kernel on it (again and
 * again, in one process). */
#define _GNU_SOURCE
#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <hostsim/hostsim.h>
#include <hostsim_if/kernel.h>
#include <hostsim_if/machine.h>
#include <kaal/boot.h>

#include "internal.h"
#include "user_internal.h"

/*
 * Physical layout, as seL4's elfloader would leave it (docs/abi.md#qemu-virt-addresses,
 * #observed-on-sel4):
 *
 *   lowest RAM start (page aligned)   kernel image: empty on hostsim (the kernel is host code)
 *   dtb_pa = first free page          DTB copy, reserved with its exact size
 *   ui_p_start = next page after DTB  root task "user image": HOSTSIM_UI_PAGES pages, linked at
 *                                     virtual HOSTSIM_UI_VBASE (pv_offset = ui_p_start - 0x400000)
 *   ...                               free RAM; the kernel puts the root-server objects at the top
 *
 * "First free page" skips the device tree's own reservations: the DTB and image go at the lowest
 * page-aligned place of one RAM region that overlaps no /memreserve/, /reserved-memory or initrd.
 * On hostsim the root task's code is host code; the image pages are its data.
 *
 * Simulated RAM is one memfd mapping covering [lowest RAM start, highest RAM end). A fresh memfd
 * reads as zero, so booting costs no work proportional to RAM; holes between RAM regions are
 * mapped but are not RAM (hostsim_phys_to_host refuses them).
 */
#define HOSTSIM_UI_PAGES 16
#define HOSTSIM_UI_VBASE 0x400000ul
#define HOSTSIM_MAX_RAM_SPAN (1ul << 36) /* 64 GiB of host address space at most */
#define PAGE_SIZE_HS (1ul << seL4_PageBits)

bool hostsim_booted;
paddr_t hostsim_ram_base_pa;
word_t hostsim_ram_size;
uint8_t *hostsim_ram_host;
static uint8_t *cache_pending_map; /* the cache model: a bit per line, "zeroed, not yet cleaned" */
static size_t cache_map_bytes;

static int ram_fd = -1;
static struct mem_map machine_map;          /* RAM of the booted machine */
static struct mem_region kernel_devices[8]; /* device pages the kernel keeps (GIC) */
static word_t n_kernel_devices;

/* The memfd behind simulated RAM, for the shadow MMU's window mappings (-1: none). */
int hostsim_ram_fd(void) { return ram_fd; }

static void ram_unmap(void)
{
    if (hostsim_ram_host != NULL) {
        munmap(hostsim_ram_host, hostsim_ram_size);
    }
    if (cache_pending_map != NULL) {
        munmap(cache_pending_map, cache_map_bytes);
    }
    cache_pending_map = NULL;
    if (ram_fd >= 0) {
        close(ram_fd);
    }
    ram_fd = -1;
    hostsim_ram_host = NULL;
    hostsim_ram_base_pa = 0;
    hostsim_ram_size = 0;
}

void hostsim_shutdown(void)
{
    if (hostsim_booted) {
        hostsim_kernel_reset(); /* its pointers are into the RAM that goes away */
    }
    hostsim_booted = false;
    hostsim_cpus_machine_gone(); /* user threads keep nothing of the RAM that goes away */
    ram_unmap();
    memset(&machine_map, 0, sizeof(machine_map));
}

static int ram_map(paddr_t base, word_t size, const char **error)
{
    ram_fd = memfd_create("kaal-hostsim-ram", MFD_CLOEXEC);
    if (ram_fd < 0) {
        *error = "hostsim: memfd_create failed";
        return -1;
    }
    if (ftruncate(ram_fd, (off_t)size) != 0) {
        *error = "hostsim: cannot size simulated RAM";
        ram_unmap();
        return -1;
    }
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, ram_fd, 0);
    if (p == MAP_FAILED) {
        *error = "hostsim: cannot map simulated RAM";
        ram_unmap();
        return -1;
    }
    hostsim_ram_host = p;
    hostsim_ram_base_pa = base;
    hostsim_ram_size = size;
    /* The cache model's bitmap, sparse like the RAM: a bit per line. */
    cache_map_bytes = size / HOSTSIM_CACHE_LINE / 8 + 1;
    void *m = mmap(NULL, cache_map_bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) {
        *error = "hostsim: cannot map the cache model";
        ram_unmap();
        return -1;
    }
    cache_pending_map = m;
    return 0;
}

/* Does [start, end) overlap a region the device tree reserves (or the initrd)? If so, *past is the
 * end of the first such region. */
static bool overlaps_reserved(const struct mem_map *map, paddr_t start, paddr_t end, paddr_t *past)
{
    for (word_t i = 0; i < map->n_reserved; i++) {
        if (start < map->reserved[i].end && map->reserved[i].start < end) {
            *past = map->reserved[i].end;
            return true;
        }
    }
    if (map->initrd_start < map->initrd_end && start < map->initrd_end && map->initrd_start < end) {
        *past = map->initrd_end;
        return true;
    }
    return false;
}

/* Place the DTB copy and the user image: the lowest page-aligned spot inside one RAM region that
 * overlaps no reservation. Returns the DTB address or 0 if nothing fits. */
static paddr_t place_loader_images(const struct mem_map *map, size_t dtb_size, word_t ui_pages)
{
    word_t need = ROUND_UP(dtb_size, seL4_PageBits) + ui_pages * PAGE_SIZE_HS;
    for (word_t r = 0; r < map->n_ram; r++) {
        paddr_t cand = ROUND_UP(map->ram[r].start, seL4_PageBits);
        while (cand + need > cand && cand + need <= map->ram[r].end) {
            paddr_t past;
            if (!overlaps_reserved(map, cand, cand + need, &past)) {
                return cand;
            }
            cand = ROUND_UP(past, seL4_PageBits);
        }
    }
    return 0;
}

/* The interrupt controller's pages the kernel keeps for itself, as seL4 does on QEMU virt: the
 * first page of a GICv2's distributor and CPU interface (or a GICv3's distributor and
 * redistributor). Everything else becomes device untypeds. */
static void find_kernel_devices(const void *dtb)
{
    static const char *const gics[] = {"arm,cortex-a15-gic", "arm,gic-400", "arm,cortex-a9-gic",
                                       "arm,gic-v3"};
    n_kernel_devices = 0;
    for (size_t g = 0; g < sizeof(gics) / sizeof(gics[0]) && n_kernel_devices == 0; g++) {
        int node = fdt_node_offset_by_compatible(dtb, -1, gics[g]);
        if (node < 0) {
            continue;
        }
        int parent = fdt_parent_offset(dtb, node);
        int ac = parent >= 0 ? fdt_address_cells(dtb, parent) : 2;
        int sc = parent >= 0 ? fdt_size_cells(dtb, parent) : 1;
        int len;
        const fdt32_t *reg = fdt_getprop(dtb, node, "reg", &len);
        if (reg == NULL || ac < 1 || ac > 2 || sc < 0 || sc > 2) {
            continue;
        }
        int entry = ac + sc;
        for (int e = 0; e < 2 && (e + 1) * entry * 4 <= len; e++) {
            uint64_t addr = 0;
            for (int c = 0; c < ac; c++) {
                addr = (addr << 32) | fdt32_to_cpu(reg[e * entry + c]);
            }
            paddr_t page = ROUND_DOWN(addr, seL4_PageBits);
            kernel_devices[n_kernel_devices++] = (struct mem_region){page, page + PAGE_SIZE_HS};
        }
    }
}

/* img: the root task image to load (NULL: HOSTSIM_UI_PAGES empty pages at HOSTSIM_UI_VBASE). */
static int boot_machine(const void *dtb, size_t dtb_size, const struct hostsim_user_image *img,
                        const char **error)
{
    hostsim_shutdown();
    hostsim_did_panic = false;
    hostsim_note_boot();
#ifdef CONFIG_KERNEL_MCS
    hostsim_clock_reset(); /* timer.c: a fresh machine's clock starts at 0 */
#endif
    hostsim_set_preempt_interval(0);
    hostsim_emu_active = false;

    struct mem_map map;
    if (dtb_parse_memory(dtb, dtb_size, &map, error) != 0) {
        return -1;
    }
    paddr_t base = ROUND_DOWN(map.ram[0].start, seL4_PageBits);
    paddr_t top = ROUND_UP(map.ram[map.n_ram - 1].end, seL4_PageBits);
    if (top - base > HOSTSIM_MAX_RAM_SPAN) {
        *error = "hostsim: RAM spans more than 64 GiB of physical addresses";
        return -1;
    }
    word_t ui_pages = img != NULL ? img->pages : HOSTSIM_UI_PAGES;
    word_t ui_vbase = img != NULL ? img->v_start : HOSTSIM_UI_VBASE;
    paddr_t dtb_pa = place_loader_images(&map, dtb_size, ui_pages);
    if (dtb_pa == 0) {
        *error = "hostsim: no room in RAM for the device tree and the root task image";
        return -1;
    }
    if (ram_map(base, top - base, error) != 0) {
        return -1;
    }
    machine_map = map;
    find_kernel_devices(dtb);

    void *dtb_copy = hostsim_ram_host + (dtb_pa - base);
    memcpy(dtb_copy, dtb, dtb_size);
    paddr_t ui_p_start = ROUND_UP(dtb_pa + dtb_size, seL4_PageBits);
    struct boot_params params = {
        .dtb = dtb_copy,
        .dtb_size = dtb_size,
        .dtb_paddr = dtb_pa,
        .ui_p_start = ui_p_start,
        .ui_p_end = ui_p_start + ui_pages * PAGE_SIZE_HS,
        .pv_offset = ui_p_start - ui_vbase,
        .v_entry = img != NULL ? img->entry : HOSTSIM_UI_VBASE,
        .kernel_p_start = base,
        .kernel_p_end = base,
        .kernel_devices = kernel_devices,
        .n_kernel_devices = n_kernel_devices,
    };

    if (img != NULL) {
        img->load(img, hostsim_ram_host + (ui_p_start - base), params.pv_offset);
    }

    if (hostsim_kernel_boot(&params, error) != 0) {
        ram_unmap();
        memset(&machine_map, 0, sizeof(machine_map));
        return -1;
    }
    hostsim_booted = true;
    return 0;
}

int hostsim_boot_image(const void *dtb, size_t dtb_size, const struct hostsim_user_image *img,
                       const char **error)
{
    static const char *local_error;
    if (error == NULL) {
        error = &local_error;
    }
    if (((uintptr_t)dtb & 7) == 0) {
        return boot_machine(dtb, dtb_size, img, error);
    }
    /* libfdt wants an 8-byte aligned blob (a loader places it on a page boundary). */
    void *aligned = malloc(dtb_size ? dtb_size : 1);
    if (aligned == NULL) {
        *error = "hostsim: out of host memory";
        return -1;
    }
    memcpy(aligned, dtb, dtb_size);
    int r = boot_machine(aligned, dtb_size, img, error);
    free(aligned);
    return r;
}

int hostsim_boot(const void *dtb, size_t dtb_size, const char **error)
{
    return hostsim_boot_image(dtb, dtb_size, NULL, error);
}

int hostsim_boot_file(const char *dtb_path, const char **error)
{
    static const char *local_error;
    if (error == NULL) {
        error = &local_error;
    }
    FILE *f = fopen(dtb_path, "rb");
    if (f == NULL) {
        *error = "hostsim: cannot open the device tree file";
        return -1;
    }
    size_t cap = 64 * 1024, len = 0;
    uint8_t *buf = malloc(cap);
    while (buf != NULL) {
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap) {
            break;
        }
        uint8_t *bigger = realloc(buf, cap * 2);
        if (bigger == NULL) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    bool read_error = ferror(f) != 0;
    fclose(f);
    if (buf == NULL || read_error) {
        free(buf);
        *error = "hostsim: cannot read the device tree file";
        return -1;
    }
    int r = hostsim_boot(buf, len, error);
    free(buf);
    return r;
}

seL4_IPCBuffer *hostsim_root_ipc_buffer(void)
{
    struct hal_tcb *root = hostsim_kernel_root_thread();
    if (!hostsim_booted || root == NULL) {
        return NULL;
    }
    /* What the kernel reads as the root thread's buffer: the frame in its TCB's buffer slot. */
    return hostsim_kernel_ipc_buffer(root);
}

seL4_BootInfo *hostsim_bootinfo(void) { return hostsim_booted ? hostsim_kernel_bootinfo() : NULL; }

void *hostsim_phys_to_host(uint64_t pa, size_t size)
{
    if (!hostsim_booted) {
        return NULL;
    }
    for (word_t i = 0; i < machine_map.n_ram; i++) {
        const struct mem_region *r = &machine_map.ram[i];
        if (pa >= r->start && pa < r->end && (size == 0 || size <= r->end - pa)) {
            return hostsim_ram_host + (pa - hostsim_ram_base_pa);
        }
    }
    return NULL;
}

/* --- the cache model (hal_zero_phys and hal_cache_clean_new_memory, through the port) --- */
unsigned long hostsim_cache_clean_calls;

static void cache_mark(paddr_t pa, word_t bytes, bool zeroed)
{
    if (cache_pending_map == NULL || bytes == 0) {
        return;
    }
    word_t first = (pa - hostsim_ram_base_pa) / HOSTSIM_CACHE_LINE;
    word_t last = (pa + bytes - 1 - hostsim_ram_base_pa) / HOSTSIM_CACHE_LINE;
    for (word_t l = first; l <= last; l++) {
        if (zeroed) {
            cache_pending_map[l / 8] |= (uint8_t)(1u << (l % 8));
        } else {
            cache_pending_map[l / 8] &= (uint8_t) ~(1u << (l % 8));
        }
    }
}

void hostsim_cache_note_zeroed(paddr_t pa, word_t bytes) { cache_mark(pa, bytes, true); }

void hostsim_cache_note_cleaned(paddr_t pa, word_t bytes)
{
    hostsim_cache_clean_calls++;
    cache_mark(pa, bytes, false);
}

bool hostsim_cache_zeroed_not_cleaned(uint64_t pa, uint64_t bytes)
{
    if (cache_pending_map == NULL || bytes == 0 || !hostsim_is_ram(pa, bytes)) {
        return false;
    }
    word_t first = (pa - hostsim_ram_base_pa) / HOSTSIM_CACHE_LINE;
    word_t last = (pa + bytes - 1 - hostsim_ram_base_pa) / HOSTSIM_CACHE_LINE;
    for (word_t l = first; l <= last; l++) {
        if (cache_pending_map[l / 8] & (1u << (l % 8))) {
            return true;
        }
    }
    return false;
}
