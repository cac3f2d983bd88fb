/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel invariant checker (placeholder while the module is written; replaced in this issue). */
#include <kaal/kernel.h>
