/* SPDX-License-Identifier: BSD-2-Clause */
/* hostsim machine: simulated RAM from the device tree, boot (placeholder while the module is written; replaced in this issue). */
#include <stdbool.h>
#include <hal/hal.h>
#include <hostsim/hostsim.h>
#include "internal.h"

bool hostsim_booted;

int hostsim_boot(const void *dtb, size_t dtb_size, const char **error)
{
    (void)dtb; (void)dtb_size;
    *error = "hostsim boot not written yet";
    return -1;
}

paddr_t hostsim_ram_base_pa;
word_t hostsim_ram_size;
uint8_t *hostsim_ram_host;

int hostsim_boot_file(const char *dtb_path, const char **error) { (void)dtb_path; *error = "not written yet"; return -1; }
void hostsim_shutdown(void) {}
seL4_IPCBuffer *hostsim_root_ipc_buffer(void) { return NULL; }
seL4_BootInfo *hostsim_bootinfo(void) { return NULL; }
void *hostsim_phys_to_host(uint64_t pa, size_t size) { (void)pa; (void)size; return NULL; }
