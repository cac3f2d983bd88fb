/* SPDX-License-Identifier: BSD-2-Clause */
/* hostsim shadow MMU: the user window of the host address space, filled on demand from the current
 * VSpace's page tables by a SIGSEGV handler (the "TLB refill"), and the VM faults it raises for
 * unmapped or forbidden accesses, handed to the host-code thread layer through the hooks it gives
 * shadow_init (this file knows no thread). Also the page-table walk the emulated EL0 (emu_el0.c)
 * and the device path (pl011.c) translate with. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <hal/mmu.h>
#include <hal_common/pte_bits.h>
#include <hostsim/user.h>
#include <hostsim_if/kernel.h>
#include <hostsim_if/machine.h>

#include "user_internal.h"

#ifdef HOSTSIM_HAVE_VALGRIND
#include <valgrind/memcheck.h>
#include <valgrind/valgrind.h>
#else
#define VALGRIND_STACK_REGISTER(lo, hi) 0u
#define VALGRIND_MAKE_MEM_DEFINED(p, n) ((void)(p), (void)(n))
#define RUNNING_ON_VALGRIND 0
#define VALGRIND_DISABLE_ADDR_ERROR_REPORTING_IN_RANGE(p, n) 0u
#define VALGRIND_ENABLE_ADDR_ERROR_REPORTING_IN_RANGE(p, n) 0u
#endif

#define WINDOW_SIZE (HOSTSIM_WINDOW_END - HOSTSIM_WINDOW_BASE)
#define PAGE_BYTES 4096ul
#define ALTSTACK_SIZE (64u * 1024)
#define MAX_MATERIALISED 4096u

/* ESR_EL1 fields (Arm ARM D17.2.37): exception class, IL, WnR, fault status codes. */
#define ESR_EC_IABT_LOWER 0x20ul
#define ESR_EC_DABT_LOWER 0x24ul
#define ESR_IL (1ul << 25)
#define ESR_WNR (1ul << 6)

/* A page mapped into the window, and the translation it came from. */
struct materialised {
    word_t vaddr;
    word_t block_base, block_size;
};

static bool window_reserved, handler_installed;
static struct sigaction previous_segv;
static struct shadow_thread_hooks thread_hooks;
static void shadow_altstack_describe(stack_t *out);
static paddr_t window_root;
static word_t window_asid;
static struct materialised pages[MAX_MATERIALISED];
static unsigned n_pages;
static bool pages_overflowed; /* more than MAX_MATERIALISED: empty the whole window */
static struct hostsim_window_stats stats;

/* Walk the AArch64 tables under root (physical; 0: no VSpace). The VSpace layer's own lookup
 * reads the same entries. */
void shadow_walk(paddr_t root, word_t va, struct walk *w)
{
    memset(w, 0, sizeof(*w));
    paddr_t table = root;
    for (word_t level = 0; level < HAL_PT_LEVELS; level++) {
        w->level = level;
        if (table == 0 || !hostsim_is_ram(table, PAGE_BYTES) || va > seL4_UserTop) {
            return;
        }
        word_t pte = ((const word_t *)hal_ptov(table))[HAL_PT_INDEX(va, level)];
        if (!(pte & PTE_VALID)) {
            return;
        }
        bool table_bit =
            (pte & PTE_TYPE_MASK) == PTE_TABLE; /* valid, bit 1 set: table (L0-2) or page (L3) */
        if (level < 3 && table_bit) {
            table = pte & PTE_ADDR_MASK;
            continue;
        }
        if (level == 0 || (level == 3 && !table_bit)) {
            return; /* reserved encodings: a translation fault, as on hardware */
        }
        word_t size = 1ul << HAL_PT_LEVEL_SHIFT(level);
        w->mapped = true;
        w->block_base = va & ~(size - 1);
        w->block_size = size;
        w->page_pa = (pte & PTE_ADDR_MASK & ~(size - 1)) + (va & (size - 1) & ~(PAGE_BYTES - 1));
        switch (pte & PTE_AP_MASK) {
        case PTE_AP_EL0_RW:
            w->rights = WALK_READ_WRITE;
            break;
        case PTE_AP_EL0_RO:
            w->rights = WALK_READ_ONLY;
            break;
        default:
            w->rights = WALK_KERNEL_ONLY;
            break;
        }
        w->xn = (pte & PTE_UXN) != 0;
        return;
    }
}

