/* SPDX-License-Identifier: BSD-2-Clause */
/* The one ELF reader (hal/common/elf.c): checks that a file is a statically linked AArch64 ELF64
 * executable, walks its loadable segments and looks up symbols. Compiled once per image kind: into
 * the aarch64 loader (the kernel and the root task), into the aarch64 user runtime (components,
 * <kaal/elf_loader.h>) and, on hostsim, into one host library for every host program: the
 * emulated-EL0 boot (hal/hostsim/machine/elf_boot.c), kaal-sim --image and the host user runtime
 * (hal/common/meson.build). Freestanding; reads every field byte by byte, so the file may lie at
 * any alignment (the loader runs with the MMU off, components sit in a CPIO archive at 4-byte
 * alignment). */
#ifndef HAL_COMMON_ELF_H
#define HAL_COMMON_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Why a file cannot be used. elf_error_text() words each as a predicate of the file ("is not ...",
 * "has ..."), so a caller prefixes its subject: "the root task " + text. */
enum elf_error {
    ELF_OK = 0,
    /* The file header (elf_open) */
    ELF_ERR_TRUNCATED, /* shorter than an ELF64 file header */
    ELF_ERR_MAGIC,     /* no \x7f 'E' 'L' 'F' */
    ELF_ERR_CLASS,     /* not ELFCLASS64 */
    ELF_ERR_DATA,      /* not little-endian */
    ELF_ERR_MACHINE,   /* not EM_AARCH64 */
    ELF_ERR_TYPE,      /* not ET_EXEC */
    ELF_ERR_PHENTSIZE, /* program headers are not ELF64's 56 bytes */
    ELF_ERR_PHDRS,     /* the program header table lies outside the file */
    ELF_ERR_DYNAMIC,   /* a PT_INTERP or PT_DYNAMIC header */
    /* The loadable segments (elf_open) */
    ELF_ERR_SEG_OUTSIDE, /* a PT_LOAD's file bytes lie outside the file */
    ELF_ERR_SEG_FILESZ,  /* p_filesz > p_memsz */
    ELF_ERR_SEG_WRAPS,   /* p_vaddr + p_memsz or p_paddr + p_memsz passes 2^64 */
    ELF_ERR_SEG_ORDER,   /* PT_LOADs overlap or are not in ascending p_vaddr order */
    ELF_ERR_NO_LOAD,     /* no PT_LOAD with p_memsz > 0 */
    ELF_ERR_ENTRY,       /* e_entry lies in no PT_LOAD */
    /* Symbols (elf_symbol) */
    ELF_ERR_SHDRS,     /* no section header table of ELF64's 64-byte entries inside the file */
    ELF_ERR_NO_SYMTAB, /* no SHT_SYMTAB section */
    ELF_ERR_SYMTAB,    /* the symbol table or its string table lies outside the file */
    ELF_ERR_NO_SYMBOL, /* the symbol table does not name the symbol */
    ELF_ERR_COUNT
};

/* p_type and p_flags values the callers use (System V gABI). */
#define ELF_PT_LOAD 1u
#define ELF_PF_X 1u
#define ELF_PF_W 2u
#define ELF_PF_R 4u

/* An opened, checked file. Filled by elf_open; read-only afterwards. */
struct elf_file {
    const uint8_t *data;
    size_t size;
    uint64_t entry;
    uint64_t phoff; /* program header table: inside the file */
    unsigned phnum; /* entries of ELF64's 56 bytes */
    uint64_t shoff; /* section header table, as the header says (checked by elf_symbol) */
    unsigned shnum; /* entries */
    unsigned shentsize;
    /* The span of the PT_LOAD segments with p_memsz > 0: [v_start, v_end) virtual,
     * [p_start, p_end) physical (lowest start, highest end; not rounded to pages). */
    uint64_t v_start, v_end;
    uint64_t p_start, p_end;
};

/* One program header. */
struct elf_segment {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

/* Open the size bytes at data as a statically linked AArch64 little-endian ELF64 executable and
 * check everything the loaders rely on: the header, the program header table inside the file, no
 * dynamic linking, and each PT_LOAD with p_memsz > 0 inside the file (its p_filesz bytes), with
 * p_filesz <= p_memsz, without wrapping in either address space, after the previous one in
 * ascending p_vaddr order without overlap; at least one such segment, and the entry point inside
 * one. ELF_OK and *f filled, or the first problem found (*f then undefined). Never reads outside
 * [data, data + size). */
enum elf_error elf_open(struct elf_file *f, const void *data, size_t size);

/* The reason, as a predicate of the file (see enum elf_error); never NULL. */
const char *elf_error_text(enum elf_error e);

/* Program header i (i < f->phnum) of an opened file. */
void elf_segment(const struct elf_file *f, unsigned i, struct elf_segment *seg);

/* The next loadable segment (PT_LOAD with p_memsz > 0) at index *i or after: true, *seg filled and
 * *i moved past it; false past the last. Start with *i = 0. Each such segment passed elf_open's
 * checks, so its file bytes are f->data + seg->offset, seg->filesz long. */
bool elf_next_load(const struct elf_file *f, unsigned *i, struct elf_segment *seg);

/* Copy a loadable segment of f to dst: its p_filesz bytes from the file, then p_memsz - p_filesz
 * zero bytes. dst must have room for p_memsz bytes. */
void elf_load_segment(const struct elf_file *f, const struct elf_segment *seg, void *dst);

/* The value of the symbol called name in f's SHT_SYMTAB sections: ELF_OK and *value, or
 * ELF_ERR_SHDRS, ELF_ERR_NO_SYMTAB, ELF_ERR_SYMTAB or ELF_ERR_NO_SYMBOL. The section headers are
 * checked here (elf_open does not need them); a symbol whose name lies outside its string table is
 * skipped. */
enum elf_error elf_symbol(const struct elf_file *f, const char *name, uint64_t *value);

/* The file bytes that hold [vaddr, vaddr + size) of a loadable segment's initialised part
 * (p_vaddr .. p_vaddr + p_filesz), or NULL when no one segment's file bytes hold all of them. */
const uint8_t *elf_file_bytes(const struct elf_file *f, uint64_t vaddr, uint64_t size);

#endif
