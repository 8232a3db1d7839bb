// SPDX-License-Identifier: MIT
//
// Kernel objects: a message to a kernel object's port is served inside
// mach_msg by the demux registered for its id and answered at once; an id
// nobody serves gets MIG_BAD_ID; a routine may keep the reply right
// (MIG_NO_REPLY) and answer later, with the reply right (send-once or send)
// the request carried; a receive right cannot take a reply; a port a routine
// returns (MOVE_SEND, as mig's kernel stubs send it) reaches the client as
// exactly one send right; task, thread and host ports
// convert to their objects.  The demux here is written by hand, as mig
// would.

#include "ipc_test.h"
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_host.h>
#include <ipc/ipc_tt.h>
#include <mach/mig_errors.h>
#include <kern/task.h>
#include <kern/thread.h>

#define TEST_BASE 7000

#pragma pack(push, 4)
struct req_k { /* kernel layout, as the demux sees it */
    mach_msg_header_t h;
    int32_t value;
};
struct rep_k {
    mach_msg_header_t h;
    kern_return_t ret;
    int32_t result;
};
struct rep_u { /* user layout */
    struct ipc_user_header h;
    kern_return_t ret;
    int32_t result;
};
struct rep_port_k { /* a reply carrying one port, as mig lays it out */
    mach_msg_header_t h;
    mach_msg_body_t body;
    mach_msg_port_descriptor_t port;
    kern_return_t ret;
};
struct rep_port_u {
    struct ipc_user_header h;
    mach_msg_body_t body;
    struct ipc_user_port_desc port;
    kern_return_t ret;
};
#pragma pack(pop)

static int test_object = 21;
static struct ipc_port *saved_reply;
static mach_msg_type_name_t saved_type;
static struct ipc_port *returned_port; /* 7004 returns a send right to it */

// 7000: result = value * object; 7001: reply later; 7002: fails (the stub
// destroys the request); 7003: not served by this demux (mig's MIG_BAD_ID);
// 7004: returns a new send right to returned_port with MOVE_SEND, as an
// outtran's result goes out in mig's kernel stubs.
static boolean_t
test_demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
    struct req_k *req = (struct req_k *)in;
    struct rep_k *rep = (struct rep_k *)out;
    int *obj = NULL;

    out->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(in->msgh_bits), 0);
    out->msgh_size = sizeof(mig_reply_error_t);
    out->msgh_remote_port = in->msgh_remote_port;
    out->msgh_local_port = IP_NULL;
    out->msgh_id = in->msgh_id + MIG_REPLY_ID_OFFSET;
    rep->ret = KERN_SUCCESS;
    ipc_port_lock(in->msgh_local_port);
    obj = ipc_kobject_get_locked(in->msgh_local_port, IKOT_TEST);
    ipc_port_unlock(in->msgh_local_port);
    switch (in->msgh_id) {
    case TEST_BASE:
        out->msgh_size = sizeof(*rep);
        rep->result = req->value * (obj != NULL ? *obj : -1);
        return TRUE;
    case TEST_BASE + 1:
        saved_reply = in->msgh_remote_port;
        saved_type = MACH_MSGH_BITS_REMOTE(in->msgh_bits);
        rep->ret = MIG_NO_REPLY;
        return TRUE;
    case TEST_BASE + 4: {
        struct rep_port_k *rp = (struct rep_port_k *)out;
        out->msgh_bits |= MACH_MSGH_BITS_COMPLEX;
        out->msgh_size = sizeof(*rp);
        rp->body.msgh_descriptor_count = 1;
        memset(&rp->port, 0, sizeof(rp->port));
        rp->port.name = ipc_port_copy_send(returned_port); /* a naked right, for the reply */
        rp->port.disposition = MACH_MSG_TYPE_MOVE_SEND;
        rp->port.type = MACH_MSG_PORT_DESCRIPTOR;
        rp->ret = KERN_SUCCESS;
        return TRUE;
    }
    case TEST_BASE + 2:
        in->msgh_remote_port = IP_NULL;
        in->msgh_bits &= ~(mach_msg_bits_t)MACH_MSGH_BITS_REMOTE_MASK;
        mach_msg_destroy(in);
        rep->ret = KERN_INVALID_ARGUMENT;
        return TRUE;
    default:
        in->msgh_remote_port = IP_NULL;
        in->msgh_bits &= ~(mach_msg_bits_t)MACH_MSGH_BITS_REMOTE_MASK;
        mach_msg_destroy(in);
        rep->ret = MIG_BAD_ID;
        return FALSE;
    }
}

