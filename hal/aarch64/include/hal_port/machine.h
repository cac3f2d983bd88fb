/* SPDX-License-Identifier: BSD-2-Clause */
/* AArch64 port: addresses, register values and descriptor bits shared by the kernel, its entry
 * assembly and KaaL's loader. Usable from C and assembly. Values are seL4's (docs/abi.md#loader-handoff). */
#ifndef HAL_PORT_MACHINE_H
#define HAL_PORT_MACHINE_H

#ifdef __ASSEMBLER__
#define UL(x) x
#else
#define UL(x) x##ul
#endif

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

/* --- Interrupts (docs/abi.md#qemu-virt-addresses): INTIDs 0..159; the kernel timer is the EL1
 * virtual timer's PPI --- */
#define AARCH64_MAX_IRQ UL(159)
#define AARCH64_TIMER_IRQ UL(27)

/* --- MAIR_EL1 (docs/abi.md#loader-mmu-state): attribute index -> memory type --- */
#define MT_DEVICE_nGnRnE 0
#define MT_DEVICE_nGnRE 1
#define MT_DEVICE_GRE 2
#define MT_NORMAL_NC 3
#define MT_NORMAL 4 /* write-back, read/write-allocate */
#define MT_NORMAL_WT 5
#define MAIR_EL1_VALUE UL(0x0000aaff440c0400)

/* --- TCR_EL1 (docs/abi.md#loader-mmu-state); IPS is filled in at run time from ID_AA64MMFR0_EL1.PARange --- */
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
#define TCR_EL1_VALUE                                                                                      \
    (TCR_T0SZ(UL(16)) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_TG0_4K | TCR_T1SZ(UL(16)) | TCR_IRGN1_WBWA | \
     TCR_ORGN1_WBWA | TCR_TG1_4K | TCR_AS)

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

/* --- struct hal_tcb offsets for the entry assembly (hal_port.h pins them) --- */
#define HAL_TCB_SP 248      /* regs[REG_SP] */
#define HAL_TCB_NEXT_IP 256 /* regs[REG_NEXT_IP] */
#define HAL_TCB_SPSR 264    /* regs[REG_SPSR] */
#define HAL_TCB_FAULT_IP 272 /* regs[REG_FAULT_IP]: TPIDR follows (one stp in the vector) */
#define HAL_TCB_TPIDR 280   /* regs[REG_TPIDR], regs[REG_TPIDRRO] follows */
#define HAL_TCB_VSPACE_TTBR0 296 /* the cached TTBR0_EL1 value, then its epoch */
#define HAL_TCB_FPSIMD 320  /* V0-V31, FPSR, FPCR */

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

/* --- Stage 1 descriptors, 4 KiB granule, 48-bit VA: L0 512 GiB, L1 1 GiB, L2 2 MiB, L3 4 KiB --- */
#define PT_ENTRIES 512
#define PT_L0_SHIFT 39
#define PT_L1_SHIFT 30
#define PT_L2_SHIFT 21
#define PT_L3_SHIFT 12
#define PTE_VALID (UL(1) << 0)
#define PTE_TABLE (UL(3) << 0) /* table descriptor (L0-L2) */
#define PTE_BLOCK (UL(1) << 0) /* block descriptor (L1, L2) */
#define PTE_PAGE (UL(3) << 0)  /* page descriptor (L3) */
#define PTE_ATTR(idx) ((UL(idx) & 7) << 2)
#define PTE_AP_EL1_RW (UL(0) << 6)
#define PTE_SH_INNER (UL(3) << 8)
#define PTE_AF (UL(1) << 10)
#define PTE_nG (UL(1) << 11)
#define PTE_PXN (UL(1) << 53)
#define PTE_UXN (UL(1) << 54)
#define PTE_ADDR_MASK UL(0x0000fffffffff000)

/* --- PSCI 0.2+ function IDs (SMC Calling Convention, 32-bit IDs) --- */
#define PSCI_SYSTEM_OFF UL(0x84000008)

#endif
