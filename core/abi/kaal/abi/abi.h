/* SPDX-License-Identifier: BSD-2-Clause */
/* The whole KaaL/seL4 AArch64 ABI in one include, for kernel and user library alike. */
#ifndef KAAL_ABI_ABI_H
#define KAAL_ABI_ABI_H

#include "cap_tags.h"
#include "constants.h"
#include "errors.h"
#include "objecttype.h"
#include "structs.h"
#include "syscalls.h"
#include <kaal/abi/invocation_gen.h>
#include <kaal/abi/shared_types_gen.h>

#endif