word_t shadow_abort_esr(bool instruction, bool write, word_t fsc)
{
    if (instruction) {
        return (ESR_EC_IABT_LOWER << 26) | ESR_IL | fsc;
    }
    return (ESR_EC_DABT_LOWER << 26) | ESR_IL | (write ? ESR_WNR : 0) | fsc;
}

/* --- the window --- */

static int find_page(word_t page)
{
    for (unsigned i = 0; i < n_pages; i++) {
        if (pages[i].vaddr == page) {
            return (int)i;
        }
    }
    return -1;
}

static void unmap_range(word_t va, word_t size)
{
    void *p = mmap((void *)va, size, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        fprintf(stderr, "hostsim: cannot empty the user window at %#lx: %s\n", (unsigned long)va,
                strerror(errno));
        abort();
    }
    /* Memcheck would report accesses to PROT_NONE pages before the fault reaches the handler. */
    VALGRIND_MAKE_MEM_DEFINED((void *)va, size);
}

void shadow_flush(void)
{
    if (n_pages == 0 && !pages_overflowed) {
        return;
    }
    if (pages_overflowed) {
        unmap_range(HOSTSIM_WINDOW_BASE, WINDOW_SIZE);
    } else {
        for (unsigned i = 0; i < n_pages; i++) {
            unmap_range(pages[i].vaddr, PAGE_BYTES);
        }
    }
    n_pages = 0;
    pages_overflowed = false;
    stats.flushes++;
}

void shadow_switch(paddr_t vspace_root, word_t asid)
{
    if (vspace_root != window_root || asid != window_asid) {
        shadow_flush();
        window_root = vspace_root;
        window_asid = asid;
    }
}

void shadow_invalidate_asid(word_t asid)
{
    if (asid == window_asid) {
        shadow_flush();
    }
}

void shadow_invalidate_va(word_t asid, word_t vaddr)
{
    if (asid != window_asid) {
        return;
    }
    if (pages_overflowed) {
        shadow_flush();
        return;
    }
    for (unsigned i = 0; i < n_pages;) {
        if (vaddr - pages[i].block_base < pages[i].block_size) {
            unmap_range(pages[i].vaddr, PAGE_BYTES);
            pages[i] = pages[--n_pages];
        } else {
            i++;
        }
    }
}

unsigned hostsim_window_pages(void) { return n_pages; }

void shadow_stats(struct hostsim_window_stats *out) { *out = stats; }

/* Map the page holding addr with the rights the walk found. Runs in the SIGSEGV handler. */
static bool materialise(word_t page, const struct walk *w)
{
    int fd = hostsim_ram_fd();
    if (fd < 0) {
        return false;
    }
    int prot = PROT_READ | (w->rights == WALK_READ_WRITE ? PROT_WRITE : 0);
    void *p = mmap((void *)page, PAGE_BYTES, prot, MAP_SHARED | MAP_FIXED, fd,
                   (off_t)(w->page_pa - hostsim_ram_base_pa));
    if (p == MAP_FAILED) {
        return false;
    }
    int i = find_page(page);
    if (i < 0) {
        if (n_pages < MAX_MATERIALISED) {
            i = (int)n_pages++;
        } else {
            pages_overflowed = true;
        }
    }
    if (i >= 0) {
        pages[i] = (struct materialised){page, w->block_base, w->block_size};
    }
    stats.refills++;
    return true;
}

/* --- the SIGSEGV handler --- */

