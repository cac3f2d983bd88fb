/* SPDX-License-Identifier: BSD-2-Clause */
/* kaal-sim --elf / --image: boot the hostsim kernel with an AArch64 root task (a statically linked
 * ELF, or the one inside a KaaL loader image) and run it on the emulated EL0 until the machine
 * stops, as the aarch64 kernel would power off. */
#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hal_common/elf.h>
#include <hostsim/emu.h>
#include <hostsim/hostsim.h>
#include <hostsim/user.h>

#include "run_elf.h"

/* Read a whole file; NULL (after a message) on failure. */
static unsigned char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "kaal-sim: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, len = 0, got;
    unsigned char *buf = malloc(cap);
    while (buf != NULL && (got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            unsigned char *bigger = realloc(buf, cap * 2);
            if (bigger == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    bool bad = ferror(f) != 0;
    fclose(f);
    if (buf == NULL || bad) {
        fprintf(stderr, "kaal-sim: cannot read %s\n", path);
        free(buf);
        return NULL;
    }
    *size = len;
    return buf;
}

/* The root task inside a KaaL loader image: the loader's payload symbols (gen-payload.py) name
 * where it lies in the file. NULL (after a message) when the image has none. */
static const unsigned char *image_root_task(const unsigned char *img, size_t size,
                                            size_t *root_size)
{
    struct elf_file f;
    enum elf_error e = elf_open(&f, img, size);
    uint64_t start = 0, end = 0;
    if (e == ELF_OK && (e = elf_symbol(&f, "payload_root_start", &start)) == ELF_OK) {
        e = elf_symbol(&f, "payload_root_end", &end);
    }
    if (e == ELF_ERR_NO_SYMBOL || (e == ELF_OK && end <= start)) {
        fprintf(stderr,
                "kaal-sim: the image holds no root task (no payload_root_start/_end symbols)\n");
        return NULL;
    }
    if (e != ELF_OK) {
        fprintf(stderr, "kaal-sim: the image %s\n", elf_error_text(e));
        return NULL;
    }
    const unsigned char *root = elf_file_bytes(&f, start, end - start);
    if (root == NULL) {
        fprintf(stderr, "kaal-sim: the image's root task lies outside its loadable segments\n");
        return NULL;
    }
    *root_size = end - start;
    return root;
}

/* A copy of the device tree whose first memory node says mem bytes (--mem). */
static unsigned char *dtb_with_memory(const unsigned char *dtb, size_t *size, uint64_t mem)
{
    size_t cap = *size + 4096;
    unsigned char *out = malloc(cap);
    if (out == NULL || fdt_open_into(dtb, out, (int)cap) != 0) {
        fprintf(stderr, "kaal-sim: --mem: the device tree cannot be edited\n");
        free(out);
        return NULL;
    }
    int node = fdt_node_offset_by_prop_value(out, -1, "device_type", "memory", sizeof("memory"));
    int len;
    const fdt32_t *reg = node >= 0 ? fdt_getprop(out, node, "reg", &len) : NULL;
    int ac = fdt_address_cells(out, fdt_parent_offset(out, node)),
        sc = fdt_size_cells(out, fdt_parent_offset(out, node));
    if (reg == NULL || ac != 2 || sc != 2 || len < 16) {
        fprintf(stderr, "kaal-sim: --mem: no memory node with 2 address and 2 size cells\n");
        free(out);
        return NULL;
    }
    fdt32_t cells[4] = {reg[0], reg[1], cpu_to_fdt32((uint32_t)(mem >> 32)),
                        cpu_to_fdt32((uint32_t)mem)};
    if (fdt_setprop(out, node, "reg", cells, sizeof(cells)) != 0 || fdt_pack(out) != 0) {
        fprintf(stderr, "kaal-sim: --mem: the device tree cannot be edited\n");
        free(out);
        return NULL;
    }
    *size = fdt_totalsize(out);
    return out;
}

/* The device tree's first PL011 (QEMU virt: 0x9000000, SPI 1): the hostsim model answers its
 * registers, with this process's stdin and stdout as the serial line. */
static void attach_uart(const unsigned char *dtb)
{
    int node = fdt_node_offset_by_compatible(dtb, -1, "arm,pl011");
    int len, ilen;
    const fdt32_t *reg = node >= 0 ? fdt_getprop(dtb, node, "reg", &len) : NULL;
    const fdt32_t *irq = node >= 0 ? fdt_getprop(dtb, node, "interrupts", &ilen) : NULL;
    if (reg == NULL || irq == NULL || len < 8 || ilen < 12 ||
        fdt_address_cells(dtb, fdt_parent_offset(dtb, node)) != 2) {
        return;
    }
    uint64_t pa = ((uint64_t)fdt32_to_cpu(reg[0]) << 32) | fdt32_to_cpu(reg[1]);
    unsigned line = fdt32_to_cpu(irq[1]) + (fdt32_to_cpu(irq[0]) == 0 ? 32 : 16); /* SPI or PPI */
    hostsim_pl011_attach(pa, line, 0, 1);
}

int run_elf(const struct run_elf_options *o, const unsigned char *dtb, size_t dtb_size)
{
    size_t file_size;
    unsigned char *file = read_file(o->path, &file_size);
    if (file == NULL) {
        return RUN_ELF_BOOT;
    }
    const unsigned char *elf = file;
    size_t elf_size = file_size;
    if (o->is_image && (elf = image_root_task(file, file_size, &elf_size)) == NULL) {
        free(file);
        return RUN_ELF_BOOT;
    }
    unsigned char *edited = NULL;
    if (o->mem != 0) {
        if ((edited = dtb_with_memory(dtb, &dtb_size, o->mem)) == NULL) {
            free(file);
            return RUN_ELF_USAGE;
        }
        dtb = edited;
    }
    const char *error = NULL;
    int r = hostsim_boot_elf(dtb, dtb_size, elf, elf_size, &error);
    if (r == 0) {
        attach_uart(dtb);
    }
    free(edited);
    free(file);
    if (r != 0) {
        fprintf(stderr, "kaal-sim: boot failed: %s\n", error ? error : "(no reason given)");
        hostsim_shutdown();
        return RUN_ELF_BOOT;
    }
    if (o->tick_set) {
        hostsim_emu_set_tick(o->tick);
    }
    if (o->entry_cost_set) {
        hostsim_emu_set_entry_cost(o->entry_cost);
    }
    if (o->refill_run != 0) {
        hostsim_emu_set_refill_run(o->refill_run);
    }
    if (o->entry_jitter_set) {
        hostsim_emu_set_entry_jitter(o->entry_jitter);
    }
    hostsim_emu_trace(o->trace ? stderr : NULL);
    if (o->gdb_port >= 0) {
        int port;
        if (hostsim_emu_gdb_listen(o->gdb_port, &port, &error) != 0) {
            fprintf(stderr, "kaal-sim: --gdb: cannot listen on port %d: %s\n", o->gdb_port, error);
            hostsim_shutdown();
            return RUN_ELF_USAGE;
        }
        fprintf(
            stderr,
            "kaal-sim: gdb: waiting on 127.0.0.1:%d (gdb-multiarch: target remote 127.0.0.1:%d)\n",
            port, port);
        if (hostsim_emu_gdb_accept(&error) != 0) {
            fprintf(stderr, "kaal-sim: --gdb: %s\n", error);
            hostsim_shutdown();
            return RUN_ELF_USAGE;
        }
    }
    enum hostsim_run_status st = hostsim_run();
    /* Everything waits (for the UART, say): feed it what arrives on stdin and go on. */
    while (st == HOSTSIM_RUN_DEADLOCK && hostsim_pl011_wait_input(-1) > 0) {
        st = hostsim_run();
    }
    bool panicked = hostsim_panicked();
    hostsim_emu_gdb_exited(st == HOSTSIM_RUN_HALTED ? RUN_ELF_KERNEL : 0);
    struct hostsim_emu_stats s;
    hostsim_emu_stats(&s);
    hostsim_shutdown();
    fprintf(stderr,
            "kaal-sim: %llu AArch64 instructions, %llu kernel entries (%llu system calls, %llu VM "
            "faults, "
            "%llu user exceptions, %llu timer ticks), virtual clock %llu, %llu page refills, %llu "
            "page-map flushes\n",
            (unsigned long long)s.instructions, (unsigned long long)s.entries,
            (unsigned long long)s.syscalls, (unsigned long long)s.vm_faults,
            (unsigned long long)s.user_exceptions, (unsigned long long)s.ticks,
            (unsigned long long)s.clock, (unsigned long long)s.refills,
            (unsigned long long)s.flushes);
    switch (st) {
    case HOSTSIM_RUN_DONE:
    case HOSTSIM_RUN_DEADLOCK:
        /* Nothing can run again: the aarch64 kernel powers off here. */
        fprintf(stderr,
                "kaal-sim: no runnable thread and nothing left that could wake one: stopped\n");
        return 0;
    case HOSTSIM_RUN_HALTED:
        fprintf(stderr, "kaal-sim: the kernel %s\n", panicked ? "panicked" : "halted");
        return RUN_ELF_KERNEL;
    case HOSTSIM_RUN_ERROR:
        break;
    }
    fprintf(stderr, "kaal-sim: the machine could not run\n");
    return RUN_ELF_BOOT;
}
