/* SPDX-License-Identifier: BSD-2-Clause */
/* Root tasks that probe the emulated EL0 (tests/emu/check_emu.py), one per PROBE value, built with
 * `aarch64-linux-gnu-gcc -nostdlib -static` from the ABI's numbers alone (as minimal_root.c). Each
 * does one thing real hardware answers in a known way: a fault with no handler, which the kernel
 * prints ("vm fault on data at address ... with status ..."), or a result it prints itself with
 * seL4_DebugPutChar before it suspends. */
#ifndef PROBE
#error "build with -DPROBE=<name>"
#endif

#define SYS_CALL (-1L)
#define SYS_DEBUG_PUT_CHAR (-9L)
#define CAP_INIT_THREAD_TCB 1UL
#define LABEL_TCB_SUSPEND 11UL
#define LABEL_TCB_SET_FLAGS 16UL
#define TCB_FLAG_FPU_DISABLED 1UL
#define MSG_INFO(label, length) (((label) << 12) | (length))

#define PROBE_READ_UNMAPPED 1  /* data abort, translation fault, read */
#define PROBE_WRITE_UNMAPPED 2 /* data abort, translation fault, write (WnR) */
#define PROBE_EXEC_XN 3        /* instruction abort: permission fault, the bootinfo frame is XN */
#define PROBE_UDF 4            /* undefined instruction: UserException, EC 0 */
#define PROBE_FP_DISABLED 5    /* FP/SIMD with fpuDisabled: UserException, EC 0x07 */
#define PROBE_BRK 6            /* brk #0x123: UserException, EC 0x3C, ISS 0x123 */
#define PROBE_PRESERVE 7       /* x19-x28, d8-d15, NZCV, TPIDR_EL0 survive timer preemption */
#define PROBE_TPIDRRO_WRITE 8  /* msr tpidrro_el0 at EL0 is undefined */
#define PROBE_SPIN 9 /* a fixed instruction count, then suspend: the timer's determinism */
#define PROBE_WFI 10 /* WFI at EL0 traps (the aarch64 port clears SCTLR_EL1.nTWI): EC 0x01 */
#define PROBE_EL0_SYSREGS 11 /* CTR_EL0 and DC CIVAC are EL0's (SCTLR_EL1.UCT, UCI set) */
/* 768 pages of the image written and read back: more than an engine holds page by page. */
#define PROBE_MANY_PAGES 12
#define MANY_PAGES 768

static unsigned long syscall4(long number, unsigned long x0, unsigned long x1, unsigned long x2,
                              unsigned long x3)
{
    register unsigned long r0 __asm__("x0") = x0;
    register unsigned long r1 __asm__("x1") = x1;
    register unsigned long r2 __asm__("x2") = x2;
    register unsigned long r3 __asm__("x3") = x3;
    register long r7 __asm__("x7") = number;
    __asm__ volatile("svc #0"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
                     : "r"(r7)
                     : "x4", "x5", "x6", "memory");
    return r0;
}

static void put(const char *s)
{
    for (; *s; s++) {
        syscall4(SYS_DEBUG_PUT_CHAR, (unsigned long)(unsigned char)*s, 0, 0, 0);
    }
}

__attribute__((unused)) static void put_hex(unsigned long v)
{
    char buf[19] = "0x";
    for (int i = 0; i < 16; i++) {
        buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xf];
    }
    buf[18] = '\0';
    put(buf);
}

static void suspend_self(void)
{
    syscall4(SYS_CALL, CAP_INIT_THREAD_TCB, MSG_INFO(LABEL_TCB_SUSPEND, 0), 0, 0);
}

/* x19-x28 and d8-d15 := pattern + i, NZCV := 0b1010, TPIDR_EL0 := pattern; spin n iterations
 * (preempted on the way); return how many of them changed. */
