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

/* --- interrupts: a deterministic virtual interrupt controller ---
 * One pending and one masked bit per line (0..HAL_MAX_IRQ). The active interrupt is the lowest
 * numbered line that is pending and not masked (lower number = higher priority, as GIC priorities
 * are all equal here). Every line starts masked except the kernel's timer. Lines become pending
 * only at defined points: hostsim_raise_irq, hostsim_tick, and preemption checks when a preempt
 * interval is set (the timer). Taking an interrupt (hal_irq_ack) clears its pending bit. */
static bool irq_pending_bit[HAL_MAX_IRQ + 1];
static bool irq_masked[HAL_MAX_IRQ + 1];
static bool irq_edge[HAL_MAX_IRQ + 1];
static unsigned preempt_interval, preempt_counter;
static unsigned sgi_count[16];

void hostsim_irq_reset(void)
{
    for (word_t i = 0; i <= HAL_MAX_IRQ; i++) {
        irq_pending_bit[i] = false;
        irq_masked[i] = i != HAL_TIMER_IRQ;
        irq_edge[i] = false;
    }
    for (unsigned i = 0; i < 16; i++) {
        sgi_count[i] = 0;
    }
    preempt_counter = 0;
}

void hostsim_set_preempt_interval(unsigned n)
{
    preempt_interval = n;
    preempt_counter = 0;
    irq_pending_bit[HAL_TIMER_IRQ] = false;
}

void hostsim_irq_set_pending(word_t irq) { irq_pending_bit[irq] = true; }

word_t hal_irq_get_active(void)
{
    for (word_t i = 0; i <= HAL_MAX_IRQ; i++) {
        if (irq_pending_bit[i] && !irq_masked[i]) {
            return i;
        }
    }
    return HAL_IRQ_NONE;
}

bool hal_irq_pending(void)
{
    if (preempt_interval && ++preempt_counter >= preempt_interval) {
        preempt_counter = 0;
        irq_pending_bit[HAL_TIMER_IRQ] = true;
    }
    return hal_irq_get_active() != HAL_IRQ_NONE;
}

unsigned long hostsim_irq_acks;

void hal_irq_ack(word_t irq)
{
    hostsim_irq_acks++;
    if (irq <= HAL_MAX_IRQ) {
        irq_pending_bit[irq] = false;
    }
}

void hal_irq_mask(word_t irq) { irq_masked[irq] = true; }
void hal_irq_unmask(word_t irq) { irq_masked[irq] = false; }
void hal_irq_set_trigger(word_t irq, bool edge) { irq_edge[irq] = edge; }

void hal_irq_issue_sgi(word_t sgi, word_t target)
{
    /* One CPU (interface 0): an SGI to it becomes pending; other targets have no CPU. */
    sgi_count[sgi]++;
    if (target == 0) {
        irq_pending_bit[sgi] = true;
    }
}

bool hostsim_user_irq_unmasked(void)
{
    for (word_t i = 0; i <= HAL_MAX_IRQ; i++) {
        if (i != HAL_TIMER_IRQ && !irq_masked[i]) {
            return true;
        }
    }
    return false;
}

bool hostsim_irq_is_masked(unsigned irq) { return irq <= HAL_MAX_IRQ && irq_masked[irq]; }
bool hostsim_irq_is_pending(unsigned irq) { return irq <= HAL_MAX_IRQ && irq_pending_bit[irq]; }
bool hostsim_irq_is_edge(unsigned irq) { return irq <= HAL_MAX_IRQ && irq_edge[irq]; }
unsigned hostsim_sgi_count(unsigned sgi) { return sgi < 16 ? sgi_count[sgi] : 0; }

/* --- threads and memory --- */
void hal_tcb_init(struct hal_tcb *arch)
{
    memset(arch, 0, sizeof(*arch));
    arch->regs[REG_SPSR] = USER_SPSR_INITIAL;
}

void hal_vspace_bindings_changed(void)
{ /* the shadow MMU looks the VSpace up at every switch */
}

void hal_tcb_destroy(struct hal_tcb *arch) { (void)arch; /* hostsim keeps no FP/SIMD state */ }

/* --- caches: the host is coherent, so cleaning does nothing; what the kernel asks for is kept
 * for the tests: a bit per 64-byte line of RAM, set by hal_zero_phys and cleared by
 * hal_cache_clean_new_memory (machine.c maps the bitmap with the RAM). --- */
unsigned long hostsim_cache_clean_calls;

static void cache_mark(paddr_t pa, word_t bytes, bool zeroed)
{
    if (hostsim_cache_pending_map == NULL || bytes == 0) {
        return;
    }
    word_t first = (pa - hostsim_ram_base_pa) / HOSTSIM_CACHE_LINE;
    word_t last = (pa + bytes - 1 - hostsim_ram_base_pa) / HOSTSIM_CACHE_LINE;
    for (word_t l = first; l <= last; l++) {
        if (zeroed) {
            hostsim_cache_pending_map[l / 8] |= (uint8_t)(1u << (l % 8));
        } else {
            hostsim_cache_pending_map[l / 8] &= (uint8_t) ~(1u << (l % 8));
        }
    }
}

void hal_zero_phys(paddr_t pa, word_t bytes)
{
    if (!hostsim_is_ram(pa, bytes)) {
        hostsim_bad_phys(pa);
    }
    memset(hal_ptov(pa), 0, bytes);
    cache_mark(pa, bytes, true);
}

void hal_cache_clean_new_memory(paddr_t pa, word_t bytes)
{
    if (!hostsim_is_ram(pa, bytes)) {
        hostsim_bad_phys(pa); /* core never asks for device memory */
    }
    hostsim_cache_clean_calls++;
    cache_mark(pa, bytes, false);
}

bool hostsim_cache_zeroed_not_cleaned(uint64_t pa, uint64_t bytes)
{
    if (hostsim_cache_pending_map == NULL || bytes == 0 || !hostsim_is_ram(pa, bytes)) {
        return false;
    }
    word_t first = (pa - hostsim_ram_base_pa) / HOSTSIM_CACHE_LINE;
    word_t last = (pa + bytes - 1 - hostsim_ram_base_pa) / HOSTSIM_CACHE_LINE;
    for (word_t l = first; l <= last; l++) {
        if (hostsim_cache_pending_map[l / 8] & (1u << (l % 8))) {
            return true;
        }
    }
    return false;
}

void hostsim_bad_phys(paddr_t pa)
{
    fprintf(stderr, "hostsim: kernel touched physical address %#llx outside simulated RAM\n",
            (unsigned long long)pa);
    abort();
}
