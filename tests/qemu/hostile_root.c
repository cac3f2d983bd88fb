/* SPDX-License-Identifier: BSD-2-Clause */
/* A hostile root task for the aarch64 port: a child thread executes what any user program may
 * legitimately execute on the CPU QEMU models (-cpu cortex-a53 ... max), and the kernel must
 * survive each and answer it as seL4 does (docs/abi.md#faults):
 *  - writes to every EL0-writable PSTATE field (NZCV; DIT, SSBS, TCO where the CPU has them:
 *    tried under the fault handler, an absent one is an undefined instruction), kept across
 *    kernel entries (a system call, timer interrupts) and visible in the SPSR of a fault message;
 *  - indirect branches (br, blr) in a loop long enough for timer interrupts to land between a
 *    branch and its target (PSTATE.BTYPE in the saved SPSR on CPUs with BTI);
 *  - FP/SIMD state (V0-V31, FPCR, FPSR) kept across system calls, interrupts and switches to a
 *    witness thread that uses FP/SIMD too;
 *  - cache maintenance (dc, ic) on its own memory, on unmapped and on kernel addresses;
 *  - reads of every EL0-readable system register, and of some that EL0 may not read;
 *  - a misaligned stack pointer;
 *  - svc with every register garbage (seeded), from a thread with its own small CSpace.
 * Every probe ends in a fault the root (its fault handler) receives: it must be the one expected
 * (a brk at the probe's end when the code ran, else the UserException or VMFault seL4 gives), and
 * afterwards the kernel must answer and a witness thread must still run with its registers
 * intact. Reproducible: the garbage comes from a seed (boot argument hostile.seed=N, printed).
 * The expected CPU features come from hostile.expect=LIST (ssbs, dit, tco; run-hostile.sh picks
 * them per -cpu), and detection must agree. Prints "ok"/"not ok" per case and "N passed, M
 * failed"; tests/qemu/run-hostile.sh judges the console. */
#include <kaal/alloc.h>
#include <kaal/bootinfo.h>
#include <kaal/print.h>
#include <kaal/start.h>
#include <kaal/sys.h>

#include "case_report.h"