/* Valgrind's faults are not precise for every instruction: its translation of a push or a call
 * writes the decremented RSP before the store that can fault, and that of a rep-prefixed string
 * instruction decrements RCX before the iteration's load or store. The SIGSEGV context shows those
 * registers already updated, so the retried instruction would push again (RSP 8 bytes too low from
 * then on: every frame below misaligned, and the caller's RSP-relative locals off by 8) or do one
 * iteration fewer. Under Valgrind, undo that update so the retry is the instruction the CPU would
 * retry (natively faults are precise and nothing changes). A push's or call's store faults at the
 * new RSP; a push or call whose memory operand is exactly at RSP is not told apart (no compiler
 * emits one); pop to memory and enter are not handled either.
 * Kept out of line: inlined into segv_handler (the -O2 default build), memcheck reported the
 * lowest slots of the handler's own frame on the signal stack as invalid reads and writes, under
 * every --px-default setting (cause inside memcheck not established); out of line, or at -O0, it
 * reports nothing. */
static __attribute__((noinline)) void valgrind_precise_retry(ucontext_t *uc, word_t addr)
{
    if (!RUNNING_ON_VALGRIND) {
        return;
    }
    word_t pc = (word_t)uc->uc_mcontext.gregs[REG_RIP];
    if (pc == addr || (pc >= HOSTSIM_WINDOW_BASE && pc < HOSTSIM_WINDOW_END)) {
        return; /* not host code: an instruction abort */
    }
    const uint8_t *ip = (const uint8_t *)pc;
    bool rep = false, operand16 = false, address32 = false;
    for (int n = 0; n < 14; n++, ip++) { /* legacy prefixes */
        if (*ip == 0xf2 || *ip == 0xf3) {
            rep = true;
        } else if (*ip == 0x66) {
            operand16 = true;
        } else if (*ip == 0x67) {
            address32 = true;
        } else if (*ip != 0xf0 && *ip != 0x26 && *ip != 0x2e && *ip != 0x36 && *ip != 0x3e &&
                   *ip != 0x64 && *ip != 0x65) {
            break;
        }
    }
    if ((*ip & 0xf0) == 0x40) {
        ip++; /* REX */
    }
    uint8_t op = ip[0];
    unsigned modrm_reg = (ip[1] >> 3) & 7;
    bool call = op == 0xe8 || (op == 0xff && modrm_reg == 2);
    bool push = (op >= 0x50 && op <= 0x57) || op == 0x68 || op == 0x6a || op == 0x9c ||
                (op == 0xff && modrm_reg == 6);
    greg_t *rsp = &uc->uc_mcontext.gregs[REG_RSP];
    greg_t *rcx = &uc->uc_mcontext.gregs[REG_RCX];
    if ((call || push) && addr == (word_t)*rsp) {
        *rsp += push && operand16 ? 2 : 8;
    } else if (rep && ((op >= 0xa4 && op <= 0xa7) || (op >= 0xaa && op <= 0xaf))) {
        *rcx = address32 ? (greg_t)(uint32_t)((uint32_t)*rcx + 1) : *rcx + 1;
    }
}

