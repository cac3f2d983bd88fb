/* SPDX-License-Identifier: BSD-2-Clause */
/* KaaL's loader: unpacks the kernel ELF, a device tree and the root task into RAM as seL4's
 * elfloader does on qemu-arm-virt (docs/abi.md#qemu-virt-addresses), turns the MMU on in the state
 * of docs/abi.md#loader-mmu-state and enters
 * the kernel with x0..x5 of docs/abi.md#loader-registers. Runs at EL1 with the MMU off (built with
 * -mstrict-align). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hal_common/elf.h>
#include <hal_port/machine.h>

typedef uint64_t word_t;

#define PAGE_BITS PT_L3_SHIFT /* 4 KiB pages (<hal_common/pte_bits.h>) */
#define ROUND_UP(x, bits) ((((word_t)(x)) + ((1ul << (bits)) - 1)) & ~((1ul << (bits)) - 1))
#define ROUND_DOWN(x, bits) (((word_t)(x)) & ~((1ul << (bits)) - 1))

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

void loader_main(word_t x0);
void loader_enter_kernel(const word_t args[6], word_t entry, word_t ttbr0, word_t ttbr1, word_t tcr)
    __attribute__((noreturn));

extern const uint8_t payload_kernel_start[], payload_kernel_end[];
extern const uint8_t payload_dtb_start[], payload_dtb_end[];
extern const uint8_t payload_root_start[], payload_root_end[];
extern uint8_t __loader_start[], __loader_end[];

/* --- console: the PL011 by physical address (MMU off) --- */
static void putc_uart(char c)
{
    volatile uint32_t *uart = (volatile uint32_t *)VIRT_UART_PADDR;
    if (c == '\n') {
        putc_uart('\r');
    }
    while (uart[0x18 / 4] & (1u << 5)) {
    }
    uart[0] = (uint32_t)(unsigned char)c;
}

static void puts_uart(const char *s)
{
    while (*s) {
        putc_uart(*s++);
    }
}

static void puthex(word_t v)
{
    puts_uart("0x");
    for (int shift = 60; shift >= 0; shift -= 4) {
        putc_uart("0123456789abcdef"[(v >> shift) & 0xf]);
    }
}

static void print_range(const char *what, word_t start, word_t end)
{
    puts_uart("  ");
    puts_uart(what);
    puts_uart(" [");
    puthex(start);
    puts_uart(", ");
    puthex(end);
    puts_uart(")\n");
}

/* Stop with "KaaL loader: <subject> <why>" (subject NULL: without it). */
static void fail_about(const char *subject, const char *why) __attribute__((noreturn));
static void fail_about(const char *subject, const char *why)
{
    puts_uart("KaaL loader: ");
    if (subject != NULL) {
        puts_uart(subject);
        puts_uart(" ");
    }
    puts_uart(why);
    puts_uart("; stopping\n");
    for (;;) {
        __asm__ volatile("wfi");
    }
}

static void fail(const char *why) __attribute__((noreturn));
static void fail(const char *why) { fail_about(NULL, why); }

/* --- big-endian and unaligned-safe reads (MMU off: every access must be aligned) --- */
static uint32_t be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* --- the device tree --- */
#define FDT_MAGIC 0xd00dfeedu
#define FDT_MAX_SIZE (1ul << 20)

/* Size of the blob's used part (header, reservation map, structure, strings), or 0 if p is not a
 * device tree. QEMU hands over a 1 MiB blob of which a few KiB are used; passing the used part
 * keeps the kernel's reserved region small (seL4's loader passes a packed DTB too). */
static word_t fdt_used_size(const uint8_t *p, word_t limit)
{
    if (limit < 40 || be32(p) != FDT_MAGIC) {
        return 0;
    }
    word_t total = be32(p + 4), off_struct = be32(p + 8), off_strings = be32(p + 12);
    word_t off_rsv = be32(p + 16), version = be32(p + 20);
    word_t size_strings = be32(p + 32), size_struct = be32(p + 36);
    if (version < 17 || total < 40 || total > limit || off_rsv < 40 || off_rsv > total ||
        off_struct > total || size_struct > total - off_struct || off_strings > total ||
        size_strings > total - off_strings) {
        return 0;
    }
    word_t used = off_struct + size_struct;
    if (off_strings + size_strings > used) {
        used = off_strings + size_strings;
    }
    /* The reservation map ends with an all-zero 16-byte entry. */
    word_t rsv_end = off_rsv;
    while (rsv_end + 16 <= total) {
        const uint8_t *e = p + rsv_end;
        rsv_end += 16;
        if ((be32(e) | be32(e + 4) | be32(e + 8) | be32(e + 12)) == 0) {
            break;
        }
    }
    if (rsv_end > used) {
        used = rsv_end;
    }
    return ROUND_UP(used, 3);
}

