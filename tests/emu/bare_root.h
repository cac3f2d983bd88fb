/* SPDX-License-Identifier: BSD-2-Clause */
/* What a root task written from the ABI facts alone needs besides those facts
 * (tests/emu/minimal_root.c for the base configuration, tests/qemu/minimal_mcs_root.c for MCS):
 * one system call through svc #0, console output through DebugPutChar, counted checks with a
 * summary line, and the stack the kernel does not give a root task. No number of the ABI is here:
 * before including this (once, in its only source file) the program defines SYS_CALL,
 * SYS_DEBUG_PUT_CHAR and SYS_DEBUG_CAP_IDENTIFY (the debug calls move under MCS), MSG_INFO and
 * BARE_ROOT_NAME (how its lines start), and it defines root_main(bootinfo). */
#ifndef KAAL_TESTS_BARE_ROOT_H
#define KAAL_TESTS_BARE_ROOT_H

struct regs {
    unsigned long x[7]; /* x0 (cap / badge), x1 (message info), x2-x5 (MR0-MR3), x6 (MCS: reply) */
};

/* One system call: x0-x6 in, x0-x5 out, x7 = number (the kernel keeps every other register). */
static void syscall(long number, struct regs *r)
{
    register unsigned long r0 __asm__("x0") = r->x[0];
    register unsigned long r1 __asm__("x1") = r->x[1];
    register unsigned long r2 __asm__("x2") = r->x[2];
    register unsigned long r3 __asm__("x3") = r->x[3];
    register unsigned long r4 __asm__("x4") = r->x[4];
    register unsigned long r5 __asm__("x5") = r->x[5];
    register unsigned long r6 __asm__("x6") = r->x[6];
    register long r7 __asm__("x7") = number;
    __asm__ volatile("svc #0"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5)
                     : "r"(r6), "r"(r7)
                     : "memory");
    r->x[0] = r0, r->x[1] = r1, r->x[2] = r2, r->x[3] = r3, r->x[4] = r4, r->x[5] = r5;
}

static void put_char(char c)
{
    struct regs r = {{(unsigned long)(unsigned char)c}};
    syscall(SYS_DEBUG_PUT_CHAR, &r);
}

static void puts_(const char *s)
{
    while (*s) {
        put_char(*s++);
    }
}

static void put_hex(unsigned long v)
{
    puts_("0x");
    for (int shift = 60; shift >= 0; shift -= 4) {
        put_char("0123456789abcdef"[(v >> shift) & 0xf]);
    }
}

static void put_dec(unsigned long v)
{
    if (v >= 10) {
        put_dec(v / 10);
    }
    put_char((char)('0' + v % 10));
}

static unsigned long word_at(unsigned long addr) { return *(volatile unsigned long *)addr; }
static void set_word(unsigned long addr, unsigned long v) { *(volatile unsigned long *)addr = v; }

static int checks, failures;

static void check(const char *what, unsigned long got, unsigned long want)
{
    checks++;
    if (got != want) {
        failures++;
        puts_(BARE_ROOT_NAME ": FAIL: ");
        puts_(what);
        puts_(": got ");
        put_hex(got);
        puts_(", want ");
        put_hex(want);
        put_char('\n');
    }
}

static unsigned long cap_identify(unsigned long cap)
{
    struct regs r = {{cap}};
    syscall(SYS_DEBUG_CAP_IDENTIFY, &r);
    return r.x[0];
}

/* "NAME: all N checks passed" or "NAME: FAILED N checks" (what the tests look for), then
 * TCB_Suspend (its label: suspend_label) on the root's own TCB (its slot: root_tcb). */
static void __attribute__((noreturn)) finish(unsigned long root_tcb, unsigned long suspend_label)
{
    puts_(failures == 0 ? BARE_ROOT_NAME ": all " : BARE_ROOT_NAME ": FAILED ");
    put_dec((unsigned long)(failures == 0 ? checks : failures));
    puts_(failures == 0 ? " checks passed\n" : " checks\n");
    struct regs r = {{root_tcb, MSG_INFO(suspend_label, 0, 0)}};
    syscall(SYS_CALL, &r);
    for (;;) {
    }
}

/* The kernel enters at _start with x0 = the bootinfo frame and SP_EL0 = 0: give it a stack. */
void root_main(unsigned long bootinfo);
unsigned char root_stack[4096] __attribute__((aligned(16)));
__asm__(".global _start\n"
        "_start:\n"
        "    adrp x9, root_stack + 4096\n"
        "    add x9, x9, :lo12:root_stack + 4096\n"
        "    mov sp, x9\n"
        "    bl root_main\n"
        "1:  b 1b\n");

#endif
