/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for hostsim user mode: the root task and the threads it creates run as real host
 * contexts, trap into the kernel with exact registers, and touch memory through the shadow MMU's
 * user window (refills, VM faults with their exact syndromes, the window emptied after a run). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hal/mmu.h>
#include <hal_common/pte_bits.h>
#include <hostsim/user.h>
#include <kaal/abi/invocation_gen.h>
#include <kaal/invariants.h>
#include <kaal/kernel.h>
#include <kaal/thread.h>
#include <kaal/vspace.h>

#include "ktest.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

/* ---- kernel-side helpers (test code, outside the run) ---- */

/* The leaf entry mapping vaddr in the root VSpace (host pointer), or NULL. The descriptor bits
 * are <hal_common/pte_bits.h>'s. */
static uint64_t *root_leaf(uint64_t vaddr)
{
    cte_t *slots = cnode_slots(ks.root_thread->ctes[TCB_CTABLE].cap);
    uint64_t table = cap_vspace_cap_get_ptr(slots[seL4_CapInitThreadVSpace].cap);
    for (unsigned level = 0; level < 3; level++) {
        uint64_t pte = ((uint64_t *)hostsim_phys_to_host(table, 4096))[HAL_PT_INDEX(vaddr, level)];
        if ((pte & PTE_TYPE_MASK) != PTE_TABLE) {
            return NULL;
        }
        table = pte & PTE_ADDR_MASK;
    }
    return &((uint64_t *)hostsim_phys_to_host(table, 4096))[HAL_PT_INDEX(vaddr, 3)];
}

/* Change a root page's user access: EL0 read-only or read-write. */
static void root_page_set_rw(uint64_t vaddr, bool rw)
{
    uint64_t *pte = root_leaf(vaddr);
    ck_assert_ptr_nonnull(pte);
    *pte = (*pte & ~PTE_AP_MASK) | (rw ? PTE_AP_EL0_RW : PTE_AP_EL0_RO);
}

/* The frame behind a root page, as a host pointer into simulated RAM. */
static uint8_t *root_frame(uint64_t vaddr)
{
    uint64_t *pte = root_leaf(vaddr);
    ck_assert_ptr_nonnull(pte);
    return hostsim_phys_to_host(*pte & PTE_ADDR_MASK, 4096);
}

static void capture_start(void) { hostsim_console_capture(true); }

/* ---- user-side helpers (run inside the user threads) ---- */

static seL4_BootInfo *bi; /* the root's bootinfo, at its user address */

struct u_reply {
    uint64_t badge, label, length;
    uint64_t mr[4];
    uint64_t x6, x7;
};

/* One system call through the trap, message words MR0..MR(n-1) (MR4+ in the IPC buffer). */
static struct u_reply u_syscall(int64_t sysno, uint64_t cptr, uint64_t label, unsigned n,
                                const uint64_t *mrs, unsigned ncaps, const uint64_t *caps)
{
    seL4_IPCBuffer *buf = bi->ipcBuffer;
    uint64_t r[8] = {
        cptr,           seL4_MessageInfo_new(label, 0, ncaps, n).words[0], 0, 0, 0, 0, 0x6666,
        (uint64_t)sysno};
    for (unsigned i = 0; i < n; i++) {
        if (i < 4) {
            r[2 + i] = mrs[i];
        } else {
            buf->msg[i] = mrs[i];
        }
    }
    for (unsigned i = 0; i < ncaps; i++) {
        buf->caps_or_badges[i] = caps[i];
    }
    hostsim_user_trap(r);
    seL4_MessageInfo_t info = {{r[1]}};
    struct u_reply out = {r[0],
                          seL4_MessageInfo_get_label(info),
                          seL4_MessageInfo_get_length(info),
                          {r[2], r[3], r[4], r[5]},
                          r[6],
                          r[7]};
    return out;
}

