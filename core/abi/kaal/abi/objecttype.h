/* SPDX-License-Identifier: BSD-2-Clause */
/* Object types for Untyped_Retype MR0 and their sizes (docs/abi.md#object-types). X(name, number,
 * size_bits or -1). */
#ifndef KAAL_ABI_OBJECTTYPE_H
#define KAAL_ABI_OBJECTTYPE_H

#include "constants.h"

/* size_bits -1: size given by the retype size_bits argument (Untyped, CapTable). */
#define KAAL_OBJECT_TYPE_TABLE(X)                        \
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

typedef enum {
#define KAAL_OBJECT_TYPE_ENUM(name, num, bits) name = (num),
    KAAL_OBJECT_TYPE_TABLE(KAAL_OBJECT_TYPE_ENUM)
#undef KAAL_OBJECT_TYPE_ENUM
        seL4_ObjectTypeCount = 10,
    seL4_NonArchObjectTypeCount = 5,
    seL4_ARM_VCPUObject = 0xfffe,
    seL4_ARM_IOPageTableObject = 0xffff,
} seL4_ObjectType;

#define seL4_ARM_PageDirectoryObject seL4_ARM_PageTableObject

#endif
