/* SPDX-License-Identifier: BSD-2-Clause */
/* hostsim's emulated EL0: user threads whose code is AArch64, executed by the Unicorn engine (a
 * library packaging QEMU's AArch64 translator), while the kernel stays host code.
 *
 * - Registers: a thread's AArch64 state lives in its struct hal_tcb (regs[]: x0-x30, SP_EL0, PC,
 *   SPSR, TPIDR_EL0, TPIDRRO_EL0; fpsimd[]: V0-V31, FPSR, FPCR) and is written into the engine
 *   before it runs and read back when it enters the kernel, so ReadRegisters, WriteRegisters,
 *   CopyRegisters and fault messages see what they see on hardware.
 * - Memory: the engine's address space is the thread's VSpace, built page by page on demand. A miss
 *   walks the VSpace (shadow_walk, the shadow MMU's walk) and maps the simulated RAM page itself
 *   with the page's rights and execute permission; a missing or forbidden access becomes the
 *   data or instruction abort hardware raises (ESR, FAR). Every page is dropped when another
 *   VSpace or ASID runs and on TLB invalidation of its ASID or address (the TLB's lifetime).
 * - Exceptions: `svc` enters the kernel as a system call; an undefined instruction (including
 *   privileged ones: the engine runs at EL0), a breakpoint or a misaligned PC becomes the
 *   UserException with hardware's ESR; FP/SIMD use by a thread with seL4_TCBFlag_fpuDisabled
 *   traps before it executes (EC 0x07), as CPACR_EL1 makes it on hardware.
 * - Time: the virtual clock counts user instructions plus a fixed cost per kernel entry (the
 *   kernel is host code: its instructions are not counted). Base configuration: every `tick` of it
 *   the periodic timer interrupt fires, before the next user instruction, so preemption is
 *   deterministic. MCS: the same count IS the kernel's clock (timer.c), `rate` instructions per
 *   tick of it, and the engine stops at the instruction where the clock reaches the kernel's
 *   one-shot deadline and takes the timer interrupt there.
 *
 * Unicorn reports exceptions by QEMU's internal number without the syndrome, so this file forms the
 * ESR itself from the exception number and the instruction word. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicorn/unicorn.h>

#include <hostsim/emu.h>
#include <hostsim/hostsim.h>
#include <hostsim_if/kernel.h>
#include <hostsim_if/machine.h>
#include <kaal/gen_config.h>

#include "gdbstub.h"
#include "internal.h"
#include "user_internal.h"

#define PAGE_BYTES 4096ul

/* QEMU's exception numbers as Unicorn's UC_HOOK_INTR reports them (target/arm/cpu.h). */
#define EXCP_UDEF 1
#define EXCP_SWI 2
#define EXCP_BKPT 7

/* ESR_EL1 (Arm ARM D17.2.37): exception classes, IL. */
#define ESR_IL (1ul << 25)
#define EC_UNKNOWN 0x00ul
#define EC_WFX 0x01ul
#define EC_FP_ACCESS 0x07ul
#define EC_PC_ALIGN 0x22ul
#define EC_BRK 0x3cul
#define ESR_EC(ec) ((word_t)(ec) << 26)
/* An FP/SIMD access trap from AArch64 state: CV = 1, COND = 0xE in the ISS, as QEMU reports it. */
#define ESR_FP_TRAP (ESR_EC(EC_FP_ACCESS) | ESR_IL | (1ul << 24) | (0xeul << 20))
/* WFI / WFE trapped from AArch64 state (SCTLR_EL1.nTWI/nTWE clear): CV = 1, COND = 0xE as QEMU
 * reports it; ISS bit 0 = 0: WFI. */
#define ESR_WFX (ESR_EC(EC_WFX) | ESR_IL | (1ul << 24) | (0xeul << 20))
#define INSN_WFI 0xd503207fu
/* SPSR's condition flags (NZCV, bits 31:28): the PSTATE bits user code changes. */
#define SPSR_NZCV 0xf0000000ul

/* Where uc_emu_start stops by address: no user instruction can be there (above seL4_UserTop,
 * so a branch there is an instruction abort). */
#define STOP_ADDRESS 0xfffffffffffffffcull

/* The trampoline that drops an engine to EL0 once: Unicorn starts at EL1, and only an exception
 * return recomputes the execution state; register writes do not. First SCTLR_EL1 gets the EL0
 * controls the aarch64 port sets (hal/aarch64/kernel/mmu.c: UCT and UCI, so EL0 reads CTR_EL0 and
 * maintains caches by address; DZE and UMA are clear already), the MMU staying off:
 * and CNTKCTL_EL1 the port's value (x2: EL0VCTEN with CONFIG_EXPORT_VCNT_USER, so EL0 reads
 * CNTVCT_EL0; the engine's counter follows the host's clock, not the virtual one):
 *   mrs x1, sctlr_el1; orr x1, x1, #UCT; orr x1, x1, #UCI; msr sctlr_el1, x1; msr cntkctl_el1, x2;
 *   isb; msr spsr_el1, xzr; msr elr_el1, x0; eret
 * nTWI and nTWE stay set (Unicorn's own stop at an address needs them), so WFI and WFE halt the
 * engine instead of trapping: emu_run reports them as the trap the aarch64 port's SCTLR makes. */
