/* SPDX-License-Identifier: BSD-2-Clause */
/* Test support: booting fresh kernels and root-thread invocations for Check suites. */
#include "ktest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kaal/invariants.h>

#ifndef KTEST_DATA_DIR
#error "KTEST_DATA_DIR must name tests/data"
#endif

void *ktest_read_data(const char *name, size_t *size)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", KTEST_DATA_DIR, name);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    void *buf = malloc(len > 0 ? (size_t)len : 1);
    ck_assert(buf != NULL);
    ck_assert_uint_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *size = (size_t)len;
    return buf;
}

void ktest_boot(const char *dtb_name)
{
    size_t size;
    void *dtb = ktest_read_data(dtb_name, &size);
    const char *error = NULL;
    hostsim_console_quiet(getenv("KTEST_VERBOSE") == NULL);
    int r = hostsim_boot(dtb, size, &error);
    free(dtb);
    ck_assert_msg(r == 0, "boot from %s failed: %s", dtb_name, error ? error : "?");
}

void ktest_setup(void) { ktest_boot(KTEST_DTB_SMALL); }
void ktest_teardown(void) { hostsim_shutdown(); }

struct ktest_reply ktest_syscall(int64_t sysno, uint64_t cptr, uint64_t info, unsigned n,
                                 const uint64_t *mrs, unsigned ncaps, const uint64_t *caps)
{
    struct ktest_reply r;
    memset(&r, 0, sizeof(r));
    uint64_t regs[8] = {cptr, info, 0, 0, 0, 0, 0, (uint64_t)sysno};
    seL4_IPCBuffer *buf = hostsim_root_ipc_buffer();
    for (unsigned i = 0; i < n; i++) {
        if (i < 4) {
            regs[2 + i] = mrs[i];
        } else if (buf && i < seL4_MsgMaxLength) {
            buf->msg[i] = mrs[i];
        }
    }
    for (unsigned i = 0; i < ncaps && buf && i < seL4_MsgMaxExtraCaps; i++) {
        buf->caps_or_badges[i] = caps[i];
    }
    r.status = hostsim_root_syscall(regs, &r.restarts);
    seL4_MessageInfo_t out = {{regs[1]}};
    r.badge = regs[0];
    r.label = seL4_MessageInfo_get_label(out);
    r.length = seL4_MessageInfo_get_length(out);
    r.extra_caps = seL4_MessageInfo_get_extraCaps(out);
    r.caps_unwrapped = seL4_MessageInfo_get_capsUnwrapped(out);
    for (unsigned i = 0; i < seL4_MsgMaxLength; i++) {
        r.mr[i] = i < 4 ? regs[2 + i] : (buf ? buf->msg[i] : 0);
    }
    return r;
}

struct ktest_reply ktest_call(uint64_t cptr, uint64_t label, unsigned n, const uint64_t *mrs,
                              unsigned ncaps, const uint64_t *caps)
{
    seL4_MessageInfo_t info = seL4_MessageInfo_new(label, 0, ncaps, n);
    return ktest_syscall(seL4_SysCall, cptr, info.words[0], n, mrs, ncaps, caps);
}

#define CALL(cptr, label, caps, ...)                                                              \
    ktest_call((cptr), (label), sizeof((uint64_t[]){__VA_ARGS__}) / 8, (uint64_t[]){__VA_ARGS__}, \
               sizeof(caps) / 8, (caps))

struct ktest_reply ktest_cnode_copy(uint64_t root, uint64_t dest, uint64_t dest_depth,
                                    uint64_t src_root, uint64_t src, uint64_t src_depth,
                                    uint64_t rights)
{
    uint64_t caps[] = {src_root};
    return CALL(root, CNodeCopy, caps, dest, dest_depth, src, src_depth, rights);
}

struct ktest_reply ktest_cnode_mint(uint64_t root, uint64_t dest, uint64_t dest_depth,
                                    uint64_t src_root, uint64_t src, uint64_t src_depth,
                                    uint64_t rights, uint64_t badge)
{
    uint64_t caps[] = {src_root};
    return CALL(root, CNodeMint, caps, dest, dest_depth, src, src_depth, rights, badge);
}

struct ktest_reply ktest_cnode_move(uint64_t root, uint64_t dest, uint64_t dest_depth,
                                    uint64_t src_root, uint64_t src, uint64_t src_depth)
{
    uint64_t caps[] = {src_root};
    return CALL(root, CNodeMove, caps, dest, dest_depth, src, src_depth);
}

struct ktest_reply ktest_cnode_mutate(uint64_t root, uint64_t dest, uint64_t dest_depth,
                                      uint64_t src_root, uint64_t src, uint64_t src_depth,
                                      uint64_t badge)
{
    uint64_t caps[] = {src_root};
    return CALL(root, CNodeMutate, caps, dest, dest_depth, src, src_depth, badge);
}

struct ktest_reply ktest_cnode_rotate(uint64_t root, uint64_t dest, uint64_t dest_depth,
                                      uint64_t dest_badge, uint64_t pivot_root, uint64_t pivot,
                                      uint64_t pivot_depth, uint64_t pivot_badge, uint64_t src_root,
                                      uint64_t src, uint64_t src_depth)
{
    uint64_t caps[] = {pivot_root, src_root};
    return CALL(root, CNodeRotate, caps, dest, dest_depth, dest_badge, pivot, pivot_depth,
                pivot_badge, src, src_depth);
}

