/* SPDX-License-Identifier: BSD-2-Clause */
/* The one ELF reader (<hal_common/elf.h>): ELF64 as the System V gABI lays it out, little-endian,
 * read byte by byte at any alignment. */
#include <hal_common/elf.h>

/* Field offsets and sizes of ELF64 (System V gABI, "ELF Header", "Program Header", "Sections",
 * "Symbol Table"). */
#define EHDR_SIZE 64u
#define EH_CLASS 4u /* e_ident[EI_CLASS] */
#define EH_DATA 5u  /* e_ident[EI_DATA] */
#define EH_TYPE 16u
#define EH_MACHINE 18u
#define EH_ENTRY 24u
#define EH_PHOFF 32u
#define EH_SHOFF 40u
#define EH_PHENTSIZE 54u
#define EH_PHNUM 56u
#define EH_SHENTSIZE 58u
#define EH_SHNUM 60u

#define PHDR_SIZE 56u
#define PH_TYPE 0u
#define PH_FLAGS 4u
#define PH_OFFSET 8u
#define PH_VADDR 16u
#define PH_PADDR 24u
#define PH_FILESZ 32u
#define PH_MEMSZ 40u
#define PH_ALIGN 48u

#define SHDR_SIZE 64u
#define SH_TYPE 4u
#define SH_OFFSET 24u
#define SH_SIZE 32u
#define SH_LINK 40u

#define SYM_SIZE 24u
#define ST_NAME 0u
#define ST_VALUE 8u

#define ELFCLASS64 2u
#define ELFDATA2LSB 1u
#define ET_EXEC 2u
#define EM_AARCH64 183u
#define PT_DYNAMIC 2u
#define PT_INTERP 3u
#define SHT_SYMTAB 2u

static uint64_t rd(const uint8_t *p, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = bytes; i-- > 0;) {
        v = (v << 8) | p[i];
    }
    return v;
}

/* [off, off + len) lies inside a file of size bytes. */
static bool inside(size_t size, uint64_t off, uint64_t len)
{
    return off <= size && len <= size - off;
}

void elf_segment(const struct elf_file *f, unsigned i, struct elf_segment *seg)
{
    const uint8_t *ph = f->data + f->phoff + (uint64_t)i * PHDR_SIZE;
    seg->type = (uint32_t)rd(ph + PH_TYPE, 4);
    seg->flags = (uint32_t)rd(ph + PH_FLAGS, 4);
    seg->offset = rd(ph + PH_OFFSET, 8);
    seg->vaddr = rd(ph + PH_VADDR, 8);
    seg->paddr = rd(ph + PH_PADDR, 8);
    seg->filesz = rd(ph + PH_FILESZ, 8);
    seg->memsz = rd(ph + PH_MEMSZ, 8);
    seg->align = rd(ph + PH_ALIGN, 8);
}

bool elf_next_load(const struct elf_file *f, unsigned *i, struct elf_segment *seg)
{
    while (*i < f->phnum) {
        elf_segment(f, (*i)++, seg);
        if (seg->type == ELF_PT_LOAD && seg->memsz != 0) {
            return true;
        }
    }
    return false;
}

static enum elf_error check_header(struct elf_file *f, const uint8_t *p, size_t size)
{
    if (size < EHDR_SIZE) {
        return ELF_ERR_TRUNCATED;
    }
    if (p[0] != 0x7f || p[1] != 'E' || p[2] != 'L' || p[3] != 'F') {
        return ELF_ERR_MAGIC;
    }
    if (p[EH_CLASS] != ELFCLASS64) {
        return ELF_ERR_CLASS;
    }
    if (p[EH_DATA] != ELFDATA2LSB) {
        return ELF_ERR_DATA;
    }
    if (rd(p + EH_MACHINE, 2) != EM_AARCH64) {
        return ELF_ERR_MACHINE;
    }
    if (rd(p + EH_TYPE, 2) != ET_EXEC) {
        return ELF_ERR_TYPE;
    }
    f->data = p;
    f->size = size;
    f->entry = rd(p + EH_ENTRY, 8);
    f->phoff = rd(p + EH_PHOFF, 8);
    f->phnum = (unsigned)rd(p + EH_PHNUM, 2);
    f->shoff = rd(p + EH_SHOFF, 8);
    f->shnum = (unsigned)rd(p + EH_SHNUM, 2);
    f->shentsize = (unsigned)rd(p + EH_SHENTSIZE, 2);
    if (rd(p + EH_PHENTSIZE, 2) != PHDR_SIZE) {
        return ELF_ERR_PHENTSIZE;
    }
    if (!inside(size, f->phoff, (uint64_t)f->phnum * PHDR_SIZE)) {
        return ELF_ERR_PHDRS;
    }
    return ELF_OK;
}