#define TRAMPOLINE_VA 0x1000ull
static const uint32_t trampoline_code[] = {0xd5381001, 0xb2710021, 0xb2660021,
                                           0xd5181001, 0xd518e102, 0xd5033fdf,
                                           0xd518401f, 0xd5184020, 0xd69f03e0};
#ifdef CONFIG_EXPORT_VCNT_USER
#define EMU_CNTKCTL 2ull /* EL0VCTEN */
#else
#define EMU_CNTKCTL 0ull
#endif

/* What ended the engine's run. */
enum stop_reason { STOP_NONE, STOP_SYSCALL, STOP_EXCEPTION, STOP_FAULT, STOP_TICK, STOP_EVICT };

/* Pages one engine holds at most. Unicorn 2.0.1 keeps each mapped page as a section of its
 * physical map, which holds fewer than 1024 of them for AArch64 (TARGET_PAGE_SIZE, its smallest
 * page; an assertion in the library stopped the process at the 1024th page): at this many the
 * engine drops every page, as a full TLB evicts entries, and the access that needed one more runs
 * again. */
#define ENGINE_PAGE_LIMIT 512

/* A run of pages mapped into an engine with one call: virtually and physically contiguous RAM
 * pages with the same rights (Unicorn rebuilds its memory map on every map and unmap, so fewer,
 * larger regions make refills cheaper). */
struct mapped_page {
    word_t vaddr, size;            /* the region */
    word_t block_base, block_size; /* the leaf frame of its first page */
    bool exec;
};
/* Pages one refill maps at most by default: the page that missed and its neighbours. */
#define RUN_PAGES_DEFAULT 32

/* One engine per recently run address space (root, ASID), as a TLB tags its entries with the ASID:
 * switching VSpace switches engines, so each keeps its pages and translated code; TLB invalidation
 * of an ASID or address drops them. The least recently used engine makes room for a new one. */
#define MAX_ENGINES 8
struct engine {
    uc_engine *uc;
    paddr_t root;
    word_t asid;
    struct mapped_page *pages;
    size_t n_pages, cap_pages;
    uint64_t last_used;
};

static struct {
    struct engine engines[MAX_ENGINES];
    struct engine *e; /* the running thread's */
    uint64_t uses;
    bool fpu_disabled; /* the running thread has seL4_TCBFlag_fpuDisabled */
    enum stop_reason stop;
    word_t esr;         /* STOP_EXCEPTION, STOP_FAULT */
    word_t far;         /* STOP_FAULT */
    bool instruction;   /* STOP_FAULT: instruction abort */
    uint64_t tick;      /* base: instructions per timer tick, 0: no timer */
    uint64_t clock;     /* virtual time in instructions: user instructions + entry_cost per entry */
    uint64_t next_tick; /* the engine stops before the instruction at which clock reaches this */
#ifdef CONFIG_KERNEL_MCS
    /* The MCS clock (timer.c) in instructions: `rate` of them make one of its ticks. `clock` read
     * `tick_start` when the kernel's clock last began a tick; `frac` instructions of the next one
     * have passed since (carried from run to run while the kernel's clock stays where the last run
     * left it, `left_at`). */
    uint64_t rate;
    uint64_t tick_start, frac, left_at;
    uint64_t bound; /* emu_run_bounded: instructions the run may take at most; UINT64_MAX: none */
#endif
    uint64_t entry_cost;
    unsigned run_pages;    /* pages one refill maps at most */
    unsigned entry_jitter; /* percent of entry_cost each entry's cost varies by, either way */
    uint64_t jitter_state; /* the generator behind it: fixed seed, so runs stay deterministic */
    FILE *trace;
    struct hostsim_emu_stats stats;
    int reg_ids[N_USER_REGS];
} emu = {
#ifdef CONFIG_KERNEL_MCS
    .next_tick = UINT64_MAX,
    .rate = HOSTSIM_EMU_CLOCK_RATE_DEFAULT,
    .bound = UINT64_MAX,
#else
    .tick = (uint64_t)CONFIG_TIMER_TICK_MS * 1000000u,
    .next_tick = (uint64_t)CONFIG_TIMER_TICK_MS * 1000000u,
#endif
    .entry_cost = HOSTSIM_EMU_ENTRY_COST_DEFAULT,
    .entry_jitter = HOSTSIM_EMU_ENTRY_JITTER_DEFAULT,
    .run_pages = RUN_PAGES_DEFAULT,
    .jitter_state = 1};

void hostsim_emu_set_tick(uint64_t n)
{
#ifdef CONFIG_KERNEL_MCS
    (void)n; /* no periodic tick: the kernel programs its deadlines (hostsim_emu_set_clock_rate) */
#else
    emu.tick = n;
    emu.next_tick = n != 0 ? emu.clock + n : UINT64_MAX; /* 0: no timer */
#endif
}

