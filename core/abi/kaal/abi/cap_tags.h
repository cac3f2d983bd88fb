/* SPDX-License-Identifier: BSD-2-Clause */
/* Capability type tags: the number seL4_DebugCapIdentify returns for the cap a slot holds (seL4's
 * AArch64 tags, so a tool written for seL4 reads the same numbers). The kernel's capability words
 * carry the same tags (core/include/structures.bf names these constants). X(NAME, name, tag): name
 * is the kernel's word for the type (structures.bf's variant is name##_cap). */
#ifndef KAAL_ABI_CAP_TAGS_H
#define KAAL_ABI_CAP_TAGS_H

#include <kaal/gen_config.h>

#define KAAL_CAP_TAG_TABLE(X)         \
    X(NULL, null, 0)                  \
    X(FRAME, frame, 1)                \
    X(UNTYPED, untyped, 2)            \
    X(PAGE_TABLE, page_table, 3)      \
    X(ENDPOINT, endpoint, 4)          \
    X(NOTIFICATION, notification, 6)  \
    X(REPLY, reply, 8)                \
    X(VSPACE, vspace, 9)              \
    X(CNODE, cnode, 10)               \
    X(ASID_CONTROL, asid_control, 11) \
    X(THREAD, thread, 12)             \
    X(ASID_POOL, asid_pool, 13)       \
    X(IRQ_CONTROL, irq_control, 14)   \
    X(IRQ_HANDLER, irq_handler, 16)   \
    X(ZOMBIE, zombie, 18)             \
    X(DOMAIN, domain, 20)             \
    X(SGI_SIGNAL, sgi_signal, 27)     \
    KAAL_CAP_TAG_TABLE_CONFIG(X)

/* Tags only the MCS configuration has (reply, 8, names a reply object there). */
#define KAAL_CAP_TAG_TABLE_MCS(X)       \
    X(SCHED_CONTEXT, sched_context, 22) \
    X(SCHED_CONTROL, sched_control, 24)
#ifdef CONFIG_KERNEL_MCS
#define KAAL_CAP_TAG_TABLE_CONFIG(X) KAAL_CAP_TAG_TABLE_MCS(X)
#else
#define KAAL_CAP_TAG_TABLE_CONFIG(X)
#endif

/* KAAL_CAP_TAG_NULL, KAAL_CAP_TAG_FRAME, ... */
enum kaal_cap_tag {
#define KAAL_CAP_TAG_ENUM(NAME, name, tag) KAAL_CAP_TAG_##NAME = (tag),
    KAAL_CAP_TAG_TABLE(KAAL_CAP_TAG_ENUM)
#undef KAAL_CAP_TAG_ENUM
};

#endif
