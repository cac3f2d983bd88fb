/* SPDX-License-Identifier: BSD-2-Clause */
/* hostsim port: the simulated machine's platform numbers, those of QEMU virt (the aarch64 port's
 * hal_port/machine.h), so that user code sees the same interrupt lines on either port. */
#ifndef HAL_PORT_HOSTSIM_MACHINE_H
#define HAL_PORT_HOSTSIM_MACHINE_H

/* Interrupt lines 0..HAL_MAX_IRQ of the simulated interrupt controller; the kernel timer's line
 * (the HAL contract's platform numbers, hal/hal.h). */
#define HAL_MAX_IRQ 159ul
#define HAL_TIMER_IRQ 27ul

#endif
