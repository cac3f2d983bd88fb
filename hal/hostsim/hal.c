/* SPDX-License-Identifier: BSD-2-Clause */
/* hostsim implementation of the HAL contract: console, halt, interrupts, registers, memory. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hal/hal.h>
#include <hostsim/hostsim.h>

#include "internal.h"

/* --- console --- */
static bool console_quiet;
static bool console_capturing;
static char *capture_buf;
static size_t capture_len, capture_cap;

void hal_console_putc(char c)
{
    if (console_capturing) {
        if (capture_len + 2 > capture_cap) {
            size_t cap = capture_cap ? capture_cap * 2 : 4096;
            char *p = realloc(capture_buf, cap);
            if (!p) {
                return;
            }
            capture_buf = p;
            capture_cap = cap;
        }
        capture_buf[capture_len++] = c;
        capture_buf[capture_len] = '\0';
        return;
    }
    if (!console_quiet) {
        fputc(c, stderr);
    }
}

void hostsim_console_quiet(bool quiet) { console_quiet = quiet; }

void hostsim_console_capture(bool capture)
{
    console_capturing = capture;
    capture_len = 0;
    if (capture_buf) {
        capture_buf[0] = '\0';
    }
}

const char *hostsim_console_take(void)
{
    static char *taken;
    free(taken);
    taken = capture_buf ? strdup(capture_buf) : strdup("");
    capture_len = 0;
    if (capture_buf) {
        capture_buf[0] = '\0';
    }
    return taken;
}

/* --- halting --- */
jmp_buf *hostsim_halt_target;
bool hostsim_did_panic;

void hal_halt(void)
{
    if (hostsim_halt_target) {
        longjmp(*hostsim_halt_target, 1);
    }
    fprintf(stderr, "hostsim: kernel halted outside a kernel entry\n");
    abort();
}

void hal_panic_dump(void)
{
    hostsim_did_panic = true;
    hostsim_dump_state();
}

bool hostsim_panicked(void) { return hostsim_did_panic; }

/* --- interrupts (virtual, deterministic) --- */
#define HOSTSIM_TIMER_IRQ 27 /* the EL1 virtual timer PPI on QEMU virt */
static unsigned preempt_interval, preempt_counter;
static bool timer_pending;

void hostsim_set_preempt_interval(unsigned n)
{
    preempt_interval = n;
    preempt_counter = 0;
    timer_pending = false;
}

bool hal_irq_pending(void)
{
    if (preempt_interval && ++preempt_counter >= preempt_interval) {
        preempt_counter = 0;
        timer_pending = true;
    }
    return timer_pending;
}

word_t hal_irq_get_active(void)
{
    return timer_pending ? HOSTSIM_TIMER_IRQ : HAL_IRQ_NONE;
}

void hal_irq_ack(word_t irq)
{
    if (irq == HOSTSIM_TIMER_IRQ) {
        timer_pending = false;
    }
}

/* --- threads and memory --- */
void hal_tcb_init(struct hal_tcb *arch)
{
    memset(arch, 0, sizeof(*arch));
    arch->regs[REG_SPSR] = USER_SPSR_INITIAL;
}

void hal_zero_phys(paddr_t pa, word_t bytes)
{
    if (!hostsim_is_ram(pa, bytes)) {
        hostsim_bad_phys(pa);
    }
    memset(hal_ptov(pa), 0, bytes);
}

void hostsim_bad_phys(paddr_t pa)
{
    fprintf(stderr, "hostsim: kernel touched physical address %#llx outside simulated RAM\n", (unsigned long long)pa);
    abort();
}
