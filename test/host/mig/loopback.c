/* SPDX-License-Identifier: MIT */
/*
 * loopback.c: end-to-end tests of mig output.  Each test calls a generated
 * user stub; the stub's mach_msg() reaches transport.c, which carries the
 * message to the generated demux (loop_server), the implementation in
 * loop_impl.c, and the reply back.  After every test, no memory region and
 * no right may be left over, and the transport must have seen no bad or
 * double free.  Malformed requests are built by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loop.h"
#include "loopServer.h"
#include "loop_impl.h"
#include "loopback.h"
#include "transport.h"

int lb_failures;
const char *lb_current;
mach_port_t lb_server;

#define server   lb_server
#define CHECK    LB_CHECK
#define CHECK_KR LB_CHECK_KR

static void
setup(void)
{
    tp_reset();
    memset(&loop_state, 0, sizeof(loop_state));
    server = tp_port_new();
    tp_port_add_send(server);
    tp_serve(server, loop_server, loop_max_request_size, loop_max_reply_size);
}

/* Nothing leaked, nothing freed twice, the server port as it was. */
static void
teardown(void)
{
    struct tp_rights r = tp_rights(server);

    CHECK(tp_errors() == 0);
    CHECK(tp_live_regions() == 0);
    CHECK(r.send == 1 && r.send_once == 0 && r.receive);
    if (tp_reply_port_in_use() != MACH_PORT_NULL) {
        struct tp_rights rr = tp_rights(tp_reply_port_in_use());
        CHECK(rr.send == 0 && rr.send_once == 0 && tp_queued(tp_reply_port_in_use()) == 0);
    }
}

void *
lb_region(size_t size, int fill)
{
    vm_address_t a;
    vm_allocate(mach_task_self(), &a, size, TRUE);
    memset((void *)a, fill, size);
    return (void *)a;
}

static void
scalars_of_every_width_round_trip(void)
{
    int64_t sum = 0;
    boolean_t neg = TRUE;
    double half = 0;

    CHECK_KR(scalars(server, 'a', -8, -1600, 320000, 64000000000LL, 7u, 1ULL << 40, TRUE, 2.5f, 9.0,
                     &sum, &neg, &half),
             KERN_SUCCESS);
    CHECK(sum == 'a' - 8 - 1600 + 320000 + 64000000000LL + 7 + (1LL << 39) + 1 + 2);
    CHECK(neg == FALSE);
    CHECK(half == 4.5);
}

static void
structs_are_passed_by_value(void)
{
    point_t p = {1, 2}, pr;
    pair_t q = {3, 1LL << 33}, qr;

    CHECK_KR(structs(server, p, q, &pr, &qr), KERN_SUCCESS);
    CHECK(pr.x == 2 && pr.y == 1);
    CHECK(qr.a == 0 && qr.b == 3);
}

static void
fixed_arrays_in_inout_out(void)
{
    ints4_t a = {1, 2, 3, 4}, b = {10, 20, 30, 40}, c = {0};

    CHECK_KR(fixed_arrays(server, a, b, c), KERN_SUCCESS);
    CHECK(c[0] == 11 && c[3] == 44);
    CHECK(b[0] == -10 && b[3] == -40);
}

static void
bounded_arrays_round_trip(void)
{
    int a[3] = {1, 2, 3}, b[16], c[16] = {5, 5};
    mach_msg_type_number_t bCnt = 16, cCnt = 2;

    loop_state.n = 5;
    CHECK_KR(bounded(server, a, 3, b, &bCnt, c, &cCnt), KERN_SUCCESS);
    CHECK(bCnt == 5 && b[4] == 40);
    CHECK(cCnt == 3 && c[0] == 6 && c[1] == 7 && c[2] == 99);
}

static void
bounded_array_over_its_bound_is_refused(void)
{
    int a[17] = {0}, b[16], c[16];
    mach_msg_type_number_t bCnt = 16, cCnt = 0;

    CHECK_KR(bounded(server, a, 17, b, &bCnt, c, &cCnt), MIG_ARRAY_TOO_LARGE);
}

