/* SPDX-License-Identifier: BSD-2-Clause */
/* The AArch64 stage-1 translation descriptor format (4 KiB granule, 48-bit VA; Arm ARM D8.3) that
 * both ports use: the bits of table, block and page entries, the table geometry and the MAIR
 * attribute indices. One definition for the shared codec (<hal_common/pte_codec.h>), the aarch64
 * kernel's and loader's own tables and the hostsim shadow MMU's walk. Usable from C and assembly.
 * Core never sees these bits: it goes through <hal/mmu.h>. */
#ifndef HAL_COMMON_PTE_BITS_H
#define HAL_COMMON_PTE_BITS_H

#ifndef UL
#ifdef __ASSEMBLER__
#define UL(x) x
#else
#define UL(x) x##ul
#endif
#endif

/* --- Geometry: L0 512 GiB, L1 1 GiB, L2 2 MiB, L3 4 KiB per entry --- */
#define PT_ENTRIES 512
#define PT_L0_SHIFT 39
#define PT_L1_SHIFT 30
#define PT_L2_SHIFT 21
#define PT_L3_SHIFT 12

/* --- Descriptor type, bits 1:0 --- */
#define PTE_VALID (UL(1) << 0)
#define PTE_TYPE_MASK UL(3)
#define PTE_TABLE (UL(3) << 0) /* table descriptor (L0-L2) */
#define PTE_BLOCK (UL(1) << 0) /* block descriptor (L1, L2) */
#define PTE_PAGE (UL(3) << 0)  /* page descriptor (L3) */

/* --- Lower attributes of block and page descriptors --- */
#define PTE_ATTR(idx) ((UL(idx) & 7) << 2) /* AttrIndx: a MAIR_EL1 index (MT_* below) */
#define PTE_ATTR_MASK (UL(7) << 2)
#define PTE_AP_MASK (UL(3) << 6)
#define PTE_AP_EL1_RW (UL(0) << 6) /* AP[2:1] = 00: EL1 read-write, no EL0 access */
#define PTE_AP_EL0_RW (UL(1) << 6) /* AP[2:1] = 01: EL1 and EL0 read-write */
#define PTE_AP_EL0_RO (UL(3) << 6) /* AP[2:1] = 11: EL1 and EL0 read-only */
#define PTE_SH_INNER (UL(3) << 8)
#define PTE_AF (UL(1) << 10)
#define PTE_nG (UL(1) << 11)

/* --- Upper attributes --- */
#define PTE_PXN (UL(1) << 53)
#define PTE_UXN (UL(1) << 54)

/* Output address (next table, block or page), bits 47:12. */
#define PTE_ADDR_MASK UL(0x0000fffffffff000)

/* --- MAIR_EL1 attribute indices, as seL4 programs MAIR_EL1 (docs/abi.md#loader-mmu-state; the
 * aarch64 port's MAIR_EL1_VALUE, hal_port/machine.h, holds the memory type of each) --- */
#define MT_DEVICE_nGnRnE 0
#define MT_DEVICE_nGnRE 1
#define MT_DEVICE_GRE 2
#define MT_NORMAL_NC 3
#define MT_NORMAL 4 /* write-back, read/write-allocate */
#define MT_NORMAL_WT 5

#endif
