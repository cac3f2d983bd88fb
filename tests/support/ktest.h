/* SPDX-License-Identifier: BSD-2-Clause */
/* Test support for Check suites against the hostsim kernel: a fresh kernel per test, and
 * root-thread invocations made with exactly the ABI's registers, message info and IPC-buffer words.
 */
#ifndef KTEST_H
#define KTEST_H

#include <check.h>
#include <stdint.h>

#include <hostsim/hostsim.h>
#include <kaal/abi/abi.h>

/* The device trees under tests/data (see tests/data/README.md). */
#define KTEST_DTB_VIRT "qemu-virt.dtb" /* QEMU virt, 1 GiB RAM: the real machine */
#define KTEST_DTB_SMALL "small.dtb"    /* 64 MiB RAM, few devices: fast default */

/* Boot a fresh kernel from tests/data/<name>; the test fails if boot fails. Console is quiet
 * unless KTEST_VERBOSE is set in the environment. */
void ktest_boot(const char *dtb_name);
/* Check fixtures: boot KTEST_DTB_SMALL before each test / shut down after it. */
void ktest_setup(void);
void ktest_teardown(void);
/* Read a file under tests/data into a malloc'ed buffer; *size gets its length. */
void *ktest_read_data(const char *name, size_t *size);

/* What a root-thread system call returned. mr[0..3] come from x2..x5, the rest from the IPC buffer;
 * only mr[0..length-1] are meaningful. */
struct ktest_reply {
    enum hostsim_status status;
    unsigned restarts;
    uint64_t badge; /* x0 */
    uint64_t label; /* from x1 */
    uint64_t length;
    uint64_t extra_caps;
    uint64_t caps_unwrapped;
    uint64_t mr[seL4_MsgMaxLength];
};

/* seL4_Call on cptr with message (label, n words of mrs, ncaps extra caps from caps). */
struct ktest_reply ktest_call(uint64_t cptr, uint64_t label, unsigned n, const uint64_t *mrs,
                              unsigned ncaps, const uint64_t *caps);
/* The same with any system call number and a raw message-info word. */
/* A system call as the thread the kernel runs now: MR0-3 in registers, MR4.. and the caps in its
 * IPC buffer; the reply's MRs likewise. */
struct ktest_reply ktest_syscall_as_current(int64_t sysno, uint64_t cptr, uint64_t label,
                                            unsigned n, const uint64_t *mrs, unsigned ncaps,
                                            const uint64_t *caps);
struct ktest_reply ktest_syscall(int64_t sysno, uint64_t cptr, uint64_t info, unsigned n,
                                 const uint64_t *mrs, unsigned ncaps, const uint64_t *caps);

/* Typed wrappers (values go into the words unmasked, so tests can pass any depth). The CNode
 * root is the root CNode unless a wrapper takes it. */
struct ktest_reply ktest_cnode_copy(uint64_t root, uint64_t dest, uint64_t dest_depth,
                                    uint64_t src_root, uint64_t src, uint64_t src_depth,
                                    uint64_t rights);
struct ktest_reply ktest_cnode_mint(uint64_t root, uint64_t dest, uint64_t dest_depth,
                                    uint64_t src_root, uint64_t src, uint64_t src_depth,
                                    uint64_t rights, uint64_t badge);
struct ktest_reply ktest_cnode_move(uint64_t root, uint64_t dest, uint64_t dest_depth,
                                    uint64_t src_root, uint64_t src, uint64_t src_depth);
struct ktest_reply ktest_cnode_mutate(uint64_t root, uint64_t dest, uint64_t dest_depth,
                                      uint64_t src_root, uint64_t src, uint64_t src_depth,
                                      uint64_t badge);
struct ktest_reply ktest_cnode_rotate(uint64_t root, uint64_t dest, uint64_t dest_depth,
                                      uint64_t dest_badge, uint64_t pivot_root, uint64_t pivot,
                                      uint64_t pivot_depth, uint64_t pivot_badge, uint64_t src_root,
                                      uint64_t src, uint64_t src_depth);
struct ktest_reply ktest_cnode_delete(uint64_t root, uint64_t index, uint64_t depth);
struct ktest_reply ktest_cnode_revoke(uint64_t root, uint64_t index, uint64_t depth);
struct ktest_reply ktest_cnode_save_caller(uint64_t root, uint64_t index, uint64_t depth);
struct ktest_reply ktest_cnode_cancel_badged_sends(uint64_t root, uint64_t index, uint64_t depth);
struct ktest_reply ktest_retype(uint64_t untyped, uint64_t type, uint64_t size_bits, uint64_t root,
                                uint64_t node_index, uint64_t node_depth, uint64_t node_offset,
                                uint64_t num);

/* One object of type (size_bits) retyped from a RAM untyped of at least 64 KiB into slot of the
 * root CNode; the test fails unless it succeeds. */
void ktest_retype_at(uint64_t type, uint64_t size_bits, uint64_t slot);
/* The kernel's invariant checker over the machine as it is now; the test fails with its reason. */
void ktest_check_invariants(void);

/* DebugCapIdentify: the cap type tag in the slot cptr names (depth 64). */
uint64_t ktest_cap_type(uint64_t cptr);
/* The first free slot of the root CNode (bootinfo empty.start). */
uint64_t ktest_first_empty(void);
/* A non-device untyped cap slot of at least min_bits (the smallest such); fails the test if none.
 */
uint64_t ktest_untyped(unsigned min_bits);
/* The bootinfo descriptor of the untyped in slot cptr. */
const seL4_UntypedDesc *ktest_untyped_desc(uint64_t cptr);
/* Assert the reply is a success (label 0) with the status OK; prints the error otherwise.
 * The argument is evaluated once, so a call may be passed directly. */
#define ktest_assert_ok(r)                                                                     \
    do {                                                                                       \
        struct ktest_reply ktest_r_ = (r);                                                     \
        ck_assert_msg(ktest_r_.status == HOSTSIM_OK && ktest_r_.label == seL4_NoError,         \
                      "expected success, got status %d label %llu mr0 %llu mr1 %llu",          \
                      (int)ktest_r_.status, (unsigned long long)ktest_r_.label,                \
                      (unsigned long long)ktest_r_.mr[0], (unsigned long long)ktest_r_.mr[1]); \
    } while (0)
/* Assert an error reply with the given seL4_Error and length (argument evaluated once). */
#define ktest_assert_error(r, err, len)                                                          \
    do {                                                                                         \
        struct ktest_reply ktest_r_ = (r);                                                       \
        ck_assert_msg(ktest_r_.status == HOSTSIM_OK && ktest_r_.label == (uint64_t)(err) &&      \
                          ktest_r_.length == (uint64_t)(len),                                    \
                      "expected error %d len %d, got status %d label %llu len %llu", (int)(err), \
                      (int)(len), (int)ktest_r_.status, (unsigned long long)ktest_r_.label,      \
                      (unsigned long long)ktest_r_.length);                                      \
    } while (0)

/* Short forms used throughout the suites. */
#define OK(call) ktest_assert_ok(call)
#define ERR(call, err, len) ktest_assert_error(call, err, len)

/* Run a suite with TAP output (CK_TAP_LOG_FILE_NAME from the environment); returns the exit code.
 */
int ktest_run(Suite *s);

#endif