static void
bounded_reply_larger_than_buffer_gives_array_too_large(void)
{
    int a[1] = {0}, b[16], c[16];
    mach_msg_type_number_t bCnt = 4, cCnt = 0;

    loop_state.n = 9;
    CHECK_KR(bounded(server, a, 1, b, &bCnt, c, &cCnt), MIG_ARRAY_TOO_LARGE);
    CHECK(bCnt == 9); /* the count the caller needs */
    bCnt = 16;
    CHECK_KR(bounded(server, a, 1, b, &bCnt, c, &cCnt), KERN_SUCCESS);
    CHECK(bCnt == 9);
}

static void
unbounded_arrays_travel_inline_when_small(void)
{
    int a[4] = {1, 2, 3, 4};
    char b[3] = {10, 20, 30};
    int cbuf[8];
    char dbuf[8];
    int *c = cbuf;
    char *d = dbuf;
    mach_msg_type_number_t cCnt = 8, dCnt = 8;

    loop_state.n = 6;
    CHECK_KR(unbounded(server, a, 4, lb_region(3, 10), 3, 6, &c, &cCnt, &d, &dCnt), KERN_SUCCESS);
    CHECK(loop_state.ival == 10 + 30);
    CHECK(c == cbuf && cCnt == 6 && c[5] == 5);
    CHECK(d == dbuf && dCnt == 6 && d[0] == 'x');
    (void)b;
}

static void
unbounded_arrays_travel_out_of_line_when_large(void)
{
    enum { N = 3000 };
    int *a = lb_region(N * sizeof(int), 0);
    char *b = lb_region(N, 1);
    int *c = NULL;
    char *d = NULL;
    mach_msg_type_number_t cCnt = 0, dCnt = 0;

    a[N - 1] = 5;
    CHECK_KR(unbounded(server, a, N, b, N, N, &c, &cCnt, &d, &dCnt), KERN_SUCCESS);
    CHECK(loop_state.ival == 5 + N);
    CHECK(cCnt == N && c[N - 1] == N - 1 && tp_is_region(c));
    CHECK(dCnt == N && d[N - 1] == 'x' && tp_is_region(d));
    vm_deallocate(mach_task_self(), (vm_address_t)a, N * sizeof(int)); /* a: no dealloc flag */
    vm_deallocate(mach_task_self(), (vm_address_t)c, N * sizeof(int));
    vm_deallocate(mach_task_self(), (vm_address_t)d, N);
}

static void
inline_reply_too_big_for_caller_buffer_gets_new_memory(void)
{
    int one = 1, *c = &one;
    char *d = NULL;
    mach_msg_type_number_t cCnt = 1, dCnt = 0;

    CHECK_KR(unbounded(server, NULL, 0, NULL, 0, 100, &c, &cCnt, &d, &dCnt), KERN_SUCCESS);
    CHECK(c != &one && tp_is_region(c) && cCnt == 100 && c[99] == 99);
    CHECK(tp_is_region(d) && dCnt == 100);
    vm_deallocate(mach_task_self(), (vm_address_t)c, 100 * sizeof(int));
    vm_deallocate(mach_task_self(), (vm_address_t)d, 100);
}

static void
out_of_line_arrays_move_ownership(void)
{
    char *a = lb_region(10, 'a'), f[64], *b = NULL, *g = NULL;
    mach_msg_type_number_t bCnt = 0;

    memset(f, 'f', sizeof(f));
    CHECK_KR(ool(server, a, 10, f, 5, &b, &bCnt, &g), KERN_SUCCESS);
    CHECK(loop_state.ival == 'a' + 'f');
    CHECK(bCnt == 5 && b[4] == 'b' && tp_is_region(b));
    CHECK(g != NULL && g[63] == 'g' && tp_is_region(g));
    vm_deallocate(mach_task_self(), (vm_address_t)a, 10);
    vm_deallocate(mach_task_self(), (vm_address_t)b, 5);
    vm_deallocate(mach_task_self(), (vm_address_t)g, 64);
}

static void
c_strings_fixed_and_bounded(void)
{
    char on[32], op[128], io[128] = "inout";
    char longname[64];

    memset(longname, 'n', sizeof(longname) - 1);
    longname[63] = '\0';
    CHECK_KR(strings(server, "file", "/dir", on, op, io), KERN_SUCCESS);
    CHECK(strcmp(on, "named") == 0 && strcmp(op, "/dir/file") == 0 && strcmp(io, "inout+") == 0);
    CHECK_KR(strings(server, longname, "", on, op, io), KERN_SUCCESS);
    CHECK(strlen(op) == 1 + 31); /* the 63-character name was cut to 31 */
}

