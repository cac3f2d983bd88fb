/* SPDX-License-Identifier: BSD-2-Clause */
/* The default root task: prints a readable summary of what the kernel gave it. */
#ifndef KAAL_ROOTTASK_SUMMARY_H
#define KAAL_ROOTTASK_SUMMARY_H

#include <kaal/abi/abi.h>

/* Run the summary root task on the bootinfo frame bi (the root thread's x0 at start). Prints,
 * through DebugPutChar: the bootinfo fields, its slot regions, every untyped (slot, paddr, size,
 * device or RAM) and the initial caps 0..15 with their DebugCapIdentify types; then checks that
 * what it was given is consistent. Needs the system call entry installed (kaal_syscall_install).
 * Returns 0 when every check passed, 1 otherwise. */
int summary_main(const seL4_BootInfo *bi);

#endif