static void crash(const char *why, word_t addr, word_t pc)
{
    char msg[256];
    int n = snprintf(msg, sizeof(msg), "hostsim: %s: address %#lx, pc %#lx (%s mode)\n", why,
                     (unsigned long)addr, (unsigned long)pc, hostsim_user_mode ? "user" : "kernel");
    if (n > 0) {
        ssize_t ignored =
            write(STDERR_FILENO, msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
        (void)ignored;
    }
    /* Back to the previous action (the default, or a sanitizer's reporter): the access is
     * retried and faults again into it. */
    sigaction(SIGSEGV, &previous_segv, NULL);
}

static void segv_handler(int sig, siginfo_t *si, void *context)
{
    (void)sig;
    ucontext_t *uc = context;
    word_t addr = (word_t)si->si_addr;
    word_t pc = (word_t)uc->uc_mcontext.gregs[REG_RIP];
    if (si->si_code <= 0) {
        crash("SIGSEGV sent by a process", addr, pc);
        return;
    }
    if (addr >= HOSTSIM_WINDOW_END) {
        crash("segmentation fault outside the user window", addr, pc);
        return;
    }
    if (!hostsim_user_mode || !thread_hooks.current()) {
        crash(addr >= HOSTSIM_WINDOW_BASE
                  ? "the kernel or the simulator touched user memory (the user window)"
                  : "segmentation fault",
              addr, pc);
        return;
    }
    valgrind_precise_retry(uc, addr);
    word_t sp = (word_t)uc->uc_mcontext.gregs[REG_RSP];
    /* An instruction abort faults on the fetch itself: the PC is the address. Otherwise x86's
     * page-fault error code says read or write; a fault on a page already in the window can only
     * be a write the mapping forbids (Valgrind's synthetic faults do not always say). */
    bool instruction = pc == addr;
    word_t page = addr & ~(PAGE_BYTES - 1);
    bool write =
        !instruction && ((uc->uc_mcontext.gregs[REG_ERR] & 2) != 0 || find_page(page) >= 0);
    struct walk w;
    shadow_walk(window_root, addr, &w);
    word_t esr;
    if (!w.mapped) {
        esr = shadow_abort_esr(instruction, write, FSC_TRANSLATION(w.level));
    } else if (instruction) {
        esr = w.xn || w.rights == WALK_KERNEL_ONLY
                  ? shadow_abort_esr(true, false, FSC_PERMISSION(w.level))
                  : HOSTSIM_ESR_EXEC_IN_WINDOW;
    } else if (w.rights == WALK_KERNEL_ONLY || (write && w.rights != WALK_READ_WRITE)) {
        esr = shadow_abort_esr(false, write, FSC_PERMISSION(w.level));
    } else if (!hostsim_is_ram(w.page_pa, PAGE_BYTES)) {
        esr = shadow_abort_esr(false, write, FSC_EXTERNAL); /* a device frame: no device answers */
    } else if (addr < HOSTSIM_WINDOW_BASE) {
        crash("user access to a page its VSpace maps below the user window", addr, pc);
        return;
    } else if (materialise(page, &w)) {
        return; /* retry the access */
    } else {
        crash("cannot map a page into the user window", addr, pc);
        return;
    }
    stats.vm_faults++;
    void *held = thread_hooks.fault(instruction, addr, esr, pc, sp);
    /* Resumed: return (retrying the access). sigreturn would reinstate the alternate stack this
     * frame was delivered on, which is no longer the registered one. */
    shadow_altstack_describe(&uc->uc_stack);
    shadow_altstack_release(held);
}

/* --- alternate signal stacks --- */

static void *altstack_current;
static void *altstack_free; /* free list, linked through each stack's first word */

static void *altstack_new(void)
{
    void *s = altstack_free;
    if (s != NULL) {
        altstack_free = *(void **)s;
        return s;
    }
    s = mmap(NULL, ALTSTACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (s == MAP_FAILED) {
        fprintf(stderr, "hostsim: cannot map a signal stack\n");
        abort();
    }
    (void)VALGRIND_STACK_REGISTER(s, (char *)s + ALTSTACK_SIZE);
    return s;
}

static void altstack_install(void *s)
{
    stack_t st = {.ss_sp = s, .ss_size = ALTSTACK_SIZE, .ss_flags = 0};
    if (sigaltstack(&st, NULL) != 0) {
        fprintf(stderr, "hostsim: sigaltstack failed: %s\n", strerror(errno));
        abort();
    }
    altstack_current = s;
}

void *shadow_altstack_current(void) { return altstack_current; }
void shadow_altstack_replace(void) { altstack_install(altstack_new()); }

void shadow_altstack_release(void *stack)
{
    if (stack != NULL) {
        *(void **)stack = altstack_free;
        altstack_free = stack;
    }
}

static void shadow_altstack_describe(stack_t *out)
{
    out->ss_sp = altstack_current;
    out->ss_size = ALTSTACK_SIZE;
    out->ss_flags = 0;
}

/* --- set-up --- */

/* Reserve the window as early as possible, before libraries scatter mappings over it. */
__attribute__((constructor)) static void window_reserve(void)
{
    if (window_reserved) {
        return;
    }
    void *want = (void *)HOSTSIM_WINDOW_BASE;
    void *p = mmap(want, WINDOW_SIZE, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == want) {
        window_reserved = true;
        VALGRIND_MAKE_MEM_DEFINED(want, WINDOW_SIZE);
    } else if (p != MAP_FAILED) {
        munmap(p, WINDOW_SIZE); /* an old kernel (or Valgrind) took the address as a hint */
    }
}

int shadow_init(const struct shadow_thread_hooks *hooks, const char **error)
{
    if (sysconf(_SC_PAGESIZE) != (long)PAGE_BYTES) {
        /* The window maps single 4 KiB frames of simulated RAM at their user addresses. */
        *error = "hostsim: the host's page size is not 4 KiB (host-code user threads need it)";
        return -1;
    }
    window_reserve();
    if (!window_reserved) {
        *error = "hostsim: the user window [0x400000, 0x4000000) is not free in this process";
        return -1;
    }
    thread_hooks = *hooks;
    if (!handler_installed) {
        altstack_install(altstack_new());
        struct sigaction sa;
        memset(&sa, 0, sizeof(sa));
        sa.sa_sigaction = segv_handler;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
        sigemptyset(&sa.sa_mask);
        if (sigaction(SIGSEGV, &sa, &previous_segv) != 0) {
            *error = "hostsim: cannot install the SIGSEGV handler";
            return -1;
        }
        handler_installed = true;
    }
    /* During a run, a user access below the window is a VM fault like any other unmapped user
     * address (a user thread's NULL dereference): Memcheck must not report it before the fault
     * reaches the handler. Host code touching these addresses still crashes (the handler's
     * message, then the default action and Valgrind's report of that). */
    (void)VALGRIND_DISABLE_ADDR_ERROR_REPORTING_IN_RANGE(0, HOSTSIM_WINDOW_BASE);
    return 0;
}

void shadow_run_end(void)
{
    shadow_switch(0, 0); /* empty the window: outside a run nothing may touch user memory */
    (void)VALGRIND_ENABLE_ADDR_ERROR_REPORTING_IN_RANGE(0, HOSTSIM_WINDOW_BASE);
}

/* The window is like TTBR0 (the VSpace root and ASID it was filled for) and a TLB (its pages):
 * every page in it must still be a translation of that VSpace, and the ASID must still name the
 * root (the port's hal_invariants_hold). */
bool hostsim_window_consistent(char *why, size_t why_len)
{
    if (n_pages == 0) {
        return true;
    }
    if (hostsim_kernel_asid_vspace(window_asid) != window_root) {
        snprintf(
            why, why_len,
            "hostsim user window: filled for VSpace %#lx with ASID %lu, but that ASID names %#lx",
            (unsigned long)window_root, (unsigned long)window_asid,
            (unsigned long)hostsim_kernel_asid_vspace(window_asid));
        return false;
    }
    for (unsigned i = 0; i < n_pages; i++) {
        struct walk w;
        shadow_walk(window_root, pages[i].vaddr, &w);
        if (!w.mapped || w.block_base != pages[i].block_base ||
            w.block_size != pages[i].block_size) {
            snprintf(why, why_len,
                     "hostsim user window: page %#lx (ASID %lu) is no longer that translation of "
                     "VSpace %#lx "
                     "(a mapping changed without a TLB invalidation)",
                     (unsigned long)pages[i].vaddr, (unsigned long)window_asid,
                     (unsigned long)window_root);
            return false;
        }
    }
    return true;
}
