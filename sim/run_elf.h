/* SPDX-License-Identifier: BSD-2-Clause */
/* kaal-sim --elf / --image (run_elf.c). */
#ifndef KAAL_SIM_RUN_ELF_H
#define KAAL_SIM_RUN_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit statuses besides 0 (the machine stopped by itself: every thread done or waiting for ever).
 */
enum { RUN_ELF_USAGE = 2, RUN_ELF_BOOT = 3, RUN_ELF_KERNEL = 4 };

struct run_elf_options {
    const char *path; /* the root task ELF, or a KaaL loader image */
    bool is_image;
    uint64_t mem; /* RAM size for the device tree's memory node, 0: as it says */
    bool tick_set;
    uint64_t tick; /* instructions per timer tick */
    bool entry_cost_set;
    uint64_t entry_cost; /* virtual-clock instructions per kernel entry */
    unsigned refill_run; /* pages per refill, 0: the default */
    bool entry_jitter_set;
    unsigned entry_jitter; /* percent the entry cost varies by */
    int gdb_port;          /* --gdb: serve gdb's remote protocol on this port (0: any), -1: no */
    bool trace;            /* print every kernel entry with the user PC */
};

int run_elf(const struct run_elf_options *o, const unsigned char *dtb, size_t dtb_size);

#endif
