/* SPDX-License-Identifier: BSD-2-Clause */
/* Components from ELF images: a CPIO archive (newc format) of AArch64 ELF executables linked into
 * the root task, and the loader that copies an image's PT_LOAD segments into fresh frames of a
 * component's VSpace (docs/tutorial.md, "Separate images").
 *
 * An image is built against libkaal with user/arch/aarch64/root.ld (linked at 0x400000: its own
 * VSpace, so every image may use the same address) and user/runtime/component_start.c, whose
 * _start(args) sets up TLS and the IPC buffer and calls `component_main(args)`. hostsim cannot run
 * AArch64 code: there a component is a host function (kaal_component_create), and the archive
 * functions below still work on any bytes. */
#ifndef KAAL_ELF_LOADER_H
#define KAAL_ELF_LOADER_H

#include <kaal/component.h>

/* The file called name in a newc CPIO archive: its data (NULL when absent or the archive is
 * malformed); *size gets its length. */
const void *kaal_cpio_find(const void *archive, seL4_Word archive_size, const char *name,
                           seL4_Word *size);
/* The i-th file's name (NULL past the last). */
const char *kaal_cpio_name(const void *archive, seL4_Word archive_size, unsigned i);

/* The archive the build linked into this root task (see user/runtime/meson.build:
 * kaal_component_archive()), or NULL; *size gets its length. */
const void *kaal_components_archive(seL4_Word *size);

/* Like kaal_component_create, but the component's code is the ELF image elf: its PT_LOAD segments
 * are loaded into fresh frames (writable segments RW, executable ones executable) and it starts
 * at the image's entry point. seL4_InvalidArgument for an image that is not a static AArch64
 * executable, or whose segments overlap the component's fixed layout. */
seL4_Error kaal_component_create_elf(struct kaal_broker *b, struct kaal_component *c,
                                     const char *name, const void *elf, seL4_Word elf_size,
                                     seL4_Word priority, seL4_CPtr fault_ep, seL4_Word fault_badge);

#endif