static uint8_t dtb_copy[FDT_MAX_SIZE] __attribute__((aligned(8)));

/* --- ELF images (hal/common/elf.c) --- */
static void elf_check(struct elf_file *f, const uint8_t *elf, word_t size, const char *what)
{
    enum elf_error e = elf_open(f, elf, size);
    if (e != ELF_OK) {
        fail_about(what, elf_error_text(e));
    }
}

/* Copy each loadable segment to (vaddr + v_to_p) and zero the rest of its memsz. */
static void elf_load(const struct elf_file *f, word_t v_to_p)
{
    struct elf_segment seg;
    for (unsigned i = 0; elf_next_load(f, &i, &seg);) {
        elf_load_segment(f, &seg, (void *)(seg.vaddr + v_to_p));
    }
}

static int overlaps(word_t a_start, word_t a_end, word_t b_start, word_t b_end)
{
    return a_start < b_end && b_start < a_end;
}

/* --- cache maintenance by address (the MMU is off, so VA = PA) --- */
static void dcache_clean_inval(word_t start, word_t end)
{
    word_t ctr;
    __asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
    word_t line = 4ul << ((ctr >> 16) & 0xf); /* DminLine: log2 of words */
    for (word_t a = start & ~(line - 1); a < end; a += line) {
        __asm__ volatile("dc civac, %0" ::"r"(a) : "memory");
    }
}

/* --- the MMU state the kernel expects (docs/abi.md#loader-mmu-state) --- */
typedef uint64_t pte_t;
static pte_t id_l0[512] __attribute__((aligned(4096)));
static pte_t id_l1[512] __attribute__((aligned(4096)));
static pte_t id_l2[512] __attribute__((aligned(4096)));
static pte_t k_l0[512] __attribute__((aligned(4096)));
static pte_t k_l1[512] __attribute__((aligned(4096)));
static pte_t k_l2[512] __attribute__((aligned(4096)));

#define IDX(va, shift) (((va) >> (shift)) & 511)
#define BLOCK_NORMAL (PTE_BLOCK | PTE_ATTR(MT_NORMAL) | PTE_AF)

/* TTBR0: identity map of the loader's own image, 2 MiB blocks. */
static void map_loader_identity(void)
{
    word_t start = ROUND_DOWN((word_t)__loader_start, PT_L2_SHIFT);
    word_t end = ROUND_UP((word_t)__loader_end, PT_L2_SHIFT);
    if (IDX(start, PT_L1_SHIFT) != IDX(end - 1, PT_L1_SHIFT) || (start >> PT_L0_SHIFT) != 0) {
        fail("the loader image crosses a 1 GiB boundary");
    }
    id_l0[IDX(start, PT_L0_SHIFT)] = (word_t)id_l1 | PTE_TABLE;
    id_l1[IDX(start, PT_L1_SHIFT)] = (word_t)id_l2 | PTE_TABLE;
    for (word_t a = start; a < end; a += 1ul << PT_L2_SHIFT) {
        id_l2[IDX(a, PT_L2_SHIFT)] = a | BLOCK_NORMAL;
    }
}

/* TTBR1: from the kernel's first virtual address to the end of that 1 GiB region, 2 MiB blocks,
 * linear to physical from the kernel's load address; EL1 only. */
static void map_kernel_window(word_t v_start, word_t p_start)
{
    if ((v_start >> 48) != 0xffff || ((v_start | p_start) & ((1ul << PT_L2_SHIFT) - 1)) != 0) {
        fail("the kernel must be linked in the upper half, 2 MiB aligned in both address spaces");
    }
    k_l0[IDX(v_start, PT_L0_SHIFT)] = (word_t)k_l1 | PTE_TABLE;
    k_l1[IDX(v_start, PT_L1_SHIFT)] = (word_t)k_l2 | PTE_TABLE;
    for (word_t i = IDX(v_start, PT_L2_SHIFT); i < 512; i++) {
        word_t pa = p_start + ((i - IDX(v_start, PT_L2_SHIFT)) << PT_L2_SHIFT);
        k_l2[i] = pa | BLOCK_NORMAL | PTE_UXN;
    }
}

