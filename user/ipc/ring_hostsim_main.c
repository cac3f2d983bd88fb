/* SPDX-License-Identifier: BSD-2-Clause */
/* kaal-ring-test on hostsim: the ring test root task in user mode, with a host clock for the
 * throughput figures. */
#define _GNU_SOURCE
#include <time.h>

#include <kaal/dddk.h>

#include "root.h"

static seL4_Word host_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (seL4_Word)ts.tv_sec * 1000000000ul + (seL4_Word)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    dddk_hostsim_clock = host_ns;
    return kaal_hostsim_root_main(argc, argv);
}
