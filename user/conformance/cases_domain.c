/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance: the DomainSet cap (docs/abi.md#invocation-semantics) with this build's
 * CONFIG_NUM_DOMAINS (1) and CONFIG_NUM_DOMAIN_SCHEDULES (2): every thread is in domain 0, the
 * error cases and their words. */
#include <kaal/gen_config.h>

#include "harness.h"

static void case_domain_set(struct conf_env *env)
{
    seL4_CPtr tcb = conf_alloc(env, seL4_TCBObject, 0);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_domain_set_set(seL4_CapDomain, 0, tcb));
    CONF_OK(sys_domain_set_set(seL4_CapDomain, 0, seL4_CapInitThreadTCB));
    CONF_ERR(sys_domain_set_set(seL4_CapDomain, CONFIG_NUM_DOMAINS, tcb), seL4_InvalidArgument);
    CONF_EQ(seL4_GetMR(0), 0);
    CONF_ERR(sys_domain_set_set(seL4_CapDomain, 0, seL4_CapInitThreadCNode), seL4_InvalidArgument);
    CONF_EQ(seL4_GetMR(0), 1);
    seL4_Word w[1] = {0};
    CONF_EQ(conf_raw_call(seL4_CapDomain, DomainSetSet, 1, 0, w), seL4_TruncatedMessage);
    CONF_EQ(conf_raw_call(seL4_CapDomain, DomainSetSet, 0, 1, w), seL4_TruncatedMessage);
    CONF_EQ(conf_raw_call(seL4_CapDomain, 0x7777, 0, 0, w), seL4_IllegalOperation);
}

static void case_domain_schedule_configure_errors(struct conf_env *env)
{
    (void)env;
    CONF_ERR(
        sys_domain_set_schedule_configure(seL4_CapDomain, CONFIG_NUM_DOMAIN_SCHEDULES - 1, 0, 1),
        seL4_RangeError);
    CONF_EQ(seL4_GetMR(0), 0);
    CONF_EQ(seL4_GetMR(1), CONFIG_NUM_DOMAIN_SCHEDULES - 2);
    CONF_ERR(sys_domain_set_schedule_configure(seL4_CapDomain, 0, CONFIG_NUM_DOMAINS, 1),
             seL4_RangeError);
    CONF_EQ(seL4_GetMR(0), 0);
    CONF_EQ(seL4_GetMR(1), CONFIG_NUM_DOMAINS - 1);
    /* The start entry cannot become an end marker (duration 0). */
    CONF_ERR(sys_domain_set_schedule_configure(seL4_CapDomain, 0, 0, 0), seL4_InvalidArgument);
    seL4_Word w[2] = {0, 0};
    CONF_EQ(conf_raw_call(seL4_CapDomain, DomainScheduleConfigure, 2, 0, w), seL4_TruncatedMessage);
}

static void case_domain_schedule_set_start_errors(struct conf_env *env)
{
    (void)env;
    CONF_ERR(sys_domain_set_schedule_set_start(seL4_CapDomain, CONFIG_NUM_DOMAIN_SCHEDULES),
             seL4_RangeError);
    CONF_EQ(seL4_GetMR(0), 0);
    CONF_EQ(seL4_GetMR(1), CONFIG_NUM_DOMAIN_SCHEDULES - 1);
    CONF_ERR(sys_domain_set_schedule_set_start(seL4_CapDomain, CONFIG_NUM_DOMAIN_SCHEDULES - 1),
             seL4_InvalidArgument); /* the end marker */
    CONF_EQ(seL4_GetMR(0), 0);
    CONF_OK(sys_domain_set_schedule_set_start(seL4_CapDomain, 0));
}

static const struct conf_case cases[] = {
    CONF_CASE(domain_set),
    CONF_CASE(domain_schedule_configure_errors),
    CONF_CASE(domain_schedule_set_start_errors),
};
const struct conf_area conf_area_domain = CONF_AREA("domain", cases);
