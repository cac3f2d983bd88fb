/* SPDX-License-Identifier: BSD-2-Clause */
/* QEMU smoke root task: an ordinary AArch64 ELF that talks to the kernel only through `svc #0`
 * and the ABI headers. It checks the entry state, DebugCapIdentify on the initial slots, kernel
 * replies (which registers change), that interrupts preserve the register file, prints
 * "N passed, N failed" and ends with a deliberate VM fault (no handler: the kernel reports it). */
#include <kaal/abi/abi.h>

typedef seL4_Word word_t;

extern word_t smoke_preserve_loop(word_t iterations, word_t pattern);
void smoke_main(seL4_BootInfo *bi, word_t entry_sp, word_t entry_tpidr) __attribute__((noreturn));

/* --- system calls: raw registers in, raw registers out --- */
struct regs {
    word_t x[8]; /* x0..x7 */
};

static void syscall_raw(struct regs *r)
{
    register word_t x0 __asm__("x0") = r->x[0];
    register word_t x1 __asm__("x1") = r->x[1];
    register word_t x2 __asm__("x2") = r->x[2];
    register word_t x3 __asm__("x3") = r->x[3];
    register word_t x4 __asm__("x4") = r->x[4];
    register word_t x5 __asm__("x5") = r->x[5];
    register word_t x6 __asm__("x6") = r->x[6];
    register word_t x7 __asm__("x7") = r->x[7];
    __asm__ volatile("svc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6),
                       "+r"(x7)
                     :
                     : "memory");
    r->x[0] = x0, r->x[1] = x1, r->x[2] = x2, r->x[3] = x3;
    r->x[4] = x4, r->x[5] = x5, r->x[6] = x6, r->x[7] = x7;
}

static void put_char(char c)
{
    struct regs r = {{(word_t)(unsigned char)c, 0, 0, 0, 0, 0, 0, (word_t)seL4_SysDebugPutChar}};
    syscall_raw(&r);
}

static word_t cap_identify(word_t slot)
{
    struct regs r = {{slot, 0, 0, 0, 0, 0, 0, (word_t)seL4_SysDebugCapIdentify}};
    syscall_raw(&r);
    return r.x[0];
}

/* --- printing --- */
static void put_str(const char *s)
{
    while (*s) {
        put_char(*s++);
    }
}

