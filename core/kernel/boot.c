/* SPDX-License-Identifier: BSD-2-Clause */
/* Boot: the root task's world from the device tree (placeholder while the module is written; replaced in this issue). */
#include <kaal/boot.h>

int kernel_boot(const struct boot_params *params, const char **error)
{
    (void)params;
    *error = "boot not written yet";
    return -1;
}
