/* SPDX-License-Identifier: BSD-2-Clause */
/* The demo shell component and the root task's service protocol it uses (docs/demo.md).
 * Shell start-up caps: "uart" (the PL011 driver's endpoint), "root" (the root task's service
 * endpoint). It reads lines from the driver and writes everything through it. */
#ifndef KAAL_SHELL_H
#define KAAL_SHELL_H

#include <kaal/component.h>

/* Root-task service requests (Call on the "root" cap). */
enum root_label {
    ROOT_FAULT = 1, /* start a component that dereferences a bad pointer; reply when its fault has
                       been handled: MR0 = fault IP, MR1 = address, MR2 = instruction fault?, MR3 =
                       FSR (ESR), MR4 = fault type (seL4_Fault_*) */
    ROOT_EXIT = 2,  /* stop every component and power off (no reply) */
    ROOT_SNAPSHOT = 3, /* the root task prints its CSpace on the kernel console (DebugSnapshot) */
    ROOT_BUDGET = 4,   /* MCS: the root task prints each component's budget, period and consumed
                          time (SchedContext_Consumed, accumulated) on the kernel console */
};

void shell_main(const struct kaal_component_args *args);

#endif
