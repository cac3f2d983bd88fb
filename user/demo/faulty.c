/* SPDX-License-Identifier: BSD-2-Clause */
/* The faulty component as its own ELF image (aarch64; user/demo/meson.build packs it into the
 * root task's CPIO archive): it reads through a pointer to a page nobody mapped. On hostsim the
 * same component is the host function faulty_main in demo_root.c. */
#include <kaal/component.h>

void component_main(const struct kaal_component_args *args);

void component_main(const struct kaal_component_args *args)
{
    (void)args;
    volatile seL4_Word *bad = (volatile seL4_Word *)0x1008ul;
    (void)*bad;
}