#ifdef CONFIG_KERNEL_MCS
void hostsim_emu_set_clock_rate(uint64_t n) { emu.rate = n != 0 ? n : 1; }

uint64_t hostsim_emu_clock_rate(void) { return emu.rate; }

/* Before the engine runs: where the kernel's clock stands in instructions, and the instruction at
 * which it reaches the kernel's deadline (next_tick: the engine stops before executing it). */
static void clock_run_begin(void)
{
    uint64_t now = hostsim_clock_now(), deadline = hostsim_clock_deadline();
    if (now != emu.left_at) {
        emu.frac = 0; /* the clock moved without the engine (an idle skip, a test): a fresh tick */
    }
    emu.tick_start = emu.clock - emu.frac;
    if (deadline == UINT64_MAX) {
        emu.next_tick = UINT64_MAX;
    } else if (deadline <= now) {
        emu.next_tick = emu.tick_start; /* passed already: before the first instruction */
    } else if (deadline - now > (UINT64_MAX - emu.tick_start) / emu.rate) {
        emu.next_tick = UINT64_MAX; /* beyond what the count can reach */
    } else {
        emu.next_tick = emu.tick_start + (deadline - now) * emu.rate;
    }
    if (emu.bound != UINT64_MAX && emu.next_tick > emu.clock &&
        emu.bound < emu.next_tick - emu.clock) {
        emu.next_tick = emu.clock + emu.bound;
    }
}

/* After the engine ran and the entry was charged: the kernel's clock moves on by the whole ticks
 * the instructions made, before the kernel reads it on this entry. */
static void clock_run_end(void)
{
    uint64_t elapsed = emu.clock - emu.tick_start;
    hostsim_clock_move_to(hostsim_clock_now() + elapsed / emu.rate);
    emu.frac = elapsed % emu.rate;
    emu.left_at = hostsim_clock_now();
}
#else
static void clock_run_begin(void) {}
static void clock_run_end(void) {}
#endif

void hostsim_emu_set_entry_cost(uint64_t n) { emu.entry_cost = n; }

void hostsim_emu_set_entry_jitter(unsigned percent) { emu.entry_jitter = percent; }

void hostsim_emu_set_refill_run(unsigned pages) { emu.run_pages = pages != 0 ? pages : 1; }

/* One kernel entry's cost on the virtual clock: entry_cost, varied by up to entry_jitter percent
 * either way by a fixed-seed generator (xorshift64), uniform, so its mean is entry_cost. A flat
 * cost makes every round of a periodic workload equally long, and since the timer is reloaded
 * relative to its tick, each tick then lands at the same point of the round (the bad-input
 * flood's ticks all fell in the root, never in the flooder, whose time slice never ended). */
static void charge_entry(void)
{
    uint64_t j = emu.entry_cost * emu.entry_jitter / 100;
    uint64_t cost = emu.entry_cost;
    if (j != 0) {
        uint64_t x = emu.jitter_state;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        emu.jitter_state = x;
        cost = cost - j + x % (2 * j + 1);
    }
    emu.clock += cost;
}

void hostsim_emu_trace(FILE *out) { emu.trace = out; }
void hostsim_emu_stats(struct hostsim_emu_stats *out)
{
    *out = emu.stats;
    out->clock = emu.clock;
}

static void fatal(const char *what, uc_err e)
{
    fprintf(stderr, "hostsim: emulator: %s: %s\n", what, uc_strerror(e));
    abort();
}

/* --- the page map --- */

/* Drop page i of engine g (Unicorn forgets its translated code there too). */
static void page_drop(struct engine *g, size_t i)
{
    struct mapped_page *p = &g->pages[i];
    if (p->exec) {
        uc_ctl_remove_cache(g->uc, p->vaddr, p->vaddr + p->size);
    }
    uc_err e = uc_mem_unmap(g->uc, p->vaddr, p->size);
    if (e != UC_ERR_OK) {
        fatal("unmap a user page", e);
    }
    g->pages[i] = g->pages[--g->n_pages];
}

static void flush_all(struct engine *g)
{
    if (g->n_pages == 0) {
        return;
    }
    while (g->n_pages > 0) {
        page_drop(g, g->n_pages - 1);
    }
    emu.stats.flushes++;
}

void emu_invalidate_asid(word_t asid)
{
    for (int i = 0; i < MAX_ENGINES; i++) {
        if (emu.engines[i].uc != NULL && emu.engines[i].asid == asid) {
            flush_all(&emu.engines[i]);
        }
    }
}

void emu_invalidate_va(word_t asid, word_t vaddr)
{
    for (int k = 0; k < MAX_ENGINES; k++) {
        struct engine *g = &emu.engines[k];
        if (g->uc == NULL || g->asid != asid) {
            continue;
        }
        for (size_t i = 0; i < g->n_pages;) {
            if (vaddr - g->pages[i].block_base < g->pages[i].block_size ||
                vaddr - g->pages[i].vaddr < g->pages[i].size) {
                page_drop(g, i);
            } else {
                i++;
            }
        }
    }
}

