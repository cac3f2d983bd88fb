/* SPDX-License-Identifier: BSD-2-Clause */
/* The conformance harness: runs every registered case with a fresh environment and prints
 *   ok 12 cnode/copy_badged_child
 *   not ok 13 cnode/... # cases_cnode.c:88: err == seL4_NoError: got 0x6, want 0x0
 *   ok 14 vspace/touch_rw # SKIP reason
 * and, alone on the last line, "N passed, N failed" (skipped cases count as passed). */
#include "harness.h"

/* The registration table: one entry per area file. Add new areas here. */
#ifdef CONFIG_KERNEL_MCS
/* MCS: every area of the base configuration (ipc, fault and switch answer through reply objects:
 * the conf_recv... calls of harness.h), then the MCS one. */
static const struct conf_area *const areas[] = {
    &conf_area_bootinfo, &conf_area_cnode, &conf_area_cspace, &conf_area_untyped, &conf_area_vspace,
    &conf_area_syscall,  &conf_area_tcb,   &conf_area_ipc,    &conf_area_fault,   &conf_area_sched,
    &conf_area_ntfn,     &conf_area_irq,   &conf_area_domain, &conf_area_switch,  &conf_area_mcs,
};
#else
static const struct conf_area *const areas[] = {
    &conf_area_bootinfo, &conf_area_cnode, &conf_area_cspace, &conf_area_untyped, &conf_area_vspace,
    &conf_area_syscall,  &conf_area_tcb,   &conf_area_ipc,    &conf_area_fault,   &conf_area_sched,
    &conf_area_ntfn,     &conf_area_irq,   &conf_area_domain, &conf_area_switch,
};
#endif

static struct {
    int failed, skipped;
    const char *file, *what, *skip_reason;
    int line, has_values;
    seL4_Word got, want;
} result;

void conf_fail(const char *file, int line, const char *what, seL4_Word got, seL4_Word want,
               int has_values)
{
    if (result.failed || result.skipped) {
        return; /* keep the first reason; a skipped case stays skipped */
    }
    result.failed = 1;
    result.file = file, result.line = line, result.what = what;
    result.got = got, result.want = want, result.has_values = has_values;
}

void conf_skip(const char *reason)
{
    result.skipped = 1;
    result.skip_reason = reason;
}

/* A skipped case counts as failed here, so that helpers stop and the case returns at its next
 * check (it is still reported as skipped). */
int conf_failed(void) { return result.failed || result.skipped; }

static const char *basename_of(const char *path)
{
    const char *b = path;
    for (const char *p = path; *p; p++) {
        if (*p == '/') {
            b = p + 1;
        }
    }
    return b;
}

/* --- helpers --- */

seL4_CPtr conf_slot(struct conf_env *env)
{
    seL4_CPtr s = kaal_slots_alloc(&env->slots);
    if (s == seL4_CapNull) {
        conf_fail(__FILE__, __LINE__, "conf_slot: out of slots", 0, 0, 0);
    }
    return s;
}

seL4_CPtr conf_alloc(struct conf_env *env, seL4_Word type, seL4_Word size_bits)
{
    seL4_CPtr cap = seL4_CapNull;
    seL4_Error err = kaal_untyped_alloc(&env->pool, type, size_bits, &cap);
    if (err != seL4_NoError) {
        conf_fail(__FILE__, __LINE__, "conf_alloc: retype from the case untyped", (seL4_Word)err, 0,
                  1);
        return seL4_CapNull;
    }
    return cap;
}

seL4_CPtr conf_reply_object(struct conf_env *env)
{
#ifdef CONFIG_KERNEL_MCS
    return conf_alloc(env, seL4_ReplyObject, 0);
#else
    (void)env;
    return 0;
#endif
}

seL4_CPtr conf_untyped(struct conf_env *env, unsigned bits)
{
    return conf_alloc(env, seL4_UntypedObject, bits);
}

seL4_CPtr conf_vspace(struct conf_env *env)
{
    seL4_CPtr vs = conf_alloc(env, seL4_ARM_VSpaceObject, 0);
    if (vs != seL4_CapNull) {
        seL4_Error err = sys_arm_asid_pool_assign(seL4_CapInitThreadASIDPool, vs);
        if (err != seL4_NoError) {
            conf_fail(__FILE__, __LINE__, "conf_vspace: ASIDPool_Assign", (seL4_Word)err, 0, 1);
        }
    }
    return vs;
}

seL4_CPtr conf_copy(struct conf_env *env, seL4_CPtr src, seL4_CapRights_t rights)
{
    seL4_CPtr dst = conf_slot(env);
    seL4_Error err = sys_cnode_copy(seL4_CapInitThreadCNode, dst, seL4_WordBits,
                                    seL4_CapInitThreadCNode, src, seL4_WordBits, rights);
    if (err != seL4_NoError) {
        conf_fail(__FILE__, __LINE__, "conf_copy: CNode_Copy", (seL4_Word)err, 0, 1);
    }
    return dst;
}