static void
register_once(void)
{
    static bool done;

    if (!done)
        done = ipc_kobject_register_server(test_demux, TEST_BASE, 5, sizeof(struct rep_port_k)) ==
               KERN_SUCCESS;
}

struct kclient {
    struct ipc_space *space;
    struct ipc_port *kport;
    mach_port_name_t obj, reply;
};

static void
client_init(struct kclient *c)
{
    register_once();
    c->space = ipc_space_create();
    c->kport = ipc_kobject_alloc_port(&test_object, IKOT_TEST);
    ipc_space_lock(c->space);
    (void)ipc_right_copyout(c->space, ipc_port_make_send(c->kport), MACH_MSG_TYPE_PORT_SEND,
                            &c->obj);
    ipc_space_unlock(c->space);
    c->reply = tport(c->space);
}

// A request with reply port `reply` sent with disposition `rdisp`.
static mach_msg_return_t
call_reply(struct kclient *c, mach_msg_id_t id, int32_t value, mach_port_name_t reply,
           mach_msg_type_name_t rdisp)
{
    struct tmsg m;

    tmsg_init(&m.h, sizeof(struct ipc_user_header) + 4, c->obj, MACH_MSG_TYPE_COPY_SEND, reply,
              rdisp, id);
    m.data[0] = (uint32_t)value;
    return tsend(c->space, &m, sizeof(struct ipc_user_header) + 4);
}

static mach_msg_return_t
call(struct kclient *c, mach_msg_id_t id, int32_t value)
{
    return call_reply(c, id, value, c->reply, MACH_MSG_TYPE_MAKE_SEND_ONCE);
}

// The reply port's receive status (send rights, send-once rights...).
static mach_port_status_t
reply_status(struct kclient *c)
{
    mach_port_status_t st;

    memset(&st, 0xff, sizeof(st));
    (void)mach_port_get_receive_status(c->space, c->reply, &st);
    return st;
}

static void
client_done(struct kclient *c)
{
    ipc_kobject_destroy_port(c->kport);
    tspace_done(c->space);
}

KTEST(ipc, kobject_request_is_served_and_answered_in_mach_msg)
{
    IPC_TEST_BEGIN();
    struct kclient c;
    struct tbuf buf;
    struct rep_u *rep = (struct rep_u *)&buf;

    client_init(&c);
    KT_EQ(call(&c, TEST_BASE, 2), MACH_MSG_SUCCESS);
    KT_EQ(trecv(c.space, c.reply, &buf, 0), MACH_MSG_SUCCESS);
    KT_EQ(rep->h.uh_id, TEST_BASE + 100);
    KT_EQ(rep->h.uh_size, sizeof(*rep));
    KT_EQ(rep->ret, KERN_SUCCESS);
    KT_EQ(rep->result, 42);
    KT_EQ(trefs(c.space, c.obj, MACH_PORT_RIGHT_SEND), 1);
    client_done(&c);
    IPC_TEST_END();
}

