/* SPDX-License-Identifier: BSD-2-Clause */
/* hostsim root-task start-up: call from main() of an executable that links a root task
 * (kaal_root_main). Boots the machine and runs the root task; returns the exit status. */
#ifndef KAAL_HOSTSIM_ROOT_H
#define KAAL_HOSTSIM_ROOT_H

int kaal_hostsim_root_main(int argc, char **argv);

#endif