static struct u_reply u_call(uint64_t cptr, uint64_t label, unsigned n, const uint64_t *mrs,
                             unsigned ncaps, const uint64_t *caps)
{
    return u_syscall(seL4_SysCall, cptr, label, n, mrs, ncaps, caps);
}

static uint64_t u_cap_identify(uint64_t cptr)
{
    uint64_t r[8] = {cptr, 0, 0, 0, 0, 0, 0, (uint64_t)seL4_SysDebugCapIdentify};
    hostsim_user_trap(r);
    return r[0];
}

#ifndef CONFIG_KERNEL_MCS /* used by the base-only fault-handler test below */
/* The smallest non-device untyped of at least min_bits, read from the bootinfo in the window. */
static uint64_t u_untyped(unsigned min_bits)
{
    uint64_t best = 0;
    unsigned best_bits = 64;
    for (uint64_t s = bi->untyped.start; s < bi->untyped.end; s++) {
        const seL4_UntypedDesc *d = &bi->untypedList[s - bi->untyped.start];
        if (!d->isDevice && d->sizeBits >= min_bits && d->sizeBits < best_bits) {
            best = s;
            best_bits = d->sizeBits;
        }
    }
    return best;
}

static uint64_t u_retype(uint64_t ut, uint64_t type, uint64_t slot)
{
    uint64_t mrs[6] = {type, 0, 0, 0, slot, 1};
    uint64_t caps[1] = {seL4_CapInitThreadCNode};
    return u_call(ut, UntypedRetype, 6, mrs, 1, caps).label;
}
#endif

/* ---- root task bodies ---- */

static struct {
    uint64_t cnode_type, copy_label, copy_type;
    uint64_t x6_after, x7_after;
    uint64_t locals_ok, tpidr_ok;
    uint64_t stack_addr;
    uint64_t window_pages_inside;
    uint64_t fault_label, fault_len, fault_mr[4];
    uint64_t exc_label, exc_mr[4];
    uint64_t thread_stack, thread_arg, thread_marker_written;
    uint64_t suspend_label;
    uint64_t identify_ok;                /* DebugCapIdentify round trips that named the CNode */
    uint64_t step, step_label, step_mr0; /* how far root_handler got, and the last error */
} R;

enum { IDENTIFY_ROUNDS = 20000 };

static void root_syscalls(seL4_BootInfo *boot)
{
    bi = boot;
    /* Locals that must survive the traps (callee-saved state of the host context). */
    volatile uint64_t a = 0x1111111111111111ull, b = 0x2222222222222222ull;
    uint64_t c = (uint64_t)(uintptr_t)boot ^ 0x5a5a;
    R.stack_addr = (uint64_t)(uintptr_t)&a;
    hostsim_tpidr_el0 = 0x7e57;

    R.cnode_type = u_cap_identify(seL4_CapInitThreadCNode);

    uint64_t dest = bi->empty.start;
    uint64_t mrs[5] = {dest, 64, seL4_CapInitThreadCNode, 64, seL4_AllRights};
    uint64_t caps[1] = {seL4_CapInitThreadCNode};
    struct u_reply r = u_call(seL4_CapInitThreadCNode, CNodeCopy, 5, mrs, 1, caps);
    R.copy_label = r.label;
    R.x6_after = r.x6;
    R.x7_after = r.x7;
    R.copy_type = u_cap_identify(dest);

    R.locals_ok = a == 0x1111111111111111ull && b == 0x2222222222222222ull &&
                  c == ((uint64_t)(uintptr_t)boot ^ 0x5a5a);
    R.tpidr_ok = hostsim_tpidr_el0 == 0x7e57;
    R.window_pages_inside = hostsim_window_pages();

    /* Many round trips in a row, each answered: the trap path keeps no state that wears out. (Their
     * cost is a benchmark: bench/bench_hostsim.c.) */
    for (int i = 0; i < IDENTIFY_ROUNDS; i++) {
        R.identify_ok += u_cap_identify(seL4_CapInitThreadCNode) == cap_cnode_cap;
    }
}

