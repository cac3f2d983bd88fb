/* SPDX-License-Identifier: BSD-2-Clause */
/* The interrupt controller: GICv2 (QEMU virt's default) or GICv3 (gic-version=3), found in the
 * device tree, mapped into the kernel device window, and the HAL's interrupt functions on top. */
#include <hal/hal.h>
#include <kaal/assert.h>
#include <kaal/printf.h>
#include <libfdt.h>

#include "internal.h"

/* Distributor registers (both versions; GICv3 with affinity routing keeps SGI/PPI state in the
 * redistributor instead). */
#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ICPENDR 0x280
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800 /* v2 */
#define GICD_ICFGR 0xc00
#define GICD_SGIR 0xf00     /* v2 */
#define GICD_IROUTER 0x6000 /* v3, 64-bit per SPI */
#define GICD_CTLR_RWP (1u << 31)
#define GICD_CTLR_V3_ENABLE 0x13u /* ARE (DS = 1 layout), EnableGrp1, EnableGrp0 */

/* GICv2 CPU interface. */
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10

/* GICv3 redistributor: RD_base frame, then the SGI_base frame 64 KiB above it. */
#define GICR_WAKER 0x0014
#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
#define GICR_SGI 0x10000

/* GICv3 CPU interface system registers (by encoding: the assembler need not know the names). */
#define ICC_PMR_EL1 "S3_0_C4_C6_0"
#define ICC_IAR1_EL1 "S3_0_C12_C12_0"
#define ICC_EOIR1_EL1 "S3_0_C12_C12_1"
#define ICC_BPR1_EL1 "S3_0_C12_C12_3"
#define ICC_CTLR_EL1 "S3_0_C12_C12_4"
#define ICC_SRE_EL1 "S3_0_C12_C12_5"
#define ICC_IGRPEN1_EL1 "S3_0_C12_C12_7"
#define ICC_SGI1R_EL1 "S3_0_C12_C11_5"

#define IRQ_SPURIOUS_MIN 1020u /* 1020-1023: special INTIDs, nothing to handle */
#define IRQ_PRIORITY 0xa0u     /* every line the same priority: no nesting, fixed order */
#define N_IRQS (HAL_MAX_IRQ + 1)

static struct {
    int version; /* 2 or 3; 0 before gic_init */
    paddr_t gicd_pa, gicc_pa, gicr_pa;
    word_t last_iar; /* the raw IAR of the interrupt being handled (v2 EOI needs its CPU ID) */
    uint32_t user_enabled[(N_IRQS + 31) / 32]; /* lines unmasked through hal_irq_unmask */
} gic;

static volatile uint32_t *gicd(word_t off)
{
    return (volatile uint32_t *)((gic.version == 3 ? KDEV_GICD3 : KDEV_GICD) + off);
}
static volatile uint32_t *gicc(word_t off) { return (volatile uint32_t *)(KDEV_GICC + off); }
static volatile uint32_t *gicr(word_t off) { return (volatile uint32_t *)(KDEV_GICR + off); }

/* Read the first two (address, size) pairs of a node's reg property, with the root's cell sizes
 * (QEMU virt: 2 and 2). Returns the number of pairs read. */
static BOOT_CODE int read_reg(const void *dtb, int node, paddr_t base[2], word_t size[2])
{
    int ac = fdt_address_cells(dtb, 0), sc = fdt_size_cells(dtb, 0), len;
    const fdt32_t *reg = fdt_getprop(dtb, node, "reg", &len);
    if (reg == NULL || ac < 1 || ac > 2 || sc < 0 || sc > 2) {
        return 0;
    }
    int n = 0;
    for (int i = 0; i < 2 && (i + 1) * (ac + sc) * 4 <= len; i++, n++) {
        const fdt32_t *cell = reg + i * (ac + sc);
        base[i] = ac == 2 ? ((paddr_t)fdt32_to_cpu(cell[0]) << 32) | fdt32_to_cpu(cell[1])
                          : fdt32_to_cpu(cell[0]);
        size[i] = sc == 2 ? ((word_t)fdt32_to_cpu(cell[ac]) << 32) | fdt32_to_cpu(cell[ac + 1])
                          : (sc == 1 ? fdt32_to_cpu(cell[ac]) : 0);
    }
    return n;
}