void emu_forget_all(void)
{
    for (int i = 0; i < MAX_ENGINES; i++) {
        if (emu.engines[i].uc != NULL) {
            flush_all(&emu.engines[i]);
        }
    }
}

/* Room for one more page in the page map. */
static bool page_slot(void)
{
    struct engine *g = emu.e;
    if (g->n_pages == g->cap_pages) {
        size_t cap = g->cap_pages ? g->cap_pages * 2 : 256;
        struct mapped_page *p = realloc(g->pages, cap * sizeof(*p));
        if (p == NULL) {
            fprintf(stderr, "hostsim: emulator: out of host memory for the page map\n");
            abort();
        }
        g->pages = p;
        g->cap_pages = cap;
    }
    return true;
}

/* Does the engine have a page at va? */
static bool engine_has(const struct engine *g, word_t va)
{
    for (size_t i = 0; i < g->n_pages; i++) {
        if (va - g->pages[i].vaddr < g->pages[i].size) {
            return true;
        }
    }
    return false;
}

/* May the page at va join the run of the page at va0 (walk w0)? The same rights, RAM at the
 * matching physical address, and not in the engine yet. */
static bool run_extends(word_t va, word_t va0, const struct walk *w0)
{
    struct walk w;
    shadow_walk(emu.e->root, va, &w);
    return w.mapped && w.rights == w0->rights && w.xn == w0->xn &&
           w.page_pa == w0->page_pa + (va - va0) && hostsim_is_ram(w.page_pa, PAGE_BYTES) &&
           !engine_has(emu.e, va);
}

/* Map the simulated RAM page the walk found at page, with its rights, together with the
 * neighbouring pages that continue it (emu.run_pages at most). */
static bool page_map(word_t page, const struct walk *w)
{
    if (!page_slot()) {
        return false;
    }
    word_t first = page, last = page;
    while (first > 0 && (last - first) / PAGE_BYTES + 1 < emu.run_pages / 2 &&
           run_extends(first - PAGE_BYTES, page, w)) {
        first -= PAGE_BYTES;
    }
    while ((last - first) / PAGE_BYTES + 1 < emu.run_pages && last + PAGE_BYTES != 0 &&
           run_extends(last + PAGE_BYTES, page, w)) {
        last += PAGE_BYTES;
    }
    word_t size = last - first + PAGE_BYTES;
    uint32_t prot = UC_PROT_READ | (w->rights == WALK_READ_WRITE ? UC_PROT_WRITE : 0) |
                    (w->xn ? 0 : UC_PROT_EXEC);
    uc_err e = uc_mem_map_ptr(emu.e->uc, first, size, prot, hal_ptov(w->page_pa - (page - first)));
    if (e != UC_ERR_OK) {
        fatal("map a user page", e);
    }
    emu.e->pages[emu.e->n_pages++] =
        (struct mapped_page){first, size, w->block_base, w->block_size, !w->xn};
    emu.stats.refills++;
    return true;
}

/* A device frame with a model behind it (hostsim_device_at): every access goes to the model. */
static uint64_t device_read(uc_engine *uc, uint64_t offset, unsigned size, void *data)
{
    (void)uc, (void)size;
    return hostsim_device_access((uint64_t)(uintptr_t)data + offset, 0, 0);
}

static void device_write(uc_engine *uc, uint64_t offset, unsigned size, uint64_t value, void *data)
{
    (void)uc, (void)size;
    (void)hostsim_device_access((uint64_t)(uintptr_t)data + offset, 1, (uint32_t)value);
}

static bool device_map(word_t page, const struct walk *w)
{
    if (!page_slot()) {
        return false;
    }
    void *pa = (void *)(uintptr_t)w->page_pa;
    uc_err e = uc_mmio_map(emu.e->uc, page, PAGE_BYTES, device_read, pa, device_write, pa);
    if (e != UC_ERR_OK) {
        fatal("map a device page", e);
    }
    emu.e->pages[emu.e->n_pages++] =
        (struct mapped_page){page, PAGE_BYTES, w->block_base, w->block_size, false};
    emu.stats.refills++;
    return true;
}

/* --- faults --- */

static void record_fault(bool instruction, bool write, word_t addr, word_t fsc)
{
    emu.stop = STOP_FAULT;
    emu.instruction = instruction;
    emu.far = addr;
    emu.esr = shadow_abort_esr(instruction, write, fsc);
}

/* An access to an address the engine has no page for: map it if the VSpace allows that kind of
 * access (the TLB refill), else record the abort hardware would raise. */