static struct ktest_reply slot_op(uint64_t label, uint64_t root, uint64_t index, uint64_t depth)
{
    uint64_t mrs[] = {index, depth};
    return ktest_call(root, label, 2, mrs, 0, NULL);
}

struct ktest_reply ktest_cnode_delete(uint64_t root, uint64_t index, uint64_t depth)
{
    return slot_op(CNodeDelete, root, index, depth);
}

struct ktest_reply ktest_cnode_revoke(uint64_t root, uint64_t index, uint64_t depth)
{
    return slot_op(CNodeRevoke, root, index, depth);
}

#ifndef CONFIG_KERNEL_MCS /* no SaveCaller under MCS */
struct ktest_reply ktest_cnode_save_caller(uint64_t root, uint64_t index, uint64_t depth)
{
    return slot_op(CNodeSaveCaller, root, index, depth);
}
#endif

struct ktest_reply ktest_cnode_cancel_badged_sends(uint64_t root, uint64_t index, uint64_t depth)
{
    return slot_op(CNodeCancelBadgedSends, root, index, depth);
}

struct ktest_reply ktest_retype(uint64_t untyped, uint64_t type, uint64_t size_bits, uint64_t root,
                                uint64_t node_index, uint64_t node_depth, uint64_t node_offset,
                                uint64_t num)
{
    uint64_t caps[] = {root};
    return CALL(untyped, UntypedRetype, caps, type, size_bits, node_index, node_depth, node_offset,
                num);
}

uint64_t ktest_cap_type(uint64_t cptr)
{
    struct ktest_reply r = ktest_syscall(seL4_SysDebugCapIdentify, cptr, 0, 0, NULL, 0, NULL);
    ck_assert_int_eq(r.status, HOSTSIM_OK);
    return r.badge;
}

uint64_t ktest_first_empty(void) { return hostsim_bootinfo()->empty.start; }

void ktest_retype_at(uint64_t type, uint64_t size_bits, uint64_t slot)
{
    ktest_assert_ok(
        ktest_retype(ktest_untyped(16), type, size_bits, seL4_CapInitThreadCNode, 0, 0, slot, 1));
}

void ktest_check_invariants(void)
{
    char why[256];
    ck_assert_msg(kernel_invariants_hold(why, sizeof(why)), "invariants: %s", why);
}

uint64_t ktest_untyped(unsigned min_bits)
{
    seL4_BootInfo *bi = hostsim_bootinfo();
    uint64_t best = 0;
    unsigned best_bits = 64;
    for (uint64_t s = bi->untyped.start; s < bi->untyped.end; s++) {
        const seL4_UntypedDesc *d = &bi->untypedList[s - bi->untyped.start];
        if (!d->isDevice && d->sizeBits >= min_bits && d->sizeBits < best_bits) {
            best = s;
            best_bits = d->sizeBits;
        }
    }
    ck_assert_msg(best != 0, "no untyped of %u bits", min_bits);
    return best;
}

const seL4_UntypedDesc *ktest_untyped_desc(uint64_t cptr)
{
    seL4_BootInfo *bi = hostsim_bootinfo();
    ck_assert(cptr >= bi->untyped.start && cptr < bi->untyped.end);
    return &bi->untypedList[cptr - bi->untyped.start];
}

int ktest_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, getenv("CK_TAP_LOG_FILE_NAME") ? CK_SILENT : CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* A system call as the thread the kernel runs now (its IPC buffer carries MR4.. and the caps). */
struct ktest_reply ktest_syscall_as_current(int64_t sysno, uint64_t cptr, uint64_t label,
                                            unsigned n, const uint64_t *mrs, unsigned ncaps,
                                            const uint64_t *caps)
{
    struct ktest_reply r;
    memset(&r, 0, sizeof(r));
    uint64_t cur = hostsim_current_thread();
    ck_assert_msg(cur != 0, "no thread is current");
    seL4_IPCBuffer *buf = hostsim_thread_ipc_buffer(cur);
    uint64_t regs[8] = {
        cptr, seL4_MessageInfo_new(label, 0, ncaps, n).words[0], 0, 0, 0, 0, 0, (uint64_t)sysno};
    for (unsigned i = 0; i < n; i++) {
        if (i < 4) {
            regs[2 + i] = mrs[i];
        } else if (buf) {
            buf->msg[i] = mrs[i];
        }
    }
    for (unsigned i = 0; i < ncaps && buf; i++) {
        buf->caps_or_badges[i] = caps[i];
    }
    r.status = hostsim_syscall_as_current(regs, &r.restarts);
    seL4_MessageInfo_t out = {{regs[1]}};
    r.badge = regs[0];
    r.label = seL4_MessageInfo_get_label(out);
    r.length = seL4_MessageInfo_get_length(out);
    for (unsigned i = 0; i < seL4_MsgMaxLength; i++) {
        r.mr[i] = i < 4 ? regs[2 + i] : (buf ? buf->msg[i] : 0);
    }
    return r;
}
