/* SPDX-License-Identifier: BSD-2-Clause */
/* Object types for Untyped_Retype MR0 and their sizes (docs/abi.md#object-types). X(name, number,
 * size_bits or -1). */
#ifndef KAAL_ABI_OBJECTTYPE_H
#define KAAL_ABI_OBJECTTYPE_H

#include "constants.h"

/* size_bits -1: size given by the retype size_bits argument (Untyped, CapTable, SchedContext). The
 * base table is seL4's non-MCS numbering; the MCS table inserts SchedContext and Reply at 5 and 6
 * and shifts the AArch64 types after them. KAAL_OBJECT_TYPE_TABLE is this build's. */
#define KAAL_OBJECT_TYPE_TABLE_BASE(X)                   \
    X(seL4_UntypedObject, 0, -1)                         \
    X(seL4_TCBObject, 1, seL4_TCBBits)                   \
    X(seL4_EndpointObject, 2, seL4_EndpointBits)         \
    X(seL4_NotificationObject, 3, seL4_NotificationBits) \
    X(seL4_CapTableObject, 4, -1)                        \
    X(seL4_ARM_HugePageObject, 5, seL4_HugePageBits)     \
    X(seL4_ARM_VSpaceObject, 6, seL4_VSpaceBits)         \
    X(seL4_ARM_SmallPageObject, 7, seL4_PageBits)        \
    X(seL4_ARM_LargePageObject, 8, seL4_LargePageBits)   \
    X(seL4_ARM_PageTableObject, 9, seL4_PageTableBits)

#define KAAL_OBJECT_TYPE_TABLE_MCS(X)                    \
    X(seL4_UntypedObject, 0, -1)                         \
    X(seL4_TCBObject, 1, seL4_TCBBits)                   \
    X(seL4_EndpointObject, 2, seL4_EndpointBits)         \
    X(seL4_NotificationObject, 3, seL4_NotificationBits) \
    X(seL4_CapTableObject, 4, -1)                        \
    X(seL4_SchedContextObject, 5, -1)                    \
    X(seL4_ReplyObject, 6, seL4_ReplyBits)               \
    X(seL4_ARM_HugePageObject, 7, seL4_HugePageBits)     \
    X(seL4_ARM_VSpaceObject, 8, seL4_VSpaceBits)         \
    X(seL4_ARM_SmallPageObject, 9, seL4_PageBits)        \
    X(seL4_ARM_LargePageObject, 10, seL4_LargePageBits)  \
    X(seL4_ARM_PageTableObject, 11, seL4_PageTableBits)

#ifdef CONFIG_KERNEL_MCS
#define KAAL_OBJECT_TYPE_TABLE(X) KAAL_OBJECT_TYPE_TABLE_MCS(X)
#define KAAL_NON_ARCH_OBJECT_TYPE_COUNT 7
#else
#define KAAL_OBJECT_TYPE_TABLE(X) KAAL_OBJECT_TYPE_TABLE_BASE(X)
#define KAAL_NON_ARCH_OBJECT_TYPE_COUNT 5
#endif

typedef enum {
#define KAAL_OBJECT_TYPE_ENUM(name, num, bits) name = (num),
    KAAL_OBJECT_TYPE_TABLE(KAAL_OBJECT_TYPE_ENUM)
#undef KAAL_OBJECT_TYPE_ENUM
        seL4_ObjectTypeCount = KAAL_NON_ARCH_OBJECT_TYPE_COUNT + 5,
    seL4_NonArchObjectTypeCount = KAAL_NON_ARCH_OBJECT_TYPE_COUNT,
    seL4_ARM_VCPUObject = 0xfffe,
    seL4_ARM_IOPageTableObject = 0xffff,
} seL4_ObjectType;

#define seL4_ARM_PageDirectoryObject seL4_ARM_PageTableObject

#endif