seL4_Word conf_raw_call(seL4_CPtr cap, seL4_Word label, seL4_Word length, seL4_Word extra_caps,
                        const seL4_Word *mrs)
{
    seL4_Word mr[4] = {0, 0, 0, 0};
    for (seL4_Word i = 0; i < length; i++) {
        if (i < 4) {
            mr[i] = mrs[i];
        } else {
            sys_set_mr((int)i, mrs[i]);
        }
    }
    seL4_MessageInfo_t info = sys_call_with_mrs(
        cap, seL4_MessageInfo_new(label, 0, extra_caps, length), &mr[0], &mr[1], &mr[2], &mr[3]);
    for (int i = 0; i < 4; i++) {
        sys_set_mr(i, mr[i]);
    }
    return seL4_MessageInfo_get_label(info);
}

/* --- the run --- */

static void print_result(unsigned n, const char *area, const char *name)
{
    kaal_puts(result.failed ? "not ok " : "ok ");
    kaal_put_dec(n);
    kaal_putc(' ');
    kaal_puts(area);
    kaal_putc('/');
    kaal_puts(name);
    if (result.failed) {
        kaal_puts(" # ");
        kaal_puts(basename_of(result.file));
        kaal_putc(':');
        kaal_put_dec((seL4_Word)result.line);
        kaal_puts(": ");
        kaal_puts(result.what);
        if (result.has_values) {
            kaal_puts(": got ");
            kaal_put_hex(result.got);
            kaal_puts(", want ");
            kaal_put_hex(result.want);
        }
    } else if (result.skipped) {
        kaal_puts(" # SKIP ");
        kaal_puts(result.skip_reason);
    }
    kaal_putc('\n');
}

/* Undo a case: delete every slot it was given (their caps, and so what they keep alive), then
 * revoke its untyped (every object made from it). Returns 0 when the slots are empty again. */
static int teardown(struct conf_env *env, seL4_CPtr first)
{
    int clean = 1;
    /* What a case may have changed about the root thread itself. */
    (void)sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255);
    (void)sys_tcb_set_flags(seL4_CapInitThreadTCB, seL4_TCBFlag_fpuDisabled, 0);
    for (seL4_CPtr s = first; s < env->slots.next; s++) {
        (void)sys_cnode_delete(seL4_CapInitThreadCNode, s, seL4_WordBits);
    }
    if (sys_cnode_revoke(seL4_CapInitThreadCNode, env->untyped, seL4_WordBits) != seL4_NoError) {
        clean = 0;
    }
    for (seL4_CPtr s = first; s < env->slots.next; s++) {
        if (conf_tag(s) != KAAL_CAP_TAG_NULL) {
            clean = 0;
        }
    }
    return clean;
}

unsigned conf_run_all(const seL4_BootInfo *bi)
{
    unsigned total = 0, passed = 0, failed = 0, skipped = 0;
    for (unsigned a = 0; a < sizeof(areas) / sizeof(areas[0]); a++) {
        total += areas[a]->count;
    }
    kaal_puts("conformance: KaaL conformance suite, ");
    kaal_put_dec(total);
    kaal_puts(" cases\n1..");
    kaal_put_dec(total);
    kaal_putc('\n');

    /* The harness's own untyped: each case gets it, empty (revoked), as its memory. */
    struct kaal_slots root_slots;
    kaal_slots_init_bootinfo(&root_slots, bi);
    seL4_CPtr case_ut = kaal_slots_alloc(&root_slots);
    seL4_CPtr big = kaal_bootinfo_find_untyped_at_least(bi, CONF_CASE_UNTYPED_BITS, 0);
    if (case_ut == seL4_CapNull || big == seL4_CapNull ||
        sys_untyped_retype(big, seL4_UntypedObject, CONF_CASE_UNTYPED_BITS, seL4_CapInitThreadCNode,
                           0, 0, case_ut, 1) != seL4_NoError) {
        kaal_puts("conformance: cannot set up the case untyped (no RAM untyped of 4 MiB?)\n");
        kaal_puts("0 passed, 1 failed\n");
        return 1;
    }

    unsigned n = 0;
    for (unsigned a = 0; a < sizeof(areas) / sizeof(areas[0]); a++) {
        const struct conf_area *area = areas[a];
        for (unsigned c = 0; c < area->count; c++) {
            struct conf_env env;
            env.bi = bi;
            env.untyped = case_ut;
            env.user_mode = kaal_root_user_mode();
            env.threads = 0;
            kaal_slots_init(&env.slots, seL4_CapInitThreadCNode, seL4_WordBits, root_slots.next,
                            root_slots.end);
            kaal_untyped_init(&env.pool, &env.slots);
            kaal_untyped_add(&env.pool, case_ut, CONF_CASE_UNTYPED_BITS);
            result.failed = result.skipped = 0;
            area->cases[c].run(&env);
            if (!teardown(&env, root_slots.next) && !result.failed) {
                conf_fail(__FILE__, __LINE__, "teardown: the case's slots are not empty afterwards",
                          0, 0, 0);
            }
            print_result(++n, area->name, area->cases[c].name);
            if (result.failed) {
                failed++;
            } else {
                passed++;
                skipped += result.skipped ? 1u : 0u;
            }
        }
    }
    if (skipped) {
        kaal_puts("conformance: ");
        kaal_put_dec(skipped);
        kaal_puts(" of the passed cases were skipped\n");
    }
    kaal_put_dec(passed);
    kaal_puts(" passed, ");
    kaal_put_dec(failed);
    kaal_puts(" failed\n");
    return failed;
}

int kaal_root_main(const seL4_BootInfo *bi) { return conf_run_all(bi) == 0 ? 0 : 1; }
