/* SPDX-License-Identifier: BSD-2-Clause */
/* The conformance suite's in-image harness (no libc): cases, areas, checks, and the environment
 * each case gets. See docs/conformance.md. */
#ifndef KAAL_CONFORMANCE_HARNESS_H
#define KAAL_CONFORMANCE_HARNESS_H

#include <kaal/alloc.h>
#include <kaal/bootinfo.h>
#include <kaal/print.h>
#include <kaal/start.h>
#include <kaal/sys.h>

/* Cap type tags DebugCapIdentify returns (ABI sheet §13.3). */
enum conf_cap_tag {
    TAG_NULL = 0, TAG_FRAME = 1, TAG_UNTYPED = 2, TAG_PAGE_TABLE = 3, TAG_ENDPOINT = 4,
    TAG_NOTIFICATION = 6, TAG_REPLY = 8, TAG_VSPACE = 9, TAG_CNODE = 10, TAG_ASID_CONTROL = 11,
    TAG_THREAD = 12, TAG_ASID_POOL = 13, TAG_IRQ_CONTROL = 14, TAG_IRQ_HANDLER = 16, TAG_ZOMBIE = 18,
    TAG_DOMAIN = 20,
};

/* What a case gets. Everything it allocates through conf_slot()/conf_alloc() is undone after it:
 * its slots are deleted and its untyped is revoked, so the next case starts from the same state. */
struct conf_env {
    const seL4_BootInfo *bi;
    struct kaal_slots slots;        /* the case's slots, in the root CNode */
    struct kaal_untyped_pool pool;  /* the case's memory: one untyped of CONF_CASE_UNTYPED_BITS */
    seL4_CPtr untyped;              /* that untyped */
    int user_mode;                  /* kaal_root_user_mode(): can the case touch what it maps? */
};
#define CONF_CASE_UNTYPED_BITS 22 /* 4 MiB: room for a full ASID pool of VSpaces */

struct conf_case {
    const char *name;
    void (*run)(struct conf_env *env);
};
struct conf_area {
    const char *name;
    const struct conf_case *cases;
    unsigned count;
};
#define CONF_CASE(fn) {#fn, case_##fn}
#define CONF_AREA(name, table) {name, table, sizeof(table) / sizeof(table[0])}

/* --- Results. A check that fails records the first reason and returns from the function it is
 * in (a case, or a helper: the case then goes on, but it is already failed). --- */
void conf_fail(const char *file, int line, const char *what, seL4_Word got, seL4_Word want, int has_values);
void conf_skip(const char *reason);
int conf_failed(void);

#define CONF_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            conf_fail(__FILE__, __LINE__, #cond, 0, 0, 0);                                         \
            return;                                                                                \
        }                                                                                          \
    } while (0)
#define CONF_EQ(got, want)                                                                         \
    do {                                                                                           \
        seL4_Word conf_g_ = (seL4_Word)(got), conf_w_ = (seL4_Word)(want);                         \
        if (conf_g_ != conf_w_) {                                                                  \
            conf_fail(__FILE__, __LINE__, #got " == " #want, conf_g_, conf_w_, 1);                 \
            return;                                                                                \
        }                                                                                          \
    } while (0)
/* An invocation's seL4_Error. */
#define CONF_OK(call) CONF_EQ((call), seL4_NoError)
#define CONF_ERR(call, err) CONF_EQ((call), (err))
/* Skip the rest of the case (reported as "ok N name # SKIP reason"). */
#define CONF_SKIP(reason)                                                                          \
    do {                                                                                           \
        conf_skip(reason);                                                                         \
        return;                                                                                    \
    } while (0)
#define CONF_REQUIRE_USER_MODE(env)                                                                \
    do {                                                                                           \
        if (!(env)->user_mode)                                                                     \
            CONF_SKIP("needs user mode (memory access): root task runs through the hostsim shim"); \
    } while (0)

/* --- Helpers for cases --- */
/* A new empty slot of the root CNode (fails the case when none is left). */
seL4_CPtr conf_slot(struct conf_env *env);
/* A new object from the case's memory; seL4_CapNull (and the case failed) if it cannot be made. */
seL4_CPtr conf_alloc(struct conf_env *env, seL4_Word type, seL4_Word size_bits);
/* A new untyped of 2^bits bytes with no children (from the case's memory). */
seL4_CPtr conf_untyped(struct conf_env *env, unsigned bits);
/* A new VSpace with an ASID from the initial pool. */
seL4_CPtr conf_vspace(struct conf_env *env);
/* DebugCapIdentify. */
static inline seL4_Word conf_tag(seL4_CPtr cptr) { return sys_debug_cap_identify(cptr); }
/* Copy a cap within the root CNode (all rights); returns the new slot. */
seL4_CPtr conf_copy(struct conf_env *env, seL4_CPtr src, seL4_CapRights_t rights);
/* A raw Call: label, length and extra caps as given, MR0..MR(n-1) from mrs. Returns the reply
 * label; the reply's MRs are readable with seL4_GetMR. */
seL4_Word conf_raw_call(seL4_CPtr cap, seL4_Word label, seL4_Word length, seL4_Word extra_caps, const seL4_Word *mrs);

/* --- Areas (one file each: cases_<area>.c) --- */
extern const struct conf_area conf_area_bootinfo, conf_area_cnode, conf_area_cspace, conf_area_untyped,
    conf_area_vspace;

/* Run every case of every area; prints one line per case and the summary. Returns the number of
 * failed cases. */
unsigned conf_run_all(const seL4_BootInfo *bi);

#endif