KTEST(ipc, kobject_errors_come_back_as_short_replies)
{
    IPC_TEST_BEGIN();
    struct kclient c;
    struct tbuf buf;
    struct rep_u *rep = (struct rep_u *)&buf;

    client_init(&c);
    KT_EQ(call(&c, TEST_BASE + 2, 1), MACH_MSG_SUCCESS);
    KT_EQ(trecv(c.space, c.reply, &buf, 0), MACH_MSG_SUCCESS);
    KT_EQ(rep->h.uh_size, sizeof(mig_reply_error_t) - IKM_HEADER_DELTA);
    KT_EQ(rep->ret, KERN_INVALID_ARGUMENT);
    KT_EQ(call(&c, TEST_BASE + 3, 1), MACH_MSG_SUCCESS);
    KT_EQ(trecv(c.space, c.reply, &buf, 0), MACH_MSG_SUCCESS);
    KT_EQ(rep->ret, MIG_BAD_ID);
    KT_EQ(call(&c, 9999, 1), MACH_MSG_SUCCESS); /* no server for the id at all */
    KT_EQ(trecv(c.space, c.reply, &buf, 0), MACH_MSG_SUCCESS);
    KT_EQ(rep->h.uh_id, 9999 + 100);
    KT_EQ(rep->ret, MIG_BAD_ID);
    client_done(&c);
    IPC_TEST_END();
}

KTEST(ipc, kobject_no_reply_then_reply_later)
{
    IPC_TEST_BEGIN();
    struct kclient c;
    struct tbuf buf;
    struct rep_u *rep = (struct rep_u *)&buf;
    struct rep_k later;

    client_init(&c);
    KT_EQ(call(&c, TEST_BASE + 1, 5), MACH_MSG_SUCCESS);
    KT_EQ(trecv(c.space, c.reply, &buf, 0), MACH_RCV_TIMED_OUT);
    KT_EQ(saved_type, MACH_MSG_TYPE_PORT_SEND_ONCE);
    memset(&later, 0, sizeof(later));
    later.h.msgh_id = TEST_BASE + 1 + 100;
    later.result = 55;
    KT_EQ(ipc_kobject_reply_later(saved_reply, saved_type, &later.h, sizeof(later)),
          MACH_MSG_SUCCESS);
    KT_EQ(trecv(c.space, c.reply, &buf, 0), MACH_MSG_SUCCESS);
    KT_EQ(rep->h.uh_id, TEST_BASE + 101);
    KT_EQ(rep->result, 55);
    client_done(&c);
    IPC_TEST_END();
}

KTEST(ipc, kobject_port_of_a_dead_object_makes_send_rights_dead_names)
{
    IPC_TEST_BEGIN();
    struct kclient c;

    client_init(&c);
    ipc_kobject_destroy_port(c.kport);
    KT_EQ(ttype(c.space, c.obj), MACH_PORT_TYPE_DEAD_NAME);
    KT_EQ(call(&c, TEST_BASE, 1), MACH_SEND_INVALID_DEST);
    tspace_done(c.space);
    IPC_TEST_END();
}

KTEST(ipc, task_thread_and_host_ports_convert_to_their_objects)
{
    IPC_TEST_BEGIN();
    struct thread *self = current_thread();
    struct task *task, *t2;
    struct thread *th2;
    struct ipc_port *p;

    KT_EQ((uintptr_t)convert_port_to_host(realhost.host_self), (uintptr_t)&realhost);
    KT_EQ((uintptr_t)convert_port_to_host(realhost.host_priv_self), (uintptr_t)&realhost);
    KT_EQ((uintptr_t)convert_port_to_host_priv(realhost.host_self), 0);
    KT_EQ((uintptr_t)convert_port_to_task(realhost.host_self), 0);
    KT_EQ(task_create_internal(NULL, "ipc-convert", &task), KERN_SUCCESS);
    task_reference(task);
    p = convert_task_to_port(task);
    KT_ASSERT(IP_VALID(p));
    t2 = convert_port_to_task(p);
    KT_EQ((uintptr_t)t2, (uintptr_t)task);
    task_deallocate(t2);
    KT_EQ((uintptr_t)convert_port_to_thread(p), 0);
    KT_EQ(task_terminate_internal(task, 0), KERN_SUCCESS);
    KT_EQ((uintptr_t)convert_port_to_task(p), 0); /* the port died with the task */
    ipc_port_release_send(p);
    task_deallocate(task);
    thread_reference(self);
    p = convert_thread_to_port(self);
    KT_ASSERT(IP_VALID(p));
    th2 = convert_port_to_thread(p);
    KT_EQ((uintptr_t)th2, (uintptr_t)self);
    thread_deallocate(th2);
    ipc_port_release_send(p);
    ipc_defer_run();
    IPC_TEST_END();
}