START_TEST(test_root_syscalls)
{
    memset(&R, 0, sizeof(R));
    ck_assert(!hostsim_thread_has_context(hostsim_root_thread()));
    ck_assert_int_eq(hostsim_run_root(root_syscalls), HOSTSIM_RUN_DONE);
    ck_assert(hostsim_thread_has_context(hostsim_root_thread())); /* the machine's record of it */
    ck_assert_uint_eq(R.cnode_type, cap_cnode_cap);
    ck_assert_uint_eq(R.copy_label, seL4_NoError);
    ck_assert_uint_eq(R.copy_type, cap_cnode_cap);
    ck_assert_uint_eq(R.x6_after, 0x6666);
    ck_assert_uint_eq(R.x7_after, (uint64_t)seL4_SysCall);
    ck_assert(R.locals_ok);
    ck_assert(R.tpidr_ok);
    /* The root's stack lives in its user image, inside the window. */
    uint64_t top = HOSTSIM_WINDOW_BASE + (hostsim_bootinfo()->userImageFrames.end -
                                          hostsim_bootinfo()->userImageFrames.start) *
                                             4096;
    ck_assert(R.stack_addr >= HOSTSIM_WINDOW_BASE && R.stack_addr < top);
    ck_assert_uint_gt(R.window_pages_inside, 0);
    /* After the run the window is empty again. */
    ck_assert_uint_eq(hostsim_window_pages(), 0);
    /* The root task returned: a UserException with no handler left it Inactive. */
    ck_assert_uint_eq(hostsim_thread_state(hostsim_root_thread()), ThreadState_Inactive);
    ck_assert_uint_eq(R.identify_ok, IDENTIFY_ROUNDS);
}
END_TEST

/* ---- the window against the invariant checker (hal_invariants_hold) ---- */

#ifdef CONFIG_KERNEL_INVARIANTS
static struct {
    bool held_before, held_after_unbind, held_after_rebind;
    char why[512];
} W;

/* With pages in the window: the checker accepts it; the root's ASID unbound from its VSpace behind
 * the kernel's back (no TLB invalidation) is reported; bound again, accepted. */
static void root_window_check(seL4_BootInfo *boot)
{
    bi = boot;
    bi->ipcBuffer->msg[100] = 1; /* a page in the window */
    W.held_before = kernel_invariants_quick(W.why, sizeof(W.why));
    word_t asid = cap_vspace_cap_get_mapped_asid(ks.root_thread->ctes[TCB_VTABLE].cap);
    asid_pool_t *pool = asid_pool_of(asid);
    paddr_t root = pool->vspace[ASID_LOW(asid)];
    pool->vspace[ASID_LOW(asid)] = 0;
    W.held_after_unbind = kernel_invariants_quick(W.why, sizeof(W.why));
    pool->vspace[ASID_LOW(asid)] = root;
    char ok_why[512];
    W.held_after_rebind = kernel_invariants_quick(ok_why, sizeof(ok_why));
}

START_TEST(test_window_vs_checker)
{
    memset(&W, 0, sizeof(W));
    ck_assert_int_eq(hostsim_run_root(root_window_check), HOSTSIM_RUN_DONE);
    ck_assert(W.held_before);
    ck_assert(!W.held_after_unbind);
    ck_assert_msg(strstr(W.why, "hostsim user window") != NULL, "reason: %s", W.why);
    ck_assert(W.held_after_rebind);
}
END_TEST
#endif

/* ---- memory through the window ---- */

static void root_memory(seL4_BootInfo *boot)
{
    bi = boot;
    /* The IPC buffer (RW) and an image page (RW data below the stack). */
    bi->ipcBuffer->msg[100] = 0xfeedface12345678ull;
    volatile uint64_t *img = (volatile uint64_t *)(uintptr_t)(HOSTSIM_WINDOW_BASE + 0x1008);
    *img = 0xabcdef;
    R.window_pages_inside = hostsim_window_pages();
}