/* --- the probes: each starts at its label with x0 = a result area and ends in brk #7 --- */
#define BRK_DONE 7
/* seL4_Yield's number as assembler text (it moves under MCS); checked against the ABI's. */
#ifdef CONFIG_KERNEL_MCS
#define SYS_YIELD "-11"
_Static_assert(seL4_SysYield == -11, "SYS_YIELD is seL4_SysYield");
#else
#define SYS_YIELD "-7"
_Static_assert(seL4_SysYield == -7, "SYS_YIELD is seL4_SysYield");
#endif
__asm__(".pushsection .text.hostile, \"ax\"\n"
        ".balign 16\n"
        /* NZCV: set all four, a system call, read them back. */
        ".global p_nzcv\n"
        "p_nzcv: mov x19, x0\n"
        "  mov x1, #0xf0000000\n"
        "  msr nzcv, x1\n"
        "  mov x7, #" SYS_YIELD "\n" /* seL4_Yield */
        "  svc #0\n"
        "  mrs x2, nzcv\n"
        "  str x2, [x19]\n"
        "  brk #7\n"
        /* SSBS, DIT, TCO (immediate forms: .inst, the assembler's baseline lacks them): set, a
         * system call, a spin for timer interrupts, read back; the brk's SPSR shows the bit. */
        ".global p_ssbs_set\n"
        "p_ssbs_set: mov x19, x0\n"
        "  .inst 0xd503413f\n" /* msr ssbs, #1 */
        "  mov x7, #" SYS_YIELD "\n"
        "  svc #0\n"
        "  mov x1, #0x100000\n"
        "1: subs x1, x1, #1\n"
        "  b.ne 1b\n"
        "  .inst 0xd53b42c2\n" /* mrs x2, ssbs */
        "  str x2, [x19]\n"
        "  brk #7\n"
        ".global p_ssbs_clear\n"
        "p_ssbs_clear: mov x19, x0\n"
        "  .inst 0xd503403f\n" /* msr ssbs, #0 */
        "  mov x7, #" SYS_YIELD "\n"
        "  svc #0\n"
        "  .inst 0xd53b42c2\n"
        "  str x2, [x19]\n"
        "  brk #7\n"
        ".global p_dit_set\n"
        "p_dit_set: mov x19, x0\n"
        "  .inst 0xd503415f\n" /* msr dit, #1 */
        "  mov x7, #" SYS_YIELD "\n"
        "  svc #0\n"
        "  mov x1, #0x100000\n"
        "1: subs x1, x1, #1\n"
        "  b.ne 1b\n"
        "  .inst 0xd53b42a2\n" /* mrs x2, dit */
        "  str x2, [x19]\n"
        "  brk #7\n"
        ".global p_dit_clear\n"
        "p_dit_clear: mov x19, x0\n"
        "  .inst 0xd503405f\n" /* msr dit, #0 */
        "  mov x7, #" SYS_YIELD "\n"
        "  svc #0\n"
        "  .inst 0xd53b42a2\n"
        "  str x2, [x19]\n"
        "  brk #7\n"
        ".global p_tco_set\n"
        "p_tco_set: mov x19, x0\n"
        "  .inst 0xd503419f\n" /* msr tco, #1 */
        "  mov x7, #" SYS_YIELD "\n"
        "  svc #0\n"
        "  .inst 0xd53b42e2\n" /* mrs x2, tco */
        "  str x2, [x19]\n"
        "  .inst 0xd503409f\n" /* msr tco, #0 */
        "  brk #7\n"
        /* Indirect branches, x1 rounds of br then blr (each target right after its branch), so
         * that timer interrupts land between a branch and its target; counts in x3. */
        ".global p_branches\n"
        "p_branches: mov x19, x0\n"
        "  ldr x1, [x19]\n"
        "  mov x3, #0\n"
        "1: adr x9, 2f\n"
        "  br x9\n"
        "2: add x3, x3, #1\n"
        "  adr x10, 3f\n"
        "  blr x10\n"
        "3: add x3, x3, #1\n"
        "  subs x1, x1, #1\n"
        "  b.ne 1b\n"
        "  str x3, [x19, #8]\n"
        "  brk #7\n"
        /* FP/SIMD: V0-V31 from [x0 + 16], FPCR from [x0], x1 system calls and a spin each, then
         * V0-V31 to [x0 + 16 + 512], FPCR and FPSR to [x0 + 8] and [x0 + 1040]. */
        ".global p_fpsimd\n"
        "p_fpsimd: mov x19, x0\n"
        "  ldr x1, [x19]\n"
        "  msr fpcr, x1\n"
        "  add x2, x19, #16\n"
        "  ld1 {v0.16b-v3.16b}, [x2], #64\n"
        "  ld1 {v4.16b-v7.16b}, [x2], #64\n"
        "  ld1 {v8.16b-v11.16b}, [x2], #64\n"
        "  ld1 {v12.16b-v15.16b}, [x2], #64\n"
        "  ld1 {v16.16b-v19.16b}, [x2], #64\n"
        "  ld1 {v20.16b-v23.16b}, [x2], #64\n"
        "  ld1 {v24.16b-v27.16b}, [x2], #64\n"
        "  ld1 {v28.16b-v31.16b}, [x2], #64\n"
        "  mov x20, #64\n"
        "1: mov x7, #" SYS_YIELD "\n"
        "  svc #0\n"
        "  mov x1, #0x4000\n"
        "2: subs x1, x1, #1\n"
        "  b.ne 2b\n"
        "  subs x20, x20, #1\n"
        "  b.ne 1b\n"
        "  add x2, x19, #528\n"
        "  st1 {v0.16b-v3.16b}, [x2], #64\n"
        "  st1 {v4.16b-v7.16b}, [x2], #64\n"
        "  st1 {v8.16b-v11.16b}, [x2], #64\n"
        "  st1 {v12.16b-v15.16b}, [x2], #64\n"
        "  st1 {v16.16b-v19.16b}, [x2], #64\n"
        "  st1 {v20.16b-v23.16b}, [x2], #64\n"
        "  st1 {v24.16b-v27.16b}, [x2], #64\n"
        "  st1 {v28.16b-v31.16b}, [x2], #64\n"
        "  mrs x1, fpcr\n"
        "  str x1, [x19, #8]\n"
        "  mrs x1, fpsr\n"
        "  str x1, [x19, #1040]\n"
        "  brk #7\n"
        /* A misaligned SP across a system call (the kernel never uses it), then put back. */
        ".global p_sp_syscall\n"
        "p_sp_syscall: mov x19, sp\n"
        "  sub x1, x19, #13\n"
        "  mov sp, x1\n"
        "  mov x7, #" SYS_YIELD "\n"
        "  svc #0\n"
        "  mov x2, sp\n"
        "  str x2, [x0]\n"
        "  mov sp, x19\n"
        "  brk #7\n"
        /* svc with every register from [x0] (x0..x30): garbage, then brk #8 if it returns. */
        ".global p_garbage_svc\n"
        "p_garbage_svc: mov x30, x0\n"
        "  ldp x0, x1, [x30, #0]\n"
        "  ldp x2, x3, [x30, #16]\n"
        "  ldp x4, x5, [x30, #32]\n"
        "  ldp x6, x7, [x30, #48]\n"
        "  ldp x8, x9, [x30, #64]\n"
        "  ldp x10, x11, [x30, #80]\n"
        "  ldp x12, x13, [x30, #96]\n"
        "  ldp x14, x15, [x30, #112]\n"
        "  ldp x16, x17, [x30, #128]\n"
        "  ldp x18, x19, [x30, #144]\n"
        "  ldp x20, x21, [x30, #160]\n"
        "  ldp x22, x23, [x30, #176]\n"
        "  ldp x24, x25, [x30, #192]\n"
        "  ldp x26, x27, [x30, #208]\n"
        "  ldp x28, x29, [x30, #224]\n"
        "  ldr x30, [x30, #240]\n"
        ".global p_garbage_svc_insn\n"
        "p_garbage_svc_insn: svc #0\n"
        "  brk #8\n"
        ".popsection\n");
extern const char p_nzcv[], p_ssbs_set[], p_ssbs_clear[], p_dit_set[], p_dit_clear[], p_tco_set[],
    p_branches[], p_fpsimd[], p_sp_syscall[], p_garbage_svc[], p_garbage_svc_insn[];

/* One-instruction probes: the instruction, then brk #7. x0 is the address operand. */
#define ONE(name, insn)                                \
    __asm__(".pushsection .text.hostile, \"ax\"\n"     \
            ".global " #name "\n" #name ": " insn "\n" \
            "  brk #7\n"                               \
            ".popsection\n");                          \
    extern const char name[];