static bool hook_unmapped(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value,
                          void *data)
{
    (void)uc, (void)size, (void)value, (void)data;
    bool instruction = type == UC_MEM_FETCH_UNMAPPED;
    bool write = type == UC_MEM_WRITE_UNMAPPED;
    if (emu.e->n_pages >= ENGINE_PAGE_LIMIT) {
        emu.stop = STOP_EVICT; /* emu_run drops the pages and resumes at this instruction */
        emu.instruction = instruction;
        uc_emu_stop(emu.e->uc);
        return false;
    }
    struct walk w;
    shadow_walk(emu.e->root, addr, &w);
    if (!w.mapped) {
        record_fault(instruction, write, addr, FSC_TRANSLATION(w.level));
    } else if (w.rights == WALK_KERNEL_ONLY || (instruction && w.xn) ||
               (write && w.rights != WALK_READ_WRITE)) {
        record_fault(instruction, write, addr, FSC_PERMISSION(w.level));
    } else if (!hostsim_is_ram(w.page_pa, PAGE_BYTES)) {
        if (!instruction && hostsim_device_at(w.page_pa) && w.rights == WALK_READ_WRITE) {
            return device_map(addr & ~(PAGE_BYTES - 1), &w);
        }
        record_fault(instruction, write, addr,
                     FSC_EXTERNAL); /* a device frame: no device answers */
    } else {
        return page_map(addr & ~(PAGE_BYTES - 1), &w);
    }
    uc_emu_stop(emu.e->uc);
    return false;
}

/* An access the page's rights forbid (the page is mapped with exactly its VSpace rights). */
static bool hook_prot(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value,
                      void *data)
{
    (void)uc, (void)size, (void)value, (void)data;
    struct walk w;
    shadow_walk(emu.e->root, addr, &w);
    record_fault(type == UC_MEM_FETCH_PROT, type == UC_MEM_WRITE_PROT, addr,
                 FSC_PERMISSION(w.level));
    uc_emu_stop(emu.e->uc);
    return false;
}

/* --- instructions --- */

/* The instruction word at pc, read through the VSpace (the RAM page behind it, if mapped with
 * execute permission). */
static bool fetch_word(word_t pc, uint32_t *insn)
{
    struct walk w;
    shadow_walk(emu.e->root, pc, &w);
    if (!w.mapped || w.xn || w.rights == WALK_KERNEL_ONLY || (pc & 3) ||
        !hostsim_is_ram(w.page_pa, PAGE_BYTES)) {
        return false;
    }
    memcpy(insn, (const uint8_t *)hal_ptov(w.page_pa) + (pc & (PAGE_BYTES - 1)), sizeof(*insn));
    return true;
}

/* Does the instruction use the FP/SIMD registers (what CPACR_EL1.FPEN traps)? The scalar FP and
 * Advanced SIMD data-processing group and the SIMD&FP loads and stores (op0 = x11x: bits 27 and 26
 * set), and MRS/MSR of FPCR and FPSR. */
static bool is_fpsimd(uint32_t insn)
{
    return (insn & 0x0c000000u) == 0x0c000000u || (insn & 0xffdfffc0u) == 0xd51b4400u;
}

/* Before every instruction: the virtual clock, and the FP/SIMD trap of an fpuDisabled thread. */
static void hook_code(uc_engine *uc, uint64_t pc, uint32_t size, void *data)
{
    (void)size, (void)data;
    if (emu.clock >= emu.next_tick) {
        emu.stop = STOP_TICK; /* emu_run sets the next deadline */
        uc_emu_stop(uc);      /* the instruction does not execute */
        return;
    }
    if (emu.fpu_disabled) {
        uint32_t insn;
        if (fetch_word(pc, &insn) && is_fpsimd(insn)) {
            emu.stop = STOP_EXCEPTION;
            emu.esr = ESR_FP_TRAP;
            uc_emu_stop(uc);
            return;
        }
    }
    if (gdbstub_active && gdbstub_wants_stop(pc)) {
        gdbstub_stop(uc, emu.e->root, pc, GDB_SIGTRAP); /* a breakpoint or a step (gdbstub.c) */
    }
    emu.stats.instructions++;
    emu.clock++;
}

static void hook_intr(uc_engine *uc, uint32_t intno, void *data)
{
    (void)data;
    uint64_t pc = 0;
    uc_reg_read(uc, UC_ARM64_REG_PC, &pc);
    uint32_t insn = 0;
    switch (intno) {
    case EXCP_SWI: /* svc: the PC is past it */
        emu.stop = STOP_SYSCALL;
        break;
    case EXCP_BKPT: /* brk #imm16: ISS = imm16 */
        emu.stop = STOP_EXCEPTION;
        emu.esr = ESR_EC(EC_BRK) | ESR_IL | (fetch_word(pc, &insn) ? (insn >> 5) & 0xffff : 0);
        break;
    default: /* undefined (also hvc, smc and system registers EL0 may not use) */
        emu.stop = STOP_EXCEPTION;
        if (pc & 3) {
            emu.esr = ESR_EC(EC_PC_ALIGN) | ESR_IL;
        } else {
            emu.esr = ESR_EC(EC_UNKNOWN) | ESR_IL;
        }
        break;
    }
    uc_emu_stop(uc);
}

/* --- the engine --- */

