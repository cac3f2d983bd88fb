/* SPDX-License-Identifier: BSD-2-Clause */
/* kaal-broker-test on hostsim: the broker test root task in user mode. */
#include "root.h"

int main(int argc, char **argv) { return kaal_hostsim_root_main(argc, argv); }