/* System registers EL0 may read (SCTLR_EL1.UCT set; the counters depend on CNTKCTL_EL1). */
ONE(r_tpidr, "mrs x1, tpidr_el0")
ONE(w_tpidr, "msr tpidr_el0, x0")
ONE(r_tpidrro, "mrs x1, tpidrro_el0")
ONE(w_tpidrro, "msr tpidrro_el0, x0")
ONE(r_ctr, "mrs x1, ctr_el0")
ONE(r_dczid, "mrs x1, dczid_el0")
ONE(r_fpcr, "mrs x1, fpcr")
ONE(r_fpsr, "mrs x1, fpsr")
ONE(r_nzcv, "mrs x1, nzcv")
ONE(r_cntvct, "mrs x1, cntvct_el0")
ONE(r_cntpct, "mrs x1, cntpct_el0")
ONE(r_cntfrq, "mrs x1, cntfrq_el0")
ONE(r_cntv_ctl, "mrs x1, cntv_ctl_el0")
ONE(r_rndr, "mrs x1, s3_3_c2_c4_0") /* RNDR (FEAT_RNG): EL0-readable where present */
ONE(r_pmccntr, "mrs x1, pmccntr_el0")
ONE(r_daif, "mrs x1, daif")
ONE(w_daifset, "msr daifset, #2")
ONE(r_midr, "mrs x1, midr_el1")
ONE(r_pfr1, "mrs x1, id_aa64pfr1_el1")
ONE(r_currentel, "mrs x1, currentel")
ONE(r_sctlr, "mrs x1, sctlr_el1")
ONE(w_spsel, "msr spsel, #1")
ONE(i_wfi, "wfi")
ONE(i_wfe, "sevl; wfe")
ONE(i_barriers, "isb; dsb sy; dmb ish; clrex; yield; sev")
ONE(i_exclusive, "ldaxr x1, [x0]; stlxr w2, x1, [x0]")
/* A misaligned SP as a base register: an SP alignment fault if SCTLR_EL1.SA0, else it loads. */
ONE(i_sp_load, "mov sp, x0; ldr x1, [sp]")
/* Cache maintenance by address (x0): allowed at EL0 with SCTLR_EL1.UCI, except dc ivac. */
ONE(c_dc_cvac, "dc cvac, x0")
ONE(c_dc_civac, "dc civac, x0")
ONE(c_dc_cvau, "dc cvau, x0")
ONE(c_ic_ivau, "ic ivau, x0")
ONE(c_dc_zva, "dc zva, x0")
ONE(c_dc_ivac, "dc ivac, x0")
ONE(c_ic_iallu, "ic iallu")
ONE(c_dc_cvap, ".inst 0xd50b7c20") /* dc cvap, x0 (FEAT_DPB) */

#define STACK_SIZE 4096
static _Alignas(16) unsigned char child_stack[STACK_SIZE];
static _Alignas(16) unsigned char witness_stack[STACK_SIZE];
static _Alignas(64) volatile seL4_Word result[160];
static _Alignas(4096) volatile unsigned char own_page[4096];

/* Exception classes (ESR_EL1.EC) the answers are judged by. */
#define EC_UNKNOWN 0x00
#define EC_WFX 0x01
#define EC_SYSREG 0x18
#define EC_DABT 0x24
#define EC_SP_ALIGN 0x26
#define EC_BRK 0x3c

/* --- seeded garbage: xorshift64* --- */
static seL4_Word rng_state;
static seL4_Word rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

/* --- boot arguments: "hostile.seed=N" and "hostile.expect=a,b" in the device tree's bootargs
 * (QEMU -append). A plain search of the FDT blob: the property value is a NUL-terminated string. */
static const char *fdt_arg(const seL4_BootInfo *bi, const char *key)
{
    seL4_Word size = 0;
    const char *fdt = kaal_bootinfo_fdt(bi, &size);
    for (seL4_Word i = 0; fdt != 0 && i < size; i++) {
        seL4_Word k = 0;
        while (key[k] != 0 && i + k < size && fdt[i + k] == key[k]) {
            k++;
        }
        if (key[k] == 0) {
            return &fdt[i + k];
        }
    }
    return 0;
}

static seL4_Word parse_dec(const char *s)
{
    seL4_Word v = 0;
    while (s != 0 && *s >= '0' && *s <= '9') {
        v = v * 10 + (seL4_Word)(*s++ - '0');
    }
    return v;
}

/* Is feature `name` in the comma-separated list at s (ending at a space or NUL)? */
static int listed(const char *s, const char *name)
{
    while (s != 0 && *s != 0 && *s != ' ') {
        seL4_Word k = 0;
        while (name[k] != 0 && s[k] == name[k]) {
            k++;
        }
        if (name[k] == 0 && (s[k] == ',' || s[k] == ' ' || s[k] == 0)) {
            return 1;
        }
        while (*s != 0 && *s != ',' && *s != ' ') {
            s++;
        }
        if (*s == ',') {
            s++;
        }
    }
    return 0;
}

/* --- threads --- */
static struct kaal_slots slots;
static struct kaal_untyped_pool pool;
static seL4_CPtr fault_ep, witness_ntfn, child_tcb, witness_tcb, garbage_tcb, garbage_cnode;
#ifdef CONFIG_KERNEL_MCS
/* MCS: the root receives faults with a reply object, and each thread runs on a scheduling context
 * of its own, round robin with the root's budget (5 ms). */
static seL4_CPtr fault_reply, sched_control;
#define THREAD_BUDGET_US (CONFIG_BOOT_THREAD_TIME_SLICE * 1000u)
#endif

static seL4_CPtr alloc(seL4_Word type, seL4_Word size_bits)
{
    seL4_CPtr cap = seL4_CapNull;
    if (kaal_untyped_alloc(&pool, type, size_bits, &cap) != seL4_NoError) {
        kaal_puts("hostile: cannot allocate an object\n");
    }
    return cap;
}