static void reg_ids_init(void)
{
    for (int i = 0; i < 29; i++) {
        emu.reg_ids[REG_X0 + i] = UC_ARM64_REG_X0 + i;
    }
    emu.reg_ids[REG_X29] = UC_ARM64_REG_X29;
    emu.reg_ids[REG_X30] = UC_ARM64_REG_X30;
    emu.reg_ids[REG_SP] = UC_ARM64_REG_SP;
    emu.reg_ids[REG_NEXT_IP] = UC_ARM64_REG_PC;
    emu.reg_ids[REG_SPSR] = UC_ARM64_REG_NZCV;
    emu.reg_ids[REG_FAULT_IP] = UC_ARM64_REG_PC; /* not loaded (see regs_load) */
    emu.reg_ids[REG_TPIDR] = UC_ARM64_REG_TPIDR_EL0;
    emu.reg_ids[REG_TPIDRRO] = UC_ARM64_REG_TPIDRRO_EL0;
}

static void engine_open(struct engine *g)
{
    uc_err e = uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &g->uc);
    if (e != UC_ERR_OK) {
        fatal("open an AArch64 engine", e);
    }
    /* A Cortex-A72 (ARMv8.0-A: no LSE atomics), as QEMU's GICv3 test machine. */
    if ((e = uc_ctl_set_cpu_model(g->uc, UC_CPU_ARM64_A72)) != UC_ERR_OK) {
        fatal("select the Cortex-A72", e);
    }
    reg_ids_init();
    /* Drop to EL0 for good (see trampoline_code). */
    static uint32_t tramp[PAGE_BYTES / 4] __attribute__((aligned(PAGE_BYTES)));
    memcpy(tramp, trampoline_code, sizeof(trampoline_code));
    uint64_t target = TRAMPOLINE_VA + PAGE_BYTES / 2, cntkctl = EMU_CNTKCTL;
    if ((e = uc_mem_map_ptr(g->uc, TRAMPOLINE_VA, PAGE_BYTES, UC_PROT_READ | UC_PROT_EXEC,
                            tramp)) != UC_ERR_OK ||
        (e = uc_reg_write(g->uc, UC_ARM64_REG_X0, &target)) != UC_ERR_OK ||
        (e = uc_reg_write(g->uc, UC_ARM64_REG_X2, &cntkctl)) != UC_ERR_OK ||
        (e = uc_emu_start(g->uc, TRAMPOLINE_VA, target, 0, 0)) != UC_ERR_OK) {
        fatal("enter EL0", e);
    }
    uint32_t pstate = 0;
    uc_reg_read(g->uc, UC_ARM64_REG_PSTATE, &pstate);
    if ((pstate & 0xc) != 0) {
        fprintf(stderr, "hostsim: emulator: still at EL%u after the exception return\n",
                (pstate >> 2) & 3);
        abort();
    }
    uc_ctl_remove_cache(g->uc, TRAMPOLINE_VA, TRAMPOLINE_VA + PAGE_BYTES);
    uc_mem_unmap(g->uc, TRAMPOLINE_VA, PAGE_BYTES);
    uc_hook h;
    if ((e = uc_hook_add(g->uc, &h, UC_HOOK_CODE, (void *)hook_code, NULL, 1, 0)) != UC_ERR_OK ||
        (e = uc_hook_add(g->uc, &h, UC_HOOK_INTR, (void *)hook_intr, NULL, 1, 0)) != UC_ERR_OK ||
        (e = uc_hook_add(g->uc, &h, UC_HOOK_MEM_UNMAPPED, (void *)hook_unmapped, NULL, 1, 0)) !=
            UC_ERR_OK ||
        (e = uc_hook_add(g->uc, &h, UC_HOOK_MEM_PROT, (void *)hook_prot, NULL, 1, 0)) !=
            UC_ERR_OK) {
        fatal("add hooks", e);
    }
}

static void engine_close(struct engine *g)
{
    if (g->uc != NULL) {
        uc_close(g->uc);
    }
    free(g->pages);
    *g = (struct engine){0};
}

/* The engine for the address space (root, asid): the one that ran it last, or a fresh one in place
 * of the least recently used. */
static struct engine *engine_for(paddr_t root, word_t asid)
{
    struct engine *victim = &emu.engines[0];
    for (int i = 0; i < MAX_ENGINES; i++) {
        struct engine *g = &emu.engines[i];
        if (g->uc != NULL && g->root == root && g->asid == asid) {
            g->last_used = ++emu.uses;
            return g;
        }
        if (g->uc == NULL || (victim->uc != NULL && g->last_used < victim->last_used)) {
            victim = g;
        }
    }
    engine_close(victim);
    engine_open(victim);
    victim->root = root;
    victim->asid = asid;
    victim->last_used = ++emu.uses;
    return victim;
}

/* The engines hold pointers into simulated RAM: they go with the machine (a fresh one costs about
 * a millisecond), which also forgets every translation. */
void emu_machine_gone(void)
{
    for (int i = 0; i < MAX_ENGINES; i++) {
        engine_close(&emu.engines[i]);
    }
    emu.e = NULL;
#ifdef CONFIG_KERNEL_MCS
    emu.frac = 0; /* the next machine's clock starts at 0, on a whole tick */
    emu.left_at = 0;
#endif
}

/* --- registers --- */

