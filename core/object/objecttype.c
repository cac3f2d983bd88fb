/* SPDX-License-Identifier: BSD-2-Clause */
/* Object sizes, creation and finalisation (placeholder while the module is written; replaced in this issue). */
#include <kaal/objects.h>
