/* SPDX-License-Identifier: BSD-2-Clause */
/* kaal-conformance on hostsim: boot the machine and run the suite as the root task. */
#include "root.h"

int main(int argc, char **argv) { return kaal_hostsim_root_main(argc, argv); }
