/* SPDX-License-Identifier: BSD-2-Clause */
/* hostsim implementation of the HAL contract (hal/include/hal/hal.h): console, interrupts, threads,
 * memory, each on the simulated machine's devices (<hostsim_if/machine.h>). Halting and the trap
 * into the kernel are in kernel.c, the MMU glue in mmu.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hal/hal.h>
#include <hostsim_if/machine.h>
#include <kaal/gen_config.h>

void hal_console_putc(char c) { hostsim_console_putc(c); }

#ifdef CONFIG_KERNEL_MCS
/* --- the MCS timer: the machine's virtual clock and its one-shot deadline --- */
word_t hal_timer_now(void) { return hostsim_timer_now(); }
void hal_timer_set_deadline(word_t ticks) { hostsim_timer_set_deadline(ticks); }
void hal_timer_ack_deadline(void) { hostsim_timer_ack_deadline(); }
#endif

/* --- interrupts: the machine's interrupt controller --- */
word_t hal_irq_get_active(void)
{
    word_t irq;
    return hostsim_irq_active(&irq) ? irq : HAL_IRQ_NONE;
}

bool hal_irq_pending(void) { return hostsim_irq_poll(); }
void hal_irq_ack(word_t irq) { hostsim_irq_take(irq); }
void hal_irq_mask(word_t irq) { hostsim_irq_mask(irq, true); }
void hal_irq_unmask(word_t irq) { hostsim_irq_mask(irq, false); }
void hal_irq_set_trigger(word_t irq, bool edge) { hostsim_irq_set_edge(irq, edge); }
void hal_irq_issue_sgi(word_t sgi, word_t target) { hostsim_irq_send_sgi(sgi, target); }

/* --- threads: the saved registers are the whole of a thread's HAL state; whatever the machine
 * keeps for a thread (its host context) is keyed by the TCB's address and forgotten here. --- */
void hal_tcb_init(struct hal_tcb *arch)
{
    memset(arch, 0, sizeof(*arch));
    arch->regs[REG_SPSR] = USER_SPSR_INITIAL;
    hostsim_thread_forget(arch);
}

void hal_vspace_bindings_changed(void)
{ /* the shadow MMU looks the VSpace up at every switch */
}

void hal_tcb_destroy(struct hal_tcb *arch)
{
    hostsim_thread_forget(arch); /* hostsim keeps no FP/SIMD state */
}

/* --- memory: RAM is the machine's; cleaning caches does nothing on the coherent host, but what
 * the kernel zeroes and cleans is recorded by the machine's cache model. --- */
void hal_zero_phys(paddr_t pa, word_t bytes)
{
    if (!hostsim_is_ram(pa, bytes)) {
        hostsim_bad_phys(pa);
    }
    memset(hal_ptov(pa), 0, bytes);
    hostsim_cache_note_zeroed(pa, bytes);
}

void hal_cache_clean_new_memory(paddr_t pa, word_t bytes)
{
    if (!hostsim_is_ram(pa, bytes)) {
        hostsim_bad_phys(pa); /* core never asks for device memory */
    }
    hostsim_cache_note_cleaned(pa, bytes);
}

void hostsim_bad_phys(paddr_t pa)
{
    fprintf(stderr, "hostsim: kernel touched physical address %#llx outside simulated RAM\n",
            (unsigned long long)pa);
    abort();
}

#ifdef CONFIG_KERNEL_INVARIANTS
/* hal_invariants_hold: hostsim caches one thing about threads, the shadow MMU's user window (the
 * VSpace root and ASID it was filled for, like TTBR0, and its pages, like a TLB): a page that is no
 * longer that VSpace's translation means core changed a mapping or binding without the
 * invalidation it owes (hal_tlb_invalidate_*). hostsim keeps no FP/SIMD state, so there is no FPU
 * owner to check. */
bool hal_invariants_hold(char *why, size_t why_len)
{
    return hostsim_window_consistent(why, why_len);
}
#endif
