/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for the ELF reader (hal/common/elf.c) that the aarch64 loader, the user runtime and
 * hostsim's ELF boot share: a crafted executable is accepted, and each of the reader's errors is
 * provoked by one corruption of it. Every file is read from a copy that ends at an inaccessible
 * page, so a read past its end crashes the test. Also hostsim_boot_elf's own checks. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <hal_common/elf.h>
#include <hostsim/emu.h>
#include <kaal/types.h>

#include "ktest.h"

/* ---- a crafted executable ---- */

#define IMG_SIZE 0x1000u
#define PHOFF 0x40u
#define SHOFF 0x800u
#define SYMTAB_OFF 0x400u
#define STRTAB_OFF 0x500u
#define TEXT_OFF 0x200u
#define DATA_OFF 0x300u
#define TEXT_VADDR 0x400000ull
#define DATA_VADDR 0x401000ull
#define ENTRY (TEXT_VADDR + 0x10)
#define PADDR 0x40000000ull

enum { PH_TEXT, PH_STACK, PH_EMPTY, PH_DATA, NPH }; /* program headers */
enum { SH_NULL, SH_SYMTAB, SH_STRTAB, NSH };        /* section headers */

static const char strtab[] = "\0payload_root_start\0payload_root_end\0unterminated";
#define NAME_START 1u
#define NAME_END 20u
#define NAME_UNTERMINATED 37u