static void
port_rights_of_each_disposition(void)
{
    mach_port_t s = tp_port_new(), mk = tp_port_new(), mv = tp_port_new(), on = tp_port_new();
    mach_port_t rc = tp_port_new(), pr = tp_port_new(), out = tp_port_new(), o1, o2;

    tp_port_add_send(s);
    tp_port_add_send(mv);
    tp_port_add_send(out);
    loop_state.out_port = out;
    CHECK_KR(ports(server, s, mk, mv, on, rc, pr, &o1, &o2), KERN_SUCCESS);
    CHECK(o1 == out && o2 == out);
    CHECK(tp_rights(s).send == 1); /* copied: still ours */
    CHECK(tp_rights(mk).send == 0 && tp_rights(mk).receive);
    CHECK(tp_rights(mv).send == 0); /* moved away, released */
    CHECK(tp_rights(on).send_once == 0);
    CHECK(!tp_rights(rc).receive);   /* moved, destroyed */
    CHECK(tp_rights(out).send == 2); /* one made + one moved back */
    CHECK(loop_state.ports[1] == mk && loop_state.ports[4] == rc);
    mach_port_deallocate(mach_task_self(), out);
    mach_port_deallocate(mach_task_self(), out);
    CHECK(tp_rights(out).send == 0);
}

static void
polymorphic_ports_report_their_disposition(void)
{
    mach_port_t p = tp_port_new(), q = tp_port_new(), got;
    mach_msg_type_name_t gotPoly = 0;

    tp_port_add_send(p);
    loop_state.out_port = q;
    loop_state.out_poly = MACH_MSG_TYPE_MAKE_SEND_ONCE;
    CHECK_KR(poly(server, p, MACH_MSG_TYPE_MOVE_SEND, &got, &gotPoly), KERN_SUCCESS);
    CHECK(loop_state.poly == MACH_MSG_TYPE_PORT_SEND && tp_rights(p).send == 0);
    CHECK(got == q && gotPoly == MACH_MSG_TYPE_PORT_SEND_ONCE && tp_rights(q).send_once == 1);
    mach_port_deallocate(mach_task_self(), q);
    loop_state.out_poly = MACH_MSG_TYPE_MAKE_SEND;
    CHECK_KR(poly(server, p, MACH_MSG_TYPE_MAKE_SEND_ONCE, &got, &gotPoly), KERN_SUCCESS);
    CHECK(loop_state.poly == MACH_MSG_TYPE_PORT_SEND_ONCE && gotPoly == MACH_MSG_TYPE_PORT_SEND);
    CHECK(tp_rights(q).send == 1 && tp_rights(p).send_once == 0);
    mach_port_deallocate(mach_task_self(), q);
}

static void
port_arrays_fixed_bounded_unbounded(void)
{
    mach_port_t p = tp_port_new(), out = tp_port_new(), e[3], *d = NULL;
    mach_port_t a[3] = {p, p, p}, b[2] = {p, p}, c[4] = {p, p, p, p};
    mach_msg_type_number_t dCnt = 0;

    tp_port_add_send(p); /* one send right, copied 7 times, moved twice */
    tp_port_add_send(p);
    tp_port_add_send(p);
    tp_port_add_send(out);
    loop_state.out_port = out;
    CHECK_KR(port_arrays(server, a, b, 2, c, 4, &d, &dCnt, e), KERN_SUCCESS);
    CHECK(loop_state.ival == 204);
    CHECK(tp_rights(p).send == 1);
    CHECK(dCnt == 2 && d[0] == out && tp_is_region(d));
    CHECK(e[0] == out && e[2] == out);
    CHECK(tp_rights(out).send == 1 + 5);
    for (int i = 0; i < 5; i++)
        mach_port_deallocate(mach_task_self(), out);
    vm_deallocate(mach_task_self(), (vm_address_t)d, 2 * sizeof(mach_port_t));
}

static void
simpleroutine_sends_without_waiting(void)
{
    CHECK_KR(notify_me(server, 42), KERN_SUCCESS);
    CHECK(loop_state.calls == 1 && loop_state.ival == 42);
    CHECK((tp_last_option() & MACH_RCV_MSG) == 0);
    CHECK(tp_reply_port_in_use() == MACH_PORT_NULL);
}