enum elf_error elf_open(struct elf_file *f, const void *data, size_t size)
{
    enum elf_error e = check_header(f, data, size);
    if (e != ELF_OK) {
        return e;
    }
    struct elf_segment s;
    for (unsigned i = 0; i < f->phnum; i++) {
        elf_segment(f, i, &s);
        if (s.type == PT_INTERP || s.type == PT_DYNAMIC) {
            return ELF_ERR_DYNAMIC;
        }
    }
    bool any = false;
    bool entry_inside = false;
    for (unsigned i = 0; elf_next_load(f, &i, &s);) {
        if (s.filesz != 0 && !inside(size, s.offset, s.filesz)) {
            return ELF_ERR_SEG_OUTSIDE;
        }
        if (s.filesz > s.memsz) {
            return ELF_ERR_SEG_FILESZ;
        }
        if (s.vaddr + s.memsz < s.vaddr || s.paddr + s.memsz < s.paddr) {
            return ELF_ERR_SEG_WRAPS;
        }
        /* (An end of exactly 2^64 counts as wrapping.) Ascending and disjoint: each segment starts
         * at or after the end of the one before. */
        if (any && s.vaddr < f->v_end) {
            return ELF_ERR_SEG_ORDER;
        }
        if (!any) {
            f->v_start = s.vaddr;
            f->p_start = s.paddr;
            f->p_end = 0;
            any = true;
        }
        f->v_end = s.vaddr + s.memsz;
        f->p_start = s.paddr < f->p_start ? s.paddr : f->p_start;
        f->p_end = s.paddr + s.memsz > f->p_end ? s.paddr + s.memsz : f->p_end;
        if (f->entry >= s.vaddr && f->entry - s.vaddr < s.memsz) {
            entry_inside = true;
        }
    }
    if (!any) {
        return ELF_ERR_NO_LOAD;
    }
    if (!entry_inside) {
        return ELF_ERR_ENTRY;
    }
    return ELF_OK;
}

const char *elf_error_text(enum elf_error e)
{
    switch (e) {
    case ELF_OK:
        return "is a statically linked AArch64 ELF64 executable";
    case ELF_ERR_TRUNCATED:
        return "is not an AArch64 little-endian ELF64 file: it is shorter than an ELF64 header";
    case ELF_ERR_MAGIC:
        return "is not an AArch64 little-endian ELF64 file: it does not start with the ELF magic";
    case ELF_ERR_CLASS:
        return "is not an AArch64 little-endian ELF64 file: its class is not ELF64";
    case ELF_ERR_DATA:
        return "is not an AArch64 little-endian ELF64 file: it is big-endian or of no known byte "
               "order";
    case ELF_ERR_MACHINE:
        return "is not an AArch64 little-endian ELF64 file: it is built for another machine";
    case ELF_ERR_TYPE:
        return "is not a statically linked executable (ELF type EXEC)";
    case ELF_ERR_PHENTSIZE:
        return "has program headers that are not ELF64's 56 bytes each";
    case ELF_ERR_PHDRS:
        return "has its program headers outside the file";
    case ELF_ERR_DYNAMIC:
        return "is dynamically linked (a PT_INTERP or PT_DYNAMIC program header)";
    case ELF_ERR_SEG_OUTSIDE:
        return "has a loadable segment whose bytes lie outside the file";
    case ELF_ERR_SEG_FILESZ:
        return "has a loadable segment with more bytes in the file than in memory";
    case ELF_ERR_SEG_WRAPS:
        return "has a loadable segment that wraps around the end of the address space";
    case ELF_ERR_SEG_ORDER:
        return "has loadable segments that overlap or are not in ascending address order";
    case ELF_ERR_NO_LOAD:
        return "has no loadable segment";
    case ELF_ERR_ENTRY:
        return "has its entry point outside its loadable segments";
    case ELF_ERR_SHDRS:
        return "has no section header table of ELF64's 64-byte entries inside the file";
    case ELF_ERR_NO_SYMTAB:
        return "has no symbol table";
    case ELF_ERR_SYMTAB:
        return "has a symbol table or symbol names outside the file";
    case ELF_ERR_NO_SYMBOL:
        return "does not define the symbol";
    case ELF_ERR_COUNT:
        break;
    }
    return "cannot be read (unknown ELF reader error)";
}