BOOT_CODE int gic_probe(const void *dtb, struct mem_region devices[2], const char **error)
{
    paddr_t base[2];
    word_t size[2];
    int node = fdt_node_offset_by_compatible(dtb, -1, "arm,gic-v3");
    if (node >= 0) {
        gic.version = 3;
    } else {
        static const char *const v2_names[] = {"arm,cortex-a15-gic", "arm,gic-400",
                                               "arm,cortex-a9-gic"};
        for (word_t i = 0; i < ARRAY_SIZE(v2_names) && node < 0; i++) {
            node = fdt_node_offset_by_compatible(dtb, -1, v2_names[i]);
        }
        gic.version = 2;
    }
    if (node < 0) {
        *error = "no GICv2 or GICv3 node in the device tree";
        return -1;
    }
    if (read_reg(dtb, node, base, size) != 2) {
        *error = "the GIC node has no distributor and CPU interface/redistributor in reg";
        return -1;
    }
    gic.gicd_pa = base[0];
    if (gic.version == 2) {
        gic.gicc_pa = base[1];
        mmu_map_device(KDEV_GICD, gic.gicd_pa, 0x1000);
        mmu_map_device(KDEV_GICC, gic.gicc_pa, 0x1000);
        devices[0] = (struct mem_region){gic.gicd_pa, gic.gicd_pa + 0x1000};
        devices[1] = (struct mem_region){gic.gicc_pa, gic.gicc_pa + 0x1000};
    } else {
        gic.gicr_pa = base[1];
        if (size[1] < KDEV_GICR_SIZE) {
            *error = "the GICv3 redistributor region is smaller than one CPU's frames";
            return -1;
        }
        mmu_map_device(KDEV_GICD3, gic.gicd_pa, 0x10000);
        mmu_map_device(KDEV_GICR, gic.gicr_pa, KDEV_GICR_SIZE);
        devices[0] = (struct mem_region){gic.gicd_pa, gic.gicd_pa + 0x10000};
        devices[1] = (struct mem_region){gic.gicr_pa, gic.gicr_pa + KDEV_GICR_SIZE};
    }
    return 0;
}

int gic_version(void) { return gic.version; }

static void gicd_wait_rwp(void)
{
    while (*gicd(GICD_CTLR) & GICD_CTLR_RWP) {
    }
}

/* Every line off, pending state cleared, one priority, level-sensitive SPIs routed to this CPU;
 * then the CPU interface on. Boot, interrupts masked. */