#ifdef CONFIG_KERNEL_MCS
/* A round-robin scheduling context for tcb, bound with priority and fault handler. */
static seL4_Error give_sched_context(seL4_CPtr tcb, seL4_Word priority, seL4_CPtr fault_handler)
{
    seL4_CPtr sc = alloc(seL4_SchedContextObject, seL4_MinSchedContextBits);
    seL4_Error e = sys_sched_control_configure_flags(
        sched_control, sc, THREAD_BUDGET_US, THREAD_BUDGET_US, 0, 0, seL4_SchedContext_NoFlag);
    return e != seL4_NoError ? e
                             : sys_tcb_set_sched_params(tcb, seL4_CapInitThreadTCB, 0, priority, sc,
                                                        fault_handler);
}
#endif

static seL4_CPtr make_thread(const char *name, seL4_Word priority)
{
    seL4_CPtr tcb = alloc(seL4_TCBObject, 0);
#ifdef CONFIG_KERNEL_MCS
    if (sys_tcb_configure(tcb, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0, 0,
                          seL4_CapNull) != seL4_NoError ||
        give_sched_context(tcb, priority, fault_ep) != seL4_NoError) {
        kaal_puts("hostile: cannot configure a thread\n");
    }
#else
    if (sys_tcb_configure(tcb, fault_ep, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0, 0,
                          seL4_CapNull) != seL4_NoError ||
        sys_tcb_set_priority(tcb, seL4_CapInitThreadTCB, priority) != seL4_NoError) {
        kaal_puts("hostile: cannot configure a thread\n");
    }
#endif
    sys_debug_name_thread(tcb, name);
    return tcb;
}

static seL4_Error start(seL4_CPtr tcb, const void *pc, seL4_Word arg, unsigned char *stack)
{
    seL4_UserContext regs = {0};
    regs.pc = (seL4_Word)pc;
    regs.sp = (seL4_Word)(stack + STACK_SIZE);
    regs.x0 = arg;
    return sys_tcb_write_registers(tcb, 1, 0, 4, &regs);
}

/* The witness: integer and FP/SIMD registers it keeps across everything the others do. */
static volatile seL4_Word witness_rounds, witness_broken;
static void witness(seL4_CPtr ntfn)
{
    for (;;) {
        seL4_Word bad;
        __asm__ volatile("mov x19, #0x919\n"
                         "mov x28, #0x828\n"
                         "movi v8.16b, #0x55\n"
                         "movi v31.16b, #0xaa\n"
                         "mov x1, #20000\n"
                         "1: subs x1, x1, #1\n"
                         "b.ne 1b\n"
                         "mov %0, #0\n"
                         "cmp x19, #0x919\n"
                         "cinc %0, %0, ne\n"
                         "cmp x28, #0x828\n"
                         "cinc %0, %0, ne\n"
                         "umov x1, v8.d[1]\n"
                         "mov x2, #0x5555555555555555\n"
                         "cmp x1, x2\n"
                         "cinc %0, %0, ne\n"
                         "umov x1, v31.d[0]\n"
                         "mvn x2, x2\n"
                         "cmp x1, x2\n"
                         "cinc %0, %0, ne\n"
                         : "=&r"(bad)
                         :
                         : "x1", "x2", "x19", "x28", "v8", "v31", "cc");
        if (bad) {
            witness_broken++;
        }
        witness_rounds++;
        if ((witness_rounds & 0xff) == 0) {
            sys_signal(ntfn);
        }
    }
}

static void check_witness(void)
{
    seL4_Word before = witness_rounds;
    sys_wait(witness_ntfn, 0);
    sys_wait(witness_ntfn, 0);
    EXPECT(witness_rounds > before, witness_rounds, before);
    EXPECT_EQ(witness_broken, 0);
}

static void check_kernel(void)
{
    EXPECT_EQ(sys_debug_cap_identify(seL4_CapInitThreadTCB), 12);
    EXPECT_EQ(sys_debug_cap_identify(fault_ep), 4);
}

/* --- running a probe --- */
enum outcome { RAN, TRAPPED, VMFAULT, OTHER };
static seL4_Word mr[16];
static seL4_Word fault_label;

/* Run the child at pc with x0 = arg until its first fault (the root is its fault handler). */
static enum outcome run_probe(const char *pc, seL4_Word arg)
{
    EXPECT_EQ(start(child_tcb, pc, arg, child_stack), seL4_NoError);
    seL4_Word badge = 1;
#ifdef CONFIG_KERNEL_MCS
    seL4_MessageInfo_t info = sys_recv(fault_ep, &badge, fault_reply);
#else
    seL4_MessageInfo_t info = sys_recv(fault_ep, &badge);
#endif
    fault_label = seL4_MessageInfo_get_label(info);
    for (unsigned i = 0; i < 16; i++) {
        mr[i] = sys_get_mr((int)i);
    }
    EXPECT_EQ(badge, 0);
    EXPECT_EQ(sys_tcb_suspend(child_tcb), seL4_NoError);
    if (fault_label == seL4_Fault_VMFault) {
        return VMFAULT;
    }
    if (fault_label != seL4_Fault_UserException) {
        return OTHER;
    }
    seL4_Word ec = mr[seL4_UserException_Number] >> 26;
    if (ec == EC_BRK && (mr[seL4_UserException_Number] & 0xffff) == BRK_DONE) {
        return RAN;
    }
    return TRAPPED;
}

