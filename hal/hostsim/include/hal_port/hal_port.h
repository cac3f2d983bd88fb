/* SPDX-License-Identifier: BSD-2-Clause */
/* hostsim port header: the parts of the HAL that are hot enough to inline. No host headers here:
 * core includes this file. */
#ifndef HAL_PORT_HOSTSIM_H
#define HAL_PORT_HOSTSIM_H

#include <kaal/types.h>
#include <hal/regs.h>
#include <hal_port/machine.h>

/* Saved user state of one thread: its registers, nothing else. What the simulated machine keeps
 * for a thread (its host context and stack, a puppet thread's pending system call) lives in the
 * machine's own records in host memory, keyed by this structure's address (hostsim_thread_forget
 * in <hostsim_if/machine.h> drops them when a TCB is made or destroyed). */
struct hal_tcb {
    word_t regs[N_USER_REGS];
    word_t fpsimd[66]; /* V0-V31 (128-bit) + FPSR + FPCR: the emulated EL0's, as on aarch64 */
};

/* Simulated physical memory: RAM [hostsim_ram_base_pa, +size) lives at host address
 * hostsim_ram_host. The machine's (hal/hostsim/machine/machine.c), set when it boots; declared here
 * because the inline hal_ptov reads it. */
extern paddr_t hostsim_ram_base_pa;
extern word_t hostsim_ram_size;
extern uint8_t *hostsim_ram_host;

/* Is the range [pa, pa + size) simulated RAM? */
static inline bool hostsim_is_ram(paddr_t pa, word_t size)
{
    return pa >= hostsim_ram_base_pa && size <= hostsim_ram_size &&
           pa - hostsim_ram_base_pa <= hostsim_ram_size - size;
}

/* The kernel touched a physical address outside RAM: report it and abort (the port, hal.c). */
void hostsim_bad_phys(paddr_t pa) __attribute__((noreturn));

/* The HAL's RAM test (hal.h): simulated RAM is the only RAM. */
static inline bool hal_phys_is_ram(paddr_t pa, word_t bytes) { return hostsim_is_ram(pa, bytes); }

static inline void *hal_ptov(paddr_t pa)
{
    if (!hostsim_is_ram(pa, 1)) {
        hostsim_bad_phys(pa);
    }
    return hostsim_ram_host + (pa - hostsim_ram_base_pa);
}

static inline paddr_t hal_vtop(const void *p)
{
    return hostsim_ram_base_pa + (paddr_t)((const uint8_t *)p - hostsim_ram_host);
}

/* kernel pointer = physical address + this, for simulated RAM (the IPC fastpath's objects). */
#define HAL_WINDOW_OFFSET ((word_t)hostsim_ram_host - hostsim_ram_base_pa)

/* The IPC fastpath's exit: hostsim returns to kernel_handle_syscall, and the run loop resumes
 * ks.cur_thread as after any system call. */
#define HAL_FASTPATH_EXIT(t) ((void)(t), true)
/* The MCS fastpath reads the virtual clock through the HAL's call (the stack is the host's). */
#define HAL_FASTPATH_TIMER_NOW() hal_timer_now()

static inline word_t hal_reg_get(const struct hal_tcb *t, enum user_reg r) { return t->regs[r]; }
static inline void hal_reg_set(struct hal_tcb *t, enum user_reg r, word_t v) { t->regs[r] = v; }

#endif
