/* SPDX-License-Identifier: BSD-2-Clause */
/* AArch64 port: addresses, register values and descriptor bits shared by the kernel, its entry
 * assembly and KaaL's loader. Usable from C and assembly. Values are seL4's
 * (docs/abi.md#loader-handoff). */
#ifndef HAL_PORT_MACHINE_H
#define HAL_PORT_MACHINE_H

#ifdef __ASSEMBLER__
#define UL(x) x
#else
#define UL(x) x##ul
#endif

/* The stage-1 descriptor format, shared with hostsim: PTE_*, PT_*, MT_*. */
#include <hal_common/pte_bits.h>

/* --- Kernel virtual layout (docs/abi.md#qemu-virt-addresses, seL4 HEAD) --- */
#define KERNEL_ELF_BASE UL(0xffffffffc0000000) /* link address of the kernel image */
#define KERNEL_PHYS_BASE UL(0x40000000)        /* its physical load address (p_paddr) */
#define PPTR_BASE UL(0xffffff8000000000)       /* physical window: PPTR_BASE + pa <-> pa */
#define PPTR_TOP UL(0xffffffffc0000000)        /* end of the physical window (511 GiB) */
#define KDEV_BASE UL(0xffffffffffe00000)       /* kernel device window, 4 KiB pages */
#define KDEV_UART (KDEV_BASE + UL(0x0000))     /* PL011 */
#define KDEV_GICD (KDEV_BASE + UL(0x1000))     /* GICv2 distributor (seL4's slot) */
#define KDEV_GICC (KDEV_BASE + UL(0x2000))     /* GICv2 CPU interface (seL4's slot) */
#define KDEV_GICD3 (KDEV_BASE + UL(0x10000))   /* GICv3 distributor, 64 KiB */
#define KDEV_GICR (KDEV_BASE + UL(0x20000))    /* GICv3 redistributor of this CPU, 128 KiB */
#define KDEV_GICR_SIZE UL(0x20000)

/* --- QEMU virt physical addresses (fixed by the machine model; the DTB agrees) --- */
#define VIRT_RAM_BASE UL(0x40000000)   /* QEMU puts its DTB here for an ELF -kernel */
#define VIRT_UART_PADDR UL(0x09000000) /* PL011 */
#define VIRT_GICD_PADDR UL(0x08000000)
#define VIRT_GICC_PADDR UL(0x08010000)

/* --- Interrupts (docs/abi.md#qemu-virt-addresses): the platform numbers of the HAL contract
 * (hal/hal.h). GIC INTIDs 0..HAL_MAX_IRQ; the kernel timer is the EL1 virtual timer's PPI --- */
#define HAL_MAX_IRQ UL(159)
#define HAL_TIMER_IRQ UL(27)

/* --- MAIR_EL1 (docs/abi.md#loader-mmu-state): the memory type of each attribute index MT_* of
 * <hal_common/pte_bits.h> --- */
#define MAIR_EL1_VALUE UL(0x0000aaff440c0400)

/* --- TCR_EL1 (docs/abi.md#loader-mmu-state); IPS is filled in at run time from
 * ID_AA64MMFR0_EL1.PARange --- */
#define TCR_T0SZ(n) ((n) << 0)
#define TCR_IRGN0_WBWA (UL(1) << 8)
#define TCR_ORGN0_WBWA (UL(1) << 10)
#define TCR_TG0_4K (UL(0) << 14)
#define TCR_T1SZ(n) ((n) << 16)
#define TCR_IRGN1_WBWA (UL(1) << 24)
#define TCR_ORGN1_WBWA (UL(1) << 26)
#define TCR_TG1_4K (UL(2) << 30)
#define TCR_IPS_SHIFT 32
#define TCR_AS (UL(1) << 36)
#define TCR_EL1_VALUE                                                                     \
    (TCR_T0SZ(UL(16)) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_TG0_4K | TCR_T1SZ(UL(16)) | \
     TCR_IRGN1_WBWA | TCR_ORGN1_WBWA | TCR_TG1_4K | TCR_AS)

/* --- SCTLR_EL1 --- */
#define SCTLR_M (UL(1) << 0)
#define SCTLR_A (UL(1) << 1)
#define SCTLR_C (UL(1) << 2)
#define SCTLR_SA (UL(1) << 3)
#define SCTLR_I (UL(1) << 12)
#define SCTLR_UCT (UL(1) << 15)
#define SCTLR_UCI (UL(1) << 26)
#define SCTLR_RES1 UL(0x30d00800) /* bits 11, 20, 22, 23, 28, 29 (ARMv8.0) */

/* --- TTBR0_EL1: table base and ASID --- */
#define TTBR_ASID_SHIFT 48

/* --- CPACR_EL1 --- */
#define CPACR_FPEN_NONE (UL(3) << 20) /* FP/SIMD does not trap at EL0/EL1 */
#define CPACR_FPEN_EL0 (UL(1) << 20)  /* FP/SIMD traps at EL0 only (EC 0x07) */

/* --- the EL0 exception kinds the vectors pass to C (vector index & 3) --- */
#define EL0_SYNC 0
#define EL0_IRQ 1
#define EL0_FIQ 2
#define EL0_SERROR 3

/* --- ESR_EL1 exception classes the trap path tells apart --- */
#define ESR_EC_SHIFT 26
#define EC_FP_TRAP 0x07
#define EC_SVC64 0x15
#define EC_IABT_LOWER 0x20
#define EC_DABT_LOWER 0x24

/* --- PSCI 0.2+ function IDs (SMC Calling Convention, 32-bit IDs) --- */
#define PSCI_SYSTEM_OFF UL(0x84000008)

#endif
