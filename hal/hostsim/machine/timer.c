/* SPDX-License-Identifier: BSD-2-Clause */
/* hostsim's MCS timer, the machine's half: a deterministic virtual clock at the kernel's timer
 * frequency (CONFIG_TIMER_FREQUENCY, 62.5 MHz) and one one-shot deadline, which the port's
 * hal_timer_* functions (port/hal.c) program through <hostsim_if/machine.h>. Simulated time moves
 * only when a test or the simulator moves it (hostsim_clock_advance), an idle run loop skips
 * to the next deadline (hostsim_clock_skip_to_release, run.c) or emulated user code executes
 * instructions (emu_el0.c: a fixed number of them per tick, hostsim_emu_set_clock_rate), never
 * with the host's clock, so runs are reproducible; each deadline it passes is taken as a timer
 * interrupt at that very tick. */
#include <hostsim/hostsim.h>
#include <hostsim_if/kernel.h>
#include <hostsim_if/machine.h>
#include <kaal/gen_config.h>

#include "internal.h"

#ifdef CONFIG_KERNEL_MCS

static struct {
    uint64_t now;      /* ticks since the machine booted */
    uint64_t deadline; /* UINT64_MAX: none */
} clock = {.deadline = UINT64_MAX};

void hostsim_clock_reset(void)
{
    clock.now = 0;
    clock.deadline = UINT64_MAX;
}

word_t hostsim_timer_now(void) { return clock.now; }

void hostsim_timer_set_deadline(word_t ticks)
{
    clock.deadline = ticks;
    if (ticks <= clock.now) {
        hostsim_irq_set_pending(HAL_TIMER_IRQ); /* already passed: as the hardware, at once */
    }
}

void hostsim_timer_ack_deadline(void) { clock.deadline = UINT64_MAX; }

bool hostsim_clock_skip_to_release(void)
{
    if (!hostsim_kernel_release_pending() || clock.deadline == UINT64_MAX) {
        return false; /* nothing waits for time: idle for good (or until an interrupt) */
    }
    if (clock.deadline > clock.now) {
        clock.now = clock.deadline;
    }
    hostsim_irq_set_pending(HAL_TIMER_IRQ);
    return true;
}

/* Nanoseconds per tick of the 62.5 MHz clock. */
#define NS_PER_TICK (1000000000ull / CONFIG_TIMER_FREQUENCY)
_Static_assert(NS_PER_TICK *CONFIG_TIMER_FREQUENCY == 1000000000ull,
               "a whole number of ns per tick");

void hostsim_clock_sync_ns(uint64_t ns)
{
    if (ns / NS_PER_TICK > clock.now) {
        clock.now = ns / NS_PER_TICK;
    }
}

uint64_t hostsim_clock_deadline_ns(void)
{
    return clock.deadline >= UINT64_MAX / NS_PER_TICK ? UINT64_MAX : clock.deadline * NS_PER_TICK;
}

void hostsim_clock_move_to(uint64_t ticks)
{
    if (ticks > clock.now) {
        clock.now = ticks;
    }
}

void hostsim_clock_restore(uint64_t now, uint64_t deadline)
{
    clock.now = now;
    clock.deadline = deadline;
}

uint64_t hostsim_clock_now(void) { return clock.now; }
uint64_t hostsim_clock_deadline(void) { return clock.deadline; }

void hostsim_clock_advance(uint64_t ticks)
{
    uint64_t target = clock.now + ticks;
    while (clock.deadline <= target) {
        if (clock.deadline > clock.now) {
            clock.now = clock.deadline;
        }
        uint64_t was = clock.deadline;
        hostsim_tick(1); /* the timer interrupt, taken at the deadline */
        if (clock.deadline == was) {
            break; /* the kernel did not take it (halted, or not booted): time just goes on */
        }
    }
    if (target > clock.now) {
        clock.now = target;
    }
}

#endif