/* Outcome masks: which answers are right for a probe. */
#define A_RAN 1u
#define A_UNDEF 2u    /* UserException, EC 0x00, FaultIP = the instruction */
#define A_SYSREG 4u   /* UserException, EC 0x18 (trapped system register / instruction) */
#define A_WFX 8u      /* UserException, EC 0x01 */
#define A_VMFAULT 16u /* VMFault on a data access at arg */
#define A_SPALIGN 32u /* UserException, EC 0x26 (SP alignment) */

/* A one-instruction probe (or the first instruction of a longer one): the answer must be one of
 * `allowed`; returns the mask bit of the answer. */
static unsigned probe(const char *name, const char *pc, seL4_Word arg, unsigned allowed, int print)
{
    enum outcome o = run_probe(pc, arg);
    unsigned got = 0;
    switch (o) {
    case RAN:
        got = A_RAN;
        break;
    case TRAPPED: {
        seL4_Word ec = mr[seL4_UserException_Number] >> 26;
        got = ec == EC_UNKNOWN    ? A_UNDEF
              : ec == EC_SYSREG   ? A_SYSREG
              : ec == EC_WFX      ? A_WFX
              : ec == EC_SP_ALIGN ? A_SPALIGN
                                  : 0;
        /* FaultIP: the probe's (first) instruction, or for the SP probe the load after the mov. */
        EXPECT_EQ(mr[seL4_UserException_FaultIP], (seL4_Word)pc + (got == A_SPALIGN ? 4 : 0));
        EXPECT(got != 0, mr[seL4_UserException_Number], 0);
        break;
    }
    case VMFAULT:
        got = A_VMFAULT;
        EXPECT_EQ(mr[seL4_VMFault_IP], (seL4_Word)pc);
        EXPECT_EQ(mr[seL4_VMFault_Addr], arg);
        EXPECT_EQ(mr[seL4_VMFault_PrefetchFault], 0);
        EXPECT_EQ(mr[seL4_VMFault_FSR] >> 26, EC_DABT);
        break;
    case OTHER:
        EXPECT(0, fault_label, 0);
        break;
    }
    EXPECT((got & allowed) != 0, got, allowed);
    check_kernel();
    if (print) {
        kaal_puts("hostile: ");
        kaal_puts(name);
        kaal_puts(got == A_RAN       ? ": ran\n"
                  : got == A_VMFAULT ? ": VMFault\n"
                                     : ": UserException ESR ");
        if (got != A_RAN && got != A_VMFAULT) {
            kaal_put_hex(mr[seL4_UserException_Number]);
            kaal_puts("\n");
        }
    }
    return got;
}

/* --- PSTATE --- */
#define SPSR_SSBS (1ul << 12)
#define SPSR_DIT (1ul << 24)
#define SPSR_TCO (1ul << 25)

/* A PSTATE bit: set it (or find the CPU has no such field: an undefined instruction), keep it
 * across a system call and timer interrupts, see it in the fault's SPSR; then clear it. Returns
 * whether the CPU has the field. */
static int case_pstate_bit(const char *name, const char *set, const char *clear, seL4_Word bit,
                           int expected)
{
    result[0] = 0xdead;
    enum outcome o = run_probe(set, (seL4_Word)result);
    int present = o == RAN;
    if (present) {
        EXPECT_EQ(result[0] & bit, bit);
        EXPECT_EQ(mr[seL4_UserException_SPSR] & bit, bit);
        EXPECT_EQ(mr[seL4_UserException_SPSR] & 0x1f, 0); /* EL0t: the mode stays the kernel's */
        if (clear != 0) {
            result[0] = 0xdead;
            EXPECT_EQ(run_probe(clear, (seL4_Word)result), RAN);
            EXPECT_EQ(result[0] & bit, 0);
            EXPECT_EQ(mr[seL4_UserException_SPSR] & bit, 0);
        }
    } else {
        /* No such field: msr to it is an undefined instruction (EC 0). */
        EXPECT_EQ(o, TRAPPED);
        EXPECT_EQ(mr[seL4_UserException_Number] >> 26, EC_UNKNOWN);
        EXPECT_EQ(mr[seL4_UserException_FaultIP], (seL4_Word)set + 4);
    }
    EXPECT_EQ(present, expected);
    kaal_puts("hostile: PSTATE.");
    kaal_puts(name);
    kaal_puts(present ? ": present\n" : ": absent (undefined instruction)\n");
    check_kernel();
    check_witness();
    return present;
}

static void case_nzcv(void)
{
    result[0] = 0;
    EXPECT_EQ(run_probe(p_nzcv, (seL4_Word)result), RAN);
    EXPECT_EQ(result[0], 0xf0000000ul);
    EXPECT_EQ(mr[seL4_UserException_SPSR] & 0xf0000000ul, 0xf0000000ul);
    check_kernel();
    check_witness();
    report("pstate/nzcv");
}

static void case_branches(void)
{
    const seL4_Word rounds = 3000000;
    result[0] = rounds;
    result[1] = 0;
    EXPECT_EQ(run_probe(p_branches, (seL4_Word)result), RAN);
    EXPECT_EQ(result[1], 2 * rounds);
    check_kernel();
    check_witness();
    report("pstate/btype_indirect_branches_under_timer");
}