START_TEST(test_window_rw)
{
    memset(&R, 0, sizeof(R));
    ck_assert_int_eq(hostsim_run_root(root_memory), HOSTSIM_RUN_DONE);
    ck_assert_uint_eq(hostsim_root_ipc_buffer()->msg[100], 0xfeedface12345678ull);
    uint64_t v;
    memcpy(&v, root_frame(HOSTSIM_WINDOW_BASE + 0x1000) + 8, 8);
    ck_assert_uint_eq(v, 0xabcdef);
    ck_assert_uint_ge(R.window_pages_inside, 3); /* stack, bootinfo, IPC buffer, image page */
    ck_assert_uint_eq(hostsim_window_pages(), 0);
}
END_TEST

/* ---- VM faults with no handler: the thread stops with a diagnostic, the kernel goes on ---- */

static uint64_t fault_addr_arg;
static void root_store(seL4_BootInfo *boot)
{
    (void)boot;
    *(volatile uint64_t *)(uintptr_t)fault_addr_arg = 1;
}
static void root_load(seL4_BootInfo *boot)
{
    (void)boot;
    (void)*(volatile uint64_t *)(uintptr_t)fault_addr_arg;
}
static void root_load_store(seL4_BootInfo *boot)
{
    (void)boot;
    volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)fault_addr_arg;
    *p = *p + 1;
}
static void root_jump(seL4_BootInfo *boot)
{
    (void)boot;
    ((void (*)(void))(uintptr_t)fault_addr_arg)();
}

static void expect_fault_text(void (*body)(seL4_BootInfo *), uint64_t addr, const char *text)
{
    fault_addr_arg = addr;
    capture_start();
    enum hostsim_run_status st = hostsim_run_root(body);
    const char *out = hostsim_console_take();
    hostsim_console_capture(false);
    ck_assert_int_eq(st, HOSTSIM_RUN_DONE);
    ck_assert_msg(strstr(out, text) != NULL, "expected \"%s\" in the console, got: %s", text, out);
    ck_assert_uint_eq(hostsim_thread_state(hostsim_root_thread()), ThreadState_Inactive);
    ck_assert_uint_eq(hostsim_window_pages(), 0);
}

START_TEST(test_fault_read_only_write)
{
    /* A write to a read-only page: data abort, WnR, permission fault at level 3. */
    root_page_set_rw(HOSTSIM_WINDOW_BASE + 0x2000, false);
    expect_fault_text(root_store, HOSTSIM_WINDOW_BASE + 0x2010,
                      "vm fault on data at address 0x402010 with status 0x9200004f");
}
END_TEST

START_TEST(test_fault_read_only_read_then_write)
{
    /* A read maps the page read-only; the write that follows faults as a write. */
    root_page_set_rw(HOSTSIM_WINDOW_BASE + 0x2000, false);
    expect_fault_text(root_load_store, HOSTSIM_WINDOW_BASE + 0x2010,
                      "vm fault on data at address 0x402010 with status 0x9200004f");
}
END_TEST

START_TEST(test_fault_translation_l3)
{
    /* Past the extra bootinfo, under an existing L3 table: translation fault, level 3, read. */
    uint64_t addr = HOSTSIM_WINDOW_BASE + 0x20008;
    ck_assert_ptr_nonnull(root_leaf(addr));
    ck_assert_uint_eq(*root_leaf(addr), 0);
    expect_fault_text(root_load, addr,
                      "vm fault on data at address 0x420008 with status 0x92000007");
}
END_TEST

START_TEST(test_fault_translation_l2)
{
    expect_fault_text(root_store, 0x3000000,
                      "vm fault on data at address 0x3000000 with status 0x92000046");
}
END_TEST

START_TEST(test_fault_instruction)
{
    if (RUNNING_ON_VALGRIND) {
        return; /* memcheck reports the jump itself as an error */
    }
    expect_fault_text(root_jump, 0x3000000,
                      "vm fault on code at address 0x3000000 with status 0x82000006");
}
END_TEST

