/* SPDX-License-Identifier: BSD-2-Clause */
/* Root-thread system calls for tests and the simulator: registers in, kernel entry, registers out,
 * exactly as an `svc #0` would be taken on hardware (FaultIP = the svc, NextIP = the next one). */
#include <stdio.h>

#include <kaal/kernel.h>
#include <kaal/thread.h>
#include <hostsim/hostsim.h>

#include "internal.h"

static bool machine_halted;

void hostsim_note_boot(void) { machine_halted = false; }

enum hostsim_status hostsim_root_syscall(uint64_t regs[8], unsigned *restarts)
{
    struct tcb *t = ks.root_thread;
    unsigned count = 0;
    if (restarts) {
        *restarts = 0;
    }
    if (!hostsim_booted || machine_halted || t == NULL) {
        return HOSTSIM_HALTED;
    }
    if (thread_state_type(t) != ThreadState_Running) {
        return HOSTSIM_STOPPED;
    }
    for (int i = 0; i < 8; i++) {
        hal_reg_set(&t->arch, REG_X0 + i, regs[i]);
    }

    jmp_buf jb;
    hostsim_halt_target = &jb;
    if (setjmp(jb)) {
        hostsim_halt_target = NULL;
        machine_halted = true;
        return HOSTSIM_HALTED;
    }
    for (;;) {
        word_t svc = hal_reg_get(&t->arch, REG_NEXT_IP);
        hal_reg_set(&t->arch, REG_FAULT_IP, svc);
        hal_reg_set(&t->arch, REG_NEXT_IP, svc + 4);
        ks.cur_thread = t;
        kernel_handle_syscall((sword_t)hal_reg_get(&t->arch, REG_SYSCALL));
        kernel_exit();
        if (thread_state_type(t) == ThreadState_Running && hal_reg_get(&t->arch, REG_NEXT_IP) == svc) {
            count++; /* restarted: the svc runs again */
            continue;
        }
        break;
    }
    hostsim_halt_target = NULL;

    for (int i = 0; i < 8; i++) {
        regs[i] = hal_reg_get(&t->arch, REG_X0 + i);
    }
    if (restarts) {
        *restarts = count;
    }
    return thread_state_type(t) == ThreadState_Running ? HOSTSIM_OK : HOSTSIM_STOPPED;
}

void hostsim_dump_state(void)
{
    struct tcb *t = ks.cur_thread;
    if (t == NULL) {
        fprintf(stderr, "hostsim: no current thread\n");
        return;
    }
    fprintf(stderr, "hostsim: thread \"%s\" registers:\n", t->name);
    for (int i = 0; i < N_USER_REGS; i++) {
        fprintf(stderr, "  r%-2d %016llx%s", i, (unsigned long long)hal_reg_get(&t->arch, i), i % 4 == 3 ? "\n" : "");
    }
    fprintf(stderr, "\n");
}
