/* SPDX-License-Identifier: BSD-2-Clause */
/* KaaL ABI constants: the numbers seL4's AArch64 libsel4 compiles in (docs/abi.md#message-info,
 * #object-types, #configuration). */
#ifndef KAAL_ABI_CONSTANTS_H
#define KAAL_ABI_CONSTANTS_H

#include <kaal/gen_config.h>

#define seL4_WordBits 64
#define seL4_WordSizeBits 3
#define seL4_PageBits 12
#define seL4_LargePageBits 21
#define seL4_HugePageBits 30
#define seL4_SlotBits 5
#define seL4_TCBBits 11
#define seL4_EndpointBits 4
#ifdef CONFIG_KERNEL_MCS
#define seL4_NotificationBits 6
#else
#define seL4_NotificationBits 5
#endif
#define seL4_PageTableBits 12
#define seL4_PageTableEntryBits 3
#define seL4_PageTableIndexBits 9
#define seL4_VSpaceBits 12
#define seL4_VSpaceEntryBits 3
#define seL4_VSpaceIndexBits 9
#define seL4_ASIDPoolBits 12
#define seL4_ASIDPoolIndexBits 9
#define seL4_NumASIDPoolsBits 7
#define seL4_IOPageTableBits 12
#define seL4_VCPUBits 12
#define seL4_ARM_VCPUBits 12
#define seL4_MinUntypedBits 4
#define seL4_MaxUntypedBits 47
#define seL4_BootInfoFrameBits 12
#define seL4_BootInfoFrameSize (1ul << seL4_BootInfoFrameBits)
#define seL4_IPCBufferSizeBits 10

#ifdef CONFIG_KERNEL_MCS
/* MCS objects: scheduling contexts (a header and the refill array) and reply objects
 * (docs/mcs.md). */
#define seL4_ReplyBits 5
#define seL4_MinSchedContextBits 7
#define seL4_CoreSchedContextBytes 128
#define seL4_RefillSizeBytes 16
#define seL4_SchedContext_NoFlag 0x0ul
#define seL4_SchedContext_Sporadic 0x1ul
#endif

#define seL4_MsgLengthBits 7
#define seL4_MsgExtraCapBits 2
#define seL4_MsgMaxLength 120
#define seL4_MsgMaxExtraCaps 3
#define seL4_FastMessageRegisters 4
#define seL4_GuardSizeBits 6
#define seL4_GuardBits 58
#define seL4_BadgeBits 64
#define seL4_CapRightsBits 4
#define seL4_NilData 0ul

#define seL4_MinPrio 0
#define seL4_MaxPrio 255
#define seL4_InvalidPrio (-1)

#define seL4_UserTop 0x00007ffffffffffful

/* Bits left reported by mapping failures (FailedLookup MR2): which table level is missing. */
#define SEL4_MAPPING_LOOKUP_LEVEL 2
#define SEL4_MAPPING_LOOKUP_NO_PT 21
#define SEL4_MAPPING_LOOKUP_NO_PD 30
#define SEL4_MAPPING_LOOKUP_NO_PUD 39

/* VM attributes (Page_Map MR2) and cache types. */
#define seL4_ARM_PageCacheable 0x1ul
#define seL4_ARM_ParityEnabled 0x2ul
#define seL4_ARM_Default_VMAttributes 0x3ul
#define seL4_ARM_ExecuteNever 0x4ul
#define seL4_ARM_CacheI 1
#define seL4_ARM_CacheD 2
#define seL4_ARM_CacheID 3

/* TCB flags (TCB_SetFlags). */
#define seL4_TCBFlag_NoFlag 0x0ul
#define seL4_TCBFlag_fpuDisabled 0x1ul
#define seL4_TCBFlag_MASK 0x1ul

/* Cap rights words (seL4_CapRights_t). */
#define seL4_CanWrite 0x1ul
#define seL4_CanRead 0x2ul
#define seL4_CanGrant 0x4ul
#define seL4_CanGrantReply 0x8ul
#define seL4_NoRights 0x0ul
#define seL4_ReadWrite 0x3ul
#define seL4_AllRights 0xful
#define seL4_NoWrite 0xeul
#define seL4_NoRead 0xdul

/* Lookup failure types (fault MR and FailedLookup MR1). */
#define seL4_NoFailure 0
#define seL4_InvalidRoot 1
#define seL4_MissingCapability 2
#define seL4_DepthMismatch 3
#define seL4_GuardMismatch 4

/* Fault types (label of a fault message) on AArch64 (docs/abi.md#faults); MCS adds Timeout at 5
 * and moves VMFault to 6. */
#define seL4_Fault_NullFault 0
#define seL4_Fault_CapFault 1
#define seL4_Fault_UnknownSyscall 2
#define seL4_Fault_UserException 3
#define seL4_Fault_DebugException 4
#ifdef CONFIG_KERNEL_MCS
#define seL4_Fault_Timeout 5
#define seL4_Fault_VMFault 6
#else
#define seL4_Fault_VMFault 5
#endif
#define seL4_InstructionFault 1
#define seL4_DataFault 0

/* Fault message lengths and word indices (docs/abi.md#faults). */
#define seL4_CapFault_IP 0
#define seL4_CapFault_Addr 1
#define seL4_CapFault_InRecvPhase 2
#define seL4_CapFault_LookupFailureType 3
#define seL4_CapFault_BitsLeft 4
#define seL4_CapFault_DepthMismatch_BitsFound 5
#define seL4_CapFault_GuardMismatch_GuardFound 5
#define seL4_CapFault_GuardMismatch_BitsFound 6
#define seL4_UnknownSyscall_Length 13
#define seL4_UnknownSyscall_FaultIP 8
#define seL4_UnknownSyscall_SP 9
#define seL4_UnknownSyscall_LR 10
#define seL4_UnknownSyscall_SPSR 11
#define seL4_UnknownSyscall_Syscall 12
#define seL4_UserException_Length 5
#define seL4_UserException_FaultIP 0
#define seL4_UserException_SP 1
#define seL4_UserException_SPSR 2
#define seL4_UserException_Number 3
#define seL4_UserException_Code 4
#define seL4_VMFault_Length 4
#define seL4_VMFault_IP 0
#define seL4_VMFault_Addr 1
#define seL4_VMFault_PrefetchFault 2
#define seL4_VMFault_FSR 3
#ifdef CONFIG_KERNEL_MCS
#define seL4_Timeout_Length 2
#define seL4_Timeout_Data 0
#define seL4_Timeout_Consumed 1
#endif

/* Extra bootinfo chunk ids (docs/abi.md#extra-bootinfo). */
#define SEL4_BOOTINFO_HEADER_PADDING 0
#define SEL4_BOOTINFO_HEADER_X86_VBE 1
#define SEL4_BOOTINFO_HEADER_X86_MBMMAP 2
#define SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP 3
#define SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER 4
#define SEL4_BOOTINFO_HEADER_X86_TSC_FREQ 5
#define SEL4_BOOTINFO_HEADER_FDT 6
#define SEL4_BOOTINFO_HEADER_NUM 7

/* Root task ASID and user-visible device PA top (docs/abi.md#address-space, #configuration). */
#define KAAL_IT_ASID 1
#define KAAL_PADDR_USER_DEVICE_TOP (1ull << 40)

#endif