KTEST(ipc, stats_return_to_baseline_after_a_task_lives_and_dies)
{
    IPC_TEST_BEGIN();
    struct task *t;
    struct ipc_space *s;
    mach_port_name_t r;

    KT_EQ(task_create_internal(NULL, "ipc-test", &t), KERN_SUCCESS);
    s = t->itk.itk_space;
    KT_ASSERT(s != NULL);
    r = tport(s);
    KT_EQ(tgive(s, r, MACH_MSG_TYPE_MAKE_SEND, s), r);
    KT_EQ(task_terminate_internal(t, 0), KERN_SUCCESS);
    task_deallocate(t);
    ipc_defer_run();
    IPC_TEST_END();
}

KTEST(ipc, kobject_reply_goes_to_a_send_right_made_or_copied_by_the_client)
{
    IPC_TEST_BEGIN();
    struct kclient c;
    struct tbuf buf;
    struct rep_u *rep = (struct rep_u *)&buf;

    client_init(&c);
    KT_EQ(call_reply(&c, TEST_BASE, 3, c.reply, MACH_MSG_TYPE_MAKE_SEND), MACH_MSG_SUCCESS);
    KT_EQ(trecv(c.space, c.reply, &buf, 0), MACH_MSG_SUCCESS);
    KT_EQ(rep->h.uh_bits, MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND));
    KT_EQ(rep->result, 63);
    KT_EQ(ttype(c.space, c.reply), MACH_PORT_TYPE_RECEIVE); /* the reply used the right up */
    KT_EQ(reply_status(&c).mps_srights, 0);
    KT_EQ(reply_status(&c).mps_mscount, 1);
    /* COPY_SEND: the client keeps its right, the reply consumes the copy. */
    KT_EQ(tgive(c.space, c.reply, MACH_MSG_TYPE_MAKE_SEND, c.space), c.reply);
    KT_EQ(call_reply(&c, TEST_BASE, 4, c.reply, MACH_MSG_TYPE_COPY_SEND), MACH_MSG_SUCCESS);
    KT_EQ(trecv(c.space, c.reply, &buf, 0), MACH_MSG_SUCCESS);
    KT_EQ(rep->result, 84);
    KT_EQ(trefs(c.space, c.reply, MACH_PORT_RIGHT_SEND), 1);
    KT_EQ(mach_port_deallocate(c.space, c.reply), KERN_SUCCESS);
    KT_EQ(reply_status(&c).mps_srights, 0);
    client_done(&c);
    IPC_TEST_END();
}

KTEST(ipc, kobject_reply_later_keeps_the_type_of_a_send_reply_right)
{
    IPC_TEST_BEGIN();
    struct kclient c;
    struct tbuf buf;
    struct rep_u *rep = (struct rep_u *)&buf;
    struct rep_k later;

    client_init(&c);
    KT_EQ(call_reply(&c, TEST_BASE + 1, 5, c.reply, MACH_MSG_TYPE_MAKE_SEND), MACH_MSG_SUCCESS);
    KT_EQ(saved_type, MACH_MSG_TYPE_PORT_SEND);
    KT_EQ(reply_status(&c).mps_srights, 1); /* the kernel holds it */
    KT_EQ(reply_status(&c).mps_sorights, 0);
    memset(&later, 0, sizeof(later));
    later.h.msgh_id = TEST_BASE + 1 + 100;
    later.result = 56;
    KT_EQ(ipc_kobject_reply_later(saved_reply, saved_type, &later.h, sizeof(later)),
          MACH_MSG_SUCCESS);
    KT_EQ(trecv(c.space, c.reply, &buf, 0), MACH_MSG_SUCCESS);
    KT_EQ(rep->h.uh_bits, MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND));
    KT_EQ(rep->result, 56);
    KT_EQ(reply_status(&c).mps_srights, 0);
    KT_EQ(reply_status(&c).mps_sorights, 0);
    KT_EQ(ttype(c.space, c.reply), MACH_PORT_TYPE_RECEIVE);
    client_done(&c);
    IPC_TEST_END();
}