static void put(uint8_t *p, unsigned bytes, uint64_t v)
{
    for (unsigned i = 0; i < bytes; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

/* Field setters by gABI offset: the test states the layout itself rather than trust the reader's.
 */
static uint8_t *phdr(uint8_t *img, unsigned i) { return img + PHOFF + 56 * i; }
static uint8_t *shdr(uint8_t *img, unsigned i) { return img + SHOFF + 64 * i; }

static void set_ph(uint8_t *img, unsigned i, uint32_t type, uint32_t flags, uint64_t off,
                   uint64_t vaddr, uint64_t paddr, uint64_t filesz, uint64_t memsz)
{
    uint8_t *p = phdr(img, i);
    put(p + 0, 4, type);
    put(p + 4, 4, flags);
    put(p + 8, 8, off);
    put(p + 16, 8, vaddr);
    put(p + 24, 8, paddr);
    put(p + 32, 8, filesz);
    put(p + 40, 8, memsz);
    put(p + 48, 8, 0x1000);
}
#define PH_OFFSET 8
#define PH_VADDR 16
#define PH_PADDR 24
#define PH_FILESZ 32
#define PH_MEMSZ 40

static void set_sym(uint8_t *img, unsigned i, uint32_t name, uint64_t value)
{
    uint8_t *s = img + SYMTAB_OFF + 24 * i;
    put(s + 0, 4, name);
    put(s + 4, 1, 0x10); /* STB_GLOBAL, STT_NOTYPE */
    put(s + 6, 2, 1);
    put(s + 8, 8, value);
}

/* A statically linked AArch64 executable: text (0x100 bytes at 0x400000, entry inside), a stack
 * header and an empty PT_LOAD pointing outside the file (both ignored), data (0x80 bytes in the
 * file, 0x1000 in memory at 0x401000); a symbol table naming payload_root_start/_end. */
static void make(uint8_t *img)
{
    memset(img, 0, IMG_SIZE);
    static const uint8_t ident[16] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
    memcpy(img, ident, sizeof(ident));
    put(img + 16, 2, 2);   /* ET_EXEC */
    put(img + 18, 2, 183); /* EM_AARCH64 */
    put(img + 20, 4, 1);
    put(img + 24, 8, ENTRY);
    put(img + 32, 8, PHOFF);
    put(img + 40, 8, SHOFF);
    put(img + 52, 2, 64);
    put(img + 54, 2, 56);
    put(img + 56, 2, NPH);
    put(img + 58, 2, 64);
    put(img + 60, 2, NSH);
    put(img + 62, 2, SH_STRTAB);
    set_ph(img, PH_TEXT, ELF_PT_LOAD, ELF_PF_R | ELF_PF_X, TEXT_OFF, TEXT_VADDR, PADDR, 0x100,
           0x100);
    set_ph(img, PH_STACK, 0x6474e551u, ELF_PF_R | ELF_PF_W, 0, 0, 0, 0, 0);
    set_ph(img, PH_EMPTY, ELF_PT_LOAD, ELF_PF_R, 0xffffffff, 0x900000, 0, 0, 0);
    set_ph(img, PH_DATA, ELF_PT_LOAD, ELF_PF_R | ELF_PF_W, DATA_OFF, DATA_VADDR, PADDR + 0x1000,
           0x80, 0x1000);
    for (unsigned i = 0; i < 0x100; i++) {
        img[TEXT_OFF + i] = (uint8_t)(i + 1);
    }
    for (unsigned i = 0; i < 0x80; i++) {
        img[DATA_OFF + i] = (uint8_t)(0xa0 ^ i);
    }
    set_sym(img, 1, NAME_START, TEXT_VADDR + 0x20);
    set_sym(img, 2, NAME_END, TEXT_VADDR + 0x60);
    memcpy(img + STRTAB_OFF, strtab, sizeof(strtab));
    put(shdr(img, SH_SYMTAB) + 4, 4, 2); /* SHT_SYMTAB */
    put(shdr(img, SH_SYMTAB) + 24, 8, SYMTAB_OFF);
    put(shdr(img, SH_SYMTAB) + 32, 8, 3 * 24);
    put(shdr(img, SH_SYMTAB) + 40, 4, SH_STRTAB);
    put(shdr(img, SH_SYMTAB) + 56, 8, 24);
    put(shdr(img, SH_STRTAB) + 4, 4, 3); /* SHT_STRTAB */
    put(shdr(img, SH_STRTAB) + 24, 8, STRTAB_OFF);
    put(shdr(img, SH_STRTAB) + 32, 8, sizeof(strtab));
}

/* ---- reading from a copy that ends at an inaccessible page ---- */

struct guarded {
    uint8_t *base, *data;
    size_t span;
};

static struct guarded guard(const void *bytes, size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    struct guarded g;
    g.span = (size + page - 1) / page * page + page;
    g.base = mmap(NULL, g.span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert(g.base != MAP_FAILED);
    ck_assert_int_eq(mprotect(g.base + g.span - page, page, PROT_NONE), 0);
    g.data = g.base + g.span - page - size;
    memcpy(g.data, bytes, size);
    return g;
}

static void unguard(struct guarded g) { munmap(g.base, g.span); }

static enum elf_error open_size(const uint8_t *img, size_t size, struct elf_file *out)
{
    struct guarded g = guard(img, size);
    struct elf_file f;
    enum elf_error e = elf_open(&f, g.data, size);
    if (out != NULL && e == ELF_OK) {
        *out = f;
        out->data = img; /* the copy is gone: point at the original */
    }
    unguard(g);
    return e;
}

static enum elf_error open_img(const uint8_t *img) { return open_size(img, IMG_SIZE, NULL); }

#define assert_err(img, expect)                                                  \
    do {                                                                         \
        enum elf_error e_ = open_img(img);                                       \
        ck_assert_msg(e_ == (expect), "elf_open: %d (%s), expected %d (%s)", e_, \
                      elf_error_text(e_), (expect), elf_error_text(expect));     \
    } while (0)

/* ---- elf_open ---- */

START_TEST(test_open_valid)
{
    uint8_t img[IMG_SIZE];
    make(img);
    struct elf_file f;
    ck_assert_int_eq(open_size(img, IMG_SIZE, &f), ELF_OK);
    ck_assert_uint_eq(f.entry, ENTRY);
    ck_assert_uint_eq(f.phnum, NPH);
    ck_assert_uint_eq(f.phoff, PHOFF);
    ck_assert_uint_eq(f.shnum, NSH);
    ck_assert_uint_eq(f.v_start, TEXT_VADDR);
    ck_assert_uint_eq(f.v_end, DATA_VADDR + 0x1000);
    ck_assert_uint_eq(f.p_start, PADDR);
    ck_assert_uint_eq(f.p_end, PADDR + 0x2000);
}
END_TEST

START_TEST(test_open_any_alignment)
{
    uint8_t img[IMG_SIZE];
    make(img);
    static uint8_t buf[IMG_SIZE + 8];
    for (unsigned a = 0; a < 8; a++) {
        memcpy(buf + a, img, IMG_SIZE);
        struct elf_file f;
        ck_assert_int_eq(elf_open(&f, buf + a, IMG_SIZE), ELF_OK);
        ck_assert_uint_eq(f.entry, ENTRY);
        ck_assert_uint_eq(f.v_end, DATA_VADDR + 0x1000);
    }
}
END_TEST

START_TEST(test_open_truncated)
{
    uint8_t img[IMG_SIZE];
    make(img);
    ck_assert_int_eq(open_size(img, 0, NULL), ELF_ERR_TRUNCATED);
    ck_assert_int_eq(open_size(img, 4, NULL), ELF_ERR_TRUNCATED);
    ck_assert_int_eq(open_size(img, 63, NULL), ELF_ERR_TRUNCATED);
    /* A whole header but not the program headers it announces. */
    ck_assert_int_eq(open_size(img, 64, NULL), ELF_ERR_PHDRS);
    ck_assert_int_eq(open_size(img, PHOFF + 56 * NPH - 1, NULL), ELF_ERR_PHDRS);
    /* The program headers but not the text segment's bytes. */
    ck_assert_int_eq(open_size(img, TEXT_OFF + 0xff, NULL), ELF_ERR_SEG_OUTSIDE);
}
END_TEST

START_TEST(test_open_magic)
{
    for (unsigned i = 0; i < 4; i++) {
        uint8_t img[IMG_SIZE];
        make(img);
        img[i] ^= 0x20;
        assert_err(img, ELF_ERR_MAGIC);
    }
}
END_TEST

START_TEST(test_open_class_data_machine_type)
{
    uint8_t img[IMG_SIZE];
    make(img);
    img[4] = 1; /* ELFCLASS32 */
    assert_err(img, ELF_ERR_CLASS);
    make(img);
    img[4] = 0;
    assert_err(img, ELF_ERR_CLASS);
    make(img);
    img[5] = 2; /* ELFDATA2MSB */
    assert_err(img, ELF_ERR_DATA);
    make(img);
    put(img + 18, 2, 62); /* EM_X86_64 */
    assert_err(img, ELF_ERR_MACHINE);
    make(img);
    put(img + 18, 2, 183 + 256); /* the high byte counts */
    assert_err(img, ELF_ERR_MACHINE);
    make(img);
    put(img + 16, 2, 3); /* ET_DYN: a PIE or shared object */
    assert_err(img, ELF_ERR_TYPE);
    make(img);
    put(img + 16, 2, 1); /* ET_REL */
    assert_err(img, ELF_ERR_TYPE);
}
END_TEST

START_TEST(test_open_program_headers)
{
    uint8_t img[IMG_SIZE];
    make(img);
    put(img + 54, 2, 32); /* ELF32's size */
    assert_err(img, ELF_ERR_PHENTSIZE);
    make(img);
    put(img + 32, 8, IMG_SIZE + 8);
    assert_err(img, ELF_ERR_PHDRS);
    make(img);
    put(img + 32, 8, IMG_SIZE - 56 * NPH + 1); /* the last one crosses the end by a byte */
    assert_err(img, ELF_ERR_PHDRS);
    make(img);
    put(img + 32, 8, ~0ull - 8); /* offset + length wraps */
    assert_err(img, ELF_ERR_PHDRS);
    make(img);
    put(img + 56, 2, 0xffff);
    assert_err(img, ELF_ERR_PHDRS);
    /* The table may end exactly at the end of the file. */
    make(img);
    memcpy(img + IMG_SIZE - 56 * NPH, img + PHOFF, 56 * NPH);
    put(img + 32, 8, IMG_SIZE - 56 * NPH);
    assert_err(img, ELF_OK);
}
END_TEST

START_TEST(test_open_dynamic)
{
    uint8_t img[IMG_SIZE];
    make(img);
    put(phdr(img, PH_STACK), 4, 3); /* PT_INTERP */
    assert_err(img, ELF_ERR_DYNAMIC);
    make(img);
    put(phdr(img, PH_STACK), 4, 2); /* PT_DYNAMIC */
    assert_err(img, ELF_ERR_DYNAMIC);
}
END_TEST

START_TEST(test_open_segment_outside_file)
{
    uint8_t img[IMG_SIZE];
    make(img);
    put(phdr(img, PH_DATA) + PH_OFFSET, 8, IMG_SIZE + 1);
    assert_err(img, ELF_ERR_SEG_OUTSIDE);
    make(img);
    put(phdr(img, PH_DATA) + PH_OFFSET, 8, IMG_SIZE - 0x7f); /* one byte past the end */
    assert_err(img, ELF_ERR_SEG_OUTSIDE);
    make(img);
    put(phdr(img, PH_DATA) + PH_OFFSET, 8, ~0ull - 0x10); /* offset + filesz wraps */
    assert_err(img, ELF_ERR_SEG_OUTSIDE);
    /* Up to the last byte is inside; no file bytes may lie anywhere; an empty PT_LOAD is not
     * looked at (make()'s PH_EMPTY points past the end). */
    make(img);
    put(phdr(img, PH_DATA) + PH_OFFSET, 8, IMG_SIZE - 0x80);
    assert_err(img, ELF_OK);
    make(img);
    put(phdr(img, PH_DATA) + PH_OFFSET, 8, ~0ull);
    put(phdr(img, PH_DATA) + PH_FILESZ, 8, 0);
    assert_err(img, ELF_OK);
}
END_TEST

START_TEST(test_open_segment_filesz)
{
    uint8_t img[IMG_SIZE];
    make(img);
    put(phdr(img, PH_TEXT) + PH_FILESZ, 8, 0x101);
    assert_err(img, ELF_ERR_SEG_FILESZ);
}
END_TEST

START_TEST(test_open_segment_wraps)
{
    uint8_t img[IMG_SIZE];
    make(img);
    put(phdr(img, PH_DATA) + PH_VADDR, 8, ~0ull - 0xfff + 1); /* ends at exactly 2^64 */
    assert_err(img, ELF_ERR_SEG_WRAPS);
    make(img);
    put(phdr(img, PH_DATA) + PH_VADDR, 8, ~0ull - 0x10);
    assert_err(img, ELF_ERR_SEG_WRAPS);
    make(img);
    put(phdr(img, PH_DATA) + PH_PADDR, 8, ~0ull - 0x10);
    assert_err(img, ELF_ERR_SEG_WRAPS);
}
END_TEST

START_TEST(test_open_segment_order)
{
    uint8_t img[IMG_SIZE];
    make(img);
    put(phdr(img, PH_DATA) + PH_VADDR, 8, TEXT_VADDR + 0xff); /* overlaps text's last byte */
    assert_err(img, ELF_ERR_SEG_ORDER);
    make(img);
    put(phdr(img, PH_DATA) + PH_VADDR, 8, TEXT_VADDR - 0x2000); /* below text: out of order */
    assert_err(img, ELF_ERR_SEG_ORDER);
    make(img);
    put(phdr(img, PH_DATA) + PH_VADDR, 8, TEXT_VADDR); /* the same start */
    assert_err(img, ELF_ERR_SEG_ORDER);
    /* Adjacent segments (data right after text's last byte) are fine. */
    make(img);
    put(phdr(img, PH_DATA) + PH_VADDR, 8, TEXT_VADDR + 0x100);
    assert_err(img, ELF_OK);
}
END_TEST

START_TEST(test_open_no_load)
{
    uint8_t img[IMG_SIZE];
    make(img);
    put(phdr(img, PH_TEXT), 4, 4); /* PT_NOTE */
    put(phdr(img, PH_DATA), 4, 6); /* PT_PHDR */
    assert_err(img, ELF_ERR_NO_LOAD);
    make(img);
    put(phdr(img, PH_TEXT) + PH_MEMSZ, 8, 0);
    put(phdr(img, PH_TEXT) + PH_FILESZ, 8, 0);
    put(phdr(img, PH_DATA) + PH_MEMSZ, 8, 0);
    put(phdr(img, PH_DATA) + PH_FILESZ, 8, 0);
    assert_err(img, ELF_ERR_NO_LOAD);
    make(img);
    put(img + 56, 2, 0); /* no program headers at all */
    assert_err(img, ELF_ERR_NO_LOAD);
}
END_TEST

START_TEST(test_open_entry)
{
    uint8_t img[IMG_SIZE];
    make(img);
    put(img + 24, 8, TEXT_VADDR + 0x100); /* in the gap between text and data */
    assert_err(img, ELF_ERR_ENTRY);
    make(img);
    put(img + 24, 8, DATA_VADDR + 0x1000); /* one past the end */
    assert_err(img, ELF_ERR_ENTRY);
    make(img);
    put(img + 24, 8, 0);
    assert_err(img, ELF_ERR_ENTRY);
    make(img);
    put(img + 24, 8, DATA_VADDR + 0xfff); /* in .bss: the reader does not judge flags */
    assert_err(img, ELF_OK);
}
END_TEST

/* ---- elf_error_text ---- */

START_TEST(test_error_text)
{
    for (int e = 0; e < ELF_ERR_COUNT; e++) {
        const char *t = elf_error_text((enum elf_error)e);
        ck_assert_ptr_nonnull(t);
        ck_assert(strlen(t) > 10);
        ck_assert_ptr_null(strstr(t, "unknown"));
        for (int o = 0; o < e; o++) {
            ck_assert_str_ne(t, elf_error_text((enum elf_error)o));
        }
    }
    /* hostsim's callers and tests match this phrase for files that are not AArch64 ELF64. */
    static const enum elf_error header[] = {ELF_ERR_TRUNCATED, ELF_ERR_MAGIC, ELF_ERR_CLASS,
                                            ELF_ERR_DATA, ELF_ERR_MACHINE};
    for (unsigned i = 0; i < sizeof(header) / sizeof(header[0]); i++) {
        ck_assert_ptr_nonnull(
            strstr(elf_error_text(header[i]), "is not an AArch64 little-endian ELF64 file"));
    }
    ck_assert_ptr_nonnull(strstr(elf_error_text(ELF_ERR_COUNT), "unknown"));
}
END_TEST

/* ---- elf_segment, elf_next_load ---- */

START_TEST(test_next_load)
{
    uint8_t img[IMG_SIZE];
    make(img);
    struct elf_file f;
    ck_assert_int_eq(elf_open(&f, img, IMG_SIZE), ELF_OK);
    struct elf_segment s;
    elf_segment(&f, PH_STACK, &s);
    ck_assert_uint_eq(s.type, 0x6474e551u);
    unsigned i = 0;
    ck_assert(elf_next_load(&f, &i, &s));
    ck_assert_uint_eq(i, PH_TEXT + 1);
    ck_assert_uint_eq(s.type, ELF_PT_LOAD);
    ck_assert_uint_eq(s.flags, ELF_PF_R | ELF_PF_X);
    ck_assert_uint_eq(s.offset, TEXT_OFF);
    ck_assert_uint_eq(s.vaddr, TEXT_VADDR);
    ck_assert_uint_eq(s.paddr, PADDR);
    ck_assert_uint_eq(s.filesz, 0x100);
    ck_assert_uint_eq(s.memsz, 0x100);
    ck_assert_uint_eq(s.align, 0x1000);
    ck_assert(elf_next_load(&f, &i, &s)); /* the stack header and the empty PT_LOAD skipped */
    ck_assert_uint_eq(i, PH_DATA + 1);
    ck_assert_uint_eq(s.vaddr, DATA_VADDR);
    ck_assert_uint_eq(s.flags, ELF_PF_R | ELF_PF_W);
    ck_assert(!elf_next_load(&f, &i, &s));
    ck_assert(!elf_next_load(&f, &i, &s));
}
END_TEST

/* ---- elf_load_segment ---- */

START_TEST(test_load_segment)
{
    uint8_t img[IMG_SIZE];
    make(img);
    struct elf_file f;
    ck_assert_int_eq(elf_open(&f, img, IMG_SIZE), ELF_OK);
    static uint8_t mem[0x1000 + 16];
    memset(mem, 0x55, sizeof(mem));
    struct elf_segment s;
    unsigned i = PH_DATA;
    ck_assert(elf_next_load(&f, &i, &s));
    elf_load_segment(&f, &s, mem);
    ck_assert_mem_eq(mem, img + DATA_OFF, 0x80);
    for (unsigned k = 0x80; k < 0x1000; k++) {
        ck_assert_msg(mem[k] == 0, "byte %#x of .bss is %#x", k, mem[k]);
    }
    for (unsigned k = 0x1000; k < sizeof(mem); k++) {
        ck_assert_uint_eq(mem[k], 0x55); /* nothing past p_memsz */
    }
}
END_TEST

/* ---- elf_symbol ---- */

static enum elf_error symbol(const uint8_t *img, const char *name, uint64_t *value)
{
    struct guarded g = guard(img, IMG_SIZE);
    struct elf_file f;
    enum elf_error e = elf_open(&f, g.data, IMG_SIZE);
    ck_assert_int_eq(e, ELF_OK);
    e = elf_symbol(&f, name, value);
    unguard(g);
    return e;
}

START_TEST(test_symbol)
{
    uint8_t img[IMG_SIZE];
    make(img);
    uint64_t v = 0;
    ck_assert_int_eq(symbol(img, "payload_root_start", &v), ELF_OK);
    ck_assert_uint_eq(v, TEXT_VADDR + 0x20);
    ck_assert_int_eq(symbol(img, "payload_root_end", &v), ELF_OK);
    ck_assert_uint_eq(v, TEXT_VADDR + 0x60);
    ck_assert_int_eq(symbol(img, "payload_root", &v), ELF_ERR_NO_SYMBOL);        /* a prefix */
    ck_assert_int_eq(symbol(img, "payload_root_end_", &v), ELF_ERR_NO_SYMBOL);   /* longer */
    ck_assert_int_eq(symbol(img, "payload_root_startx", &v), ELF_ERR_NO_SYMBOL); /* longer */
    ck_assert_int_eq(symbol(img, "", &v), ELF_OK); /* the null symbol's empty name */
    ck_assert_uint_eq(v, 0);
}
END_TEST

START_TEST(test_symbol_errors)
{
    uint8_t img[IMG_SIZE];
    uint64_t v;
    make(img);
    put(img + 60, 2, 0); /* no sections */
    ck_assert_int_eq(symbol(img, "payload_root_start", &v), ELF_ERR_SHDRS);
    make(img);
    put(img + 58, 2, 40); /* ELF32's section header size */
    ck_assert_int_eq(symbol(img, "payload_root_start", &v), ELF_ERR_SHDRS);
    make(img);
    put(img + 40, 8, IMG_SIZE - 64 * NSH + 1); /* the table crosses the end by a byte */
    ck_assert_int_eq(symbol(img, "payload_root_start", &v), ELF_ERR_SHDRS);
    make(img);
    put(img + 40, 8, ~0ull - 64);
    ck_assert_int_eq(symbol(img, "payload_root_start", &v), ELF_ERR_SHDRS);
    make(img);
    put(shdr(img, SH_SYMTAB) + 4, 4, 11); /* SHT_DYNSYM: not searched */
    ck_assert_int_eq(symbol(img, "payload_root_start", &v), ELF_ERR_NO_SYMTAB);
    make(img);
    put(shdr(img, SH_SYMTAB) + 24, 8, IMG_SIZE - 3 * 24 + 1);
    ck_assert_int_eq(symbol(img, "payload_root_start", &v), ELF_ERR_SYMTAB);
    make(img);
    put(shdr(img, SH_SYMTAB) + 40, 4, NSH); /* the string table's index is past the last */
    ck_assert_int_eq(symbol(img, "payload_root_start", &v), ELF_ERR_SYMTAB);
    make(img);
    put(shdr(img, SH_STRTAB) + 32, 8, IMG_SIZE);
    ck_assert_int_eq(symbol(img, "payload_root_start", &v), ELF_ERR_SYMTAB);
    /* A name offset past the string table, and a name that runs off its end, match nothing. */
    make(img);
    set_sym(img, 1, sizeof(strtab) + 100, 1);
    ck_assert_int_eq(symbol(img, "payload_root_start", &v), ELF_ERR_NO_SYMBOL);
    make(img);
    put(shdr(img, SH_STRTAB) + 32, 8, sizeof(strtab) - 1); /* drop the final NUL */
    set_sym(img, 1, NAME_UNTERMINATED, 1);
    ck_assert_int_eq(symbol(img, "unterminated", &v), ELF_ERR_NO_SYMBOL);
    make(img);
    set_sym(img, 1, NAME_UNTERMINATED, 7);
    ck_assert_int_eq(symbol(img, "unterminated", &v), ELF_OK); /* with its NUL it is found */
    ck_assert_uint_eq(v, 7);
}
END_TEST

/* ---- elf_file_bytes ---- */

START_TEST(test_file_bytes)
{
    uint8_t img[IMG_SIZE];
    make(img);
    struct elf_file f;
    ck_assert_int_eq(elf_open(&f, img, IMG_SIZE), ELF_OK);
    ck_assert_ptr_eq(elf_file_bytes(&f, TEXT_VADDR + 0x20, 0x40), img + TEXT_OFF + 0x20);
    ck_assert_ptr_eq(elf_file_bytes(&f, TEXT_VADDR, 0x100), img + TEXT_OFF);
    ck_assert_ptr_eq(elf_file_bytes(&f, DATA_VADDR + 0x7f, 1), img + DATA_OFF + 0x7f);
    ck_assert_ptr_null(elf_file_bytes(&f, TEXT_VADDR, 0x101));        /* past text */
    ck_assert_ptr_null(elf_file_bytes(&f, DATA_VADDR + 0x70, 0x20));  /* into .bss */
    ck_assert_ptr_null(elf_file_bytes(&f, TEXT_VADDR - 1, 2));        /* below text */
    ck_assert_ptr_null(elf_file_bytes(&f, TEXT_VADDR + 0x200, 1));    /* the gap */
    ck_assert_ptr_null(elf_file_bytes(&f, TEXT_VADDR + 0x20, ~0ull)); /* wraps */
}
END_TEST

/* ---- hostsim_boot_elf: the reader's errors with hostsim's subject, and hostsim's own ---- */

static const char *boot_error(const uint8_t *img)
{
    const char *error = NULL;
    ck_assert_int_eq(hostsim_boot_elf(NULL, 0, img, IMG_SIZE, &error), -1);
    ck_assert_ptr_nonnull(error);
    return error;
}

START_TEST(test_boot_elf_errors)
{
    uint8_t img[IMG_SIZE];
    make(img);
    put(img + 18, 2, 62);
    ck_assert_str_eq(boot_error(img), "hostsim: the root task is not an AArch64 little-endian "
                                      "ELF64 file: it is built for another machine");
    make(img);
    put(phdr(img, PH_DATA) + PH_VADDR, 8, TEXT_VADDR);
    ck_assert_str_eq(boot_error(img), "hostsim: the root task has loadable segments that overlap "
                                      "or are not in ascending address order");
    make(img);
    put(phdr(img, PH_DATA) + PH_VADDR, 8, seL4_UserTop + 1 - 0x800); /* past seL4_UserTop */
    ck_assert_str_eq(boot_error(img),
                     "hostsim: a root task segment lies outside the user address space");
    make(img);
    put(phdr(img, PH_DATA) + PH_VADDR, 8, TEXT_VADDR + (1ull << 30)); /* 1 GiB + 4 KiB span */
    ck_assert_str_eq(boot_error(img), "hostsim: the root task image spans more than 1 GiB");
}
END_TEST

static Suite *elf_suite(void)
{
    Suite *s = suite_create("elf");
    TCase *tc = tcase_create("elf_open");
    tcase_add_test(tc, test_open_valid);
    tcase_add_test(tc, test_open_any_alignment);
    tcase_add_test(tc, test_open_truncated);
    tcase_add_test(tc, test_open_magic);
    tcase_add_test(tc, test_open_class_data_machine_type);
    tcase_add_test(tc, test_open_program_headers);
    tcase_add_test(tc, test_open_dynamic);
    tcase_add_test(tc, test_open_segment_outside_file);
    tcase_add_test(tc, test_open_segment_filesz);
    tcase_add_test(tc, test_open_segment_wraps);
    tcase_add_test(tc, test_open_segment_order);
    tcase_add_test(tc, test_open_no_load);
    tcase_add_test(tc, test_open_entry);
    suite_add_tcase(s, tc);
    tc = tcase_create("elf_error_text");
    tcase_add_test(tc, test_error_text);
    suite_add_tcase(s, tc);
    tc = tcase_create("elf_next_load");
    tcase_add_test(tc, test_next_load);
    suite_add_tcase(s, tc);
    tc = tcase_create("elf_load_segment");
    tcase_add_test(tc, test_load_segment);
    suite_add_tcase(s, tc);
    tc = tcase_create("elf_symbol");
    tcase_add_test(tc, test_symbol);
    tcase_add_test(tc, test_symbol_errors);
    suite_add_tcase(s, tc);
    tc = tcase_create("elf_file_bytes");
    tcase_add_test(tc, test_file_bytes);
    suite_add_tcase(s, tc);
    tc = tcase_create("hostsim_boot_elf");
    tcase_add_test(tc, test_boot_elf_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return ktest_run(elf_suite()); }
