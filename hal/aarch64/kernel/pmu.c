/* SPDX-License-Identifier: BSD-2-Clause */
/* Benchmark builds (-Dbenchmarks=true, CONFIG_EXPORT_PMU_USER): let EL0 read the PMU cycle
 * counter, as seL4 does with KernelArmExportPMUUser (docs/abi.md#tls-fpu-and-system-registers).
 * Under QEMU with
 * `-icount shift=0` PMCCNTR_EL0 advances by one per instruction, which is how the benchmarks
 * count instructions (docs/performance.md). */
#include <hal/hal.h>
#include <kaal/gen_config.h>

#include "internal.h"

#define PMCR_E BIT(0)       /* enable the counters */
#define PMCR_C BIT(2)       /* reset the cycle counter */
#define PMCR_LC BIT(6)      /* 64-bit cycle counter overflow */
#define PMCNTEN_C BIT(31)   /* PMCCNTR_EL0 counts */
#define PMUSERENR_EN BIT(0) /* EL0 may access the PMU registers */
#define PMUSERENR_CR BIT(2) /* EL0 may read the cycle counter */

void aarch64_pmu_init(void)
{
#ifdef CONFIG_EXPORT_PMU_USER
    __asm__ volatile("msr pmcr_el0, %0\n"
                     "msr pmcntenset_el0, %1\n"
                     "msr pmccfiltr_el0, xzr\n" /* count at EL0 and EL1 */
                     "msr pmuserenr_el0, %2\n"
                     "isb" ::"r"(PMCR_E | PMCR_C | PMCR_LC),
                     "r"(PMCNTEN_C), "r"(PMUSERENR_EN | PMUSERENR_CR));
#endif
}
