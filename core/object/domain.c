/* SPDX-License-Identifier: BSD-2-Clause */
/* DomainSet invocations: move a thread to a domain, and configure the domain schedule (entries and
 * start), with seL4's checks and errors. */
#include <kaal/objects.h>
#include <kaal/printf.h>
#include <kaal/sched.h>

/* Entries user code may configure. The last one stays an end marker, so the schedule always ends
 * (docs/abi.md#invocation-semantics: index < CONFIG_NUM_DOMAIN_SCHEDULES - 1). */
#define DOM_CONFIGURABLE_ENTRIES (CONFIG_NUM_DOMAIN_SCHEDULES - 1)
/* Durations are 56-bit tick counts (the top byte of seL4's schedule word is the domain). */
#define DOM_MAX_DURATION MASK(56)

/* ---- perform -------------------------------------------------------------------------------- */

static exception_t perform_domain_set(struct tcb *t, word_t dom)
{
    sched_set_domain(t, dom);
    return EXCEPTION_NONE;
}

static exception_t perform_domain_schedule_configure(word_t index, word_t dom, word_t duration)
{
    sched_domain_schedule_configure(index, dom, duration);
    return EXCEPTION_NONE;
}

static exception_t perform_domain_schedule_set_start(word_t index)
{
    sched_domain_schedule_set_start(index);
    return EXCEPTION_NONE;
}

/* ---- decode --------------------------------------------------------------------------------- */

static exception_t decode_domain_set(struct invocation_ctx *ctx)
{
    if (ctx->length < KAAL_INV_DomainSetSet_LEN) {
        kuser_error("DomainSet Set: truncated message");
        return syscall_error_truncated_message(ctx);
    }
    word_t dom = INV_WORD(ctx, DomainSetSet, domain); /* the whole word, as seL4 reads it */
    if (dom >= CONFIG_NUM_DOMAINS) {
        kuser_error("DomainSet Set: domain %lu >= %u", (unsigned long)dom,
                    (unsigned)CONFIG_NUM_DOMAINS);
        return syscall_error_invalid_argument(ctx, 0);
    }
    if (ctx->nextra < KAAL_INV_DomainSetSet_NCAPS) {
        kuser_error("DomainSet Set: no thread cap");
        return syscall_error_truncated_message(ctx);
    }
    cap_t tcap = ctx->extra_caps[KAAL_CAP_DomainSetSet_thread];
    if (cap_get_cap_type(tcap) != cap_thread_cap) {
        kuser_error("DomainSet Set: cap 0 is not a TCB cap");
        return syscall_error_invalid_argument(ctx, 1);
    }
    return perform_domain_set(tcb_from_paddr(cap_thread_cap_get_tcb(tcap)), dom);
}

static exception_t decode_domain_schedule_configure(struct invocation_ctx *ctx)
{
    if (ctx->length < KAAL_INV_DomainScheduleConfigure_LEN) {
        kuser_error("DomainSet ScheduleConfigure: truncated message");
        return syscall_error_truncated_message(ctx);
    }
    word_t index = INV_WORD(ctx, DomainScheduleConfigure, index);
    word_t dom = INV_WORD(ctx, DomainScheduleConfigure, domain);
    word_t duration = INV_WORD(ctx, DomainScheduleConfigure, duration);
    if (index >= DOM_CONFIGURABLE_ENTRIES) {
        kuser_error("DomainSet ScheduleConfigure: index %lu out of range", (unsigned long)index);
        return syscall_error_range(ctx, 0, DOM_CONFIGURABLE_ENTRIES - 1);
    }
    if (dom >= CONFIG_NUM_DOMAINS) {
        kuser_error("DomainSet ScheduleConfigure: domain %lu out of range", (unsigned long)dom);
        return syscall_error_range(ctx, 0, CONFIG_NUM_DOMAINS - 1);
    }
    if (duration > DOM_MAX_DURATION) {
        kuser_error("DomainSet ScheduleConfigure: duration must fit in 56 bits");
        return syscall_error_invalid_argument(ctx, 2);
    }
    if (duration == 0 && dom != 0) {
        kuser_error("DomainSet ScheduleConfigure: an end marker has domain 0 and duration 0");
        return syscall_error_invalid_argument(ctx, 1);
    }
    if (duration == 0 && index == sched_domain_schedule_start()) {
        kuser_error("DomainSet ScheduleConfigure: the start entry cannot become an end marker");
        return syscall_error_invalid_argument(ctx, 2);
    }
    return perform_domain_schedule_configure(index, dom, duration);
}

static exception_t decode_domain_schedule_set_start(struct invocation_ctx *ctx)
{
    if (ctx->length < KAAL_INV_DomainScheduleSetStart_LEN) {
        kuser_error("DomainSet ScheduleSetStart: truncated message");
        return syscall_error_truncated_message(ctx);
    }
    word_t index = INV_WORD(ctx, DomainScheduleSetStart, index);
    if (index >= CONFIG_NUM_DOMAIN_SCHEDULES) {
        kuser_error("DomainSet ScheduleSetStart: index %lu out of range", (unsigned long)index);
        return syscall_error_range(ctx, 0, CONFIG_NUM_DOMAIN_SCHEDULES - 1);
    }
    if (sched_domain_schedule_is_end_marker(index)) {
        kuser_error("DomainSet ScheduleSetStart: entry %lu is an end marker", (unsigned long)index);
        return syscall_error_invalid_argument(ctx, 0);
    }
    return perform_domain_schedule_set_start(index);
}

exception_t decode_domain_invocation(struct invocation_ctx *ctx)
{
    switch (ctx->label) {
    case DomainSetSet:
        return decode_domain_set(ctx);
    case DomainScheduleConfigure:
        return decode_domain_schedule_configure(ctx);
    case DomainScheduleSetStart:
        return decode_domain_schedule_set_start(ctx);
    default:
        kuser_error("DomainSet: illegal operation (label %lu)", (unsigned long)ctx->label);
        return syscall_error_illegal_operation(ctx);
    }
}