void loader_main(word_t x0)
{
    puts_uart("\nKaaL loader\n");

    /* 1. The device tree: the one built in, else one a firmware passed in x0, else QEMU's,
     *    which QEMU writes to the start of RAM for an ELF -kernel (it passes none in x0). */
    const uint8_t *dtb_src;
    const char *dtb_from;
    word_t dtb_limit = FDT_MAX_SIZE;
    if ((word_t)payload_dtb_end != (word_t)payload_dtb_start) {
        dtb_src = payload_dtb_start;
        dtb_from = "built into the loader";
        dtb_limit = (word_t)(payload_dtb_end - payload_dtb_start);
    } else if (x0 != 0 && fdt_used_size((const uint8_t *)x0, FDT_MAX_SIZE) != 0) {
        dtb_src = (const uint8_t *)x0;
        dtb_from = "passed in x0";
    } else {
        dtb_src = (const uint8_t *)VIRT_RAM_BASE;
        dtb_from = "QEMU's, at the start of RAM";
    }
    word_t dtb_size = fdt_used_size(dtb_src, dtb_limit);
    if (dtb_size == 0) {
        fail("no valid device tree (QEMU places one at 0x40000000 only if the ELF leaves it free)");
    }
    memcpy(dtb_copy, dtb_src, dtb_size); /* the kernel is about to be loaded over QEMU's copy */
    put_be32(dtb_copy + 4, (uint32_t)dtb_size);

    /* 2. Where everything goes (docs/abi.md#qemu-virt-addresses): the kernel at its p_paddr, the
     * DTB on the next page after it, the root task on the page after the DTB. */
    struct elf_file k, r;
    elf_check(&k, payload_kernel_start, (word_t)(payload_kernel_end - payload_kernel_start),
              "the kernel");
    word_t dtb_paddr = ROUND_UP(k.p_end, PAGE_BITS);
    word_t ui_p_start = ROUND_UP(dtb_paddr + dtb_size, PAGE_BITS);
    word_t ui_p_end = ui_p_start, pv_offset = 0, ui_entry = 0;
    bool have_root = (word_t)payload_root_end != (word_t)payload_root_start;
    if (have_root) {
        elf_check(&r, payload_root_start, (word_t)(payload_root_end - payload_root_start),
                  "the root task");
        word_t v_start = ROUND_DOWN(r.v_start, PAGE_BITS);
        pv_offset = ui_p_start - v_start;
        ui_p_end = ROUND_UP(r.v_end, PAGE_BITS) + pv_offset;
        ui_entry = r.entry;
    }
    if (overlaps(k.p_start, ui_p_end, (word_t)__loader_start, (word_t)__loader_end)) {
        fail("kernel + DTB + root task do not fit below the loader (see "
             "hal/aarch64/loader/loader.ld)");
    }

    /* 3. Unpack. */
    elf_load(&k, k.p_start - k.v_start);
    memcpy((void *)dtb_paddr, dtb_copy, dtb_size);
    if (have_root) {
        elf_load(&r, pv_offset);
    }
    puts_uart("KaaL loader: device tree ");
    puts_uart(dtb_from);
    puts_uart("\n");
    print_range("kernel  ", k.p_start, k.p_end);
    print_range("dtb     ", dtb_paddr, dtb_paddr + dtb_size);
    print_range(have_root ? "root    " : "root (none, empty)", ui_p_start, ui_p_end);

    /* 4. MMU state and entry. */
    map_loader_identity();
    map_kernel_window(ROUND_DOWN(k.v_start, PT_L2_SHIFT), ROUND_DOWN(k.p_start, PT_L2_SHIFT));
    dcache_clean_inval(k.p_start, ui_p_end);
    dcache_clean_inval((word_t)__loader_start, (word_t)__loader_end);
    __asm__ volatile("dsb sy; ic iallu; dsb sy; isb" ::: "memory");

    word_t mmfr0;
    __asm__ volatile("mrs %0, id_aa64mmfr0_el1" : "=r"(mmfr0));
    word_t parange = mmfr0 & 0xf;
    word_t tcr = TCR_EL1_VALUE | ((parange > 5 ? 5 : parange) << TCR_IPS_SHIFT);
    const word_t args[6] = {ui_p_start, ui_p_end, pv_offset, ui_entry, dtb_paddr, dtb_size};
    puts_uart("KaaL loader: entering the kernel at ");
    puthex(k.entry);
    puts_uart("\n");
    loader_enter_kernel(args, k.entry, (word_t)id_l0, (word_t)k_l0, tcr);
}