static void
waittime_and_msgoption_reach_mach_msg(void)
{
    CHECK_KR(timed(server, 250, MACH_SEND_INTERRUPT, 3), KERN_SUCCESS);
    CHECK(loop_state.ival == 3);
    CHECK(tp_last_option() & MACH_RCV_TIMEOUT);
    CHECK(tp_last_option() & MACH_SEND_INTERRUPT);
    CHECK(tp_last_timeout() == 250);
}

static void
countinout_tells_the_server_the_buffer_size(void)
{
    int a[16];
    mach_msg_type_number_t n = 5;

    CHECK_KR(countio(server, a, &n), KERN_SUCCESS);
    CHECK(loop_state.ival == 5 && n == 5 && a[4] == 7);
}

static void
implementation_error_destroys_request_once(void)
{
    mach_port_t p = tp_port_new(), c[2];
    char *big = lb_region(5000, 'z'), *a = lb_region(100, 1);

    tp_port_add_send(p);
    tp_port_add_send(p);
    c[0] = c[1] = p;
    CHECK_KR(fail(server, a, 100, p, big, 5000, c, 2, KERN_INVALID_ARGUMENT),
             KERN_INVALID_ARGUMENT);
    CHECK(loop_state.calls == 1);
    CHECK(tp_rights(p).send == 1); /* the moved right was released, the copies too */
    vm_deallocate(mach_task_self(), (vm_address_t)big, 5000);
    vm_deallocate(mach_task_self(), (vm_address_t)a, 100);
    mach_port_deallocate(mach_task_self(), p);
}

static void
implementation_success_owns_request(void)
{
    mach_port_t p = tp_port_new(), c[1];
    char *a = lb_region(7, 1);

    tp_port_add_send(p);
    tp_port_add_send(p);
    c[0] = p;
    CHECK_KR(fail(server, a, 7, p, "ab", 2, c, 1, KERN_SUCCESS), KERN_SUCCESS);
    CHECK(tp_rights(p).send == 1);
    vm_deallocate(mach_task_self(), (vm_address_t)a, 7);
    mach_port_deallocate(mach_task_self(), p);
}

static void
no_reply_now_then_reply_later(void)
{
    int result = 0;

    tp_set_after_server(loop_after_server);
    CHECK_KR(later(server, 21, &result), KERN_SUCCESS);
    CHECK(loop_state.calls == 1 && result == 42);
}

static void
no_reply_ever_times_out_and_drops_reply_port(void)
{
    int result = 0;
    mach_port_t reply;

    CHECK_KR(later(server, 1, &result), MACH_RCV_TIMED_OUT);
    reply = loop_state.stashed_reply;
    CHECK(reply != MACH_PORT_NULL && tp_rights(reply).send_once == 1);
    CHECK(tp_reply_port_in_use() == MACH_PORT_NULL); /* mig_dealloc_reply_port ran */
    mach_port_deallocate(mach_task_self(), reply);
}

static void
intran_outtran_destructor_balance(void)
{
    int oc = 0;

    CHECK_KR(translated(server, 41, &oc), KERN_SUCCESS);
    CHECK(oc == 42 && loop_state.ival == (int)server);
    CHECK(loop_state.counters_live == 0 && loop_state.objs_live == 0);
}

static void
msgseqno_comes_from_the_trailer(void)
{
    natural_t s1 = 99, s2 = 99;

    CHECK_KR(seqno(server, &s1), KERN_SUCCESS);
    CHECK_KR(seqno(server, &s2), KERN_SUCCESS);
    CHECK(s1 == 0 && s2 == 1);
}

static void
servercopy_says_whether_the_server_may_keep_data(void)
{
    int small[2] = {1, 2}, *big = lb_region(4000 * sizeof(int), 0);

    CHECK_KR(scopy(server, small, 2), KERN_SUCCESS);
    CHECK(loop_state.scopy == FALSE && loop_state.ival == 2);
    CHECK_KR(scopy(server, big, 4000), KERN_SUCCESS);
    CHECK(loop_state.scopy == TRUE);
    loop_state.result = KERN_FAILURE;
    CHECK_KR(scopy(server, big, 4000), KERN_FAILURE);
    vm_deallocate(mach_task_self(), (vm_address_t)big, 4000 * sizeof(int));
}