static void regs_load(struct hal_tcb *a)
{
    uint64_t vals[N_USER_REGS];
    void *ptrs[N_USER_REGS + 32];
    int ids[N_USER_REGS + 32];
    int n = 0;
    for (int r = 0; r < N_USER_REGS; r++) {
        if (r == REG_FAULT_IP) {
            continue;
        }
        vals[n] = a->regs[r];
        if (r == REG_SPSR) {
            vals[n] &= SPSR_NZCV;
        }
        ids[n] = emu.reg_ids[r];
        ptrs[n] = &vals[n];
        n++;
    }
    for (int v = 0; v < 32; v++) {
        ids[n] = UC_ARM64_REG_Q0 + v;
        ptrs[n] = &a->fpsimd[2 * v];
        n++;
    }
    uint32_t fpsr = (uint32_t)a->fpsimd[64], fpcr = (uint32_t)a->fpsimd[65];
    uc_err e;
    if ((e = uc_reg_write_batch(emu.e->uc, ids, ptrs, n)) != UC_ERR_OK ||
        (e = uc_reg_write(emu.e->uc, UC_ARM64_REG_FPSR, &fpsr)) != UC_ERR_OK ||
        (e = uc_reg_write(emu.e->uc, UC_ARM64_REG_FPCR, &fpcr)) != UC_ERR_OK) {
        fatal("load registers", e);
    }
}

static void regs_save(struct hal_tcb *a)
{
    uint64_t vals[N_USER_REGS] = {0};
    void *ptrs[N_USER_REGS + 32];
    int ids[N_USER_REGS + 32];
    int n = 0;
    for (int r = 0; r < N_USER_REGS; r++) {
        ids[n] = emu.reg_ids[r];
        ptrs[n] = &vals[r];
        n++;
    }
    for (int v = 0; v < 32; v++) {
        ids[n] = UC_ARM64_REG_Q0 + v;
        ptrs[n] = &a->fpsimd[2 * v];
        n++;
    }
    uint32_t fpsr = 0, fpcr = 0;
    uc_err e;
    if ((e = uc_reg_read_batch(emu.e->uc, ids, ptrs, n)) != UC_ERR_OK ||
        (e = uc_reg_read(emu.e->uc, UC_ARM64_REG_FPSR, &fpsr)) != UC_ERR_OK ||
        (e = uc_reg_read(emu.e->uc, UC_ARM64_REG_FPCR, &fpcr)) != UC_ERR_OK) {
        fatal("save registers", e);
    }
    for (int r = 0; r < N_USER_REGS; r++) {
        if (r == REG_SPSR) {
            a->regs[r] = (a->regs[r] & ~SPSR_NZCV) | ((word_t)vals[r] & SPSR_NZCV);
        } else if (r != REG_FAULT_IP) {
            a->regs[r] = vals[r];
        }
    }
    a->fpsimd[64] = fpsr;
    a->fpsimd[65] = fpcr;
}

/* --- running a thread --- */

static void trace_entry(const struct hal_tcb *t, const char *kind, word_t pc, word_t what)
{
    if (emu.trace != NULL) {
        fprintf(emu.trace, "emu: %-9s tcb %#lx pc %#lx %#lx (instruction %llu)\n", kind,
                (unsigned long)hostsim_kernel_thread_handle(t), (unsigned long)pc,
                (unsigned long)what, (unsigned long long)emu.stats.instructions);
    }
}

