/* SPDX-License-Identifier: BSD-2-Clause */
/* The emulated-EL0 benchmark's root task (bench/bench_emu.c), built with aarch64-linux-gnu-gcc
 * -nostdlib -static from the ABI's numbers alone: BENCH_YIELD makes ROUNDS seL4_Yield system calls
 * (a null system call: one kernel entry and exit each), BENCH_SPIN executes 50 * ROUNDS iterations
 * of a two-instruction loop (the engine's instruction rate); then it suspends itself. */
#define SYS_CALL (-1L)
#define SYS_YIELD (-7L)
#define CAP_INIT_THREAD_TCB 1UL
#define LABEL_TCB_SUSPEND 11UL
#define ROUNDS 200000UL

static unsigned long syscall2(long number, unsigned long x0, unsigned long x1)
{
    register unsigned long r0 __asm__("x0") = x0;
    register unsigned long r1 __asm__("x1") = x1;
    register long r7 __asm__("x7") = number;
    __asm__ volatile("svc #0"
                     : "+r"(r0), "+r"(r1)
                     : "r"(r7)
                     : "x2", "x3", "x4", "x5", "x6", "memory");
    return r0;
}

void _start(void);

void _start(void)
{
#if defined(BENCH_YIELD)
    for (unsigned long i = 0; i < ROUNDS; i++) {
        syscall2(SYS_YIELD, 0, 0);
    }
#else
    unsigned long n = 50 * ROUNDS;
    __asm__ volatile("1: subs %0, %0, #1\n b.ne 1b" : "+r"(n));
#endif
    syscall2(SYS_CALL, CAP_INIT_THREAD_TCB, LABEL_TCB_SUSPEND << 12);
    for (;;) {
    }
}
