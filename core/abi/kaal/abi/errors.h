/* SPDX-License-Identifier: BSD-2-Clause */
/* seL4 error codes (label of a kernel error reply) and the lookup-failure kinds
 * (docs/abi.md#errors). */
#ifndef KAAL_ABI_ERRORS_H
#define KAAL_ABI_ERRORS_H

#define KAAL_ERROR_TABLE(X) \
    X(NoError, 0)           \
    X(InvalidArgument, 1)   \
    X(InvalidCapability, 2) \
    X(IllegalOperation, 3)  \
    X(RangeError, 4)        \
    X(AlignmentError, 5)    \
    X(FailedLookup, 6)      \
    X(TruncatedMessage, 7)  \
    X(DeleteFirst, 8)       \
    X(RevokeFirst, 9)       \
    X(NotEnoughMemory, 10)

typedef enum {
#define KAAL_ERROR_ENUM(name, num) seL4_##name = (num),
    KAAL_ERROR_TABLE(KAAL_ERROR_ENUM)
#undef KAAL_ERROR_ENUM
        seL4_NumErrors = 11,
} seL4_Error;

#endif