static void
dealloc_brackets_lets_the_caller_choose(void)
{
    char *a = lb_region(9, 'm');

    CHECK_KR(maybe(server, a, 9, FALSE), KERN_SUCCESS);
    CHECK(tp_is_region(a));
    CHECK_KR(maybe(server, a, 9, TRUE), KERN_SUCCESS);
    CHECK(!tp_is_region(a));
}

static void
inout_scalar_comes_back_changed(void)
{
    int x = 41;

    CHECK_KR(incr(server, &x), KERN_SUCCESS);
    CHECK(x == 42);
}

static void
ureplyport_is_sent_and_released_by_server(void)
{
    mach_port_t r = tp_port_new();

    CHECK_KR(async_req(server, r, 5), KERN_SUCCESS);
    CHECK(loop_state.calls == 1 && loop_state.ival == 5);
    CHECK(tp_rights(r).send_once == 0); /* the server could not see it: its stub let it go */
}

static void
types_spelt_in_the_argument_list(void)
{
    int b[2] = {6, 7};
    short c[2];

    CHECK_KR(inline_types(server, 5, b, 2, c), KERN_SUCCESS);
    CHECK(c[0] == 5 && c[1] == 7);
}

static void
error_return_of_scalar_routine_is_passed_back(void)
{
    int64_t sum;
    boolean_t neg;
    double half;

    loop_state.result = KERN_NO_SPACE;
    CHECK_KR(scalars(server, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, &sum, &neg, &half), KERN_NO_SPACE);
}

struct test {
    const char *name;
    void (*fn)(void);
};

#define T(f)                                                                                       \
    {                                                                                              \
#f, f                                                                                      \
    }
static const struct test tests[] = {
    T(scalars_of_every_width_round_trip),
    T(structs_are_passed_by_value),
    T(fixed_arrays_in_inout_out),
    T(bounded_arrays_round_trip),
    T(bounded_array_over_its_bound_is_refused),
    T(bounded_reply_larger_than_buffer_gives_array_too_large),
    T(unbounded_arrays_travel_inline_when_small),
    T(unbounded_arrays_travel_out_of_line_when_large),
    T(inline_reply_too_big_for_caller_buffer_gets_new_memory),
    T(out_of_line_arrays_move_ownership),
    T(c_strings_fixed_and_bounded),
    T(port_rights_of_each_disposition),
    T(polymorphic_ports_report_their_disposition),
    T(port_arrays_fixed_bounded_unbounded),
    T(simpleroutine_sends_without_waiting),
    T(waittime_and_msgoption_reach_mach_msg),
    T(countinout_tells_the_server_the_buffer_size),
    T(implementation_error_destroys_request_once),
    T(implementation_success_owns_request),
    T(no_reply_now_then_reply_later),
    T(no_reply_ever_times_out_and_drops_reply_port),
    T(intran_outtran_destructor_balance),
    T(msgseqno_comes_from_the_trailer),
    T(servercopy_says_whether_the_server_may_keep_data),
    T(dealloc_brackets_lets_the_caller_choose),
    T(inout_scalar_comes_back_changed),
    T(ureplyport_is_sent_and_released_by_server),
    T(types_spelt_in_the_argument_list),
    T(error_return_of_scalar_routine_is_passed_back),
    T(unknown_id_is_answered_bad_id_and_destroyed),
    T(malformed_descriptors_are_bad_arguments_and_destroyed),
    T(ool_size_not_matching_count_is_bad_arguments),
    T(truncated_and_oversized_requests_are_bad_arguments),
    T(counts_and_strings_are_checked),
    T(forged_replies_are_refused_and_destroyed),
};

int
main(void)
{
    int n = (int)(sizeof(tests) / sizeof(tests[0]));

    for (int i = 0; i < n; i++) {
        int before = lb_failures;
        lb_current = tests[i].name;
        setup();
        tests[i].fn();
        teardown();
        printf("%s %s\n", lb_failures == before ? "PASS" : "FAIL", lb_current);
    }
    tp_reset();
    printf("%d tests, %d failed checks\n", n, lb_failures);
    return lb_failures != 0;
}
