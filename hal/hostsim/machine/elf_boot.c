/* SPDX-License-Identifier: BSD-2-Clause */
/* hostsim_boot_elf: boot with a statically linked AArch64 ELF as the root task, placed as the
 * aarch64 loader (hal/aarch64/loader/loader.c) places it: the image spans the page-rounded range of
 * its PT_LOAD segments, starts on the page after the device tree, and each segment is copied to
 * vaddr + pv_offset with the rest of its memsz zeroed. Its threads then run in the emulator. */
#include <elf.h>
#include <string.h>

#include <hostsim/emu.h>
#include <hostsim/hostsim.h>
#include <kaal/types.h>

#include "user_internal.h"

#define PAGE_BYTES 4096ul
#define MAX_IMAGE_BYTES (1ul << 30)

static const Elf64_Phdr *phdr(const uint8_t *elf, unsigned i)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf;
    return (const Elf64_Phdr *)(elf + eh->e_phoff + (size_t)i * eh->e_phentsize);
}

static void load_segments(const struct hostsim_user_image *img, uint8_t *dst, word_t pv_offset)
{
    (void)pv_offset;
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img->file;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        const Elf64_Phdr *ph = phdr(img->file, i);
        if (ph->p_type != PT_LOAD || ph->p_memsz == 0) {
            continue;
        }
        uint8_t *seg = dst + (ph->p_vaddr - img->v_start);
        memcpy(seg, img->file + ph->p_offset, ph->p_filesz);
        memset(seg + ph->p_filesz, 0, ph->p_memsz - ph->p_filesz);
    }
}

/* Check the file and find the image's extent; NULL or the reason it cannot be loaded. */
static const char *elf_scan(const uint8_t *elf, size_t size, struct hostsim_user_image *img)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf;
    if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
        eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
        eh->e_machine != EM_AARCH64) {
        return "hostsim: the root task is not an AArch64 little-endian ELF64 file";
    }
    if (eh->e_type != ET_EXEC) {
        return "hostsim: the root task is not a statically linked executable (ELF type EXEC)";
    }
    if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff > size ||
        (size - eh->e_phoff) / sizeof(Elf64_Phdr) < eh->e_phnum) {
        return "hostsim: the root task's program headers lie outside the file";
    }
    word_t lo = ~0ul, hi = 0;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        const Elf64_Phdr *ph = phdr(elf, i);
        if (ph->p_type == PT_INTERP || ph->p_type == PT_DYNAMIC) {
            return "hostsim: the root task is dynamically linked";
        }
        if (ph->p_type != PT_LOAD || ph->p_memsz == 0) {
            continue;
        }
        if ((ph->p_filesz != 0 && (ph->p_offset > size || ph->p_filesz > size - ph->p_offset)) ||
            ph->p_filesz > ph->p_memsz || ph->p_memsz > MAX_IMAGE_BYTES ||
            ph->p_vaddr > seL4_UserTop - ph->p_memsz) {
            return "hostsim: a root task segment lies outside the file or the user address space";
        }
        lo = ph->p_vaddr < lo ? ph->p_vaddr : lo;
        hi = ph->p_vaddr + ph->p_memsz > hi ? ph->p_vaddr + ph->p_memsz : hi;
    }
    if (hi == 0) {
        return "hostsim: the root task has no loadable segment";
    }
    lo &= ~(PAGE_BYTES - 1);
    hi = (hi + PAGE_BYTES - 1) & ~(PAGE_BYTES - 1);
    if (hi - lo > MAX_IMAGE_BYTES) {
        return "hostsim: the root task image spans more than 1 GiB";
    }
    img->v_start = lo;
    img->pages = (hi - lo) / PAGE_BYTES;
    img->entry = eh->e_entry;
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
