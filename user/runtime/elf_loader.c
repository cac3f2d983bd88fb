/* SPDX-License-Identifier: BSD-2-Clause */
/* Loading a component's ELF image into its VSpace (kaal/elf_loader.h). */
#include <hal_common/elf.h>
#include <kaal/elf_loader.h>
#include <kaal/sys.h>

#define PAGE_SIZE (1ul << seL4_PageBits)
#define MAX_PAGES 256u
/* Where the root task maps an image's frames while it fills them: fresh addresses each time. */
#define LOAD_SCRATCH_VADDR 0x3200000ul
#define LOAD_SCRATCH_PAGES 1536ul

extern const unsigned char _kaal_cpio_start[] __attribute__((weak));
extern const unsigned char _kaal_cpio_end[] __attribute__((weak));

const void *kaal_components_archive(seL4_Word *size)
{
    if (_kaal_cpio_start == 0) {
        return 0;
    }
    *size = (seL4_Word)(_kaal_cpio_end - _kaal_cpio_start);
    return _kaal_cpio_start;
}

static seL4_Word scratch_used;

struct page {
    seL4_Word vaddr, flags, scratch;
    seL4_CPtr frame;
};

static int overlaps_layout(seL4_Word lo, seL4_Word hi)
{
    return hi > KAAL_COMPONENT_STACK_VADDR - PAGE_SIZE && lo < KAAL_COMPONENT_LAYOUT_END;
}

static seL4_Error load(struct kaal_component *c, const unsigned char *elf, seL4_Word size,
                       seL4_Word *entry)
{
    struct elf_file f;
    if (elf_open(&f, elf, size) != ELF_OK) {
        return seL4_InvalidArgument;
    }
    static struct page pages[MAX_PAGES]; /* the root task's own data: one load at a time */
    unsigned n = 0;
    struct elf_segment seg;
    for (unsigned i = 0; elf_next_load(&f, &i, &seg);) {
        if (overlaps_layout(seg.vaddr, seg.vaddr + seg.memsz) || seg.vaddr < PAGE_SIZE) {
            return seL4_InvalidArgument;
        }
        for (seL4_Word va = seg.vaddr & ~(PAGE_SIZE - 1); va < seg.vaddr + seg.memsz;
             va += PAGE_SIZE) {
            unsigned k = 0;
            while (k < n && pages[k].vaddr != va) {
                k++;
            }
            if (k == n) {
                if (n == MAX_PAGES || scratch_used == LOAD_SCRATCH_PAGES) {
                    return seL4_NotEnoughMemory;
                }
                pages[n].vaddr = va;
                pages[n].flags = 0;
                pages[n].scratch = LOAD_SCRATCH_VADDR + scratch_used++ * PAGE_SIZE;
                seL4_Error err =
                    kaal_broker_alloc(c->broker, seL4_ARM_SmallPageObject, 0, &pages[n].frame);
                if (err == seL4_NoError) {
                    err = kaal_broker_map(c->broker, seL4_CapInitThreadVSpace, pages[n].frame,
                                          pages[n].scratch, seL4_ReadWrite,
                                          seL4_ARM_Default_VMAttributes | seL4_ARM_ExecuteNever);
                }
                if (err != seL4_NoError) {
                    return err;
                }
                n++;
            }
            pages[k].flags |= seg.flags;
            /* The file's bytes that fall in this page (fresh frames are zero: .bss needs nothing).
             */
            seL4_Word lo = va > seg.vaddr ? va : seg.vaddr;
            seL4_Word hi =
                va + PAGE_SIZE < seg.vaddr + seg.filesz ? va + PAGE_SIZE : seg.vaddr + seg.filesz;
            volatile unsigned char *dst = (volatile unsigned char *)pages[k].scratch;
            for (seL4_Word a = lo; a < hi; a++) {
                dst[a - va] = elf[seg.offset + (a - seg.vaddr)];
            }
        }
    }
    for (unsigned k = 0; k < n; k++) {
        seL4_Error err = sys_arm_page_unmap(pages[k].frame);
        if (err == seL4_NoError) {
            err = kaal_broker_map(c->broker, c->vspace, pages[k].frame, pages[k].vaddr,
                                  (pages[k].flags & ELF_PF_W) ? seL4_ReadWrite : seL4_CanRead,
                                  seL4_ARM_Default_VMAttributes |
                                      ((pages[k].flags & ELF_PF_X) ? 0 : seL4_ARM_ExecuteNever));
        }
        if (err != seL4_NoError) {
            return err;
        }
    }
    *entry = f.entry;
    return seL4_NoError;
}

seL4_Error kaal_component_create_elf(struct kaal_broker *b, struct kaal_component *c,
                                     const char *name, const void *elf, seL4_Word elf_size,
                                     seL4_Word priority, seL4_CPtr fault_ep, seL4_Word fault_badge)
{
    seL4_Error err = kaal_component_create_bare(b, c, name, priority, fault_ep, fault_badge);
    if (err != seL4_NoError) {
        return err;
    }
    return load(c, elf, elf_size, &c->entry);
}