/* ---- a second thread, its fault handled by the root ---- */

#ifndef CONFIG_KERNEL_MCS /* the base ABI: a fault endpoint word, Recv/ReplyRecv with the caller \
                           * slot; tests/mcs/check_run.c runs user threads under MCS */
static volatile uint64_t *ro_target;

static void second_thread(uint64_t arg)
{
    volatile uint64_t local = arg;
    R.thread_stack = (uint64_t)(uintptr_t)&local;
    R.thread_arg = local;
    *ro_target = 0x5ec0d; /* faults (read-only) until the root's handler makes it writable */
    R.thread_marker_written = 1;
}

static void root_handler(seL4_BootInfo *boot)
{
    bi = boot;
    uint64_t ep = bi->empty.start, tcb = ep + 1;
    uint64_t ut = u_untyped(16);
    R.step = 1;
    R.step_mr0 = ut;
    R.step_label = u_retype(ut, seL4_EndpointObject, ep);
    if (R.step_label != 0 || (R.step_label = u_retype(ut, seL4_TCBObject, tcb)) != 0) {
        return;
    }
    R.step = 2;
    uint64_t cfg[4] = {ep, 0, 0, 0};
    uint64_t cfg_caps[3] = {seL4_CapInitThreadCNode, seL4_CapInitThreadVSpace, 0};
    struct u_reply c = u_call(tcb, TCBConfigure, 4, cfg, 3, cfg_caps);
    R.step_label = c.label;
    R.step_mr0 = c.mr[0];
    if (c.label != 0) {
        return;
    }
    R.step = 3;
    uint64_t sp = HOSTSIM_WINDOW_BASE + 0x8000; /* the image's middle pages: its own stack */
    uint64_t regs[6] = {1 /* resume */, 4, (uint64_t)(uintptr_t)second_thread, sp, 0, 0xa76};
    c = u_call(tcb, TCBWriteRegisters, 6, regs, 0, NULL);
    R.step_label = c.label;
    R.step_mr0 = c.mr[0];
    if (c.label != 0) {
        return;
    }
    R.step = 4;
    /* Wait for its fault: the VMFault message. */
    struct u_reply f = u_syscall(seL4_SysRecv, ep, 0, 0, NULL, 0, NULL);
    R.fault_label = f.label;
    R.fault_len = f.length;
    memcpy(R.fault_mr, f.mr, sizeof(f.mr));
    root_page_set_rw(HOSTSIM_WINDOW_BASE + 0x2000, true);
    /* Reply (it retries the store) and wait for its next fault: the function returns. */
    struct u_reply e = u_syscall(seL4_SysReplyRecv, ep, 0, 0, NULL, 0, NULL);
    R.exc_label = e.label;
    memcpy(R.exc_mr, e.mr, sizeof(e.mr));
    R.suspend_label = u_call(tcb, TCBSuspend, 0, NULL, 0, NULL).label;
}

START_TEST(test_second_thread_fault_handler)
{
    memset(&R, 0, sizeof(R));
    root_page_set_rw(HOSTSIM_WINDOW_BASE + 0x2000, false);
    ro_target = (volatile uint64_t *)(uintptr_t)(HOSTSIM_WINDOW_BASE + 0x2018);
    ck_assert_int_eq(hostsim_run_root(root_handler), HOSTSIM_RUN_DONE);
    ck_assert_uint_eq(R.thread_arg, 0xa76);
    ck_assert(R.thread_stack < HOSTSIM_WINDOW_BASE + 0x8000 &&
              R.thread_stack >= HOSTSIM_WINDOW_BASE + 0x4000);
    ck_assert_uint_eq(R.fault_label, seL4_Fault_VMFault);
    ck_assert_uint_eq(R.fault_len, seL4_VMFault_Length);
    ck_assert_uint_eq(R.fault_mr[seL4_VMFault_Addr], HOSTSIM_WINDOW_BASE + 0x2018);
    ck_assert_uint_eq(R.fault_mr[seL4_VMFault_PrefetchFault], 0);
    ck_assert_uint_eq(R.fault_mr[seL4_VMFault_FSR], 0x9200004f);
    ck_assert_uint_eq(R.thread_marker_written, 1);
    uint64_t v;
    memcpy(&v, root_frame(HOSTSIM_WINDOW_BASE + 0x2000) + 0x18, 8);
    ck_assert_uint_eq(v, 0x5ec0d);
    ck_assert_uint_eq(R.exc_label, seL4_Fault_UserException);
    ck_assert_uint_eq(R.exc_mr[0], (uint64_t)(uintptr_t)second_thread); /* FaultIP = its entry */
    ck_assert_uint_eq(R.exc_mr[3], HOSTSIM_ESR_THREAD_RETURNED);
    ck_assert_uint_eq(R.suspend_label, 0);
}
END_TEST
#endif

