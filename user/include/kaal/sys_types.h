/* SPDX-License-Identifier: BSD-2-Clause */
/* libkaal: the user-level type names libsel4 programs use, on top of the shared ABI headers. */
#ifndef KAAL_SYS_TYPES_H
#define KAAL_SYS_TYPES_H

#include <kaal/abi/abi.h>

typedef int8_t seL4_Int8;
typedef int16_t seL4_Int16;
typedef int32_t seL4_Int32;
typedef int64_t seL4_Int64;
typedef uint16_t seL4_Uint16;
typedef uint32_t seL4_Uint32;
typedef seL4_Int8 seL4_Bool;
typedef seL4_Uint64 seL4_Time;

/* Capability pointers by the kind of object they name (all plain CPtrs, as in libsel4). */
typedef seL4_CPtr seL4_CNode;
typedef seL4_CPtr seL4_IRQHandler;
typedef seL4_CPtr seL4_IRQControl;
typedef seL4_CPtr seL4_TCB;
typedef seL4_CPtr seL4_Untyped;
typedef seL4_CPtr seL4_DomainSet;
typedef seL4_CPtr seL4_ARM_VSpace;
typedef seL4_CPtr seL4_ARM_PageTable;
typedef seL4_CPtr seL4_ARM_Page;
typedef seL4_CPtr seL4_ARM_ASIDControl;
typedef seL4_CPtr seL4_ARM_ASIDPool;
typedef seL4_CPtr seL4_ARM_SMC;
typedef seL4_CPtr seL4_ARM_PageDirectory; /* older libsel4 spelling */
#ifdef CONFIG_KERNEL_MCS
typedef seL4_CPtr seL4_SchedContext;
typedef seL4_CPtr seL4_SchedControl;
typedef seL4_CPtr seL4_Reply;
#endif

/* VM attributes of Page_Map / PageTable_Map (docs/abi.md#invocation-semantics; the values are in
 * constants.h). */
typedef seL4_Word seL4_ARM_VMAttributes;

/* The SMC call context (ARM_SMC_Call): x0..x7. */
typedef struct seL4_ARM_SMCContext_ {
    seL4_Word x0, x1, x2, x3, x4, x5, x6, x7;
} seL4_ARM_SMCContext;

/* The rights constants, as libsel4 defines them: seL4_CapRights_t values, so that
 * seL4_CNode_Copy(..., seL4_AllRights) reads as it does against libsel4. The ABI tables
 * (constants.h, shared with the kernel) spell them as plain words; those stay available as
 * KAAL_RIGHTS_WORD_*. */
static inline seL4_CapRights_t kaal_rights(seL4_Word word)
{
    seL4_CapRights_t r = {{word & 0xfu}};
    return r;
}
#define KAAL_RIGHTS_WORD_ALL 0xful
#undef seL4_CanWrite
#undef seL4_CanRead
#undef seL4_CanGrant
#undef seL4_CanGrantReply
#undef seL4_NoRights
#undef seL4_ReadWrite
#undef seL4_AllRights
#undef seL4_NoWrite
#undef seL4_NoRead
#define seL4_CanWrite kaal_rights(0x1u)
#define seL4_CanRead kaal_rights(0x2u)
#define seL4_CanGrant kaal_rights(0x4u)
#define seL4_CanGrantReply kaal_rights(0x8u)
#define seL4_NoRights kaal_rights(0x0u)
#define seL4_ReadWrite kaal_rights(0x3u)
#define seL4_AllRights kaal_rights(0xfu)
#define seL4_NoWrite kaal_rights(0xeu)
#define seL4_NoRead kaal_rights(0xdu)

#endif