static void put_num(word_t v, unsigned base)
{
    char buf[24];
    int n = 0;
    do {
        buf[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v != 0);
    if (base == 16) {
        put_str("0x");
    }
    while (n > 0) {
        put_char(buf[--n]);
    }
}

/* --- checks --- */
static word_t passed, failed;

static void check(int ok, const char *what, word_t got, word_t want)
{
    if (ok) {
        passed++;
        return;
    }
    failed++;
    put_str("FAIL: ");
    put_str(what);
    put_str(": got ");
    put_num(got, 16);
    put_str(", want ");
    put_num(want, 16);
    put_char('\n');
}
#define CHECK_EQ(what, got, want) check((got) == (want), what, got, want)

/* A Call of `label` on cap with MR0..MR3 in x2..x5 and x6 = a sentinel; the rest of the message
 * (MR4 on) and the extra caps are already in the IPC buffer. */
static void invoke(struct regs *r, word_t cap, word_t label, word_t extra_caps, word_t length,
                   const word_t mr[4])
{
    r->x[0] = cap;
    r->x[1] = seL4_MessageInfo_new(label, 0, extra_caps, length).words[0];
    for (int i = 0; i < 4; i++) {
        r->x[2 + i] = mr[i];
    }
    r->x[6] = 0x6666;
    r->x[7] = (word_t)seL4_SysCall;
    syscall_raw(r);
}

static void check_reply(const char *what, const struct regs *r, const word_t before[4],
                        word_t label, word_t length, const word_t *mrs)
{
    seL4_MessageInfo_t info = {{r->x[1]}};
    put_str("  ");
    put_str(what);
    put_str(": label ");
    put_num(seL4_MessageInfo_get_label(info), 10);
    put_str(", length ");
    put_num(seL4_MessageInfo_get_length(info), 10);
    put_char('\n');
    CHECK_EQ("reply badge x0", r->x[0], 0);
    CHECK_EQ("reply label", seL4_MessageInfo_get_label(info), label);
    CHECK_EQ("reply length", seL4_MessageInfo_get_length(info), length);
    for (word_t i = 0; i < 4; i++) {
        /* Only MR0..MR(length-1) are written; x2..x5 beyond the reply keep the caller's values. */
        CHECK_EQ(i < length ? "reply MR" : "register beyond the reply (unchanged)", r->x[2 + i],
                 i < length ? mrs[i] : before[i]);
    }
    CHECK_EQ("x6 unchanged", r->x[6], 0x6666);
    CHECK_EQ("x7 unchanged", r->x[7], (word_t)seL4_SysCall);
}

void smoke_main(seL4_BootInfo *bi, word_t entry_sp, word_t entry_tpidr)
{
    put_str("smoke: KaaL AArch64 root task running at EL0\n");

    /* Entry state (docs/abi.md#root-task-start). */
    CHECK_EQ("entry SP_EL0", entry_sp, 0);
    CHECK_EQ("entry TPIDR_EL0", entry_tpidr, 0);
    CHECK_EQ("bootinfo ipcBuffer (end of image)", (word_t)bi->ipcBuffer, (word_t)bi - 0x1000);
    seL4_IPCBuffer *ipc = bi->ipcBuffer;
    put_str("smoke: bootinfo at ");
    put_num((word_t)bi, 16);
    put_str(", untyped slots [");
    put_num(bi->untyped.start, 10);
    put_str(", ");
    put_num(bi->untyped.end, 10);
    put_str("), empty from ");
    put_num(bi->empty.start, 10);
    put_char('\n');

    /* DebugCapIdentify on slots 0..16 (docs/abi.md#observed-on-sel4) and the first untyped. */
    static const word_t want_tags[17] = {
        KAAL_CAP_TAG_NULL,          KAAL_CAP_TAG_THREAD,      KAAL_CAP_TAG_CNODE,
        KAAL_CAP_TAG_VSPACE,        KAAL_CAP_TAG_IRQ_CONTROL, KAAL_CAP_TAG_ASID_CONTROL,
        KAAL_CAP_TAG_ASID_POOL,     KAAL_CAP_TAG_NULL,        KAAL_CAP_TAG_NULL,
        KAAL_CAP_TAG_FRAME,         KAAL_CAP_TAG_FRAME,       KAAL_CAP_TAG_DOMAIN,
        KAAL_CAP_TAG_NULL,          KAAL_CAP_TAG_NULL,
#ifdef CONFIG_KERNEL_MCS
        KAAL_CAP_TAG_SCHED_CONTEXT, /* slot 14: the root thread's scheduling context */
#else
        KAAL_CAP_TAG_NULL,
#endif
        KAAL_CAP_TAG_NULL,          KAAL_CAP_TAG_PAGE_TABLE};
    put_str("smoke: cap types 0..16:");
    for (word_t i = 0; i < 17; i++) {
        word_t tag = cap_identify(i);
        put_char(' ');
        put_num(tag, 10);
        check(tag == want_tags[i], "DebugCapIdentify slot", i, want_tags[i]);
    }
    put_char('\n');
    CHECK_EQ("DebugCapIdentify first untyped", cap_identify(bi->untyped.start),
             KAAL_CAP_TAG_UNTYPED);

    /* TLS register is the thread's own: set it, make a system call, read it back. */
    __asm__ volatile("msr tpidr_el0, %0" ::"r"(0x7715ul));
    (void)cap_identify(0);
    word_t tpidr;
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(tpidr));
    CHECK_EQ("TPIDR_EL0 kept across a system call", tpidr, 0x7715);

    /* CNode_Copy the TCB cap into the first empty slot: success, empty reply. */
    put_str("smoke: kernel replies\n");
    struct regs r;
    word_t dest = bi->empty.start;
    ipc->caps_or_badges[0] = seL4_CapInitThreadCNode; /* src_root */
    ipc->msg[4] = seL4_CapRights_new(1, 1, 1, 1).words[0];
    word_t copy[4] = {dest, 64, seL4_CapInitThreadTCB, 64};
    invoke(&r, seL4_CapInitThreadCNode, CNodeCopy, 1, 5, copy);
    check_reply("CNode_Copy (success)", &r, copy, 0, 0, 0);
    CHECK_EQ("copied cap is a TCB cap", cap_identify(dest), KAAL_CAP_TAG_THREAD);

    /* Again into the now occupied slot: DeleteFirst, no words. */
    invoke(&r, seL4_CapInitThreadCNode, CNodeCopy, 1, 5, copy);
    check_reply("CNode_Copy (occupied)", &r, copy, seL4_DeleteFirst, 0, 0);

    /* Depth 65: RangeError [1, 64], two words; x4, x5 keep their values. */
    word_t deep[4] = {dest + 1, 65, seL4_CapInitThreadTCB, 64};
    static const word_t range_words[2] = {1, 64};
    invoke(&r, seL4_CapInitThreadCNode, CNodeCopy, 1, 5, deep);
    check_reply("CNode_Copy (depth 65)", &r, deep, seL4_RangeError, 2, range_words);

    /* A one-word reply: Untyped_Retype of an unknown object type is InvalidArgument(0); x3..x6 must
     * come back unchanged (as on seL4: docs/abi.md#observed-on-sel4). */
    ipc->caps_or_badges[0] = seL4_CapInitThreadCNode;
    ipc->msg[4] = dest + 1;
    ipc->msg[5] = 1;
    word_t retype[4] = {999, 0, 0x3333, 0x4444}; /* type, size_bits, node_index, node_depth */
    static const word_t arg0[1] = {0};
    invoke(&r, bi->untyped.start, UntypedRetype, 1, 6, retype);
    check_reply("Untyped_Retype (bad type)", &r, retype, seL4_InvalidArgument, 1, arg0);

    /* The same rule on a success with one result word, if the frame invocations exist. */
    word_t getaddr[4] = {0x1111, 0x2222, 0x3333, 0x4444};
    invoke(&r, seL4_CapBootInfoFrame, ARMPageGetAddress, 0, 0, getaddr);
    seL4_MessageInfo_t info = {{r.x[1]}};
    if (seL4_MessageInfo_get_label(info) == 0) {
        word_t pa = r.x[2];
        check_reply("ARM_Page_GetAddress (bootinfo frame)", &r, getaddr, 0, 1, &pa);
        check((pa & 0xfff) == 0 && pa >= 0x40000000, "bootinfo frame address is page-aligned RAM",
              pa, 0);
    } else {
        put_str("  ARM_Page_GetAddress: not implemented yet (error ");
        put_num(seL4_MessageInfo_get_label(info), 10);
        put_str("), skipped\n");
    }

    /* Interrupts from EL0: spin long enough for several timer ticks and check that x19-x28 and
     * d8-d15 survive every preemption. */
    put_str("smoke: spinning through timer interrupts\n");
    word_t changed = smoke_preserve_loop(40000000, 0x5a5a0000);
    CHECK_EQ("registers changed across interrupts", changed, 0);

    put_num(passed, 10);
    put_str(" passed, ");
    put_num(failed, 10);
    put_str(" failed\n");

    /* The end: a store to an unmapped address. With no fault handler the kernel prints a
     * diagnostic, the thread becomes inactive, and the machine powers off. */
    put_str("smoke: now faulting on purpose (store to 0x8)\n");
    word_t unmapped = 0x8;
    __asm__(
        ""
        : "+r"(
            unmapped)); /* an address GCC cannot see (it warns of a store to a constant near 0) */
    *(volatile word_t *)unmapped = 1;
    put_str("smoke: FAIL: still running after the fault\n");
    for (;;) {
    }
}
