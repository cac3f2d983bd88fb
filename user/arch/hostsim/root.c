/* SPDX-License-Identifier: BSD-2-Clause */
/* Root-task start-up on hostsim: boot the machine from a device tree and run kaal_root_main() as
 * the root task. Host code (it uses the hostsim machine API and stdio), linked into the executable
 * that carries the root task, e.g. kaal-conformance.
 *
 * Two ways to run it:
 * - user mode (when the port has it, <hostsim/user.h>): the root task runs as a real user thread
 *   on its own context, its stack in its own VSpace; its system calls trap through
 *   hostsim_user_trap and its memory accesses go through the shadow MMU's user window;
 * - the root-syscall shim (--shim, or a port without user mode): the root task is ordinary host
 *   code whose system calls are made as the root thread (hostsim_root_syscall); it cannot touch
 *   user addresses, so its IPC buffer is reached through the host pointer to it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hostsim/hostsim.h>
#if __has_include(<hostsim/user.h>)
#include <hostsim/user.h>
#define HAVE_USER_MODE 1
#else
#define HAVE_USER_MODE 0
#endif

#include <kaal/bootinfo.h>
#include <kaal/start.h>
#include <kaal/sys.h>

#include "root.h"

static enum hostsim_status shim_bad_status = HOSTSIM_OK;

/* n = 8 (x0..x7) or 9 (x0..x8: the trap that carries x8). */
static void shim_call(seL4_Word *regs, int n)
{
    uint64_t r[9];
    for (int i = 0; i < n; i++) {
        r[i] = regs[i];
    }
    enum hostsim_status st =
        n == 9 ? hostsim_root_syscall_x8(r, NULL) : hostsim_root_syscall(r, NULL);
    for (int i = 0; i < 6; i++) {
        regs[i] = r[i];
    }
    if (st != HOSTSIM_OK && shim_bad_status == HOSTSIM_OK) {
        shim_bad_status = st;
    }
}

static void shim_trap(seL4_Word regs[8]) { shim_call(regs, 8); }
static void shim_trap_x8(seL4_Word regs[9]) { shim_call(regs, 9); }

/* The root thread's TLS block (its first word: the IPC buffer pointer). */
static _Alignas(16) unsigned char root_tls[KAAL_TLS_BLOCK_SIZE];

#if HAVE_USER_MODE
static void root_entry(seL4_BootInfo *bi)
{
    kaal_tls_init(root_tls, bi->ipcBuffer);
    kaal_set_bootinfo(bi);
    kaal_set_root_user_mode(1);
    kaal_set_root_status(kaal_root_main(bi));
    /* Returning ends the thread: with no fault handler it becomes Inactive and the run is done. */
}
#endif

static void usage(FILE *out, const char *prog)
{
    fprintf(
        out,
        "usage: %s [--dtb FILE] [--shim]\n"
        "Boot the hostsim kernel from a device tree (default: %s) and run this root task.\n"
        "  --shim   run it as host code making the root thread's system calls, not in user mode\n"
        "Exit status: the root task's (0 = success); 3 boot failed; 4 the kernel halted or the\n"
        "root thread stopped before the root task returned.\n",
        prog, KAAL_HOSTSIM_DEFAULT_DTB);
}

int kaal_hostsim_root_main(int argc, char **argv)
{
    const char *dtb = KAAL_HOSTSIM_DEFAULT_DTB;
    int shim = !HAVE_USER_MODE;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--dtb") == 0 && i + 1 < argc) {
            dtb = argv[++i];
        } else if (strcmp(argv[i], "--shim") == 0) {
            shim = 1;
        } else if (strcmp(argv[i], "--help") == 0) {
            usage(stdout, argv[0]);
            return 0;
        } else {
            usage(stderr, argv[0]);
            return 2;
        }
    }
    const char *error = NULL;
    if (hostsim_boot_file(dtb, &error) != 0) {
        fprintf(stderr, "%s: boot failed: %s\n", argv[0], error ? error : "(no reason given)");
        hostsim_shutdown();
        return 3;
    }
    fprintf(stderr, "%s: root task runs %s\n", argv[0],
            shim ? "through the root-syscall shim (host code)" : "in hostsim user mode");
    int status;
    if (shim) {
        seL4_BootInfo *bi = hostsim_bootinfo();
        kaal_hostsim_trap = shim_trap;
        kaal_hostsim_trap_x8 = shim_trap_x8;
        kaal_tls_init(root_tls, hostsim_root_ipc_buffer());
        kaal_set_bootinfo(bi);
        kaal_set_root_user_mode(0);
        status = kaal_root_main(bi);
        kaal_set_root_status(status);
        if (shim_bad_status != HOSTSIM_OK || hostsim_panicked()) {
            fprintf(stderr, "%s: the kernel %s while the root task ran\n", argv[0],
                    hostsim_panicked() ? "panicked" : "halted or stopped the root thread");
            status = 4;
        }
    } else {
#if HAVE_USER_MODE
        kaal_hostsim_trap = (kaal_hostsim_trap_fn)hostsim_user_trap;
        kaal_hostsim_trap_x8 = (kaal_hostsim_trap_x8_fn)hostsim_user_trap_x8;
        kaal_hostsim_tpidr_el0 = (seL4_Word *)&hostsim_tpidr_el0;
        enum hostsim_run_status st = hostsim_run_root(root_entry);
        status = kaal_root_status();
        if (st != HOSTSIM_RUN_DONE || status < 0) {
            fprintf(stderr, "%s: the run ended with status %d before the root task returned\n",
                    argv[0], (int)st);
            status = 4;
        }
#else
        status = 4;
#endif
    }
    fflush(stderr);
    hostsim_shutdown();
    return status;
}