static void case_fpsimd(void)
{
    /* FPCR: FZ (24), DN (25), RMode = toward minus infinity (23:22 = 2). */
    const seL4_Word fpcr = (1ul << 24) | (1ul << 25) | (2ul << 22);
    result[0] = fpcr;
    for (unsigned i = 0; i < 64; i++) {
        result[2 + i] = rng();
        result[66 + i] = 0;
    }
    EXPECT_EQ(run_probe(p_fpsimd, (seL4_Word)result), RAN);
    for (unsigned i = 0; i < 64; i++) {
        EXPECT_EQ(result[66 + i], result[2 + i]);
    }
    EXPECT_EQ(result[1], fpcr);
    check_kernel();
    check_witness();
    report("fpsimd/registers_kept_across_syscalls_interrupts_switches");
}

static void case_sp_syscall(void)
{
    result[0] = 0;
    EXPECT_EQ(run_probe(p_sp_syscall, (seL4_Word)result), RAN);
    EXPECT_EQ(result[0], (seL4_Word)(child_stack + STACK_SIZE) - 13);
    /* A misaligned SP used for a load: SP alignment fault (EC 0x26) if SCTLR_EL1.SA0, else it runs.
     */
    check_kernel();
    check_witness();
    report("sp/misaligned_across_syscall");
}

/* --- system registers and instructions --- */
static void case_sysregs(void)
{
    static const struct {
        const char *name, *pc;
        unsigned allowed;
    } regs[] = {
        {"mrs tpidr_el0", r_tpidr, A_RAN},
        {"msr tpidr_el0", w_tpidr, A_RAN},
        {"mrs tpidrro_el0", r_tpidrro, A_RAN},
        {"msr tpidrro_el0", w_tpidrro, A_UNDEF | A_SYSREG},
        {"mrs ctr_el0", r_ctr, A_RAN},
        {"mrs dczid_el0", r_dczid, A_RAN},
        {"mrs fpcr", r_fpcr, A_RAN},
        {"mrs fpsr", r_fpsr, A_RAN},
        {"mrs nzcv", r_nzcv, A_RAN},
        {"mrs cntvct_el0", r_cntvct, A_RAN | A_SYSREG},
        {"mrs cntpct_el0", r_cntpct, A_RAN | A_SYSREG},
        {"mrs cntfrq_el0", r_cntfrq, A_RAN | A_SYSREG},
        {"mrs cntv_ctl_el0", r_cntv_ctl, A_RAN | A_SYSREG},
        {"mrs pmccntr_el0", r_pmccntr, A_RAN | A_SYSREG | A_UNDEF},
        {"mrs rndr", r_rndr, A_RAN | A_SYSREG | A_UNDEF},
        {"mrs daif", r_daif, A_SYSREG},
        {"msr daifset", w_daifset, A_SYSREG},
        {"mrs midr_el1", r_midr, A_UNDEF | A_SYSREG},
        {"mrs id_aa64pfr1_el1", r_pfr1, A_UNDEF | A_SYSREG},
        {"mrs currentel", r_currentel, A_UNDEF | A_SYSREG},
        {"mrs sctlr_el1", r_sctlr, A_UNDEF | A_SYSREG},
        {"msr spsel", w_spsel, A_UNDEF | A_SYSREG},
        {"wfi", i_wfi, A_RAN | A_WFX},
        {"sevl; wfe", i_wfe, A_RAN | A_WFX},
        {"barriers and hints", i_barriers, A_RAN},
        {"ldaxr/stlxr", i_exclusive, A_RAN},
        {"ldr via a misaligned sp", i_sp_load, A_RAN | A_SPALIGN},
    };
    for (unsigned i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
        seL4_Word arg = regs[i].pc == i_exclusive ? (seL4_Word)&result[0]
                        : regs[i].pc == i_sp_load
                            ? (seL4_Word)&result[3] + 4 /* in its memory, misaligned */
                            : (seL4_Word)0x5eedull;
        probe(regs[i].name, regs[i].pc, arg, regs[i].allowed, 1);
        if (failure != 0) {
            kaal_puts("hostile: (failed at ");
            kaal_puts(regs[i].name);
            kaal_puts(")\n");
            break;
        }
    }
    check_witness();
    report("sysregs/el0_readable_work_the_rest_fault");
}

/* --- cache maintenance --- */
static void case_cache(const char *name, seL4_Word addr, unsigned mapped_allowed)
{
    static const struct {
        const char *name, *pc;
        unsigned on_mapped; /* answers for an address the thread has mapped */
        int may_ignore;     /* an unmapped address may be ignored rather than fault */
    } ops[] = {
        {"dc cvac", c_dc_cvac, A_RAN, 1},
        {"dc civac", c_dc_civac, A_RAN, 1},
        {"dc cvau", c_dc_cvau, A_RAN, 1},
        {"ic ivau", c_ic_ivau, A_RAN, 1},
        {"dc zva", c_dc_zva, A_RAN | A_SYSREG, 0},
        {"dc cvap", c_dc_cvap, A_RAN | A_UNDEF, 1},
        {"dc ivac", c_dc_ivac, A_UNDEF | A_SYSREG, 0},
        {"ic iallu", c_ic_iallu, A_UNDEF | A_SYSREG, 0},
    };
    for (unsigned i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        unsigned allowed = ops[i].on_mapped;
        if (mapped_allowed == 0 && (allowed & A_RAN)) {
            /* Unmapped or kernel address: the VMFault seL4 gives (a data abort with CM set).
             * Clean and invalidate by VA may also do nothing there (QEMU does not translate the
             * address of dc cvac/civac/cvau/cvap and ic ivau); dc zva writes, so it faults. An op
             * that traps anyway (dc zva without SCTLR_EL1.DZE, an absent dc cvap) may trap first.
             */
            allowed = (allowed & ~A_RAN) | A_VMFAULT | (ops[i].may_ignore ? A_RAN : 0);
        }
        probe(ops[i].name, ops[i].pc, addr, allowed, 0);
        if (failure != 0) {
            kaal_puts("hostile: (failed at ");
            kaal_puts(ops[i].name);
            kaal_puts(")\n");
            break;
        }
    }
    check_witness();
    report(name);
}