unsigned long preserve_loop(unsigned long n, unsigned long pattern);
__asm__(".global preserve_loop\n"
        "preserve_loop:\n"
        "    stp x29, x30, [sp, #-96]!\n"
        "    stp x19, x20, [sp, #16]\n"
        "    stp x21, x22, [sp, #32]\n"
        "    stp x23, x24, [sp, #48]\n"
        "    stp x25, x26, [sp, #64]\n"
        "    stp x27, x28, [sp, #80]\n"
        "    add x19, x1, #19\n    add x20, x1, #20\n    add x21, x1, #21\n    add x22, x1, #22\n"
        "    add x23, x1, #23\n    add x24, x1, #24\n    add x25, x1, #25\n    add x26, x1, #26\n"
        "    add x27, x1, #27\n    add x28, x1, #28\n"
        "    fmov d8, x19\n    fmov d9, x20\n    fmov d10, x21\n    fmov d11, x22\n"
        "    fmov d12, x23\n    fmov d13, x24\n    fmov d14, x25\n    fmov d15, x26\n"
        "    msr tpidr_el0, x1\n"
        "    mov x9, #0xa0000000\n"
        "    msr nzcv, x9\n"
        "1:  sub x0, x0, #1\n"
        "    cbnz x0, 1b\n"
        "    mrs x10, nzcv\n"
        "    cmp x10, x9\n    cinc x0, x0, ne\n"
        "    mrs x10, tpidr_el0\n"
        "    cmp x10, x1\n    cinc x0, x0, ne\n"
        "    add x9, x1, #19\n    cmp x19, x9\n    cinc x0, x0, ne\n"
        "    add x9, x1, #20\n    cmp x20, x9\n    cinc x0, x0, ne\n"
        "    add x9, x1, #21\n    cmp x21, x9\n    cinc x0, x0, ne\n"
        "    add x9, x1, #22\n    cmp x22, x9\n    cinc x0, x0, ne\n"
        "    add x9, x1, #23\n    cmp x23, x9\n    cinc x0, x0, ne\n"
        "    add x9, x1, #24\n    cmp x24, x9\n    cinc x0, x0, ne\n"
        "    add x9, x1, #25\n    cmp x25, x9\n    cinc x0, x0, ne\n"
        "    add x9, x1, #26\n    cmp x26, x9\n    cinc x0, x0, ne\n"
        "    add x9, x1, #27\n    cmp x27, x9\n    cinc x0, x0, ne\n"
        "    add x9, x1, #28\n    cmp x28, x9\n    cinc x0, x0, ne\n"
        "    fmov x10, d8\n    cmp x10, x19\n    cinc x0, x0, ne\n"
        "    fmov x10, d9\n    cmp x10, x20\n    cinc x0, x0, ne\n"
        "    fmov x10, d10\n    cmp x10, x21\n    cinc x0, x0, ne\n"
        "    fmov x10, d11\n    cmp x10, x22\n    cinc x0, x0, ne\n"
        "    fmov x10, d12\n    cmp x10, x23\n    cinc x0, x0, ne\n"
        "    fmov x10, d13\n    cmp x10, x24\n    cinc x0, x0, ne\n"
        "    fmov x10, d14\n    cmp x10, x25\n    cinc x0, x0, ne\n"
        "    fmov x10, d15\n    cmp x10, x26\n    cinc x0, x0, ne\n"
        "    ldp x19, x20, [sp, #16]\n"
        "    ldp x21, x22, [sp, #32]\n"
        "    ldp x23, x24, [sp, #48]\n"
        "    ldp x25, x26, [sp, #64]\n"
        "    ldp x27, x28, [sp, #80]\n"
        "    ldp x29, x30, [sp], #96\n"
        "    ret\n");

void root_main(unsigned long bootinfo);
extern unsigned char root_stack[4096];

void root_main(unsigned long bootinfo)
{
    put("probe: start\n");
#if PROBE == PROBE_READ_UNMAPPED
    (void)*(volatile unsigned long *)0x10;
#elif PROBE == PROBE_WRITE_UNMAPPED
    *(volatile unsigned long *)0x12345678 = 1;
#elif PROBE == PROBE_EXEC_XN
    ((void (*)(void))bootinfo)();
#elif PROBE == PROBE_UDF
    __asm__ volatile("udf #0");
#elif PROBE == PROBE_FP_DISABLED
    syscall4(SYS_CALL, CAP_INIT_THREAD_TCB, MSG_INFO(LABEL_TCB_SET_FLAGS, 2), 0,
             TCB_FLAG_FPU_DISABLED);
    put("probe: fpu disabled\n");
    __asm__ volatile("fmov d0, xzr" ::: "d0");
#elif PROBE == PROBE_BRK
    __asm__ volatile("brk #0x123");
#elif PROBE == PROBE_PRESERVE
    unsigned long changed = preserve_loop(200000, 0x5a5a000000000000ul);
    put("probe: changed ");
    put_hex(changed);
    put("\n");
#elif PROBE == PROBE_TPIDRRO_WRITE
    __asm__ volatile("msr tpidrro_el0, %0" ::"r"(bootinfo));
#elif PROBE == PROBE_WFI
    __asm__ volatile("wfi");
#elif PROBE == PROBE_EL0_SYSREGS
    unsigned long ctr;
    __asm__ volatile("mrs %0, ctr_el0\n dc civac, %1" : "=r"(ctr) : "r"(root_stack) : "memory");
    put(ctr != 0 ? "probe: ctr_el0 read\n" : "probe: ctr_el0 is 0\n");
#elif PROBE == PROBE_MANY_PAGES
    static unsigned char pages[MANY_PAGES * 4096] __attribute__((aligned(4096)));
    for (unsigned long i = 0; i < MANY_PAGES; i++) {
        ((volatile unsigned char *)pages)[i * 4096 + i % 4096] = (unsigned char)(i * 7 + 1);
    }
    unsigned long bad = 0;
    for (unsigned long i = 0; i < MANY_PAGES; i++) {
        bad += ((volatile unsigned char *)pages)[i * 4096 + i % 4096] != (unsigned char)(i * 7 + 1);
    }
    put(bad == 0 ? "probe: pages intact\n" : "probe: pages lost\n");
#elif PROBE == PROBE_SPIN
    for (volatile unsigned long i = 0; i < 100000; i++) {
    }
#else
#error "unknown PROBE"
#endif
    (void)bootinfo;
    put("probe: done\n");
    suspend_self();
    for (;;) {
    }
}

unsigned char root_stack[4096] __attribute__((aligned(16)));
__asm__(".global _start\n"
        "_start:\n"
        "    adrp x9, root_stack + 4096\n"
        "    add x9, x9, :lo12:root_stack + 4096\n"
        "    mov sp, x9\n"
        "    bl root_main\n"
        "1:  b 1b\n");