void elf_load_segment(const struct elf_file *f, const struct elf_segment *seg, void *dst)
{
    uint8_t *d = dst;
    const uint8_t *src = f->data + seg->offset;
    for (uint64_t i = 0; i < seg->filesz; i++) {
        d[i] = src[i];
    }
    for (uint64_t i = seg->filesz; i < seg->memsz; i++) {
        d[i] = 0;
    }
}

/* The NUL-terminated string at strtab[off] (strtab is len bytes) equals name. */
static bool name_is(const uint8_t *strtab, uint64_t len, uint64_t off, const char *name)
{
    for (uint64_t j = 0; off + j < len; j++) {
        if (strtab[off + j] != (uint8_t)name[j]) {
            return false;
        }
        if (name[j] == '\0') {
            return true;
        }
    }
    return false; /* unterminated: runs off the string table */
}

enum elf_error elf_symbol(const struct elf_file *f, const char *name, uint64_t *value)
{
    if (f->shnum == 0 || f->shentsize != SHDR_SIZE ||
        !inside(f->size, f->shoff, (uint64_t)f->shnum * SHDR_SIZE)) {
        return ELF_ERR_SHDRS;
    }
    const uint8_t *sh = f->data + f->shoff;
    bool any = false;
    for (unsigned i = 0; i < f->shnum; i++) {
        const uint8_t *s = sh + (uint64_t)i * SHDR_SIZE;
        if (rd(s + SH_TYPE, 4) != SHT_SYMTAB) {
            continue;
        }
        any = true;
        uint64_t off = rd(s + SH_OFFSET, 8), len = rd(s + SH_SIZE, 8);
        uint64_t link = rd(s + SH_LINK, 4);
        if (link >= f->shnum || !inside(f->size, off, len)) {
            return ELF_ERR_SYMTAB;
        }
        const uint8_t *str = sh + link * SHDR_SIZE;
        uint64_t str_off = rd(str + SH_OFFSET, 8), str_len = rd(str + SH_SIZE, 8);
        if (!inside(f->size, str_off, str_len)) {
            return ELF_ERR_SYMTAB;
        }
        for (uint64_t k = 0; k < len / SYM_SIZE; k++) {
            const uint8_t *sym = f->data + off + k * SYM_SIZE;
            if (name_is(f->data + str_off, str_len, rd(sym + ST_NAME, 4), name)) {
                *value = rd(sym + ST_VALUE, 8);
                return ELF_OK;
            }
        }
    }
    return any ? ELF_ERR_NO_SYMBOL : ELF_ERR_NO_SYMTAB;
}

const uint8_t *elf_file_bytes(const struct elf_file *f, uint64_t vaddr, uint64_t size)
{
    struct elf_segment s;
    for (unsigned i = 0; elf_next_load(f, &i, &s);) {
        if (vaddr >= s.vaddr && size <= s.filesz && vaddr - s.vaddr <= s.filesz - size) {
            return f->data + s.offset + (vaddr - s.vaddr);
        }
    }
    return NULL;
}