/* --- svc with garbage registers, from a thread with its own CSpace ---
 * Its CNode (4 slots, guard 62 bits of zero): 1 = a notification, 2 = an endpoint, 3 = its own
 * TCB, 0 = its fault endpoint (the root's, badged GARBAGE_BADGE). It runs above the root (which
 * drops to priority 150 meanwhile), so the root runs again only once the child faulted or
 * blocked; the root then polls the fault endpoint: a message, or none (the child waits). */
#define GARBAGE_BADGE 0xbad
#ifdef CONFIG_KERNEL_MCS /* no Reply; the four MCS-only calls */
#define SYS_FIFTH_KIND seL4_SysNBSendRecv
#define SYS_MCS_ONLY \
    (seL4_Word) seL4_SysNBSendWait, (seL4_Word)seL4_SysWait, (seL4_Word)seL4_SysNBWait
#else
#define SYS_FIFTH_KIND seL4_SysReply
#define SYS_MCS_ONLY
#endif
static void case_garbage_svc(seL4_Word trials)
{
    seL4_Word regs[31];
    seL4_Word returned = 0, unknown = 0, faults = 0, blocked = 0, messages = 0;
    EXPECT_EQ(sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 150),
              seL4_NoError);
    for (seL4_Word t = 0; t < trials && failure == 0; t++) {
        for (unsigned i = 0; i < 31; i++) {
            seL4_Word r = rng();
            /* Half the cptrs name a slot of its CNode; half the words are small. */
            regs[i] = (r & 1) ? (r >> 1) : ((r >> 1) & 7);
        }
        seL4_Word pick = rng() % 4;
        if (pick != 0) {
            /* A real system call number, except the debug calls that print or halt. */
            static const seL4_Word nums[] = {(seL4_Word)seL4_SysCall,
                                             (seL4_Word)seL4_SysReplyRecv,
                                             (seL4_Word)seL4_SysSend,
                                             (seL4_Word)seL4_SysNBSend,
                                             (seL4_Word)seL4_SysRecv,
                                             (seL4_Word)SYS_FIFTH_KIND,
                                             (seL4_Word)seL4_SysYield,
                                             (seL4_Word)seL4_SysNBRecv,
                                             (seL4_Word)seL4_SysDebugCapIdentify,
                                             (seL4_Word)seL4_SysDebugNameThread,
                                             SYS_MCS_ONLY};
            regs[7] = nums[rng() % (sizeof(nums) / sizeof(nums[0]))];
        } else if (regs[7] >= (seL4_Word)seL4_SysDebugNameThread) {
            regs[7] = 0x1000 + (regs[7] & 0xff); /* not a system call */
        }
        int is_syscall = regs[7] >= (seL4_Word)seL4_SysDebugNameThread;
        EXPECT_EQ(sys_tcb_set_priority(garbage_tcb, seL4_CapInitThreadTCB, 200), seL4_NoError);
        seL4_UserContext ctx = {0};
        ctx.pc = (seL4_Word)p_garbage_svc;
        ctx.sp = (seL4_Word)(child_stack + STACK_SIZE) - (rng() & 0x1f); /* even misaligned */
        ctx.x0 = (seL4_Word)regs;
        EXPECT_EQ(sys_tcb_write_registers(garbage_tcb, 1, 0, 4, &ctx), seL4_NoError);
        /* Here the child faulted, blocked or stopped. */
        seL4_Word badge = 0;
#ifdef CONFIG_KERNEL_MCS
        seL4_MessageInfo_t info = sys_nbrecv(fault_ep, &badge, fault_reply);
#else
        seL4_MessageInfo_t info = sys_nbrecv(fault_ep, &badge);
#endif
        if (badge == GARBAGE_BADGE) {
            seL4_Word label = seL4_MessageInfo_get_label(info);
            seL4_Word m0 = sys_get_mr(0), m8 = sys_get_mr(8), m12 = sys_get_mr(12);
            if (!is_syscall) {
                EXPECT_EQ(label, seL4_Fault_UnknownSyscall);
                EXPECT_EQ(m8, (seL4_Word)p_garbage_svc_insn);
                EXPECT_EQ(m12, regs[7]);
                unknown++;
            } else if (label == seL4_Fault_UserException &&
                       (sys_get_mr(seL4_UserException_Number) >> 26) == EC_BRK) {
                EXPECT_EQ(m0, (seL4_Word)p_garbage_svc_insn + 4); /* FaultIP: the brk #8 */
                returned++;
            } else if (label == seL4_Fault_CapFault) {
                faults++;
            } else {
                messages++; /* a message it sent to its fault endpoint itself (slot 0) */
            }
        } else {
            EXPECT_EQ(badge, 0); /* nothing: it waits on something */
            blocked++;
        }
        EXPECT_EQ(sys_tcb_suspend(garbage_tcb), seL4_NoError);
        check_kernel();
        if ((t & 31) == 31 || failure != 0) {
            kaal_puts("hostile: garbage svc trial ");
            kaal_put_dec(t);
            kaal_puts(failure != 0 ? ": FAILED, x7 " : ", x7 ");
            kaal_put_hex(regs[7]);
            kaal_puts("\n");
        }
    }
    EXPECT_EQ(sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255),
              seL4_NoError);
    kaal_puts("hostile: garbage svc: ");
    kaal_put_dec(returned);
    kaal_puts(" returned, ");
    kaal_put_dec(unknown);
    kaal_puts(" UnknownSyscall, ");
    kaal_put_dec(faults);
    kaal_puts(" CapFault, ");
    kaal_put_dec(messages);
    kaal_puts(" own messages, ");
    kaal_put_dec(blocked);
    kaal_puts(" blocked\n");
    EXPECT(returned > 0 && unknown > 0, returned, unknown);
    check_witness();
    report("svc/garbage_registers");
}