void emu_run(struct hal_tcb *a)
{
    word_t irq;
    if (hostsim_irq_active(&irq)) {
        /* An interrupt became pending in the kernel (an SGI, a device): EL0 takes it before its
         * first instruction, as hardware does on the exception return. */
        hostsim_entry.kind = ENTRY_INTERRUPT;
        emu.stats.entries++;
        clock_run_begin();
        charge_entry();
        clock_run_end();
        trace_entry(a, "irq", a->regs[REG_NEXT_IP], irq);
        return;
    }
    paddr_t root;
    word_t asid;
    if (!hostsim_kernel_thread_vspace(a, &root, &asid)) {
        root = 0; /* no VSpace: every access faults (the kernel's rule) */
        asid = 0;
    }
    emu.e = engine_for(root, asid);
    regs_load(a);
    emu.fpu_disabled = hostsim_kernel_thread_fpu_disabled(a);
    emu.stop = STOP_NONE;
    clock_run_begin();
    uc_err e = uc_emu_start(emu.e->uc, a->regs[REG_NEXT_IP], STOP_ADDRESS, 0, 0);
    while (emu.stop == STOP_EVICT) {
        uint64_t at = 0;
        uc_reg_read(emu.e->uc, UC_ARM64_REG_PC, &at);
        if (!emu.instruction) { /* the data access's instruction was counted: it runs again */
            emu.stats.instructions--;
            emu.clock--;
        }
        flush_all(emu.e);
        emu.stop = STOP_NONE;
        e = uc_emu_start(emu.e->uc, at, STOP_ADDRESS, 0, 0);
    }
    if (gdbstub_active && (emu.stop == STOP_EXCEPTION || emu.stop == STOP_FAULT)) {
        /* gdb sees the fault or exception before the kernel does, at the instruction. */
        uint64_t at = 0;
        uc_reg_read(emu.e->uc, UC_ARM64_REG_PC, &at);
        gdbstub_stop(emu.e->uc, root, at,
                     emu.stop == STOP_FAULT        ? GDB_SIGSEGV
                     : emu.esr >> 26 == EC_UNKNOWN ? GDB_SIGILL
                                                   : GDB_SIGTRAP);
    }
    regs_save(a);
    word_t pc = a->regs[REG_NEXT_IP];
    uint32_t insn;
    if (emu.stop == STOP_NONE && fetch_word(pc - 4, &insn) && insn == INSN_WFI) {
        /* The engine halted after a WFI: the aarch64 port traps it (SCTLR_EL1.nTWI clear), at the
         * WFI. (WFE is a no-op in the engine and is not caught.) */
        pc -= 4;
        a->regs[REG_NEXT_IP] = pc;
        emu.stop = STOP_EXCEPTION;
        emu.esr = ESR_WFX;
    }
    if (emu.stop == STOP_NONE) {
        /* Stopped at STOP_ADDRESS, or an error the hooks did not see: the fetch there faults. */
        struct walk w;
        shadow_walk(root, pc, &w);
        (void)e;
        record_fault(true, false, pc,
                     w.mapped ? FSC_PERMISSION(w.level) : FSC_TRANSLATION(w.level));
    }
    emu.stats.entries++;
    charge_entry(); /* the kernel's work on this entry */
    clock_run_end();
    switch (emu.stop) {
    case STOP_SYSCALL:
        a->regs[REG_FAULT_IP] = pc - 4;
        hostsim_entry.kind = ENTRY_SYSCALL;
        emu.stats.syscalls++;
        trace_entry(a, "syscall", pc - 4, a->regs[REG_SYSCALL]);
        break;
    case STOP_EXCEPTION:
        a->regs[REG_FAULT_IP] = pc;
        hostsim_entry.kind = ENTRY_USER_EXCEPTION;
        hostsim_entry.esr = emu.esr;
        emu.stats.user_exceptions++;
        trace_entry(a, "exception", pc, emu.esr);
        break;
    case STOP_FAULT:
        a->regs[REG_FAULT_IP] = pc;
        hostsim_entry.kind = ENTRY_VM_FAULT;
        hostsim_entry.instruction = emu.instruction;
        hostsim_entry.addr = emu.instruction ? pc : emu.far;
        hostsim_entry.esr = emu.esr;
        emu.stats.vm_faults++;
        trace_entry(a, "vm fault", pc, emu.far);
        break;
    case STOP_TICK:
    case STOP_NONE:
    case STOP_EVICT:                            /* (not after the loop above) */
        hostsim_irq_set_pending(HAL_TIMER_IRQ); /* the virtual timer's line */
#ifndef CONFIG_KERNEL_MCS
        /* The kernel reloads the timer one period ahead while it handles the tick (as the aarch64
         * port's timer_tick_done does): periods that passed inside the kernel are this one
         * interrupt, and user code always gets a period of time before the next. (MCS: the
         * kernel sets its next deadline itself; clock_run_begin reads it.) */
        emu.next_tick = emu.tick != 0 ? emu.clock + emu.tick : UINT64_MAX;
#endif
        hostsim_entry.kind = ENTRY_INTERRUPT;
        emu.stats.ticks++;
        trace_entry(a, "tick", pc, HAL_TIMER_IRQ);
        break;
    }
}

void emu_run_bounded(struct hal_tcb *t, uint64_t max_instructions)
{
    emu_forget_all(); /* outside a run memory and tables change behind the engines' backs */
#ifdef CONFIG_KERNEL_MCS
    emu.bound = max_instructions; /* clock_run_begin stops the engine there at the latest */
    emu_run(t);
    emu.bound = UINT64_MAX;
#else
    uint64_t periodic = emu.next_tick;
    if (max_instructions < emu.next_tick - emu.clock) {
        emu.next_tick = emu.clock + max_instructions;
    }
    emu_run(t);
    if (emu.stop != STOP_TICK) {
        emu.next_tick = periodic; /* the budget was not used up: the timer's deadline stands */
    }
#endif
}

bool emu_place_code(const struct hal_tcb *t, word_t va, const uint32_t *words, unsigned n)
{
    paddr_t root;
    word_t asid;
    struct walk w;
    if (!hostsim_kernel_thread_vspace(t, &root, &asid) || (va & 3) != 0) {
        return false;
    }
    shadow_walk(root, va, &w);
    if (!w.mapped || !hostsim_is_ram(w.page_pa, PAGE_BYTES)) {
        return false;
    }
    word_t off = va & (PAGE_BYTES - 1);
    if (n > (PAGE_BYTES - off) / 4) {
        n = (unsigned)((PAGE_BYTES - off) / 4);
    }
    memcpy((uint8_t *)hal_ptov(w.page_pa) + off, words, n * sizeof(*words));
    return true;
}