BOOT_CODE void gic_init(void)
{
    word_t lines = MIN((word_t)((*gicd(GICD_TYPER) & 0x1f) + 1) * 32, (word_t)N_IRQS);
    *gicd(GICD_CTLR) = 0;
    if (gic.version == 3) {
        gicd_wait_rwp();
    }
    for (word_t i = 32; i < lines; i += 32) {
        *gicd(GICD_ICENABLER + i / 8) = ~0u;
        *gicd(GICD_ICPENDR + i / 8) = ~0u;
        *gicd(GICD_IGROUPR + i / 8) = gic.version == 3 ? ~0u : 0u; /* v3: Group 1 (IRQ) */
    }
    for (word_t i = 32; i < lines; i += 4) {
        *gicd(GICD_IPRIORITYR + i) = IRQ_PRIORITY * 0x01010101u;
        if (gic.version == 2) {
            *gicd(GICD_ITARGETSR + i) = 0x01010101u; /* CPU interface 0 */
        }
    }
    for (word_t i = 32; i < lines; i += 16) {
        *gicd(GICD_ICFGR + i / 4) = 0; /* level-sensitive until IRQControl says otherwise */
    }
    if (gic.version == 2) {
        /* SGIs and PPIs are banked in the distributor. */
        *gicd(GICD_ICENABLER) = ~0u;
        *gicd(GICD_ICPENDR) = ~0u;
        for (word_t i = 0; i < 32; i += 4) {
            *gicd(GICD_IPRIORITYR + i) = IRQ_PRIORITY * 0x01010101u;
        }
        *gicd(GICD_CTLR) = 1;
        *gicc(GICC_PMR) = 0xff;
        *gicc(GICC_CTLR) = 1;
        return;
    }
    word_t mpidr;
    __asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
    word_t route = (mpidr & 0xffffff) | ((mpidr >> 32 & 0xff) << 32);
    for (word_t i = 32; i < lines; i++) {
        *(volatile uint64_t *)((word_t)gicd(GICD_IROUTER) + i * 8) = route;
    }
    *gicd(GICD_CTLR) = GICD_CTLR_V3_ENABLE;
    gicd_wait_rwp();
    /* Wake this CPU's redistributor; SGIs and PPIs live in its SGI frame. */
    *gicr(GICR_WAKER) &= ~GICR_WAKER_PROCESSOR_SLEEP;
    while (*gicr(GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP) {
    }
    *gicr(GICR_SGI + GICD_ICENABLER) = ~0u;
    *gicr(GICR_SGI + GICD_ICPENDR) = ~0u;
    *gicr(GICR_SGI + GICD_IGROUPR) = ~0u;
    for (word_t i = 0; i < 32; i += 4) {
        *gicr(GICR_SGI + GICD_IPRIORITYR + i) = IRQ_PRIORITY * 0x01010101u;
    }
    word_t sre;
    __asm__ volatile("mrs %0, " ICC_SRE_EL1 : "=r"(sre));
    __asm__ volatile("msr " ICC_SRE_EL1 ", %0; isb" ::"r"(sre | 1));
    __asm__ volatile("msr " ICC_PMR_EL1 ", %0" ::"r"(0xfful));
    __asm__ volatile("msr " ICC_BPR1_EL1 ", %0" ::"r"(0ul));
    __asm__ volatile("msr " ICC_CTLR_EL1 ", %0" ::"r"(0ul)); /* EOImode 0: EOI also deactivates */
    __asm__ volatile("msr " ICC_IGRPEN1_EL1 ", %0; isb" ::"r"(1ul));
}

/* Is any user line unmasked (could an interrupt still make a blocked thread runnable)? */
bool gic_user_irq_enabled(void)
{
    for (word_t i = 0; i < ARRAY_SIZE(gic.user_enabled); i++) {
        if (gic.user_enabled[i] != 0) {
            return true;
        }
    }
    return false;
}

static void set_enable(word_t irq, bool enable)
{
    word_t reg = (enable ? GICD_ISENABLER : GICD_ICENABLER) + (irq / 32) * 4;
    uint32_t bit = 1u << (irq % 32);
    if (gic.version == 3 && irq < 32) {
        *gicr(GICR_SGI + reg) = bit;
    } else {
        *gicd(reg) = bit;
    }
}

void gic_enable_kernel_irq(word_t irq) { set_enable(irq, true); }

/* --- the HAL contract --- */

void hal_irq_mask(word_t irq)
{
    kassert(irq <= HAL_MAX_IRQ);
    gic.user_enabled[irq / 32] &= ~(1u << (irq % 32));
    set_enable(irq, false);
}

void hal_irq_unmask(word_t irq)
{
    kassert(irq <= HAL_MAX_IRQ);
    if (irq != HAL_TIMER_IRQ) {
        gic.user_enabled[irq / 32] |= 1u << (irq % 32);
    }
    set_enable(irq, true);
}

COLD void hal_irq_set_trigger(word_t irq, bool edge)
{
    kassert(irq <= HAL_MAX_IRQ);
    if (irq < 32) {
        return; /* SGIs are edge, PPI configuration is implementation defined: left as reset */
    }
    volatile uint32_t *cfg = gicd(GICD_ICFGR + (irq / 16) * 4);
    uint32_t bit = 2u << ((irq % 16) * 2);
    *cfg = edge ? (*cfg | bit) : (*cfg & ~bit);
}

void hal_irq_issue_sgi(word_t sgi, word_t target)
{
    kassert(sgi < 16 && target < 8);
    __asm__ volatile("dsb ish" ::: "memory"); /* memory writes before the SGI is seen */
    if (gic.version == 2) {
        *gicd(GICD_SGIR) = (uint32_t)((UL(1) << (16 + target)) | sgi);
    } else {
        __asm__ volatile("msr " ICC_SGI1R_EL1 ", %0; isb" ::"r"((sgi << 24) | (UL(1) << target)));
    }
}

bool hal_irq_pending(void)
{
    word_t isr;
    __asm__ volatile("mrs %0, isr_el1" : "=r"(isr));
    return (isr & BIT(7)) != 0; /* ISR_EL1.I: an IRQ is asserted (even while PSTATE.I masks it) */
}

word_t hal_irq_get_active(void)
{
    word_t iar;
    if (gic.version == 3) {
        __asm__ volatile("mrs %0, " ICC_IAR1_EL1 : "=r"(iar));
    } else if (gic.version == 2) {
        iar = *gicc(GICC_IAR);
    } else {
        return HAL_IRQ_NONE;
    }
    word_t irq = iar & 0x3ff;
    if (irq >= IRQ_SPURIOUS_MIN) {
        return HAL_IRQ_NONE;
    }
    gic.last_iar = iar;
    if (irq > HAL_MAX_IRQ) {
        /* A line the kernel never enables; drop it rather than hand core a number it rejects. */
        hal_irq_ack(irq);
        return HAL_IRQ_NONE;
    }
    return irq;
}

void hal_irq_ack(word_t irq)
{
    if (irq == HAL_TIMER_IRQ) {
        timer_tick_done(); /* level-sensitive: the condition must be gone before the EOI */
    }
    word_t iar = (gic.last_iar & 0x3ff) == irq ? gic.last_iar : irq;
    if (gic.version == 3) {
        __asm__ volatile("msr " ICC_EOIR1_EL1 ", %0; isb" ::"r"(iar));
    } else {
        *gicc(GICC_EOIR) = (uint32_t)iar;
    }
}