static void garbage_thread_init(void)
{
    garbage_cnode = alloc(seL4_CapTableObject, 2);
    garbage_tcb = alloc(seL4_TCBObject, 0);
    seL4_CPtr ntfn = alloc(seL4_NotificationObject, 0), ep = alloc(seL4_EndpointObject, 0);
    seL4_Error e = sys_cnode_mint(garbage_cnode, 0, 2, seL4_CapInitThreadCNode, fault_ep, 64,
                                  seL4_AllRights, GARBAGE_BADGE);
    e |= sys_cnode_copy(garbage_cnode, 1, 2, seL4_CapInitThreadCNode, ntfn, 64, seL4_AllRights);
    e |= sys_cnode_copy(garbage_cnode, 2, 2, seL4_CapInitThreadCNode, ep, 64, seL4_AllRights);
    e |= sys_cnode_copy(garbage_cnode, 3, 2, seL4_CapInitThreadCNode, garbage_tcb, 64,
                        seL4_AllRights);
#ifdef CONFIG_KERNEL_MCS
    /* The fault handler is a copy of a cap, not a CPtr: the badged endpoint of slot 0. */
    seL4_CPtr badged = kaal_slots_alloc(&slots);
    e |= sys_cnode_mint(seL4_CapInitThreadCNode, badged, 64, seL4_CapInitThreadCNode, fault_ep, 64,
                        seL4_AllRights, GARBAGE_BADGE);
    e |= sys_tcb_configure(garbage_tcb, garbage_cnode, seL4_CNode_CapData_new(0, 62).words[0],
                           seL4_CapInitThreadVSpace, 0, 0, seL4_CapNull);
    e |= give_sched_context(garbage_tcb, 100, badged);
#else
    e |= sys_tcb_configure(garbage_tcb, 0, garbage_cnode, seL4_CNode_CapData_new(0, 62).words[0],
                           seL4_CapInitThreadVSpace, 0, 0, seL4_CapNull);
#endif
    sys_debug_name_thread(garbage_tcb, "garbage-svc");
    if (e != seL4_NoError) {
        kaal_puts("hostile: cannot set up the garbage thread\n");
    }
}

int kaal_root_main(const seL4_BootInfo *bi)
{
    const char *seed_arg = fdt_arg(bi, "hostile.seed=");
    const char *expect = fdt_arg(bi, "hostile.expect=");
    rng_state = seed_arg != 0 ? parse_dec(seed_arg) : 1;
    if (rng_state == 0) {
        rng_state = 1;
    }
    kaal_puts("hostile: KaaL hostile root task, seed ");
    kaal_put_dec(rng_state);
    kaal_puts(seed_arg != 0 ? " (hostile.seed)\n" : " (default; boot argument hostile.seed=N)\n");
    kaal_slots_init_bootinfo(&slots, bi);
    kaal_untyped_init(&pool, &slots);
    kaal_untyped_add_bootinfo(&pool, bi, 16);
    fault_ep = alloc(seL4_EndpointObject, 0);
    witness_ntfn = alloc(seL4_NotificationObject, 0);
#ifdef CONFIG_KERNEL_MCS
    sched_control = bi->schedcontrol.start;
    fault_reply = alloc(seL4_ReplyObject, 0);
#endif
    child_tcb = make_thread("hostile-child", 100);
    witness_tcb = make_thread("witness", 100);
    garbage_thread_init();
    if (start(witness_tcb, (const void *)witness, witness_ntfn, witness_stack) != seL4_NoError) {
        kaal_puts("hostile: cannot start the witness\n");
        return 1;
    }

    /* PSTATE. */
    case_nzcv();
    case_pstate_bit("SSBS", p_ssbs_set, p_ssbs_clear, SPSR_SSBS, listed(expect, "ssbs"));
    report("pstate/ssbs");
    case_pstate_bit("DIT", p_dit_set, p_dit_clear, SPSR_DIT, listed(expect, "dit"));
    report("pstate/dit");
    case_pstate_bit("TCO", p_tco_set, 0, SPSR_TCO, listed(expect, "tco"));
    report("pstate/tco");
    case_branches();

    /* FP/SIMD, the stack pointer, system registers. */
    case_fpsimd();
    case_sp_syscall();
    case_sysregs();

    /* Cache maintenance on its own page, an unmapped address and the kernel's. */
    own_page[0] = 1;
    case_cache("cache/own_memory", (seL4_Word)own_page + 64, 1);
    case_cache("cache/unmapped_user_address", 0x0000fffffffff000ul, 0);
    case_cache("cache/kernel_address", 0xffffffffc0000000ul, 0);
    case_cache("cache/physical_window", 0xffffff8040000000ul, 0);

    /* System calls with garbage in every register. */
    case_garbage_svc(256);

    sys_tcb_suspend(witness_tcb);
    sys_tcb_suspend(child_tcb);
    kaal_put_dec((seL4_Word)passed);
    kaal_puts(" passed, ");
    kaal_put_dec((seL4_Word)failed);
    kaal_puts(" failed\n");
    return failed == 0 ? 0 : 1;
}
