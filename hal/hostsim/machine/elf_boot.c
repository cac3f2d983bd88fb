/* SPDX-License-Identifier: BSD-2-Clause */
/* hostsim_boot_elf: boot with a statically linked AArch64 ELF as the root task, placed as the
 * aarch64 loader (hal/aarch64/loader/loader.c) places it: the image spans the page-rounded range of
 * its PT_LOAD segments, starts on the page after the device tree, and each segment is copied to
 * vaddr + pv_offset with the rest of its memsz zeroed. Its threads then run in the emulator. */
#include <stdio.h>

#include <hal_common/elf.h>
#include <hostsim/emu.h>
#include <hostsim/hostsim.h>
#include <kaal/types.h>

#include "user_internal.h"

#define PAGE_BYTES (1ul << seL4_PageBits)
#define MAX_IMAGE_BYTES (1ul << 30)

static void load_segments(const struct hostsim_user_image *img, uint8_t *dst, word_t pv_offset)
{
    (void)pv_offset;
    struct elf_file f;
    if (elf_open(&f, img->file, img->file_size) != ELF_OK) {
        return; /* not reached: elf_scan opened it */
    }
    struct elf_segment seg;
    for (unsigned i = 0; elf_next_load(&f, &i, &seg);) {
        elf_load_segment(&f, &seg, dst + (seg.vaddr - img->v_start));
    }
}

/* Check the file and find the image's extent; NULL or the reason it cannot be loaded. */
static const char *elf_scan(const uint8_t *elf, size_t size, struct hostsim_user_image *img)
{
    static char why[160];
    struct elf_file f;
    enum elf_error e = elf_open(&f, elf, size);
    if (e != ELF_OK) {
        snprintf(why, sizeof(why), "hostsim: the root task %s", elf_error_text(e));
        return why;
    }
    if (f.v_end > seL4_UserTop) {
        return "hostsim: a root task segment lies outside the user address space";
    }
    word_t lo = f.v_start & ~(PAGE_BYTES - 1);
    word_t hi = (f.v_end + PAGE_BYTES - 1) & ~(PAGE_BYTES - 1);
    if (hi - lo > MAX_IMAGE_BYTES) {
        return "hostsim: the root task image spans more than 1 GiB";
    }
    img->v_start = lo;
    img->pages = (hi - lo) / PAGE_BYTES;
    img->entry = f.entry;
    img->load = load_segments;
    img->file = elf;
    img->file_size = size;
    return NULL;
}

int hostsim_boot_elf(const void *dtb, size_t dtb_size, const void *elf, size_t elf_size,
                     const char **error)
{
    static const char *local_error;
    if (error == NULL) {
        error = &local_error;
    }
    struct hostsim_user_image img;
    const char *why = elf_scan(elf, elf_size, &img);
    if (why != NULL) {
        *error = why;
        return -1;
    }
    if (hostsim_boot_image(dtb, dtb_size, &img, error) != 0) {
        return -1;
    }
    hostsim_emu_active = true;
    return 0;
}