/* ---- the puppet harness still works: no run, no host contexts ---- */

START_TEST(test_puppet_untouched)
{
    ck_assert_uint_eq(ktest_cap_type(seL4_CapInitThreadCNode), cap_cnode_cap);
    uint64_t r[8] = {seL4_CapInitThreadCNode, 0, 0, 0, 0, 0, 0, (uint64_t)seL4_SysDebugCapIdentify};
    hostsim_user_trap(r); /* outside a run: made as the current thread */
    ck_assert_uint_eq(r[0], cap_cnode_cap);
    ck_assert(!hostsim_thread_has_context(hostsim_root_thread()));
}
END_TEST

/* TCB_CopyRegisters of the caller's own frame gives it its restart PC (as seL4 does): sent with
 * NBSend (no reply rewrites x1) the thread executes the same svc forever in user mode. The harness
 * re-executes it a bounded number of times and reports it blocked with the svc pending (found by
 * the fuzzer: tests/fuzz/repro/copyregisters-self-rewind-hang). */
START_TEST(test_puppet_self_rewind_bounded)
{
    uint64_t flags[1] = {0x1f}; /* suspend source, resume target, frame, integer registers */
    uint64_t caps[1] = {seL4_CapInitThreadTCB};
    struct ktest_reply r =
        ktest_syscall(seL4_SysNBSend, seL4_CapInitThreadTCB,
                      seL4_MessageInfo_new(TCBCopyRegisters, 0, 1, 1).words[0], 1, flags, 1, caps);
    ck_assert_int_eq(r.status, HOSTSIM_BLOCKED);
    ck_assert_uint_eq(r.restarts, 64);
    ck_assert_uint_eq(hostsim_current_thread(), hostsim_root_thread());
    ck_assert_uint_eq(hostsim_thread_state(hostsim_root_thread()), ThreadState_Running);
}
END_TEST

/* A restored snapshot is the booted machine again: RAM, kernel globals and the interrupt
 * controller as they were, whatever ran in between. */
START_TEST(test_snapshot_restore)
{
    struct hostsim_snapshot *snap = hostsim_snapshot_take();
    ck_assert_ptr_nonnull(snap);
    size_t ram = hostsim_ram_size;
    uint8_t *before = malloc(ram);
    ck_assert_ptr_nonnull(before);
    memcpy(before, hostsim_ram_host, ram);
    struct kernel_state ks_before = ks;
    for (int round = 0; round < 2; round++) {
        uint64_t slot = ktest_first_empty();
        ktest_assert_ok(ktest_retype(ktest_untyped(16), seL4_CapTableObject, 4,
                                     seL4_CapInitThreadCNode, 0, 0, slot, 1));
        ktest_assert_ok(ktest_retype(ktest_untyped(12), seL4_EndpointObject, 0,
                                     seL4_CapInitThreadCNode, 0, 0, slot + 1, 1));
        hostsim_raise_irq(40);
        hostsim_set_preempt_interval(3);
        ck_assert_int_ne(memcmp(before, hostsim_ram_host, ram), 0);
        ck_assert_int_eq(hostsim_snapshot_restore(snap), 0);
        ck_assert_int_eq(memcmp(before, hostsim_ram_host, ram), 0);
        ck_assert_int_eq(memcmp(&ks_before, &ks, sizeof(ks)), 0);
        ck_assert(!hostsim_irq_is_pending(40));
        ck_assert_uint_eq(ktest_cap_type(slot), cap_null_cap);
    }
    hostsim_shutdown();
    ck_assert_int_eq(hostsim_snapshot_restore(snap), -1); /* another machine now */
    hostsim_snapshot_free(snap);
    free(before);
}
END_TEST

