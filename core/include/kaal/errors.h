/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel's two error layers (docs/internals.md#rules-the-code-keeps): an internal result enum,
 * and the user-visible seL4 error with its extra words, filled by one helper per kind into an
 * explicit context. */
#ifndef KAAL_ERRORS_H
#define KAAL_ERRORS_H

#include <kaal/types.h>
#include <kaal/abi/abi.h>

typedef enum {
    EXCEPTION_NONE = 0,      /* success */
    EXCEPTION_SYSCALL_ERROR, /* a bad argument: the caller gets an seL4 error reply */
    EXCEPTION_LOOKUP_FAULT,  /* a cap lookup failed: details in the lookup_fault */
    EXCEPTION_FAULT,         /* the thread must take a fault (delivered to its handler) */
    EXCEPTION_PREEMPTED,     /* an interrupt is pending: the system call restarts later */
} exception_t;

/* Why a capability lookup failed (seL4_InvalidRoot ... seL4_GuardMismatch). */
struct lookup_fault {
    word_t
        type; /* seL4_InvalidRoot, seL4_MissingCapability, seL4_DepthMismatch, seL4_GuardMismatch */
    word_t bits_left;   /* MissingCapability, DepthMismatch, GuardMismatch */
    word_t bits_found;  /* DepthMismatch, GuardMismatch */
    word_t guard_found; /* GuardMismatch */
};

/* A user-visible error and its extra words (docs/abi.md#errors). */
struct syscall_error {
    word_t type;               /* seL4_Error */
    word_t invalid_argument;   /* InvalidArgument: MR0 */
    word_t invalid_capability; /* InvalidCapability: MR0 */
    word_t range_min, range_max;
    word_t failed_lookup_source; /* FailedLookup: MR0 */
    struct lookup_fault lookup;  /* FailedLookup: MR1.. */
    word_t memory_left;          /* NotEnoughMemory: MR0 */
};

/* Encode an error as the reply words. Returns the reply length (number of MRs). */
word_t syscall_error_words(const struct syscall_error *err, word_t mrs[5]);

/* Encode a lookup fault's words (type, bitsLeft, ...) starting at mrs[0]; returns how many. */
word_t lookup_fault_words(const struct lookup_fault *lf, word_t mrs[4]);

#endif