KTEST(ipc, kobject_reply_later_to_a_dead_reply_port_releases_the_right)
{
    IPC_TEST_BEGIN();
    struct kclient c;
    struct rep_k later;

    client_init(&c);
    KT_EQ(call(&c, TEST_BASE + 1, 5), MACH_MSG_SUCCESS);
    KT_EQ(saved_type, MACH_MSG_TYPE_PORT_SEND_ONCE);
    KT_EQ(mach_port_destroy(c.space, c.reply), KERN_SUCCESS);
    memset(&later, 0, sizeof(later));
    later.h.msgh_id = TEST_BASE + 1 + 100;
    KT_EQ(ipc_kobject_reply_later(saved_reply, saved_type, &later.h, sizeof(later)),
          MACH_MSG_SUCCESS);
    client_done(&c);
    IPC_TEST_END();
}

KTEST(ipc, kobject_request_with_a_receive_right_as_reply_port_gets_no_reply)
{
    IPC_TEST_BEGIN();
    struct kclient c;
    mach_port_name_t r;

    client_init(&c);
    r = tport(c.space);
    KT_EQ(call_reply(&c, TEST_BASE, 1, r, MACH_MSG_TYPE_MOVE_RECEIVE), MACH_MSG_SUCCESS);
    KT_EQ(ttype(c.space, r), 0); /* moved away, and destroyed by the kernel */
    KT_EQ(ipc_kobject_reply_later(IP_NULL, MACH_MSG_TYPE_PORT_SEND_ONCE, NULL, 0),
          MACH_SEND_INVALID_REPLY);
    client_done(&c);
    IPC_TEST_END();
}

KTEST(ipc, kobject_returned_port_reaches_the_client_as_one_send_right)
{
    IPC_TEST_BEGIN();
    struct kclient c;
    struct tbuf buf;
    struct rep_port_u *rep = (struct rep_port_u *)&buf;
    struct ipc_space *other = ipc_space_create();
    mach_port_name_t r = tport(other);

    client_init(&c);
    KT_EQ(mach_port_extract_right(other, r, MACH_MSG_TYPE_MAKE_SEND, &returned_port, &saved_type),
          KERN_SUCCESS);
    KT_EQ(call(&c, TEST_BASE + 4, 0), MACH_MSG_SUCCESS);
    KT_EQ(trecv(c.space, c.reply, &buf, 0), MACH_MSG_SUCCESS);
    KT_EQ(rep->ret, KERN_SUCCESS);
    KT_EQ(rep->port.upd_disposition, MACH_MSG_TYPE_PORT_SEND);
    KT_EQ(trefs(c.space, rep->port.upd_name, MACH_PORT_RIGHT_SEND), 1);
    ipc_port_lock(returned_port);
    mach_port_urefs_t srights = returned_port->ip_srights;
    ipc_port_unlock(returned_port);
    KT_EQ(srights, 2); /* the test's and the client's; none leaked */
    KT_EQ(mach_port_deallocate(c.space, rep->port.upd_name), KERN_SUCCESS);
    ipc_port_release_send(returned_port);
    returned_port = IP_NULL;
    client_done(&c);
    tspace_done(other);
    IPC_TEST_END();
}