/* A faulting access is retried exactly: under Valgrind too, whose push and call update RSP, and
 * whose rep string instructions update RCX, before the access that faults (docs/hostsim.md). */
static struct {
    uint64_t misalign, rep_ok;
} P;

#define REP_DST (HOSTSIM_WINDOW_BASE + 0x3000 - 8) /* 16 bytes over two image pages */

static void root_precise_retry(seL4_BootInfo *boot)
{
    (void)boot;
    /* The call that started this function made the first store to its stack page. */
    _Alignas(16) volatile uint8_t probe[16];
    uintptr_t a = (uintptr_t)probe;
    __asm__("" : "+r"(a)); /* the compiler may not assume the alignment it asked for */
    P.misalign = a & 15;
    /* Both pages are outside the window: the first and the ninth byte's stores fault. */
    uint8_t *dst = (uint8_t *)(uintptr_t)REP_DST;
    void *d = dst;
    uint64_t n = 16;
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(0xa5) : "memory");
    bool ok = n == 0 && d == dst + 16;
    for (int i = 0; i < 16; i++) {
        ok = ok && dst[i] == 0xa5;
    }
    P.rep_ok = ok;
}

START_TEST(test_fault_retry_precise)
{
    memset(&P, 0, sizeof(P));
    ck_assert_int_eq(hostsim_run_root(root_precise_retry), HOSTSIM_RUN_DONE);
    ck_assert_uint_eq(P.misalign, 0);
    ck_assert(P.rep_ok);
    uint8_t lo[8], hi[8];
    memcpy(lo, root_frame(REP_DST & ~0xffful) + (REP_DST & 0xfff), 8);
    memcpy(hi, root_frame(REP_DST + 8), 8);
    for (int i = 0; i < 8; i++) {
        ck_assert_uint_eq(lo[i], 0xa5);
        ck_assert_uint_eq(hi[i], 0xa5);
    }
}
END_TEST

static Suite *hostsim_suite(void)
{
    Suite *s = suite_create("hostsim");
    TCase *tc = tcase_create("user_threads");
    tcase_add_checked_fixture(tc, ktest_setup, ktest_teardown);
    tcase_add_test(tc, test_root_syscalls);
#ifndef CONFIG_KERNEL_MCS
    tcase_add_test(tc, test_second_thread_fault_handler);
#endif
    tcase_add_test(tc, test_puppet_untouched);
    tcase_add_test(tc, test_puppet_self_rewind_bounded);
    tcase_add_test(tc, test_snapshot_restore);
    suite_add_tcase(s, tc);
    tc = tcase_create("shadow_mmu");
    tcase_add_checked_fixture(tc, ktest_setup, ktest_teardown);
    tcase_add_test(tc, test_window_rw);
#ifdef CONFIG_KERNEL_INVARIANTS
    tcase_add_test(tc, test_window_vs_checker);
#endif
    tcase_add_test(tc, test_fault_read_only_write);
    tcase_add_test(tc, test_fault_read_only_read_then_write);
    tcase_add_test(tc, test_fault_translation_l3);
    tcase_add_test(tc, test_fault_translation_l2);
    tcase_add_test(tc, test_fault_instruction);
    tcase_add_test(tc, test_fault_retry_precise);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return ktest_run(hostsim_suite()); }
